"""Answering a question from the knowledge base: the offline extractive answer, or, with an LLM configured, an
answer the LLM composes from the retrieved chunks and cites them in ([1], [2] …); the offline answer stands in
on any fault, and the answer says which engine wrote it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.services.knowledge.answers import Answer

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
    offline = await stack.knowledge.aanswer(question)
    if app.llm is None or not offline.found:
        return offline
    from bot.services.knowledge.cited_answer import answer_from_sources  # loads the LLM stack

    return await answer_from_sources(app.llm, question, offline)
