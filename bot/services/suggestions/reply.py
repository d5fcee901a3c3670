"""The offline suggested reply: greeting by name, the script's reply template filled from the client's history, what
we do after earlier incidents, and a closing line in the spirit of the client's type.

Pure functions over already loaded data, so the Telegram card, the terminal chat and the CLI build the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain import BehaviourType, Situation
from bot.nlp.text import lemmas
from bot.services.clients.context import ClientContext
from bot.services.clients.playbook import ClientKnowledge
from bot.services.knowledge.corpus import Script
from bot.services.knowledge.scripts import ScriptLibrary


@dataclass(frozen=True, slots=True)
class BuiltReply:
    script: Script | None
    text: str
    deal: str
    next_date: date


def pick_script(library: ScriptLibrary, type_: BehaviourType, situation: Situation) -> Script | None:
    """The script for (type, situation); `undetermined` and missing ones fall back to the type-neutral script."""
    return library.get(type_, situation)


def build_reply(
    library: ScriptLibrary,
    knowledge: ClientKnowledge,
    type_: BehaviourType,
    situation: Situation,
    context: ClientContext | None,
    next_date: date,
) -> BuiltReply:
    script = pick_script(library, type_, situation)
    # No deal on file: the template sees a false value and its `{% if deal %}` part drops out; a template that
    # prints the deal unguarded shows the visible blank «[сделка]» for the manager to fill, never a guessed noun.
    deal = (context.current_deal if context else None) or ""
    name = context.greeting_name if context else ""
    parts = [f"Добрый день, {name}!" if name else "Добрый день!"]
    if script is not None:
        parts.append(library.render_reply(script, deal=deal or None, next_date=next_date))
    extra = [line for line in (context.reply_lines(situation.value) if context else []) if not _said(line, parts)]
    if extra:
        parts.append(" ".join(extra))
    closing = knowledge.advice(type_).closing
    if closing:
        parts.append(closing)
    return BuiltReply(script, "\n\n".join(p for p in parts if p), deal, next_date)


def _said(line: str, parts: list[str]) -> bool:
    """The template already says it (e.g. the delay script promises a priority order itself): do not repeat."""
    words = {w for w in lemmas(line) if len(w) > 3}
    said = set(lemmas(" ".join(parts)))
    return bool(words) and len(words & said) / len(words) >= 0.5


def opening_line(script: Script | None, name: str) -> str:
    """The first sentence(s) of the script's "Открытие" section, addressed to the contact by name."""
    body = ""
    if script is not None:
        for heading, text in script.sections.items():
            if heading.lower().startswith("открытие"):
                body = " ".join(line.strip() for line in text.splitlines() if line.strip())
                break
    greeting = f"Добрый день, {name}!" if name else "Добрый день!"
    return f"{greeting} {body}".strip()
