"""/ask answers from the knowledge base, naming the sources; off-topic questions get a polite refusal."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.knowledge.answers import NOT_FOUND_TEXT
from bot.services.knowledge.corpus import Chunk
from bot.services.knowledge.stack import RetrievalStack


def test_answer_quotes_the_base_and_names_sources(stack: RetrievalStack) -> None:
    answer = stack.knowledge.answer("почему удерживать клиентов выгоднее, чем привлекать новых?")
    assert answer.found and answer.engine == "offline"
    assert "дешевле, чем привлечение новых" in answer.text
    assert answer.sources[0] == ("Удержание клиентов", "article:retention", "Почему удерживать выгоднее")
    assert "Источники:" in answer.full_text and "Удержание клиентов" in answer.full_text


def test_commitment_answer(stack: RetrievalStack) -> None:
    answer = stack.knowledge.answer("за какой срок логистика подтверждает дату отгрузки?")
    assert answer.found and answer.sources[0][1] == "commitment:logistics.shipping_date"
    assert "4 рабочих часа" in answer.text


def test_off_topic_question_is_declined(stack: RetrievalStack) -> None:
    for question in ("рецепт борща с пампушками", "кто выиграл чемпионат мира по футболу"):
        answer = stack.knowledge.answer(question)
        assert not answer.found and answer.text == NOT_FOUND_TEXT and answer.sources == []


def test_empty_question(stack: RetrievalStack) -> None:
    assert not stack.knowledge.answer("   ").found


def test_llm_hook_rewrites_text_but_keeps_sources(stack: RetrievalStack) -> None:
    seen: list[Sequence[Chunk]] = []

    def llm(question: str, chunks: Sequence[Chunk]) -> str:
        seen.append(chunks)
        return "Коротко: удерживать дешевле."

    offline = stack.knowledge.answer("почему удерживать клиентов выгоднее?")
    answer = stack.knowledge.answer("почему удерживать клиентов выгоднее?", llm_answer=llm)
    assert answer.text == "Коротко: удерживать дешевле." and answer.engine == "llm"
    assert answer.sources == offline.sources and seen and seen[0][0].doc_id == "article:retention"


def test_failing_llm_hook_falls_back(stack: RetrievalStack) -> None:
    def llm(question: str, chunks: Sequence[Chunk]) -> str:
        raise TimeoutError

    answer = stack.knowledge.answer("почему удерживать клиентов выгоднее?", llm_answer=llm)
    assert answer.engine == "offline" and answer.found


async def test_async_answer_with_async_hook(stack: RetrievalStack) -> None:
    async def llm(question: str, chunks: Sequence[Chunk]) -> str | None:
        return None  # "no better text": keep the offline one

    answer = await stack.knowledge.aanswer("что такое ядро клиентской базы?", llm_answer=llm)
    assert answer.found and answer.engine == "offline"
    assert answer.as_dict()["sources"][0]["doc_id"] == "article:retention"  # type: ignore[index]
