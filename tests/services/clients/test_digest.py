"""The morning digest: promises due today and overdue, grouped by the owning manager, sent once a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.services.clients import call_log, digest
from bot.services.clients.call_log import PromiseDraft
from bot.services.common.notify import OutboxNotifier
from bot.telegram.client_keyboards import PromiseCb
from tests.services.clients.support import M1, M2, NOW, demo_app, principal


async def test_each_manager_gets_their_clients_promises_once_a_day(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            client = await uow.clients.get("cl01")
            assert client is not None
            await call_log.add_promises(app, uow, m1, client, [PromiseDraft("Позвонить Ладыгину", NOW.date())])
            await call_log.add_promises(app, uow, m1, client, [PromiseDraft("Через неделю", NOW.date() + timedelta(7))])
        outbox = OutboxNotifier()
        report = await digest.run_tick(app, outbox, NOW)

        # m1's overdue: СеверТрансСервис (20 Oct) and Новый Квартал (20 Nov); today: the new call. m2: Вектор (20 Nov).
        assert report.sent == {M1: 3, M2: 1}
        by_user = {m.user_id: m for m in outbox.sent}
        first = by_user[M1].html
        assert "Просрочено" in first and "Копия страхового полиса" in first and "срок был 20 октября" in first
        assert "Сегодня" in first and "Позвонить Ладыгину" in first
        assert "Через неделю" not in first and "Письмо о фиксации цен" not in first  # not due / not theirs
        assert "Письмо о фиксации цен" in by_user[M2].html
        # The buttons mark promises kept through the call-log router: the layout must unpack as PromiseCb.
        buttons = by_user[M1].buttons or []
        assert len(buttons) == 3
        assert all(PromiseCb.unpack(row[0][1]).action == "kept" for row in buttons)

        again = await digest.run_tick(app, OutboxNotifier(), NOW + timedelta(hours=2))
        assert again.sent == {} and sorted(again.skipped) == [M1, M2]
        tomorrow = await digest.run_tick(app, OutboxNotifier(), NOW + timedelta(days=1))
        assert set(tomorrow.sent) == {M1, M2}
    finally:
        await app.close()


async def test_clients_of_unbound_managers_are_reported_not_lost(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        async with app.uow() as uow:
            user = await uow.users.get(M2)
            assert user is not None
            user.crm_key = None  # m2 is not bound to anyone any more
        report = await digest.run_tick(app, OutboxNotifier(), NOW)
        assert set(report.sent) == {M1} and "cl02" in report.unowned
    finally:
        await app.close()


def test_next_run_is_the_next_digest_hour() -> None:
    msk = ZoneInfo("Europe/Moscow")
    assert digest.next_run(datetime(2026, 11, 23, 8, 0, tzinfo=msk), 9) == datetime(2026, 11, 23, 9, 0, tzinfo=msk)
    assert digest.next_run(datetime(2026, 11, 23, 9, 0, tzinfo=msk), 9) == datetime(2026, 11, 24, 9, 0, tzinfo=msk)
    assert digest.next_run(datetime(2026, 11, 23, 10, 0, tzinfo=msk), 9).date() == date(2026, 11, 24)


async def test_once_a_day_holds_whatever_the_real_clock_says(tmp_path: Path) -> None:
    """The tick's own clock decides (a scheduled job, a test, a machine whose clock differs from the database's):
    the second tick of the same day is skipped both when that clock is days behind the real one and days ahead."""
    real_now = datetime.now(ZoneInfo("Europe/Moscow"))
    for shift in (timedelta(days=-30), timedelta(days=3)):
        app = await demo_app(tmp_path / f"shift{shift.days}")
        try:
            now = (real_now + shift).replace(hour=9, minute=0)
            first = await digest.run_tick(app, OutboxNotifier(), now)
            assert first.sent, shift  # the demo always has overdue promises
            again = await digest.run_tick(app, OutboxNotifier(), now + timedelta(hours=5))
            assert again.sent == {} and sorted(again.skipped) == sorted(first.sent), shift
        finally:
            await app.close()
