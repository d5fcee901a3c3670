"""The data behind client advice, read from knowledge/*.yaml: what each type values and what we do for them,
precautions after incidents, base levels and segment strategies.

Kept as data so that people who know the trade can tune the wording without touching code. Files are read once per
project root (they change only with a deploy).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.domain import BaseLevel, BehaviourType

TYPES_FILE = "knowledge/types.yaml"
PRECAUTIONS_FILE = "knowledge/precautions.yaml"
CLIENT_BASE_FILE = "knowledge/client_base.yaml"


@dataclass(frozen=True, slots=True)
class TypeAdvice:
    values: tuple[str, ...]
    do: tuple[str, ...]
    closing: str  # the last line of a reply in the spirit of the type
    closing_problem: str = ""  # … after a complaint or an incident
    closing_thanks: str = ""  # … to thanks or praise
    closing_question: str = ""  # … to a question or a routine request outside a sales talk


@dataclass(frozen=True, slots=True)
class IncidentRule:
    kind: str
    title: str
    actions: tuple[str, ...]
    reply_line: str
    short: str = ""  # the actions in one line, for the one-screen brief
    reply_in: frozenset[str] = frozenset()  # situations whose replies this line fits; empty: all

    def fits(self, situation: str) -> bool:
        return bool(self.reply_line) and (not self.reply_in or situation in self.reply_in)


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    name: str
    strategy: str
    text: str


@dataclass(frozen=True, slots=True)
class LevelRule:
    repeat_min: int
    core_min: int
    core_share: float


@dataclass(frozen=True, slots=True)
class ClientKnowledge:
    types: dict[BehaviourType, TypeAdvice]
    incidents: dict[str, IncidentRule]
    lookback_days: int
    promise_overdue: str
    promise_broken: str
    level_rule: LevelRule
    level_tasks: dict[BaseLevel, str]
    segments: dict[str, Segment]

    def advice(self, type_: BehaviourType) -> TypeAdvice:
        return self.types.get(type_) or self.types[BehaviourType.UNDETERMINED]

    def incident(self, kind: str) -> IncidentRule:
        return self.incidents.get(kind) or self.incidents["other"]


def _read(root: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load((root / name).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{name}: ожидается словарь на верхнем уровне")
    return data


def _line(value: object) -> str:
    """A list item as text. An unquoted YAML item with «: » inside is read as a mapping: join it back rather than
    print a Python dict to the manager."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


@lru_cache(maxsize=4)
def load_client_knowledge(project_root: Path) -> ClientKnowledge:
    types_raw = _read(project_root, TYPES_FILE)["types"]
    types = {
        BehaviourType(key): TypeAdvice(
            tuple(_line(v) for v in value.get("values") or ()),
            tuple(_line(v) for v in value.get("do") or ()),
            str(value.get("closing") or ""),
            str(value.get("closing_problem") or ""),
            str(value.get("closing_thanks") or ""),
            str(value.get("closing_question") or ""),
        )
        for key, value in types_raw.items()
    }
    pre = _read(project_root, PRECAUTIONS_FILE)
    incidents = {
        kind: IncidentRule(
            kind,
            str(v["title"]),
            tuple(str(a) for a in v.get("actions") or ()),
            str(v.get("reply_line") or ""),
            str(v.get("short") or ""),
            frozenset(str(x) for x in v.get("reply_in") or ()),
        )
        for kind, v in (pre.get("incidents") or {}).items()
    }
    incidents.setdefault("other", IncidentRule("other", "Был инцидент", (), ""))
    base = _read(project_root, CLIENT_BASE_FILE)
    rule = base.get("rule") or {}
    return ClientKnowledge(
        types=types,
        incidents=incidents,
        lookback_days=int(pre.get("lookback_days", 365)),
        promise_overdue=str((pre.get("promises") or {}).get("overdue", "")),
        promise_broken=str((pre.get("promises") or {}).get("broken", "")),
        level_rule=LevelRule(
            int(rule.get("repeat_min", 2)), int(rule.get("core_min", 5)), float(rule.get("core_share", 0.15))
        ),
        level_tasks={BaseLevel(k): str(v) for k, v in (base.get("levels") or {}).items()},
        segments={
            key: Segment(key, str(v.get("name", key)), str(v.get("strategy", "")), str(v.get("text", "")))
            for key, v in (base.get("segments") or {}).items()
        },
    )
