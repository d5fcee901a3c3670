"""The offline suggested reply: greeting by name, the script's reply template filled from the client's history, what
we do after earlier incidents, and a closing line in the spirit of the client's type.

Pure functions over already loaded data, so the Telegram card, the terminal chat and the CLI build the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain import BehaviourType, Situation
from bot.nlp.text import lemmas
from bot.services.clients.context import ClientContext
from bot.services.clients.playbook import ClientKnowledge
from bot.services.knowledge.corpus import Script
from bot.services.knowledge.scripts import ScriptLibrary

# Templates quote the deal title: «…». With no deal on file the quotes go and the phrase takes the case the
# preposition needs ("по Вашему заказу", not "по «Ваш заказ»").
_NO_DEAL = "\x00deal\x00"
_NO_DEAL_FORMS = (
    (re.compile(rf"\b([Пп]о) «{_NO_DEAL}»"), r"\1 Вашему заказу"),
    (re.compile(rf"\b([Сс]) «{_NO_DEAL}»"), r"\1 Вашим заказом"),
    (re.compile(rf"«{_NO_DEAL}»|{_NO_DEAL}"), "Ваш заказ"),
)


def _without_deal(text: str) -> str:
    for pattern, replacement in _NO_DEAL_FORMS:
        text = pattern.sub(replacement, text)
    return text


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
    deal = (context.current_deal if context else None) or _NO_DEAL
    name = context.greeting_name if context else ""
    parts = [f"Добрый день, {name}!" if name else "Добрый день!"]
    if script is not None:
        parts.append(_without_deal(library.render_reply(script, deal=deal, next_date=next_date)))
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
