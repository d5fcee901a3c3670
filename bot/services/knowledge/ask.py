"""Answering a question from the knowledge base: the offline extractive answer, improved by the LLM when one is
configured; the sources are the retrieved chunks either way, and the answer says which engine wrote it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.common.lazy import Loader
from bot.services.knowledge.answers import Answer
from bot.services.knowledge.corpus import Chunk
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
        llm = self.llm
        if llm is None:
            return await stack.knowledge.aanswer(question)

        async def improve(q: str, chunks: Sequence[Chunk]) -> str | None:
            from bot.llm.schemas import KnowledgeAnswerOut

            sources = [{"id": c.id, "title": c.title, "text": c.body} for c in chunks]
            result = await llm.run("knowledge_answer", {"question": q, "sources": sources}, KnowledgeAnswerOut)
            return result.value.text

        return await stack.knowledge.aanswer(question, llm_answer=improve)

    async def add_script(self, data: bytes | str) -> ScriptUpload:
        """An admin's Markdown script: validated (ScriptFormatError, nothing written), saved and live at once."""
        stack = await self.retrieval()
        return await stack.aadd_script(data)
