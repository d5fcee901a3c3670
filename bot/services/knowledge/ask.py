"""Answering a question from the knowledge base: the offline extractive answer, improved by the LLM when one is
configured; the sources are the retrieved chunks either way, and the answer says which engine wrote it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.services.knowledge.answers import Answer
from bot.services.knowledge.corpus import Chunk

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
MAX_QUESTION = 1000


class QuestionError(ValueError):
    """The question cannot be answered as asked; the message is safe to show."""


async def ask(app: App, question: str) -> Answer:
    question = " ".join(question.split())
    if len(question) < 3:
        raise QuestionError("Напишите вопрос после команды, например: /ask как работать с ядром клиентской базы")
    if len(question) > MAX_QUESTION:
        raise QuestionError(f"Вопрос слишком длинный: сократите его до {MAX_QUESTION} символов.")
    stack = await app.retrieval()
    llm = app.llm
    if llm is None:
        return await stack.knowledge.aanswer(question)

    async def improve(q: str, chunks: Sequence[Chunk]) -> str | None:
        from bot.llm.schemas import KnowledgeAnswerOut

        sources = [{"id": c.id, "title": c.title, "text": c.body} for c in chunks]
        result = await llm.run("knowledge_answer", {"question": q, "sources": sources}, KnowledgeAnswerOut)
        return result.value.text

    return await stack.knowledge.aanswer(question, llm_answer=improve)
