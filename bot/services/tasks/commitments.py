"""Departments' service commitments (knowledge/service_commitments.yaml) and the one that fits a request.

A commitment is matched by keyword lemmas: the file lists lemmas, the request is lemmatised, and the commitment
sharing the most lemmas with the deliverable (counted twice) and the rest of the request wins. The file is re-read
when it changes, so an admin's edit applies without a restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.nlp.text import lemmas

log = logging.getLogger(__name__)
COMMITMENTS_FILE = Path("knowledge") / "service_commitments.yaml"
WORKDAY_START, WORKDAY_END = time(9, 0), time(18, 0)


@dataclass(frozen=True, slots=True)
class Commitment:
    id: str
    department: str
    what: str
    lead_time: str
    lead_time_hours: float
    standard: str
    needs_from_requester: tuple[str, ...]
    keywords: frozenset[str]


@dataclass(frozen=True, slots=True)
class Commitments:
    by_department: dict[str, tuple[Commitment, ...]]
    department_names: dict[str, str]
    working_day_hours: float = 8.0

    def match(self, department: str | None, deliverable: str, context: str = "") -> Commitment | None:
        if not department:
            return None
        main = set(lemmas(deliverable))
        rest = set(lemmas(context)) - main
        best, best_score = None, 0.0
        for commitment in self.by_department.get(department, ()):
            score = 2 * len(main & commitment.keywords) + len(rest & commitment.keywords)
            if score > best_score:
                best, best_score = commitment, score
        return best if best_score >= 2 else None


_cache: dict[Path, tuple[float, Commitments]] = {}


def load_commitments(project_root: Path) -> Commitments:
    path = project_root / COMMITMENTS_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return Commitments({}, {})
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        loaded = _parse(data)
    except (yaml.YAMLError, OSError, TypeError, ValueError, AttributeError) as exc:
        log.warning("service commitments not loaded: %s", exc)
        loaded = Commitments({}, {})
    _cache[path] = (mtime, loaded)
    return loaded


def _parse(data: dict[str, Any]) -> Commitments:
    by_department: dict[str, tuple[Commitment, ...]] = {}
    names: dict[str, str] = {}
    for dept in data.get("departments") or []:
        dept_id = str(dept["id"])
        names[dept_id] = str(dept.get("name") or dept_id)
        items = []
        for c in dept.get("commitments") or []:
            items.append(
                Commitment(
                    id=str(c["id"]),
                    department=dept_id,
                    what=str(c.get("what", "")).strip(),
                    lead_time=str(c.get("lead_time", "")).strip(),
                    lead_time_hours=float(c.get("lead_time_hours") or 0),
                    standard=" ".join(str(c.get("standard", "")).split()),
                    needs_from_requester=tuple(str(n).strip() for n in c.get("needs_from_requester") or []),
                    keywords=frozenset(str(k).lower().replace("ё", "е") for k in c.get("keywords") or []),
                )
            )
        by_department[dept_id] = tuple(items)
    return Commitments(by_department, names, float(data.get("working_day_hours") or 8))


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours (9–18 on weekdays) from `start` to `end`: is the deadline shorter than the commitment?"""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.date()
    while day <= end.date() and total < 1000:
        if day.weekday() < 5:
            open_at = datetime.combine(day, WORKDAY_START, start.tzinfo)
            close_at = datetime.combine(day, WORKDAY_END, start.tzinfo)
            lo, hi = max(open_at, start), min(close_at, end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
    return total


def shorter_than_commitment(
    commitment: Commitment, now: datetime, deadline: date, deadline_time: time | None, working_day_hours: float
) -> bool:
    due = datetime.combine(deadline, deadline_time or WORKDAY_END, now.tzinfo)
    available = working_hours_between(now, due)
    needed = commitment.lead_time_hours * (9.0 / working_day_hours if working_day_hours else 1.0)
    return needed > 0 and available + 0.01 < needed
