"""Evaluation of the task engine on datasets/task_requests.jsonl: is each brief complete (every must-have fact) and
clean (none of the must-nots), and were the assignee, department, deadline and client found?

A must-have fact is found as written (lower case, ё = е) or in another grammatical form: «ручк» is there when the
brief says «ручек» (lemma «ручка»), «петл» when it says «петель». Must-nots are matched as plain substrings, so any
trace of them counts against the brief.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.nlp.text import tokenize
from bot.services.tasks.directory import load_directory
from bot.services.tasks.drafting import draft_brief
from bot.services.tasks.extraction import extract

if TYPE_CHECKING:
    from bot.app import App

DATASET = Path("datasets") / "task_requests.jsonl"
WORKDAY_MORNING = time(10, 0)


@dataclass
class ItemResult:
    id: str
    request: str
    text: str
    missing: list[str] = field(default_factory=list)  # must-haves not found
    present: list[str] = field(default_factory=list)  # must-nots found
    wrong: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (expected, got)

    @property
    def complete_and_clean(self) -> bool:
        return not self.missing and not self.present


@dataclass
class EvalReport:
    items: list[ItemResult]

    @property
    def share(self) -> float:
        return sum(i.complete_and_clean for i in self.items) / len(self.items) if self.items else 0.0

    def accuracy(self, name: str) -> float:
        return sum(name not in i.wrong for i in self.items) / len(self.items) if self.items else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": len(self.items),
            "complete_and_clean": sum(i.complete_and_clean for i in self.items),
            "share": round(self.share, 4),
            "accuracy": {k: round(self.accuracy(k), 4) for k in ("assignee", "department", "deadline", "client")},
            "failures": [
                {
                    "id": i.id,
                    "missing": i.missing,
                    "present": i.present,
                    "wrong": {k: list(v) for k, v in i.wrong.items()},
                }
                for i in self.items
                if not i.complete_and_clean or i.wrong
            ],
        }


def _norm(text: str) -> str:
    return text.lower().replace("ё", "е")


def fact_present(fact: str, text: str) -> bool:
    if _norm(fact) in _norm(text):
        return True
    wanted = _norm(fact).split()
    tokens = [t for t in tokenize(text) if t.is_word or t.text.isdigit()]
    forms = [(_norm(t.text), t.lemma) for t in tokens]
    for start in range(len(forms) - len(wanted) + 1):
        if all(forms[start + k][0].startswith(w) or forms[start + k][1].startswith(w) for k, w in enumerate(wanted)):
            return True
    return False


def load_items(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}, строка {n}: не JSON ({exc.msg})") from exc
    return items


async def evaluate(app: App, items: list[dict[str, Any]]) -> EvalReport:
    results = []
    for item in items:
        today = date.fromisoformat(item.get("today") or app.clock.today().isoformat())
        now = datetime.combine(today, WORKDAY_MORNING, app.clock.tz)
        async with app.uow() as uow:
            directory = await load_directory(uow)
            e = extract(item["request"], directory, today)
            draft = await draft_brief(app, uow, e, directory, now=now)
        expect = item.get("expect", {})
        result = ItemResult(str(item.get("id")), item["request"], draft.text)
        result.missing = [f for f in expect.get("must_have", []) if not fact_present(f, draft.text)]
        result.present = [f for f in expect.get("must_not", []) if _norm(f) in _norm(draft.text)]
        got = {
            "assignee": e.assignee_id,
            "department": draft.department,
            "deadline": e.deadline.isoformat() if e.deadline else None,
            "client": e.client_id,
        }
        wanted = {"assignee": expect.get("assignee_id"), "department": expect.get("department"),
                  "deadline": expect.get("deadline"), "client": expect.get("client_id")}  # fmt: skip
        for name, value in wanted.items():
            if name == "assignee" and value is None:
                continue  # a request to a department: any colleague of it, or none, is fine
            if got[name] != value:
                result.wrong[name] = (value, got[name])
        results.append(result)
    return EvalReport(results)
