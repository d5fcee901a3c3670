"""A 429 or a dropped connection is retried within bounds, over real HTTP against the suite's Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import GetUpdates

from bot.observability import metrics
from bot.telegram.middlewares import update_work
from bot.telegram.retry import RetryMiddleware, RetryPolicy
from tests.fake_telegram import FakeTelegram
from tests.telegram.support import RecordedSleeps, production_bot, record_sleeps


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


def _value(counter: Any, *labels: str) -> float:
    return float(counter.labels(*labels)._value.get())


async def test_a_429_is_waited_out_and_the_message_goes_once(tg: FakeTelegram) -> None:
    bot = production_bot(tg)
    sleeps = record_sleeps(bot)
    retries_before = _value(metrics.TELEGRAM_RETRIES, "SendMessage", "flood")
    tg.flood("sendMessage", retry_after=7, times=2)
    try:
        await bot.send_message(42, "Карточка готова")
    finally:
        await bot.session.close()
    assert sleeps.pauses == [7.0, 7.0]
    assert [m.text for m in tg.sent] == ["Карточка готова"]
    assert [kind for kind, *_ in tg.faults_served] == ["flood", "flood"]
    assert _value(metrics.TELEGRAM_RETRIES, "SendMessage", "flood") == retries_before + 2


async def test_a_dropped_connection_is_retried_with_a_growing_pause(tg: FakeTelegram) -> None:
    bot = production_bot(tg)
    sleeps = record_sleeps(bot)
    tg.drop("sendMessage", times=3)
    try:
        await bot.send_message(42, "Дошло")
    finally:
        await bot.session.close()
    assert sleeps.pauses == [0.5, 1.0, 2.0]
    assert [m.text for m in tg.sent] == ["Дошло"]


async def test_retries_are_bounded_in_attempts(tg: FakeTelegram) -> None:
    bot = production_bot(tg)
    sleeps = record_sleeps(bot)
    gave_up_before = _value(metrics.TELEGRAM_GAVE_UP, "SendMessage", "network")
    tg.drop("sendMessage", times=10)
    try:
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(42, "Не дойдёт")
    finally:
        await bot.session.close()
    assert len(tg.faults_served) == RetryPolicy().attempts
    assert len(sleeps.pauses) == RetryPolicy().attempts - 1
    assert not tg.sent
    assert _value(metrics.TELEGRAM_GAVE_UP, "SendMessage", "network") == gave_up_before + 1


async def test_a_wait_beyond_the_budget_is_not_waited_for(tg: FakeTelegram) -> None:
    bot = production_bot(tg)
    sleeps = record_sleeps(bot, RetryPolicy(max_wait=10.0))
    tg.flood("sendMessage", retry_after=6, times=5)
    try:
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(42, "Слишком долго ждать")
    finally:
        await bot.session.close()
    assert sleeps.pauses == [6.0]  # 6 s fits the 10 s budget once; a second 6 s would not
    assert len(tg.faults_served) == 2


async def test_the_update_is_committed_once_however_many_tries(tg: FakeTelegram) -> None:
    """Commit-before-reply wraps the retries: the work is committed once, before the first try."""
    journal: list[str] = []

    class _Session:
        def in_transaction(self) -> bool:
            return "commit" not in journal

    class _Uow:
        session = _Session()

        async def commit(self) -> None:
            journal.append("commit")

    bot = production_bot(tg)
    record_sleeps(bot)
    tg.flood("sendMessage", times=2)
    try:
        with update_work(_Uow()):  # type: ignore[arg-type]
            await bot.send_message(42, "Сохранено")
    finally:
        await bot.session.close()
    assert journal == ["commit"]
    assert len(tg.faults_served) == 2 and [m.text for m in tg.sent] == ["Сохранено"]


async def test_long_polling_is_left_to_aiogram() -> None:
    calls: list[str] = []

    async def make_request(bot: Any, method: Any) -> Any:
        calls.append(type(method).__name__)
        raise TelegramNetworkError(method=method, message="down")

    sleeps = RecordedSleeps()
    with pytest.raises(TelegramNetworkError):
        await RetryMiddleware(sleep=sleeps)(make_request, None, GetUpdates())  # type: ignore[arg-type]
    assert calls == ["GetUpdates"] and not sleeps.pauses
