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


async def test_each_router_lets_in_only_the_roles_of_the_role_table(harness: Harness) -> None:
    (stats,) = await harness.say(MANAGER, "/stats")
    assert "доступна ролям: руководитель, администратор" in stats.text
    (overdue,) = await harness.say(STAFF, "/overdue")
    assert "руководитель, администратор" in overdue.text
    (client,) = await harness.say(STAFF, "/client Вектор")
    assert "доступны менеджерам и руководителям" in client.text and "/task" in client.text
    (forwarded,) = await harness.say(STAFF, "Когда будет отгрузка?", forward_from=SUPERVISOR)
    assert "доступны менеджерам и руководителям" in forwarded.text
    (colleagues,) = await harness.say(MANAGER, "/colleagues")
    assert "ведёт администратор" in colleagues.text
    (roles,) = await harness.say(SUPERVISOR, "/roles")
    assert "только администратор" in roles.text
    (allowed,) = await harness.say(SUPERVISOR, "/overdue")
    assert "просроч" in allowed.text.lower()


async def test_client_work_stays_out_of_group_chats(harness: Harness) -> None:
    group = -100123
    mark = harness.tg.mark()
    harness.tg.send_text(MANAGER, "/client Вектор", group_id=group)
    harness.tg.send_text(MANAGER, "Клиент пишет: когда отгрузка?", group_id=group)
    (private,) = await harness.say(MANAGER, "/help")  # answered in order: the group messages came first
    assert "/client" in private.text
    await harness.settled()
    to_group = [m for m in harness.tg.sent[mark:] if m.chat_id == group]
    assert len(to_group) == 1 and "личные сообщения" in to_group[0].text, "only where to write, said once"
