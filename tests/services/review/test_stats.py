"""Quality statistics: the figures on hand-made rows, visibility and periods on a real database, the chart, the
period parser and the weekly digest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.presenters import stats as present
from bot.services.common.notify import OutboxNotifier
from bot.services.common.periods import Period, PeriodError, parse_period, previous_week
from bot.services.review import decisions as review
from bot.services.review import stats
from storage.models import Suggestion
from tests.services.review.support import (
    ADMIN,
    LEAD,
    LEAD_2,
    MANAGER,
    MANAGER_2,
    NOW,
    add_suggestion,
    make_app,
    principal,
    set_lead,
)

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
PERIOD = Period(date(2026, 11, 16), date(2026, 11, 22))


def _row(author: int | None, status: str, *, text: str = "abcdefghij", final: str | None = None, hours: float = 1.0,
         type_: str = "emotional_confident", situation: str = "complaint", engine: str = "offline",
         submitted: bool = True) -> Suggestion:  # fmt: skip
    decided = status in ("approved", "edited", "rejected")
    return Suggestion(
        kind="reply", author_id=author, text=text, final_text=final, status=status, behaviour_type=type_,
        situation=situation, engine=engine, submitted_at=T0 if submitted else None,
        reviewed_at=T0 + timedelta(hours=hours) if decided else None, created_at=T0,
    )  # fmt: skip


def test_figures_overall_and_by_group() -> None:
    rows = [
        _row(MANAGER, "approved", final="abcdefghij", hours=1),
        _row(MANAGER, "edited", final="abcdefghXY", hours=3),  # 2 of 10 characters changed → 0.2
        _row(MANAGER, "rejected", hours=8, engine="llm"),
        _row(MANAGER_2, "edited", final="abcdeXXXXX", hours=2, type_="nonemotional_confident", situation="proposal"),
        _row(MANAGER_2, "pending"),
        _row(MANAGER_2, "new", submitted=False),
    ]
    report = stats.compute(PERIOD, rows, {MANAGER: "Мария", MANAGER_2: "Олег"})
    o = report.overall
    assert (o.total, o.submitted, o.decided, o.pending) == (6, 5, 4, 1)
    assert (o.approved, o.edited, o.rejected) == (1, 2, 1)
    assert o.acceptance == pytest.approx(0.75)
    assert o.mean_distance == pytest.approx((0.0 + 0.2 + 0.5) / 3)
    assert o.median_hours == pytest.approx(2.5) and o.mean_hours == pytest.approx(3.5)

    by_manager = {m.label: m for m in report.groups["manager"]}
    assert by_manager["Мария"].acceptance == pytest.approx(2 / 3)
    assert by_manager["Олег"].acceptance == 1.0 and by_manager["Олег"].total == 3
    by_engine = {m.label: m for m in report.groups["engine"]}
    assert by_engine["LLM"].acceptance == 0.0 and by_engine["офлайн"].decided == 3
    by_type = {m.label: m for m in report.groups["type"]}
    assert by_type["Эмоциональный уверенный"].decided == 3
    assert {m.label for m in report.groups["situation"]} == {"Жалоба", "Коммерческое предложение"}

    html = present.report_html(report)
    assert "Принято: <b>75%</b>" in html and "медиана 2 ч 30 мин" in html and "Мария: решено 3 из 3" in html
    assert stats.chart(report).startswith(b"\x89PNG")


def test_empty_period_says_so() -> None:
    report = stats.compute(PERIOD, [], {})
    assert report.empty and report.overall.acceptance is None
    assert "предложений не было" in present.report_html(report)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    app = await make_app(tmp_path)
    yield app
    await app.close()


async def _reviewed(app: App, author: int, submitted: datetime, decision: str, reviewer: int = ADMIN) -> int:
    sid = await add_suggestion(app, author_id=author)
    async with app.uow() as uow:
        await review.submit(app, uow, OutboxNotifier(), await principal(app, author), sid, submitted)
    async with app.uow() as uow:
        extra = {"final_text": "Другой текст ответа"} if decision == "edited" else {}
        extra |= {"comment": "не то"} if decision == "rejected" else {}
        await review.decide(app, uow, OutboxNotifier(), await principal(app, reviewer), sid, decision,
                            submitted + timedelta(hours=2), **extra)  # fmt: skip
    return sid


async def test_collect_respects_the_period_and_the_team(app: App) -> None:
    await set_lead(app, MANAGER, LEAD)
    await _reviewed(app, MANAGER, NOW - timedelta(days=2), "approved")
    await _reviewed(app, MANAGER_2, NOW - timedelta(days=1), "edited")
    await _reviewed(app, MANAGER_2, NOW - timedelta(days=40), "rejected")  # outside a 30-day window
    period = parse_period("30d", NOW.date())
    async with app.uow() as uow:
        admin_view = await stats.collect(app, uow, await principal(app, ADMIN), period)
        lead_view = await stats.collect(app, uow, await principal(app, LEAD), period)
        other_lead = await stats.collect(app, uow, await principal(app, LEAD_2), period)
    assert admin_view.overall.decided == 2 and admin_view.overall.acceptance == 1.0
    assert {m.label for m in admin_view.groups["manager"]} == {"Мария", "Олег"}
    assert lead_view.overall.decided == 2  # own team plus the authors who belong to no team
    assert {m.label for m in other_lead.groups["manager"]} == {"Олег"}  # Мария is in Сергей's team
    assert all(h == pytest.approx(2.0) for h in admin_view.overall.review_hours)


async def test_weekly_digest_once_a_week_from_the_digest_hour(app: App) -> None:
    await _reviewed(app, MANAGER, NOW - timedelta(days=5), "approved")  # last week (Wed 18.11)
    monday_early = NOW.replace(hour=app.settings.digest_hour - 1)
    outbox = OutboxNotifier()
    assert await stats.digest_tick(app, outbox, monday_early) == 0 and outbox.sent == []
    assert await stats.digest_tick(app, outbox, NOW) == 2  # a photo to each supervisor
    photos = [m for m in outbox.sent if m.png]
    assert {m.user_id for m in photos} == {LEAD, LEAD_2} and all(m.png and m.png[:4] == b"\x89PNG" for m in photos)
    assert any("Итоги недели" in m.html and "16.11.2026 — 22.11.2026" in m.html for m in outbox.sent)
    assert await stats.digest_tick(app, outbox, NOW + timedelta(hours=3)) == 0  # already sent this week
    assert await stats.digest_tick(app, OutboxNotifier(), NOW + timedelta(days=8)) == 0  # nothing happened last week


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("", date(2026, 10, 25), date(2026, 11, 23)),
        ("week", date(2026, 11, 17), date(2026, 11, 23)),
        ("month", date(2026, 11, 1), date(2026, 11, 23)),
        ("14d", date(2026, 11, 10), date(2026, 11, 23)),
        ("2026-11-01..2026-11-05", date(2026, 11, 1), date(2026, 11, 5)),
        ("2026-11-20", date(2026, 11, 20), date(2026, 11, 20)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    period = parse_period(text, date(2026, 11, 23))
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["вчера", "0d", "2026-11-05..2026-11-01", "2026-02-30", "2020-01-01..2026-01-01"])
def test_bad_periods_get_a_clear_message(text: str) -> None:
    with pytest.raises(PeriodError, match=r"Период|период|дат|дней|позже"):
        parse_period(text, date(2026, 11, 23))


def test_period_bounds_are_local_midnights_and_previous_week_is_monday_to_sunday() -> None:
    start, end = Period(date(2026, 11, 23), date(2026, 11, 23)).bounds(NOW.tzinfo)  # type: ignore[arg-type]
    assert start == datetime(2026, 11, 22, 21, 0, tzinfo=UTC) and end - start == timedelta(days=1)
    assert previous_week(date(2026, 11, 25)) == Period(date(2026, 11, 16), date(2026, 11, 22))


def test_chart_draws_names_with_formula_signs_as_text() -> None:
    report = stats.compute(PERIOD, [_row(MANAGER, "approved", final="abcdefghij")], {MANAGER: "$\\frac{Мария"})
    assert stats.chart(report).startswith(b"\x89PNG")
