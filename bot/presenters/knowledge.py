"""Knowledge-base answers and script uploads → HTML."""

from __future__ import annotations

from bot.presenters import bold, esc
from bot.services.knowledge.answers import Answer

ENGINE_NOTE = {"llm": "ответ сформулировала LLM по материалам базы", "offline": "ответ собран офлайн-движком из базы"}


def render_answer(answer: Answer) -> str:
    if not answer.found:
        return esc(answer.text)
    lines = [esc(answer.text), "", bold("Источники:")]
    seen: set[str] = set()
    for line in answer.source_lines():
        if line in seen:
            continue
        seen.add(line)
        lines.append(esc(line))
    note = answer.engine_note or ENGINE_NOTE.get(answer.engine, answer.engine)
    lines += ["", f"<i>{esc(note)}</i>"]
    return "\n".join(lines)
