"""An answer the LLM composes from the retrieved chunks, citing them as [1], [2] …

The chunks go to the model numbered; it answers only from them and names the numbers it used. Only cited chunks
are listed as sources, renumbered in the order the model gave them, and the markers in the text follow. An answer
that cites nothing is not grounded in the base: the offline answer stands in, as on any other fault.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.llm import KnowledgeAnswerOut, LLMGateway, LLMResult, LLMUnavailable, Reason, answer_with_fallback
from bot.services.knowledge.answers import Answer
from bot.services.knowledge.corpus import Chunk

LLM_NOTE = "ответ сформулировала LLM по материалам базы; в скобках — номера источников"
_MARKER_RE = re.compile(r"\s?\[(\d{1,2})\]")


def source_payload(chunks: list[Chunk]) -> list[dict[str, str]]:
    return [
        {"id": str(n), "title": f"{c.title} — {c.section}" if c.section and c.section != c.title else c.title,
         "text": c.body}
        for n, c in enumerate(chunks, 1)
    ]  # fmt: skip


def cite(out: KnowledgeAnswerOut, chunks: list[Chunk]) -> Answer:
    """The model's answer with only the chunks it cited as sources, markers renumbered to match the list."""
    used: list[int] = []
    for ref in out.used_sources:  # ids outside the offered ones were already dropped by the schema's fit_context
        if ref.isdigit() and int(ref) not in used:
            used.append(int(ref))
    if not used:
        raise LLMUnavailable(Reason.SCHEMA_MISMATCH, "no source cited")
    display = {number: i for i, number in enumerate(used, 1)}

    def renumber(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return f" [{display[number]}]" if number in display else ""  # a marker of an uncited chunk goes

    text = _MARKER_RE.sub(renumber, out.text).strip()
    cited = [chunks[n - 1] for n in used]
    sources = [(c.title, c.doc_id, c.section) for c in cited]
    return Answer(text, sources, engine="llm", numbered=True)


async def answer_from_sources(gateway: LLMGateway, question: str, offline: Answer) -> Answer:
    chunks = [h.chunk for h in offline.hits]

    async def llm_call() -> LLMResult[Answer]:
        variables = {"question": question, "sources": source_payload(chunks)}
        result = await gateway.run("knowledge_answer", variables, KnowledgeAnswerOut)
        return result.map(lambda out: cite(out, chunks))

    answered = await answer_with_fallback(llm_call, lambda: offline)
    if answered.engine == "llm":
        note = " ".join([LLM_NOTE, *answered.warnings])
        return replace(answered.value, hits=offline.hits, engine_note=note)
    return replace(offline, engine_note=answered.engine_note)
