"""The frozen blind sets of task requests (datasets/tasks_blind): one half at a time, each writer's colleague
directory imported into a fresh database, «today» taken from the request, and the brief written out for a blind
reader together with automatic counts (a guide only — the measure is the reading).

Only the requested half is ever read: the tuning half is the odd ids (d01, d03 …), the report half the even ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from bot.services.tasks.answers import resolve_assignee
from bot.services.tasks.directory import load_directory
from bot.services.tasks.drafting import TaskDrafter
from bot.services.tasks.evaluation import WORKDAY_MORNING, _norm, fact_present
from bot.services.tasks.extraction import extract
from bot.services.tasks.flow import ASSIGNEE_QUESTION
from bot.services.tasks.vague import vague_question
from storage.models import Colleague
from storage.uow import UnitOfWorkFactory

HALVES = {"tune": 1, "report": 0}
_ID_NUMBER = re.compile(r"(\d+)$")


def read_half(folder: Path, half: str) -> dict[str, list[dict[str, Any]]]:
    """Items of one half, by writer file (writer_d.jsonl …); lines of the other half are skipped unparsed."""
    if half not in HALVES:
        raise ValueError(f"половина набора: tune или report, а не «{half}»")
    by_writer: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob("writer_*.jsonl")):
        kept = []
        for line in path.read_text(encoding="utf-8").splitlines():
            # The id is read before the line is parsed, so the other half is never loaded.
            head = re.match(r'\{"id":\s*"([^"]+)"', line)
            if not head:
                continue
            number = _ID_NUMBER.search(head.group(1))
            if number and int(number.group(1)) % 2 == HALVES[half]:
                kept.append(json.loads(line))
        by_writer[path.stem] = kept
    return by_writer


@dataclass
class BlindResult:
    id: str
    request: str
    to: str
    directory: list[dict[str, Any]]
    text: str
    question: str | None
    counts: dict[str, Any] = field(default_factory=dict)
    # The flow asks whom of several colleagues a name means; the requester's pick is simulated with the person the
    # writer meant, and the reader sees the question and the pick beside the brief.
    picked: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "request": self.request,
            "to": self.to,
            "directory_excerpt": self.directory,
            "brief": self.text,
            "question": self.question,
            "picked": self.picked,
            "counts": self.counts,
        }


async def seed_colleagues(uows: UnitOfWorkFactory, colleagues: list[dict[str, Any]]) -> None:
    """The writer's directory as colleague rows. Written directly rather than through the CRM import, whose closed
    list of department ids the free-text departments (issue 16) do not fit yet."""
    async with uows() as uow:
        for c in colleagues:
            uow.session.add(
                Colleague(
                    id=c["id"],
                    name=c["name"],
                    department=c["department"],
                    telegram_username=c.get("telegram_username"),
                    type=c.get("type"),
                    type_source="import",
                    motivation=c.get("motivation") or "",
                )
            )


async def run_items(
    uows: UnitOfWorkFactory,
    drafter: TaskDrafter,
    tz: tzinfo,
    items: list[dict[str, Any]],
    colleagues: list[dict[str, Any]],
) -> list[BlindResult]:
    """Draft every item against a database that already holds this writer's directory."""
    rows = {c["id"]: c for c in colleagues}
    results = []
    for item in items:
        today = date.fromisoformat(item["today"])
        now = datetime.combine(today, WORKDAY_MORNING, tz)
        async with uows() as uow:
            directory = await load_directory(uow)
            e = extract(item["request"], directory, today)
            ids, department = resolve_assignee(item.get("to") or "", directory)
            if len(ids) == 1:
                e.assignee_id, e.candidates, e.department = ids[0], [], directory.colleagues[ids[0]].department
            elif department and not e.assignee_id:
                e.department = department
            expected = item.get("expect", {}).get("assignee_id")
            picked = None
            if e.assignee_id is None and (choice := [*e.candidates] or (ids if len(ids) > 1 else [])):
                names = " / ".join(directory.colleagues[k].name for k in choice)
                if expected in choice:  # the requester answers the flow's «кому из коллег?» with the one they meant
                    e.assignee_id, e.candidates = expected, []
                    e.department = directory.colleagues[expected].department
                    picked = f"{ASSIGNEE_QUESTION} {names} — выбран(а): {directory.colleagues[expected].name}"
            e.co_executor_ids = [i for i in e.co_executor_ids if i != e.assignee_id]
            question = vague_question(e, directory)
            draft = None if question else await drafter.draft_brief(uow, e, directory, now=now)
        text = draft.text if draft else ""
        shown = question or text
        expect = item.get("expect", {})
        people = [i for i in [e.assignee_id, *e.co_executor_ids] if i] + [
            i for i in [expect.get("assignee_id"), *expect.get("co_executor_ids", [])] if i
        ]
        counts = {
            "must_contain": [f for f in expect.get("must_contain", []) if fact_present(f, shown)],
            "must_contain_total": len(expect.get("must_contain", [])),
            "must_not_leaks": [f for f in expect.get("must_not", []) if _leaks(f, shown)],
            "deadline": {"expected": expect.get("deadline"), "got": e.deadline.isoformat() if e.deadline else None},
            "assignee": {"expected": expect.get("assignee_id"), "got": e.assignee_id},
            "co_executors": {"expected": sorted(expect.get("co_executor_ids", [])), "got": sorted(e.co_executor_ids)},
            "vague": {"expected": bool(expect.get("vague")), "got": question is not None},
        }
        excerpt = [rows[i] for i in dict.fromkeys(people) if i in rows]
        results.append(
            BlindResult(item["id"], item["request"], item.get("to", ""), excerpt, text, question, counts, picked)
        )
    return results


