"""Quality of the bot's suggestions as supervisors judged them, for a period, grouped by manager, client type,
situation and engine; and the weekly digest to supervisors.

- acceptance rate = (approved + edited) / decided; pending and never-submitted suggestions are not in the base;
- edit distance = mean normalised Levenshtein distance between the suggested and the final text over accepted
  suggestions (0 — taken as is, 1 — rewritten entirely); rejected ones have no final text to compare;
- time to review = from submission to decision (median and mean, hours).
A suggestion belongs to the period in which it was submitted (never-submitted ones: when it was created).
A supervisor sees the authors they review (bot/services/review_team.py); admins see everyone.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from bot.domain import Role
from bot.presenters import stats as present
from bot.presenters.review import situation_name, type_name
from bot.services.common import charts
from bot.services.common.access import Principal
from bot.services.common.notify import Notifier
from bot.services.common.periods import Period, previous_week
from bot.services.review.team import Team, role_holders
from storage.models import Suggestion
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
GROUPINGS: dict[str, str] = {
    "manager": "По менеджерам",
    "type": "По типам клиентов",
    "situation": "По ситуациям",
    "engine": "По движку",
}
MAX_GROUPS = 10  # bars per panel; the rest of the groups are still listed in the numbers
DIGEST_MARK = "weekly_digest"


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


async def collect(app: App, uow: UnitOfWork, principal: Principal, period: Period) -> StatsReport:
    start, end = period.bounds(app.settings.tz)
    team = Team(app, uow)
    rows = [s for s in await uow.review.in_period(start, end) if await team.covers(principal, s.author_id)]
    names = {s.author_id: await team.name(s.author_id) for s in rows if s.author_id is not None}
    report = compute(period, rows, names)
    report.corrections = len(await uow.review.corrections_of(s.id for s in rows))
    return report


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


async def digest_tick(app: App, notifier: Notifier, now: datetime) -> int:
    """Once a week (Monday from DIGEST_HOUR, or later that week if the bot was down), last week's figures to
    every supervisor who had anything to review. The audit log remembers that the week's digest went out."""
    local = now.astimezone(app.settings.tz)
    if local.weekday() == 0 and local.hour < app.settings.digest_hour:
        return 0
    year, week, _ = local.isocalendar()
    mark = f"{year}-W{week:02d}"
    sent = 0
    async with app.uow() as uow:
        if await uow.review.marker_exists(DIGEST_MARK, mark):
            return 0
        period = previous_week(local.date())
        for user_id in await role_holders(app, uow, Role.SUPERVISOR):
            roles = frozenset(await app.access.roles_of(uow, user_id))
            person = Principal(user_id, await Team(app, uow).name(user_id), roles, None)
            report = await collect(app, uow, person, period)
            if report.empty:
                continue
            png = await charts.draw_async(chart, report)
            sent += await notifier.send_photo(user_id, png, present.digest_caption(report))
            await notifier.send(user_id, present.report_html(report, title="Итоги недели"))
        await uow.audit.record(DIGEST_MARK, actor_id=None, object_ref=mark, details={"sent": sent})
    return sent
