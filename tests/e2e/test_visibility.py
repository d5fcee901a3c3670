"""A manager sees only their own clients, a supervisor their team's, an admin everyone — on every command and on
every button press, including buttons replayed from another manager's chat.

MANAGER owns Стройдом (m1); MANAGER_2 owns Вектор (m2).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import Role
from bot.telegram.callbacks import AttachCb, BriefCb, ClientCb, PromiseCb, SuggestionCb
from storage.models import AuditEntry, Interaction, Promise, Suggestion
from tests.e2e import demo_support
from tests.e2e.conftest import ADMIN, MANAGER, MANAGER_2, SUPERVISOR, Harness
from tests.e2e.demo_support import LADYGIN, replay, settled

SECRETS = ("Стройдом", "Ладыгин", "Рамочная поставка", "I квартал 2027", "задержка")

demo = demo_support.demo  # the fixture: the demo company in the harness, managers bound to m1 and m2


def assert_no_data(messages: list[object], echo: str = "") -> None:
    """No client data in what the other manager got (their own query echoed back does not count)."""
    for m in messages:
        text = getattr(m, "text", "").replace(f"«{echo}»", "«…»") if echo else getattr(m, "text", "")
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked to the other manager: {text[:200]}"


async def test_second_manager_cannot_find_the_first_managers_client_by_any_command(demo: Harness) -> None:
    for command in ("/brief Стройдом", "/client Стройдом", "/client ладыгин", "/log Стройдом", "/brief cl01"):
        replies = await demo.say(MANAGER_2, command)
        assert_no_data(replies, echo=command.partition(" ")[2])
        assert "никого не нашлось" in replies[0].text
    (own,) = await demo.say(MANAGER_2, "/brief Вектор")
    assert "Перед звонком: Вектор" in own.text

    # A forward from the first manager's contact is not attached to that client.
    (question,) = await demo.say(MANAGER_2, "Добрый день, когда отгрузка?", forward_from=LADYGIN)
    assert_no_data([question], echo="Игорь Ладыгин")  # the sender's name is in the forward itself
    assert "Чьё это сообщение" in question.text or "такого контакта" in question.text
    assert all("Стройдом" not in b["text"] for b in question.buttons())


async def test_replayed_buttons_get_a_polite_refusal_and_no_data(demo: Harness) -> None:
    (card,) = await demo.say(MANAGER, "Когда отгрузка по кровле? Прошу подтвердить дату.", forward_from=LADYGIN)
    (brief,) = await demo.say(MANAGER, "/brief Стройдом")
    await settled(demo)
    async with demo.app.uow() as uow:
        reply_id = (await uow.session.scalars(select(Suggestion.id).where(Suggestion.kind == "reply"))).one()
        brief_id = (await uow.session.scalars(select(Suggestion.id).where(Suggestion.kind == "brief"))).one()
        promise_id = (
            await uow.session.scalars(select(Promise.id).where(Promise.client_id == "cl01", Promise.kept.is_(None)))
        ).first()
    assert promise_id is not None
    before_card = card.text

    replayed = [
        SuggestionCb(action="type", id=reply_id).pack(),
        SuggestionCb(action="type", id=reply_id, value="emotional_confident").pack(),
        SuggestionCb(action="script", id=reply_id, value="complaint").pack(),
        SuggestionCb(action="edit", id=reply_id).pack(),
        SuggestionCb(action="save", id=reply_id).pack(),
        SuggestionCb(action="back", id=reply_id).pack(),
        BriefCb(action="hist", id=brief_id).pack(),
        BriefCb(action="prom", id=brief_id).pack(),
        BriefCb(action="type", id=brief_id).pack(),
        ClientCb(action="brief", client="cl01").pack(),
        ClientCb(action="card", client="cl01").pack(),
        ClientCb(action="log", client="cl01").pack(),
        ClientCb(action="promise", client="cl01").pack(),
        PromiseCb(action="kept", id=promise_id).pack(),
        AttachCb(action="pick", client="cl01").pack(),
    ]
    for data in replayed:
        sent, answer = await replay(demo, MANAGER_2, card, data)
        assert "недоступна" in answer.get("text", ""), data
        assert_no_data(sent)
        assert all("недоступны" in m.text for m in sent), data
    assert not demo.tg.errors
    # "Send to review" belongs to the review router: it refuses anyone but the author, with no data either.
    sent, answer = await replay(demo, MANAGER_2, card, SuggestionCb(action="review", id=reply_id).pack())
    assert "автор" in answer.get("text", "")
    assert_no_data(sent)

    await settled(demo)
    async with demo.app.uow() as uow:
        row = await uow.suggestions.get(reply_id)
        assert row is not None and row.manual_type is None and row.status == "new" and row.final_text is None
        promise = await uow.clients.get_promise(promise_id)
        assert promise is not None and promise.kept is None
        saved = await uow.session.scalars(
            select(Interaction).where(Interaction.direction == "out", Interaction.source == "telegram")
        )
        assert list(saved) == []
        denied = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "access_denied", AuditEntry.actor_id == MANAGER_2.id)
        )
        assert len(list(denied)) == len(replayed)
    assert card.text == before_card, "the first manager's card was not touched"
    assert brief.text


async def test_supervisor_sees_the_team_and_admin_sees_everyone(demo: Harness) -> None:
    await settled(demo)
    async with demo.app.uow() as uow:
        admin = await demo.app.access.identify(uow, ADMIN.id, ADMIN.username, ADMIN.first_name)
        await demo.app.access.grant(uow, admin, MANAGER.id, Role.MANAGER, supervisor_id=SUPERVISOR.id)
    (team,) = await demo.say(SUPERVISOR, "/brief Стройдом")
    assert "Перед звонком: Стройдом" in team.text
    (other,) = await demo.say(SUPERVISOR, "/brief Вектор")
    assert "никого не нашлось" in other.text
    (everyone,) = await demo.say(ADMIN, "/brief Вектор")
    assert "Перед звонком: Вектор" in everyone.text
