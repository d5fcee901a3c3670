"""Knowledge-base answers and script uploads → HTML."""

from __future__ import annotations

from bot.presenters import bold, esc
from bot.services.knowledge.answers import Answer

ENGINE_NOTE = {"llm": "ответ сформулировала LLM по материалам базы", "offline": "ответ собран офлайн-движком из базы"}


def render_answer(answer: Answer) -> str:
    if not answer.found:
        return esc(answer.text)
    lines = [esc(answer.text), "", bold("Источники:")]
    seen: set[tuple[str, str]] = set()
    for title, _doc_id, section in answer.sources:
        if (title, section) in seen:
            continue
        seen.add((title, section))
        lines.append("• " + esc(f"{title} — {section}" if section and section != title else title))
    lines += ["", f"<i>{esc(ENGINE_NOTE.get(answer.engine, answer.engine))}</i>"]
    return "\n".join(lines)
