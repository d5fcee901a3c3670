"""/start and /help for each role, a refused stranger, and role management — over real HTTP."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEntry
from tests.e2e.conftest import ADMIN, MANAGER, STAFF, STRANGER, SUPERVISOR, Harness
from tests.fake_telegram import TgUser


async def test_start_greets_each_role_with_its_commands(harness: Harness) -> None:
    (admin_reply,) = await harness.say(ADMIN, "/start")
    assert "Здравствуйте, Анна" in admin_reply.text
    assert "/roles" in admin_reply.text and "/review" in admin_reply.text

    (manager_reply,) = await harness.say(MANAGER, "/start")
    assert "менеджер" in manager_reply.text
    assert "/brief" in manager_reply.text and "/roles" not in manager_reply.text

    (lead_reply,) = await harness.say(SUPERVISOR, "/start")
    assert "/stats" in lead_reply.text

    (staff_reply,) = await harness.say(STAFF, "/help")
    assert "/task" in staff_reply.text and "/brief" not in staff_reply.text
    # The command menu was set at start.
    assert {c["command"] for c in harness.tg.commands} >= {"start", "help", "brief", "task"}


async def test_stranger_gets_their_id_and_nothing_else(harness: Harness) -> None:
    replies = await harness.say(STRANGER, "Здравствуйте, у нас задержка поставки, помогите!")
    assert len(replies) == 1
    assert str(STRANGER.id) in replies[0].text
    assert "администратор" in replies[0].text
    assert replies[0].reply_markup is None
    (again,) = await harness.say(STRANGER, "/brief Вектор")
    assert str(STRANGER.id) in again.text
    await harness.settled()
    async with harness.app.uow() as uow:
        rows = (await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "access_denied"))).all()
    assert [r.actor_id for r in rows] == [STRANGER.id, STRANGER.id]
    assert "задержка поставки" in rows[0].details["attempt"]


async def test_admin_grants_and_revokes_a_role(harness: Harness) -> None:
    newcomer = TgUser(4242, "Ирина", "irina")
    (refused,) = await harness.say(newcomer, "/start")
    assert "4242" in refused.text

    (granted,) = await harness.say(ADMIN, "/grant 4242 manager m1")
    assert "выдана" in granted.text
    (welcome,) = await harness.say(newcomer, "/start")
    assert "Здравствуйте, Ирина" in welcome.text and "менеджер" in welcome.text

    (not_admin,) = await harness.say(MANAGER, "/grant 4243 admin")
    assert "только администратор" in not_admin.text

    (revoked,) = await harness.say(ADMIN, "/revoke 4242 manager")
    assert "отозвана" in revoked.text
    (refused_again,) = await harness.say(newcomer, "/help")
    assert "4242" in refused_again.text

    (usage,) = await harness.say(ADMIN, "/grant кому-то что-то")
    assert "/grant ID РОЛЬ" in usage.text
