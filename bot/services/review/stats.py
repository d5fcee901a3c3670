"""Quality of the bot's suggestions as supervisors judged them, for a period, grouped by manager, client type,
situation and engine; and the weekly digest to supervisors.

- acceptance rate = (approved + edited) / decided; pending and never-submitted suggestions are not in the base;
- edit distance = mean normalised Levenshtein distance between the suggested and the final text over accepted
  suggestions (0 — taken as is, 1 — rewritten entirely); rejected ones have no final text to compare;
- time to review = from submission to decision (median and mean, hours).
A suggestion belongs to the period in which it was submitted (never-submitted ones: when it was created).
A supervisor sees the authors they review (bot/services/review/team.py); admins see everyone.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import partial

from rapidfuzz.distance import Levenshtein

from bot.domain import Role, situation_name, type_name
from bot.services.common import charts
from bot.services.common.access import AccessService, Principal
from bot.services.common.notify import Notices
from bot.services.common.once import Outcome, deliver_once
from bot.services.common.periods import Period, previous_week
from bot.services.review.team import Team, role_holders
from storage.models import Suggestion
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
GROUPINGS: dict[str, str] = {
    "manager": "По менеджерам",
    "type": "По типам клиентов",
    "situation": "По ситуациям",
    "engine": "По движку",
}
MAX_GROUPS = 10  # bars per panel; the rest of the groups are still listed in the numbers
DIGEST_MARK = "weekly_digest"  # the audit action of a week done, and the job mark of one supervisor's digest


@dataclass
class Metrics:
    label: str
    total: int = 0
    submitted: int = 0
    pending: int = 0
    approved: int = 0
    edited: int = 0
    rejected: int = 0
    distances: list[float] = field(default_factory=list)
    review_hours: list[float] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.approved + self.edited + self.rejected

    @property
    def acceptance(self) -> float | None:
        return (self.approved + self.edited) / self.decided if self.decided else None

    @property
    def mean_distance(self) -> float | None:
        return statistics.fmean(self.distances) if self.distances else None

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.review_hours) if self.review_hours else None

    @property
    def mean_hours(self) -> float | None:
        return statistics.fmean(self.review_hours) if self.review_hours else None

    def add(self, s: Suggestion) -> None:
        self.total += 1
        if s.submitted_at is None:
            return
        self.submitted += 1
        if s.status == "pending":
            self.pending += 1
        elif s.status in ("approved", "edited", "rejected"):
            setattr(self, s.status, getattr(self, s.status) + 1)
            if s.reviewed_at is not None:
                self.review_hours.append(max(0.0, (s.reviewed_at - s.submitted_at).total_seconds() / 3600))
            if s.status != "rejected":
                self.distances.append(Levenshtein.normalized_distance(s.text.strip(), (s.final_text or s.text).strip()))


@dataclass(frozen=True, slots=True)
class WeeklyStats:
    """Notice to a supervisor: last week's figures, with the chart already drawn."""

    report: StatsReport
    png: bytes


@dataclass
class StatsReport:
    period: Period
    overall: Metrics
    groups: dict[str, list[Metrics]]
    corrections: int = 0

    @property
    def empty(self) -> bool:
        return self.overall.total == 0


def compute(period: Period, rows: Iterable[Suggestion], author_names: dict[int, str]) -> StatsReport:
    """Pure computation (no database), so the figures can be tested on hand-made rows."""
    keys: dict[str, Callable[[Suggestion], str]] = {
        "manager": lambda s: "без автора" if s.author_id is None else author_names.get(s.author_id, str(s.author_id)),
        "type": lambda s: type_name(s.behaviour_type),
        "situation": lambda s: situation_name(s.situation),
        "engine": lambda s: "LLM" if s.engine == "llm" else "офлайн",
    }
    overall = Metrics("Всего")
    buckets: dict[str, dict[str, Metrics]] = {name: {} for name in GROUPINGS}
    for s in rows:
        overall.add(s)
        for name, key in keys.items():
            label = key(s)
            buckets[name].setdefault(label, Metrics(label)).add(s)
    groups = {name: sorted(b.values(), key=lambda m: (-m.total, m.label)) for name, b in buckets.items()}
    return StatsReport(period, overall, groups)


def chart(report: StatsReport) -> bytes:
    """The PNG of a report (CPU-bound: from async code use `charts.draw_async(chart, report)`)."""
    panels = [
        charts.Panel(
            title,
            [
                charts.BarRow(m.label, m.approved, m.edited, m.rejected, m.pending, m.acceptance)
                for m in report.groups[name][:MAX_GROUPS]
            ],
        )
        for name, title in GROUPINGS.items()
    ]
    return charts.stats_chart(f"Проверка предложений бота: {report.period.label}", panels)


@dataclass
class QualityStats:
    """Quality figures and the weekly digest, with their named dependencies: the role table (who sees whose work),
    the company's time zone and the digest hour."""

    access: AccessService
    tz: tzinfo
    digest_hour: int

    async def collect(self, uow: UnitOfWork, principal: Principal, period: Period) -> StatsReport:
        start, end = period.bounds(self.tz)
        team = Team(self.access, uow)
        rows = [s for s in await uow.review.in_period(start, end) if await team.covers(principal, s.author_id)]
        names = {s.author_id: await team.name(s.author_id) for s in rows if s.author_id is not None}
        report = compute(period, rows, names)
        report.corrections = len(await uow.review.corrections_of(s.id for s in rows))
        return report

    async def digest_tick(self, uows: UnitOfWorkFactory, notices: Notices, now: datetime) -> int:
        """Once a week (Monday from DIGEST_HOUR, or later that week if the bot was down), last week's figures to
        every supervisor who had anything to review. Each supervisor's digest has its own job mark, so a tick after
        a failure sends only the missing ones; the audit log remembers that the whole week's digest went out, and
        later ticks stop at that. (The digest is a chart and its figures: if the chart went and the figures failed
        after their retries, the next tick sends both again — the one case of a second chart.)"""
        local = now.astimezone(self.tz)
        if local.weekday() == 0 and local.hour < self.digest_hour:
            return 0
        year, week, _ = local.isocalendar()
        mark = f"{year}-W{week:02d}"
        sent = 0
        async with uows() as uow:
            if await uow.review.marker_exists(DIGEST_MARK, mark):
                return 0
            period = previous_week(local.date())
            failed = False
            for user_id in await role_holders(self.access, uow, Role.SUPERVISOR):
                roles = frozenset(await self.access.roles_of(uow, user_id))
                person = Principal(user_id, await Team(self.access, uow).name(user_id), roles, None)
                report = await self.collect(uow, person, period)
                if report.empty:
                    continue
                png = await charts.draw_async(chart, report)
                send = partial(notices.notify, user_id, WeeklyStats(report, png))
                outcome = await deliver_once(uow, DIGEST_MARK, user_id, mark, send)
                sent += outcome is Outcome.SENT
                failed |= outcome is Outcome.FAILED
            if not failed:  # otherwise the next tick sends what is missing (the marks keep the rest from a second copy)
                await uow.audit.record(DIGEST_MARK, actor_id=None, object_ref=mark, details={"sent": sent})
        return sent
