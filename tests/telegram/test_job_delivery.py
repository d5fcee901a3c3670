"""Background jobs through Telegram faults: once per (job, person, period), and one failure skips no one.

The jobs send through the production bot (retry middleware included) to the suite's Bot API server, which drops the
connection of chosen requests (more times than the retries allow: a failure for good in that tick) or answers 429.
A later tick sends what failed and nothing twice. The retries' pauses are recorded, not waited out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot

from bot.app import App
from bot.presenters.notices import RenderedNotices
from bot.services.common.once import Outcome, deliver_once
from bot.services.tasks.followup import run_tick
from bot.telegram.notifier import TelegramNotifier
from bot.telegram.retry import RetryPolicy
from tests.fake_telegram import FakeTelegram
from tests.telegram.support import production_bot, record_sleeps

FOR_GOOD = RetryPolicy().attempts  # drops that outlast every retry of one request


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    bot = production_bot(tg)
    record_sleeps(bot)
    yield bot
    await bot.session.close()


def _notices(bot: Bot, app: App) -> RenderedNotices:
    """What the running bot hands its jobs: notices rendered and sent through Telegram."""
    return RenderedNotices(TelegramNotifier(bot), app.clock.tz)


def _to(tg: FakeTelegram, chat_id: int, method: str = "sendMessage", containing: str = "") -> int:
    return len([m for m in tg.sent if m.chat_id == chat_id and m.method == method and containing in m.text])


# The morning digest, on SQLite and PostgreSQL ---------------------------------------------------------------------
@pytest.mark.parametrize("failing_first", [True, False], ids=["failure-first", "failure-last"])
async def test_morning_digest_skips_no_one_after_a_failure_and_never_sends_twice(
    db_url: str, tmp_path: Path, tg: FakeTelegram, bot: Bot, failing_first: bool
) -> None:
    from tests.services.clients.support import M1, M2, NOW, demo_app

    failing, other = (M1, M2) if failing_first else (M2, M1)  # managers are served in id order
    app = await demo_app(tmp_path, database_url=db_url)
    try:
        notices, digest = _notices(bot, app), app.services.promise_digest
        tg.drop("sendMessage", chat_id=failing, times=FOR_GOOD)
        tg.flood("sendMessage", chat_id=other, retry_after=3)  # waited out, then delivered once
        first = await digest.run_tick(notices, NOW)
        assert first.failed == [failing] and list(first.sent) == [other]
        assert (_to(tg, failing), _to(tg, other)) == (0, 1)

        second = await digest.run_tick(notices, NOW + timedelta(minutes=5))
        assert list(second.sent) == [failing] and second.skipped == [other]
        assert (_to(tg, M1), _to(tg, M2)) == (1, 1)
        third = await digest.run_tick(notices, NOW + timedelta(hours=2))
        assert third.sent == {} and sorted(third.skipped) == [M1, M2]
        assert (_to(tg, M1), _to(tg, M2)) == (1, 1)
    finally:
        await app.close()


async def test_two_instances_claiming_the_same_message_send_it_once(db_url: str, tmp_path: Path) -> None:
    """The mark is a unique row: two ticks at the same moment (two instances) cannot both win it."""
    from tests.services.clients.support import demo_app

    app = await demo_app(tmp_path, database_url=db_url)
    sent: list[str] = []

    async def send() -> bool:
        sent.append("digest")
        await asyncio.sleep(0.05)
        return True

    async def one_instance() -> Outcome:
        async with app.uow() as uow:
            return await deliver_once(uow, "morning_digest", 42, "2026-11-23", send)

    try:
        outcomes = await asyncio.gather(one_instance(), one_instance())
    finally:
        await app.close()
    assert sorted(outcomes) == sorted([Outcome.SENT, Outcome.ALREADY]) and sent == ["digest"]


# Review reminders and the weekly digest -------------------------------------------------------------------------
@pytest.fixture
async def review_app(tmp_path: Path) -> AsyncIterator[App]:
    from tests.services.review.support import make_app

    app = await make_app(tmp_path)
    yield app
    await app.close()


async def test_review_reminder_reaches_the_other_reviewer_and_the_failed_one_later_once(
    review_app: App, tg: FakeTelegram, bot: Bot
) -> None:
    from bot.services.common.notify import OutboxNotifier
    from tests.services.review.support import LEAD, LEAD_2, MANAGER, NOW, add_suggestion, principal
    from tests.support.notices import rendered

    reviews = review_app.services.reviews
    sid = await add_suggestion(review_app)
    async with review_app.uow() as uow:
        await reviews.submit(uow, rendered(OutboxNotifier()), await principal(review_app, MANAGER), sid, NOW)
    notices = _notices(bot, review_app)
    late = NOW + timedelta(hours=review_app.settings.review_reminder_hours + 0.1)

    tg.drop("sendMessage", chat_id=LEAD, times=FOR_GOOD)
    assert await reviews.remind_tick(review_app.uow, notices, late) == 1
    assert (_to(tg, LEAD, containing="Напоминание"), _to(tg, LEAD_2, containing="Напоминание")) == (0, 1)

    assert await reviews.remind_tick(review_app.uow, notices, late + timedelta(minutes=5)) == 1
    assert await reviews.remind_tick(review_app.uow, notices, late + timedelta(minutes=10)) == 0
    assert (_to(tg, LEAD, containing="Напоминание"), _to(tg, LEAD_2, containing="Напоминание")) == (1, 1)


async def test_weekly_digest_sends_only_what_is_missing_after_a_failure(
    review_app: App, tg: FakeTelegram, bot: Bot
) -> None:
    from tests.services.review.support import LEAD, LEAD_2, MANAGER, NOW
    from tests.services.review.test_stats import _reviewed

    await _reviewed(review_app, MANAGER, NOW - timedelta(days=5), "approved")  # last week
    notices, stats = _notices(bot, review_app), review_app.services.quality_stats
    tg.drop("sendPhoto", chat_id=LEAD, times=FOR_GOOD)  # LEAD's digest fails (the chart goes first)
    assert await stats.digest_tick(review_app.uow, notices, NOW) == 1
    assert (_to(tg, LEAD, "sendPhoto"), _to(tg, LEAD_2, "sendPhoto")) == (0, 1)
    assert (_to(tg, LEAD, containing="Итоги недели"), _to(tg, LEAD_2, containing="Итоги недели")) == (0, 1)

    assert await stats.digest_tick(review_app.uow, notices, NOW + timedelta(minutes=5)) == 1  # the missing one
    assert await stats.digest_tick(review_app.uow, notices, NOW + timedelta(minutes=10)) == 0  # the week is done
    for lead in (LEAD, LEAD_2):
        assert (_to(tg, lead, "sendPhoto"), _to(tg, lead, containing="Итоги недели")) == (1, 1)


# Task follow-through ----------------------------------------------------------------------------------------------
async def test_task_reminder_and_overdue_notice_are_retried_once_each(
    tmp_path: Path, tg: FakeTelegram, bot: Bot
) -> None:
    from bot.services.common.notify import OutboxNotifier
    from tests.services.tasks.support import MSK, NOW, REQUESTER, demo_app, requester
    from tests.support.notices import rendered

    anna = 5003  # Анна Гончарова (c03) in Telegram
    app = await demo_app(tmp_path)
    try:
        async with app.uow() as uow:
            await uow.users.touch(anna, "anna_goncharova_log", "Анна")
        me = await requester(app)
        async with app.uow() as uow:
            request = "Гончаровой: завтра до 15:00 подтвердить отгрузку для Кедра"
            step = await app.services.task_flow.start(uow, me, request)
            assert step.task is not None
            sent = await app.services.task_delivery.send(uow, rendered(OutboxNotifier()), step.task.id, me, NOW)
            assert sent.delivered
        notices = _notices(bot, app)

        def at(hour: int, minute: int) -> datetime:
            return datetime(2026, 11, 24, hour, minute, tzinfo=MSK)

        tg.drop("sendMessage", chat_id=anna, times=FOR_GOOD)
        assert (await run_tick(app.uow, notices, at(12, 5))).reminders == 0  # failed for good this tick
        assert (await run_tick(app.uow, notices, at(12, 6))).reminders == 1
        assert (await run_tick(app.uow, notices, at(12, 7))).reminders == 0
        assert _to(tg, anna, containing="Напоминание") == 1

        tg.drop("sendMessage", chat_id=REQUESTER, times=FOR_GOOD)  # the notice to the requester fails
        assert (await run_tick(app.uow, notices, at(15, 30))).overdue_questions == 0
        assert (await run_tick(app.uow, notices, at(15, 31))).overdue_questions == 1
        assert (await run_tick(app.uow, notices, at(15, 32))).overdue_questions == 0
        assert _to(tg, anna, containing="что помешало") == 1  # the colleague is asked once
        assert _to(tg, REQUESTER) == 1  # and the requester is told once
    finally:
        await app.close()
