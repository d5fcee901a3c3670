"""The review state machine: submit (idempotent) → approve / edit / reject, refusals of stale and repeated presses,
who may decide what, notifications, type corrections, reviewed examples and reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.presenters import review as present
from bot.services.common.notify import OutboxNotifier
from bot.services.review import decisions as review
from storage.models import AuditEntry, Review, TypeCorrection
from tests.services.review.support import (
    ADMIN,
    CLIENT_TEXT,
    LEAD,
    LEAD_2,
    MANAGER,
    MANAGER_2,
    NOW,
    REPLY,
    add_suggestion,
    make_app,
    principal,
    set_lead,
)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    app = await make_app(tmp_path)
    yield app
    await app.close()


@pytest.fixture
async def any_db_app(tmp_path: Path, db_url: str) -> AsyncIterator[App]:
    """The core of the state machine runs on SQLite and on PostgreSQL (the conditional UPDATE matters there)."""
    app = await make_app(tmp_path, database_url=db_url)
    yield app
    await app.close()


async def _submit(app: App, sid: int, outbox: OutboxNotifier, user: int = MANAGER) -> review.SubmitResult:
    async with app.uow() as uow:
        return await review.submit(app, uow, outbox, await principal(app, user), sid, NOW)


async def _decide(app: App, sid: int, user: int, decision: str, **kw: str) -> review.DecisionResult:
    async with app.uow() as uow:
        return await review.decide(app, uow, OutboxNotifier(), await principal(app, user), sid, decision, NOW, **kw)


async def test_full_cycle_submit_edit_and_refuse_a_second_press(any_db_app: App) -> None:
    app = any_db_app
    sid = await add_suggestion(app)
    outbox = OutboxNotifier()
    first = await _submit(app, sid, outbox)
    assert not first.already_pending and first.reviewers == ["Сергей", "Ольга"]  # no teams: every supervisor
    assert {m.user_id for m in outbox.sent} == {LEAD, LEAD_2}
    card = outbox.sent[0]
    assert "ООО Вектор" in card.html and "гарантии" in card.html and REPLY in card.html
    assert card.buttons is not None and card.buttons[0][0] == ("✅ Одобрить", f"rv:ok:{sid}:")

    again = await _submit(app, sid, outbox)  # a double press on "send to review"
    assert again.already_pending and len(outbox.sent) == 2

    async with app.uow() as uow:
        result = await review.decide(
            app, uow, outbox, await principal(app, LEAD), sid, "edited", NOW + timedelta(minutes=90),
            final_text="Здравствуйте! Поставка в четверг до 12:00, письмо с подтверждением пришлём сегодня.",
        )  # fmt: skip
    assert result.decision == "edited" and result.author_notified
    notice = outbox.sent[-1]
    assert notice.user_id == MANAGER and "Поставка в четверг до 12:00" in notice.html and "Сергей" in notice.html

    for stale_user in (LEAD, LEAD_2, ADMIN):  # the same button again, another supervisor's old card, an admin
        with pytest.raises(review.AlreadyDecided) as refused:
            await _decide(app, sid, stale_user, "approved")
        assert "Сергей" in str(refused.value) and "23.11.2026 11:30" in str(refused.value)
    with pytest.raises(review.AlreadyDecided):
        await _submit(app, sid, outbox)  # and re-submitting a decided suggestion

    async with app.uow() as uow:
        row = await uow.suggestions.get(sid)
        assert row is not None and row.status == "edited" and row.final_text and row.reviewed_at
        assert (row.reviewed_at - (row.submitted_at or NOW)) == timedelta(minutes=90)
        reviews = await uow.suggestions.reviews_of(sid)
        assert [(r.reviewer_id, r.decision) for r in reviews] == [(LEAD, "edited")]
        actions = list(await uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("submitted") == 1 and actions.count("edited") == 1


async def test_a_stale_card_loses_to_a_decision_made_meanwhile(app: App) -> None:
    sid = await add_suggestion(app)
    await _submit(app, sid, OutboxNotifier())
    # Supervisor 1 has the card open (checked it may decide); supervisor 2 decides first.
    async with app.uow() as uow:
        await review.check_can_decide(app, uow, await principal(app, LEAD), sid)
        await _decide(app, sid, LEAD_2, "rejected", comment="Не обещаем сроки, которые не подтвердил склад.")
        with pytest.raises(review.AlreadyDecided, match="Ольга"):
            await review.decide(app, uow, OutboxNotifier(), await principal(app, LEAD), sid, "approved", NOW)
    async with app.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Review)) == 1


async def test_decision_content_is_checked(app: App) -> None:
    sid = await add_suggestion(app)
    await _submit(app, sid, OutboxNotifier())
    with pytest.raises(review.ReviewError, match="причину"):
        await _decide(app, sid, LEAD, "rejected", comment="   ")
    with pytest.raises(review.ReviewError, match="исправленный текст"):
        await _decide(app, sid, LEAD, "edited", final_text="")
    with pytest.raises(review.ReviewError, match="длинный"):
        await _decide(app, sid, LEAD, "edited", final_text="а" * 5000)
    # The same text sent back as an "edit" is an approval.
    result = await _decide(app, sid, LEAD, "edited", final_text=f"  {REPLY}  ")
    assert result.decision == "approved" and result.final_text == REPLY


async def test_only_reviewers_decide_and_never_their_own(app: App) -> None:
    sid = await add_suggestion(app)
    own = await add_suggestion(app, author_id=LEAD)
    draft = await add_suggestion(app)
    await _submit(app, sid, OutboxNotifier())
    await _submit(app, own, OutboxNotifier(), user=LEAD)
    with pytest.raises(review.ReviewError, match="руководители"):
        await _decide(app, sid, MANAGER_2, "approved")
    with pytest.raises(review.ReviewError, match="Своё"):
        await _decide(app, own, LEAD, "approved")
    with pytest.raises(review.ReviewError, match="не ждёт решения"):
        await _decide(app, draft, LEAD, "approved")  # never sent to review
    with pytest.raises(review.ReviewError, match="только его автор"):
        await _submit(app, draft, OutboxNotifier(), user=MANAGER_2)
    with pytest.raises(review.ReviewError, match="Не нашёл"):
        await _decide(app, 999, LEAD, "approved")
    assert (await _decide(app, own, LEAD_2, "approved")).decision == "approved"
    assert (await _decide(app, sid, ADMIN, "approved")).author_notified


async def test_teams_route_requests_and_bound_decisions(app: App) -> None:
    await set_lead(app, MANAGER, LEAD)
    await set_lead(app, MANAGER_2, MANAGER)  # "lead" without the supervisor role: treated as no team
    team_sid = await add_suggestion(app)
    loose_sid = await add_suggestion(app, author_id=MANAGER_2)
    outbox = OutboxNotifier()
    await _submit(app, team_sid, outbox)
    assert [m.user_id for m in outbox.sent] == [LEAD]
    await _submit(app, loose_sid, outbox, user=MANAGER_2)
    assert [m.user_id for m in outbox.sent[1:]] == [LEAD, LEAD_2]
    with pytest.raises(review.ReviewError, match="другой команды"):
        await _decide(app, team_sid, LEAD_2, "approved")
    assert (await _decide(app, loose_sid, LEAD_2, "approved")).decision == "approved"
    assert (await _decide(app, team_sid, LEAD, "approved")).decision == "approved"


async def test_no_supervisors_falls_back_to_admins(tmp_path: Path) -> None:
    app = await make_app(tmp_path, bot_supervisors=[])
    try:
        sid = await add_suggestion(app)
        outbox = OutboxNotifier()
        result = await _submit(app, sid, outbox)
        assert result.reviewers == ["Анна"] and [m.user_id for m in outbox.sent] == [ADMIN]
    finally:
        await app.close()


async def test_type_correction_labels_the_text_and_sets_the_client_type(app: App) -> None:
    sid = await add_suggestion(app)
    await _submit(app, sid, OutboxNotifier())
    outbox = OutboxNotifier()
    async with app.uow() as uow:
        lead = await principal(app, LEAD)
        first = await review.correct_type(app, uow, outbox, lead, sid, "emotional_unconfident", NOW)
        second = await review.correct_type(app, uow, outbox, lead, sid, "nonemotional_unconfident", NOW)
    assert first.label_stored and first.client_updated and first.previous == "nonemotional_confident"
    assert second.previous == "emotional_unconfident"
    assert [m.user_id for m in outbox.sent] == [MANAGER, MANAGER] and "Неэмоциональный неуверенный" in outbox.sent[
        1
    ].html
    async with app.uow() as uow:
        rows = await uow.suggestions.corrections()
        assert [(r.text, r.predicted_type, r.corrected_type) for r in rows] == [
            (CLIENT_TEXT, "nonemotional_confident", "nonemotional_unconfident")
        ]  # one label per suggestion: the later press replaced the earlier one
        client = await uow.clients.get("c1")
        assert client is not None and client.type_override == "nonemotional_unconfident"
    with pytest.raises(review.ReviewError, match="Такого типа нет"):
        async with app.uow() as uow:
            await review.correct_type(app, uow, outbox, await principal(app, LEAD), sid, "angry", NOW)
    with pytest.raises(review.ReviewError, match="руководители"):
        async with app.uow() as uow:
            await review.correct_type(app, uow, outbox, await principal(app, MANAGER), sid, "undetermined", NOW)

    # The reviewed reply becomes an example for the corrected type and the same situation.
    await _decide(app, sid, LEAD, "edited", final_text="Здравствуйте! Подтверждаем четверг; пришлём письмо и ГОСТ.")
    async with app.uow() as uow:
        examples = await review.examples_for(uow, "nonemotional_unconfident", "delay_notice")
        assert [e.text for e in examples] == ["Здравствуйте! Подтверждаем четверг; пришлём письмо и ГОСТ."]
        assert await review.examples_for(uow, "nonemotional_confident", "delay_notice") == []
        assert await review.examples_for(uow, "nonemotional_unconfident", "complaint") == []
        review_row = (await uow.suggestions.reviews_of(sid))[0]
        assert review_row.corrected_type == "nonemotional_unconfident"
        assert await uow.session.scalar(select(func.count()).select_from(TypeCorrection)) == 1


async def test_reminders_go_once_for_reviews_waiting_too_long(app: App) -> None:
    sid = await add_suggestion(app)
    fresh = await add_suggestion(app)
    await _submit(app, sid, OutboxNotifier())
    async with app.uow() as uow:
        await review.submit(app, uow, OutboxNotifier(), await principal(app, MANAGER), fresh, NOW + timedelta(hours=3))
    outbox = OutboxNotifier()
    hours = app.settings.review_reminder_hours
    assert await review.remind_tick(app, outbox, NOW + timedelta(hours=hours - 0.1)) == 0
    assert await review.remind_tick(app, outbox, NOW + timedelta(hours=hours + 0.1)) == 2  # both supervisors
    assert all(f"№{sid}" in m.html and "Напоминание" in m.html for m in outbox.sent)
    assert outbox.sent[0].buttons == present.decision_buttons(sid)
    assert await review.remind_tick(app, outbox, NOW + timedelta(hours=hours + 1)) == 0  # once only


def test_button_data_matches_the_telegram_callback_classes() -> None:
    from bot.presenters import survey as survey_present
    from bot.telegram.handlers.review import ReviewCb
    from bot.telegram.handlers.survey import SurveyCb

    assert present.cb("ok", 12) == ReviewCb(action="ok", id=12).pack()
    assert present.cb("set", 12, "nu") == ReviewCb(action="set", id=12, value="nu").pack()
    assert present.cb("page", 3) == ReviewCb(action="page", id=3).pack()
    assert survey_present.cb("2026-Q4", 5, 3) == SurveyCb(period="2026-Q4", q=5, score=3).pack()
    for row in [*present.decision_buttons(2**31), *present.type_buttons(2**31)]:
        for _, data in row:
            assert len(data.encode()) <= 64
