"""The LLM path of the suggestion card: one call gives the type, the situation, the script and the reply; the
type is then fused with the offline classifier's (type_fusion.py).

Imported only when an LLM is configured (the offline product never loads the LLM stack). `answer_with_fallback`
turns any failure into the offline draft and says why. Names of the client's contacts are passed as known names,
so the gateway masks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain import BehaviourResult, Cue
from bot.llm import LLMGateway, LLMResult, SuggestionOut, answer_with_fallback
from bot.services.clients.context import ClientContext
from bot.services.knowledge.corpus import Script
from bot.services.suggestions.card import Draft, Drafted
from bot.services.suggestions.type_fusion import fuse

LLM_NOTE = "Черновик подготовила LLM; тип клиента — LLM вместе с офлайн-классификатором."


def script_payload(script: Script) -> dict[str, str]:
    body = "\n".join(f"{heading}: {text}" for heading, text in script.sections.items())
    return {
        "id": script.id,
        "situation": script.situation.value,
        "type": script.type.value,
        "title": script.title,
        "text": f"Цель: {script.goal}\n{body}\nШаблон ответа: {script.reply_template}",
    }


def profile_text(context: ClientContext | None, level: str, segment: str) -> str:
    if context is None:
        return "Клиент не выбран: истории нет."
    lines = [f"Клиент: {context.client.name}. Уровень: {level}. Сегмент: {segment or 'не указан'}."]
    if context.current_deal:
        lines.append(f"Текущая сделка: {context.current_deal}.")
    for p in context.precautions:
        lines.append(f"Инцидент в прошлом: {p.rule.title}. Что делаем: {' '.join(p.rule.actions)}")
    for promise in context.overdue_promises + context.open_promises:
        lines.append(f"Открытое обещание: {promise.text} (срок {promise.due or 'не указан'}).")
    return "\n".join(lines)


def _convert(out: SuggestionOut, offline: BehaviourResult) -> Draft:
    behaviour = BehaviourResult(
        type=out.type,
        emotionality=out.emotionality,
        confidence_axis=out.confidence_axis,
        confidence=out.confidence,
        cues=tuple(Cue(c.quote, c.axis, c.direction, 1.0, "по оценке LLM") for c in out.cues),
        questions=tuple(out.questions),
        engine="llm",
    )
    return Draft(fuse(offline, behaviour), out.situation, out.script_id, out.reply)


async def llm_draft(
    gateway: LLMGateway,
    offline: BehaviourResult,
    text: str,
    history: Sequence[str],
    profile: str,
    scripts: Sequence[Script],
    names: Sequence[str],
) -> LLMResult[Draft]:
    variables: dict[str, Any] = {
        "client_message": text,
        "history": list(history),
        "client_profile": profile,
        "scripts": [script_payload(s) for s in scripts],
    }
    result = await gateway.run("suggestion", variables, SuggestionOut, known_names=names)
    return result.map(lambda out: _convert(out, offline))


async def draft_with_fallback(
    gateway: LLMGateway,
    offline: Draft,
    text: str,
    history: Sequence[str],
    profile: str,
    scripts: Sequence[Script],
    names: Sequence[str],
) -> Drafted:
    answered = await answer_with_fallback(
        lambda: llm_draft(gateway, offline.behaviour, text, history, profile, scripts, names), lambda: offline
    )
    usage = answered.usage
    note = LLM_NOTE if answered.engine == "llm" else answered.engine_note
    if answered.warnings:
        note += " " + " ".join(answered.warnings)
    return Drafted(
        answered.value,
        answered.engine,
        note,
        answered.reason_code,
        usage.total_tokens if usage else 0,
        usage.cost_usd if usage else 0.0,
    )
