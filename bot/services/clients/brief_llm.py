"""The LLM part of the pre-call brief: the goal of this call and an opening line written for this client.

Imported only when an LLM is configured. The model gets the CRM facts (trusted: type, level, deals, promises,
incidents and the goals the offline rules found) and the client's latest messages (untrusted); any failure, or
an answer that does not pass the gateway's checks, leaves the offline goal and opening, and the brief says which
engine wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import TYPE_NAMES_RU, BehaviourType
from bot.llm import Answered, BriefOut, LLMGateway, LLMResult, answer_with_fallback
from bot.services.clients.context import ClientContext
from bot.services.clients.lookup import LevelInfo


@dataclass(frozen=True, slots=True)
class GoalAndOpening:
    goal: str
    opening: str


ENGINE_NOTES = {
    "llm": "Цель звонка и первую фразу предложила LLM по данным CRM.",
    "offline": "Цель звонка и первую фразу подобрал офлайн-движок.",
}


def brief_profile(
    context: ClientContext, type_: BehaviourType, level: LevelInfo, segment: str, offline_goals: Sequence[str]
) -> str:
    """The CRM facts the model may rely on, one per line."""
    c = context
    lines = [
        f"Клиент: {c.client.name}. Тип поведения: {type_.value} ({TYPE_NAMES_RU[type_]}).",
        f"Уровень: {level.name}. Сегмент: {segment or 'не указан'}. Сегодня: {c.today.isoformat()}.",
    ]
    if c.greeting_name:
        lines.append(f"Обращение к контакту: {c.greeting_name}.")
    lines += [f"Открытая сделка: {d.title}." for d in c.open_deals[:3]]
    lines += [f"Просроченное обещание: {p.text} (срок {p.due})." for p in c.overdue_promises]
    lines += [f"Открытое обещание: {p.text} (срок {p.due or 'не указан'})." for p in c.open_promises[:3]]
    for p in c.precautions:
        lines.append(f"Инцидент {p.latest.at.date().isoformat()}: {p.rule.title}. Меры: {' '.join(p.rule.actions)}")
    lines += [f"Возможная цель по правилам: {g}" for g in offline_goals]
    return "\n".join(lines)


async def goal_and_opening(
    gateway: LLMGateway | None,
    offline: GoalAndOpening,
    profile: str,
    messages: Sequence[str],
    names: Sequence[str],
) -> Answered[GoalAndOpening]:
    async def llm_call() -> LLMResult[GoalAndOpening]:
        assert gateway is not None
        variables = {"client_profile": profile, "history": list(messages)}
        result = await gateway.run("brief", variables, BriefOut, known_names=names)
        return result.map(lambda out: GoalAndOpening(out.goal, out.opening_line))

    return await answer_with_fallback(llm_call if gateway is not None else None, lambda: offline)