def _leaks(fragment: str, shown: str) -> bool:
    """The fragment as whole words («Марин» is not a leak inside «Марина Юрьевна»)."""
    return bool(re.search(rf"(?<![\w-]){re.escape(_norm(fragment))}(?![\w-])", _norm(shown)))


def summary(results: list[BlindResult]) -> dict[str, Any]:
    def share(hits: int, total: int) -> float:
        return round(hits / total, 4) if total else 0.0

    n = len(results)
    contain = sum(len(r.counts["must_contain"]) for r in results)
    contain_total = sum(r.counts["must_contain_total"] for r in results)
    with_deadline = [r for r in results if not r.counts["vague"]["expected"]]
    with_assignee = [r for r in results if r.counts["assignee"]["expected"]]
    return {
        "items": n,
        "must_contain": share(contain, contain_total),
        "must_not_leaks": sum(len(r.counts["must_not_leaks"]) for r in results),
        "items_with_leaks": [r.id for r in results if r.counts["must_not_leaks"]],
        "deadline": share(
            sum(r.counts["deadline"]["expected"] == r.counts["deadline"]["got"] for r in with_deadline),
            len(with_deadline),
        ),
        "assignee": share(
            sum(r.counts["assignee"]["expected"] == r.counts["assignee"]["got"] for r in with_assignee),
            len(with_assignee),
        ),
        "co_executors": share(
            sum(r.counts["co_executors"]["expected"] == r.counts["co_executors"]["got"] for r in results), n
        ),
        "vague": share(sum(r.counts["vague"]["expected"] == r.counts["vague"]["got"] for r in results), n),
    }


def markdown(results: list[BlindResult], half: str) -> str:
    """What the blind reader sees: the request, the directory excerpt and the brief — no expectations."""
    lines = [f"# Task briefs, blind set, half «{half}»", ""]
    for r in results:
        lines += [f"## {r.id}", "", f"**Кому:** {r.to}", "", "**Запрос:**", "", f"> {r.request}", ""]
        if r.directory:
            lines += ["**Справочник (выдержка):**", ""]
            for c in r.directory:
                lines.append(
                    f"- {c['name']} — {c['department']}; тип: {c.get('type') or 'не определён'}; "
                    f"{c.get('motivation') or ''}".rstrip("; ")
                )
            lines.append("")
        if r.picked:
            lines += ["**Бот уточнил у запросившего:**", "", r.picked, ""]
        if r.question:
            lines += ["**Вопрос запросившему вместо задачи:**", "", r.question, ""]
        else:
            lines += ["**Задача:**", "", "```", r.text, "```", ""]
    return "\n".join(lines)
