"""/ask with an LLM: an answer composed from the retrieved chunks, citing them; offline on any fault."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.llm import LLMGateway
from bot.presenters.knowledge import render_answer
from bot.services.knowledge.cited_answer import LLM_NOTE, answer_from_sources
from bot.services.knowledge.stack import RetrievalStack
from tests.conftest import make_settings
from tests.support.fake_openai import FakeOpenAI, Request, server_error

QUESTION = "почему удерживать клиентов выгоднее?"


def offered(request: Request) -> list[str]:
    return re.findall(r'<source id="([^"]+)"', FakeOpenAI.messages(request)["user"])


def cites_two_and_one(request: Request) -> dict[str, Any]:
    assert offered(request)[:2] == ["1", "2"]
    return {"text": "Удержание дешевле привлечения [2]. Ядро базы приносит основную выручку [1][7].",
            "used_sources": ["2", "1", "7"]}  # fmt: skip


@pytest_asyncio.fixture
async def llm_server() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(responder=cites_two_and_one) as server:
        yield server


def _gateway(server: FakeOpenAI, tmp_path: Path) -> LLMGateway:
    settings = make_settings(
        tmp_path, openai_base_url=server.base_url, openai_api_key="t", llm_timeout_seconds=10, llm_max_retries=0
    )
    return LLMGateway(settings)


async def test_the_answer_cites_the_chunks_it_used(
    stack: RetrievalStack, llm_server: FakeOpenAI, tmp_path: Path
) -> None:
    offline = await stack.knowledge.aanswer(QUESTION)
    chunks = [h.chunk for h in offline.hits]
    answer = await answer_from_sources(_gateway(llm_server, tmp_path), QUESTION, offline)

    assert answer.engine == "llm" and answer.numbered and answer.engine_note == LLM_NOTE
    # chunk 2 is cited first, so it is [1] now; [7] was never offered and is dropped
    assert answer.text == "Удержание дешевле привлечения [1]. Ядро базы приносит основную выручку [2]."
    assert answer.sources == [(c.title, c.doc_id, c.section) for c in (chunks[1], chunks[0])]
    shown = render_answer(answer)
    assert "Источники:" in shown and f"[1] {chunks[1].title}" in shown and LLM_NOTE in shown
    sent = FakeOpenAI.messages(llm_server.requests[0])["user"]
    assert chunks[0].body[:40] in sent  # the model answered from the retrieved text


async def test_an_answer_citing_nothing_is_not_grounded(
    stack: RetrievalStack, llm_server: FakeOpenAI, tmp_path: Path
) -> None:
    llm_server.responder = lambda request: {"text": "Удерживать выгоднее всегда.", "used_sources": []}
    offline = await stack.knowledge.aanswer(QUESTION)
    answer = await answer_from_sources(_gateway(llm_server, tmp_path), QUESTION, offline)
    assert answer.engine == "offline" and answer.text == offline.text
    assert answer.engine_note == "Ответ LLM не прошёл проверку — ответил офлайн-движок"


async def test_a_failing_llm_leaves_the_offline_answer_and_says_why(
    stack: RetrievalStack, llm_server: FakeOpenAI, tmp_path: Path
) -> None:
    llm_server.queue(server_error())
    offline = await stack.knowledge.aanswer(QUESTION)
    answer = await answer_from_sources(_gateway(llm_server, tmp_path), QUESTION, offline)
    assert answer.engine == "offline" and answer.sources == offline.sources
    assert answer.engine_note == "LLM недоступна — ответил офлайн-движок"
    assert answer.engine_note in render_answer(answer)


async def test_a_full_name_in_the_question_never_reaches_the_llm(
    stack: RetrievalStack, llm_server: FakeOpenAI, tmp_path: Path
) -> None:
    """Every path to an external LLM masks people's names, /ask included (issue 12: a full name used to leak)."""
    question = "Как удержать клиента Ладыгина Игоря Валентиновича, если он недоволен сроками?"
    offline = await stack.knowledge.aanswer(question)
    await answer_from_sources(_gateway(llm_server, tmp_path), question, offline)
    sent = llm_server.sent_text()
    assert llm_server.requests, "the LLM was asked"
    assert "Ладыгин" not in sent and "Игоря Валентиновича" not in sent
