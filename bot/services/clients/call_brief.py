"""The pre-call brief: who the client is, how to talk to them, where they stand, what we promised, what went wrong,
the goal of this call and an opening line.

The client's type is aggregated over their incoming messages (bot.classifier.history: recent messages weigh more);
a supervisor's correction (`type_override`) wins over it. Classifying a client's history takes a few milliseconds
per message, so it is computed on every brief instead of cached: the brief always reflects the latest messages.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.classifier.history import HistoryResult, aggregate
from bot.domain import TYPE_NAMES_RU, BehaviourType, Situation
from bot.services.clients import lookup as clients
from bot.services.clients.context import ClientContext, load_context
from bot.services.clients.lookup import LevelInfo
from bot.services.clients.playbook import ClientKnowledge, Segment, TypeAdvice, load_client_knowledge
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from bot.services.common.lazy import Loader
from bot.services.knowledge.corpus import Script
from bot.services.knowledge.script_tools import ScriptTools
from bot.services.knowledge.scripts import opening_line
from storage.models import Client, Interaction, Suggestion
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.classifier.engine import OfflineClassifier
    from bot.llm.gateway import LLMGateway

HISTORY_LIMIT = 200  # incoming messages taken into the type; older ones weigh almost nothing anyway
SOON_DAYS = 3  # an open promise due within this many days becomes the goal of the call


@dataclass
class Brief:
    suggestion_id: int
    context: ClientContext
    history: HistoryResult
    type: BehaviourType
    type_overridden: bool
    advice: TypeAdvice
    level: LevelInfo
    segment: Segment | None
    interactions: list[Interaction]  # newest first
    goal: str
    goal_extra: list[str]
    situation: Situation
    script: Script | None
    opening: str
    engine: str = "offline"  # who wrote the goal and the opening: "llm" or "offline"
    engine_note: str = ""  # one Russian line saying so (and why the LLM did not, when it did not)

    @property
    def client(self) -> Client:
        return self.context.client

    def as_contract(self, text: str) -> dict[str, object]:
        """`brief --json` (PRODUCT.md): `text` beside client, type, level, promises, incidents."""
        c = self.context
        overdue = {p.id for p in c.overdue_promises}
        return {
            "text": text,
            "client": {"id": self.client.id, "name": self.client.name, "company": self.client.company},
            "type": self.type.value,
            "type_confidence": round(self.history.result.confidence, 3),
            "level": self.level.level.value,
            "segment": self.client.segment,
            "goal": self.goal,
            "opening": self.opening,
            "engine": self.engine,
            "promises": [
                {
                    "text": p.text,
                    "due": p.due.isoformat() if p.due else None,
                    "kept": p.kept,
                    "overdue": p.id in overdue,
                }
                for p in c.promises
            ],
            "incidents": [{"at": i.at.isoformat(), "kind": i.kind, "text": i.text} for i in c.incidents],
            "precautions": [
                {"kind": p.rule.kind, "title": p.rule.title, "actions": list(p.rule.actions)} for p in c.precautions
            ],
            "suggestion_id": self.suggestion_id,
        }


def call_goal(context: ClientContext, level: LevelInfo) -> tuple[str, list[str]]:
    """The goal of this call, most pressing first: an overdue promise, a promise due soon, an open deal, the level."""
    goals: list[str] = []
    for p in context.overdue_promises[:1]:
        goals.append(f"Закрыть просроченное обещание «{p.text}»: сообщить результат или честно назвать новый срок.")
    soon = [p for p in context.open_promises if p.due and p.due <= context.today + timedelta(days=SOON_DAYS)]
    for p in soon[:1]:
        goals.append(f"Подтвердить, что обещание «{p.text}» будет выполнено в срок.")
    for deal in context.open_deals[:1]:
        goals.append(f"Продвинуть сделку «{deal.title}»: договориться о следующем шаге с конкретной датой.")
    if level.task:
        goals.append(level.task)
    return goals[0], goals[1:3]


@dataclass
class CallBriefs:
    """The pre-call brief with its named dependencies: the playbook files, the clock, the classifier (the client's
    type over their history), the scripts library with the situation detector, and the LLM gateway (None: the
    goal and the opening come from the offline rules)."""

    project_root: Path
    clock: Clock
    classifier: Loader[OfflineClassifier]
    scripts: Loader[ScriptTools]
    llm: LLMGateway | None = None

    async def client_type(self, uow: UnitOfWork, client: Client) -> HistoryResult:
        incoming = await uow.clients.interactions(client.id, direction="in", limit=HISTORY_LIMIT)
        classifier = await self.classifier()
        results = await asyncio.to_thread(classifier.classify_many, [i.text for i in incoming])
        return aggregate([(i.at, r) for i, r in zip(incoming, results, strict=True)], now=self.clock.now())

    async def build_brief(
        self, uow: UnitOfWork, principal: Principal, client: Client, *, stored_id: int | None = None
    ) -> Brief:
        """The brief, stored as a Suggestion of kind "brief" (reviewable); with `stored_id` (a folded part asked for
        later) it is rebuilt without storing again."""
        knowledge: ClientKnowledge = load_client_knowledge(self.project_root)
        context = await load_context(uow, client, knowledge, self.clock.now())
        history = await self.client_type(uow, client)
        overridden = bool(client.type_override)
        type_ = BehaviourType(client.type_override) if client.type_override else history.result.type
        if overridden:
            history = replace(history, result=replace(history.result, type=type_))
        level = await clients.level_of(uow, client, knowledge)
        interactions = await uow.clients.interactions(client.id, limit=10)
        tools = await self.scripts()
        latest_in = next((i for i in interactions if i.direction == "in"), None)
        situation = tools.situations.detect(latest_in.text).situation if latest_in else Situation.FIRST_CONTACT
        script = tools.library.get(type_, situation)  # undetermined or missing: the type-neutral script
        goal, extra = call_goal(context, level)
        opening = opening_line(script, context.greeting_name)
        engine, engine_note = "offline", ""
        if self.llm is not None and stored_id is None:  # a folded part asked for later keeps the stored engine's
            from bot.services.clients import brief_llm  # loads the LLM stack

            segment = clients.segment(client, knowledge)
            profile = brief_llm.brief_profile(context, type_, level, segment.name if segment else "", [goal, *extra])
            messages = [i.text for i in reversed(interactions) if i.direction == "in"][-5:]
            names = [c.name for c in client.contacts if c.name]
            offline = brief_llm.GoalAndOpening(goal, opening)
            answered = await brief_llm.goal_and_opening(self.llm, offline, profile, messages, names)
            goal, opening, engine = answered.value.goal, answered.value.opening, answered.engine
            engine_note = brief_llm.ENGINE_NOTES["llm"] if engine == "llm" else answered.engine_note

        brief = Brief(
            suggestion_id=stored_id or 0,
            context=context,
            history=history,
            type=type_,
            type_overridden=overridden,
            advice=knowledge.advice(type_),
            level=level,
            segment=clients.segment(client, knowledge),
            interactions=interactions,
            goal=goal,
            goal_extra=extra,
            situation=situation,
            script=script,
            opening=opening,
            engine=engine,
            engine_note=engine_note,
        )
        if stored_id is None:
            brief.suggestion_id = await _store(uow, principal, brief)
        return brief


async def _store(uow: UnitOfWork, principal: Principal, brief: Brief) -> int:
    """A plain-text summary a supervisor can review: the goal, the opening and the precautions."""
    client = brief.client
    summary = "\n".join(
        [
            f"Справка перед звонком: {client.name}. Тип: {TYPE_NAMES_RU[brief.type]}. Уровень: {brief.level.name}.",
            f"Цель звонка: {brief.goal}",
            f"Первая фраза: {brief.opening}",
            *(f"Мера: {p.rule.title.lower()} — {' '.join(p.rule.actions)}" for p in brief.context.precautions),
        ]
    )
    row = Suggestion(
        kind="brief",
        author_id=principal.user_id,
        client_id=client.id,
        input_text="",
        behaviour_type=brief.type.value,
        type_confidence=brief.history.result.confidence,
        cues=[c.as_dict() for c in brief.history.result.cues],
        situation=brief.situation.value,
        script_id=brief.script.id if brief.script else None,
        text=summary,
        engine=brief.engine,
    )
    await uow.suggestions.add(row)
    await uow.audit.record(
        "generated",
        actor_id=principal.user_id,
        client_id=client.id,
        object_ref=f"suggestion:{row.id}",
        details={"kind": "brief", "engine": brief.engine},
    )
    return row.id
