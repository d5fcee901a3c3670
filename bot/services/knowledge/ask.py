"""Answering a question from the knowledge base: the offline extractive answer, or, with an LLM configured, an
answer the LLM composes from the retrieved chunks and cites them in ([1], [2] …); the offline answer stands in
on any fault, and the answer says which engine wrote it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.common.lazy import Loader
from bot.services.knowledge.answers import Answer
from bot.services.knowledge.ingestion import ScriptUpload
from bot.services.knowledge.stack import RetrievalStack

if TYPE_CHECKING:
    from bot.llm.gateway import LLMGateway

log = logging.getLogger(__name__)
MAX_QUESTION = 1000


class QuestionError(ValueError):
    """The question cannot be answered as asked; the message is safe to show."""


@dataclass
class Knowledge:
    """Questions to the knowledge base and script uploads, with the retrieval stack (loaded on first use) and the
    LLM gateway (None: the offline extractive answer)."""

    retrieval: Loader[RetrievalStack]
    llm: LLMGateway | None = None

    async def ask(self, question: str) -> Answer:
        question = " ".join(question.split())
        if len(question) < 3:
            raise QuestionError("Напишите вопрос после команды, например: /ask как работать с ядром клиентской базы")
        if len(question) > MAX_QUESTION:
            raise QuestionError(f"Вопрос слишком длинный: сократите его до {MAX_QUESTION} символов.")
        stack = await self.retrieval()
        offline = await stack.knowledge.aanswer(question)
        if self.llm is None or not offline.found:
            return offline
        from bot.services.knowledge.cited_answer import answer_from_sources  # loads the LLM stack

        return await answer_from_sources(self.llm, question, offline)

    async def add_script(self, data: bytes | str) -> ScriptUpload:
        """An admin's Markdown script: validated (ScriptFormatError, nothing written), saved and live at once."""
        stack = await self.retrieval()
        return await stack.aadd_script(data)
