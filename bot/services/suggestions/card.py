"""The suggestion card as data: what the presenters show and what `suggest --json` prints."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain import Axis, BehaviourResult, BehaviourType, Cue, Situation
from bot.services.clients.context import ClientContext
from bot.services.clients.playbook import ClientKnowledge, TypeAdvice
from bot.services.knowledge.corpus import Script
from storage.models import Client, Suggestion

_BLANK_RE = re.compile(r"\[[^\[\]]{1,80}\]")

ENGINE_NOTES = {"llm": "Черновик подготовила LLM.", "offline": "Черновик подготовил офлайн-движок."}


@dataclass(frozen=True, slots=True)
class Draft:
    """What an engine decided: type, situation, (the LLM's) script and reply; empty reply → built from the script."""

    behaviour: BehaviourResult
    situation: Situation
    script_id: str | None = None
    reply: str = ""


@dataclass(frozen=True, slots=True)
class Drafted:
    draft: Draft
    engine: str  # "llm" or "offline"
    note: str  # one Russian line naming the engine (and why the LLM did not answer)
    fallback: str | None = None  # the LLM failure reason code, for the audit
    tokens: int = 0
    cost_usd: float = 0.0


@dataclass
class SuggestionCard:
    id: int
    input_text: str
    behaviour: BehaviourResult  # the classifier's (or the LLM's) reading of the message
    manual_type: BehaviourType | None  # the manager's choice, when they picked another type
    advice: TypeAdvice
    situation: Situation
    situation_fragments: tuple[str, ...]
    script: Script | None
    reply: str
    final_text: str | None
    context: ClientContext | None
    next_date: date
    engine: str
    engine_note: str
    status: str
    situations: tuple[Situation, ...] = ()  # every situation the message carries, the main one first

    @property
    def blanks(self) -> int:
        """Visible blanks («[сумма]») the manager fills before sending."""
        return len(_BLANK_RE.findall(self.final_text or self.reply))

    @property
    def type(self) -> BehaviourType:
        return self.manual_type or self.behaviour.type

    @property
    def client(self) -> Client | None:
        return self.context.client if self.context else None

    @classmethod
    def build(
        cls,
        row: Suggestion,
        behaviour: BehaviourResult,
        knowledge: ClientKnowledge,
        context: ClientContext | None,
        script: Script | None,
        fragments: tuple[str, ...],
        next_date: date,
        note: str,
    ) -> SuggestionCard:
        manual = BehaviourType(row.manual_type) if row.manual_type else None
        return cls(
            id=row.id,
            input_text=row.input_text,
            behaviour=behaviour,
            manual_type=manual,
            advice=knowledge.advice(manual or behaviour.type),
            situation=Situation(row.situation) if row.situation else Situation.FOLLOW_UP,
            situation_fragments=fragments,
            script=script,
            reply=row.text,
            final_text=row.final_text,
            context=context,
            next_date=next_date,
            engine=row.engine,
            engine_note=note,
            status=row.status,
        )

    def as_contract(self, text: str) -> dict[str, Any]:
        """`suggest --json` (PRODUCT.md): `text` beside the structured fields."""
        client = self.client
        return {
            "text": text,
            "type": self.type.value,
            "confidence": round(self.behaviour.confidence, 3),
            "cues": [c.as_dict() for c in self.behaviour.cues],
            "situation": self.situation.value,
            "situations": [s.value for s in self.situations or (self.situation,)],
            "blanks": self.blanks,
            "script": {"id": self.script.id, "title": self.script.title} if self.script else None,
            "reply": self.final_text or self.reply,
            "engine": self.engine,
            "client": {"id": client.id, "name": client.name} if client else None,
            "questions": list(self.behaviour.questions) if self.type is BehaviourType.UNDETERMINED else [],
            "suggestion_id": self.id,
        }


def engine_note(row: Suggestion) -> str:
    return ENGINE_NOTES.get(row.engine, ENGINE_NOTES["offline"])


def behaviour_from_row(row: Suggestion, questions: tuple[str, ...] = ()) -> BehaviourResult:
    """The classifier's result as stored with the suggestion (axes are not stored: only the quadrant matters)."""
    cues = []
    for raw in row.cues or []:
        try:
            cues.append(
                Cue(
                    str(raw["text"]),
                    Axis(raw["axis"]),
                    int(raw.get("direction", 1)),
                    float(raw.get("weight", 1.0)),
                    str(raw.get("label", "")),
                )
            )
        except (KeyError, ValueError, TypeError):
            continue  # a malformed stored cue is left out rather than breaking the card
    return BehaviourResult(
        type=BehaviourType(row.behaviour_type or BehaviourType.UNDETERMINED),
        emotionality=0.0,
        confidence_axis=0.0,
        confidence=float(row.type_confidence or 0.0),
        cues=tuple(cues),
        questions=questions,
        engine=row.engine,
    )
