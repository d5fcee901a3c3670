"""Follow-through: the draft becomes a task, reaches the colleague, statuses reach the requester, a reminder comes
before the deadline, and a missed deadline brings the question about the reason, which is stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.services.common.notify import OutboxNotifier
from bot.services.tasks import delivery as tasks
from bot.services.tasks import flow as task_flow
from bot.services.tasks.followup import run_tick
from tests.services.tasks.support import MSK, NOW, REQUESTER, demo_app, requester

ANNA_TG = 5003  # Анна Гончарова (c03) in Telegram


@pytest.fixture
async def app(tmp_path: Path) -> Any:
    application = await demo_app(tmp_path)
    yield application
    await application.close()


async def _sent_task(app: App, text: str = "Гончаровой: завтра до 15:00 подтвердить отгрузку для Кедра") -> str:
    async with app.uow() as uow:
        await uow.users.touch(ANNA_TG, "anna_goncharova_log", "Анна")  # she has started the bot
    outbox = OutboxNotifier()
    me = await requester(app)
    async with app.uow() as uow:
        step = await task_flow.start(app, uow, me, text)
        assert step.task is not None and step.task.status == "draft"
        task_id = step.task.id
    async with app.uow() as uow:
        delivery = await tasks.send(app, uow, outbox, task_id, me, NOW)
        assert delivery.delivered, delivery.problem
    assert outbox.sent[0].user_id == ANNA_TG
    assert "Здравствуйте, Анна!" in outbox.sent[0].html
    labels = [label for row in outbox.sent[0].buttons or [] for label, _ in row]
    assert any("Принято" in x for x in labels) and any("уточнить" in x for x in labels)
    return task_id


async def test_delivery_links_the_colleague_by_username_and_gives_the_buttons_a_role(app: App) -> None:
    task_id = await _sent_task(app)
    async with app.uow() as uow:
        task = await uow.tasks.get(task_id)
        colleague = await uow.colleagues.get("c03")
        assert task is not None and task.status == "sent" and task.message_chat_id == ANNA_TG
        assert colleague is not None and colleague.telegram_user_id == ANNA_TG
        assert "staff" in await uow.users.stored_roles(ANNA_TG)
        suggestion_kinds = [
            s.kind for s in await uow.suggestions.between(NOW - timedelta(days=1), NOW.replace(year=2100))
        ]
        assert "task" in suggestion_kinds  # the brief is stored for the review loop


async def test_a_colleague_who_never_started_the_bot_gets_nothing_and_the_requester_is_told(app: App) -> None:
    me = await requester(app)
    async with app.uow() as uow:
        step = await task_flow.start(app, uow, me, "Зуеву: собрать заказ для Кедра к пятнице")
        assert step.task is not None
        delivery = await tasks.send(app, uow, OutboxNotifier(), step.task.id, me, NOW)
    assert not delivery.delivered and delivery.problem == "not_started" and delivery.task.status == "new"


async def test_only_the_requester_may_send_and_only_the_assignee_may_set_a_status(app: App) -> None:
    task_id = await _sent_task(app)
    stranger = await requester(app, 1005, "Олег")
    async with app.uow() as uow:
        with pytest.raises(tasks.TaskError):
            await tasks.send(app, uow, OutboxNotifier(), task_id, stranger, NOW)
        with pytest.raises(tasks.TaskError):
            await tasks.assignee_task(uow, task_id, 1005, "oleg")


async def test_statuses_reach_the_requester(app: App) -> None:
    task_id = await _sent_task(app)
    outbox = OutboxNotifier()
    async with app.uow() as uow:
        task, colleague = await tasks.assignee_task(uow, task_id, ANNA_TG, "anna_goncharova_log")
        assert await tasks.set_status(uow, outbox, task, colleague, "accepted", NOW)
        assert await tasks.relay_question(outbox, task, colleague, "Какой номер заказа?")
        assert await tasks.set_status(uow, outbox, task, colleague, "done", NOW + timedelta(hours=2))
    assert [m.user_id for m in outbox.sent] == [REQUESTER] * 3
    assert "принята в работу" in outbox.sent[0].html and "Какой номер заказа?" in outbox.sent[1].html
    assert "готово" in outbox.sent[2].html
    async with app.uow() as uow:
        done = await uow.tasks.get(task_id)
        assert done is not None and done.done and done.done_at is not None


async def test_a_reminder_before_the_deadline_then_the_overdue_question_and_the_reason(app: App) -> None:
    task_id = await _sent_task(app)  # due tomorrow 24.11 at 15:00, sent today at 10:00
    outbox = OutboxNotifier()
    early = await run_tick(app, outbox, datetime(2026, 11, 24, 11, 0, tzinfo=MSK))
    assert early.reminders == 0 and outbox.sent == []
    report = await run_tick(app, outbox, datetime(2026, 11, 24, 12, 5, tzinfo=MSK))  # three hours before
    assert report.reminders == 1 and outbox.sent[-1].user_id == ANNA_TG
    assert "Напоминание" in outbox.sent[-1].html and "24 ноября 2026 (вторник), до 15:00" in outbox.sent[-1].html
    again = await run_tick(app, outbox, datetime(2026, 11, 24, 13, 0, tzinfo=MSK))
    assert again.reminders == 0  # once

    late = await run_tick(app, outbox, datetime(2026, 11, 24, 15, 30, tzinfo=MSK))
    assert late.overdue_questions == 1
    question, notice = outbox.sent[-2], outbox.sent[-1]
    assert question.user_id == ANNA_TG and "что помешало" in question.html and "Это не упрёк" in question.html
    assert notice.user_id == REQUESTER
    labels = [label for row in question.buttons or [] for label, _ in row]
    assert any("15:00" in x for x in labels)  # the department's usual causes are one tap away
    assert (await run_tick(app, outbox, datetime(2026, 11, 24, 16, 0, tzinfo=MSK))).overdue_questions == 0

    async with app.uow() as uow:
        task = await uow.tasks.get(task_id)
        assert task is not None
        await tasks.record_reason(uow, outbox, task, "не было номера заказа", actor_id=ANNA_TG, actor_name="Анна")
    async with app.uow() as uow:
        stored = await uow.tasks.get(task_id)
        assert stored is not None and stored.overdue_reason == "не было номера заказа"
    assert outbox.sent[-1].user_id == REQUESTER and "не было номера заказа" in outbox.sent[-1].html


async def test_no_reminder_for_a_brief_sent_after_the_reminder_time(app: App) -> None:
    await _sent_task(app, "Гончаровой: сегодня до 12:00 подтвердить отгрузку для Кедра")  # sent at 10:00
    outbox = OutboxNotifier()
    assert (await run_tick(app, outbox, datetime(2026, 11, 23, 11, 0, tzinfo=MSK))).reminders == 0


async def test_the_requester_is_asked_when_the_colleague_cannot_be_reached(app: App) -> None:
    task_id = await _sent_task(app)
    async with app.uow() as uow:
        task = await uow.tasks.get(task_id)
        assert task is not None
        task.message_chat_id = None  # e.g. the colleague blocked the bot after receiving the task
    outbox = OutboxNotifier()
    report = await run_tick(app, outbox, datetime(2026, 11, 25, 10, 0, tzinfo=MSK))
    assert report.overdue_questions == 1 and outbox.sent[-1].user_id == REQUESTER


async def test_amend_and_assign_rewrite_the_draft(app: App) -> None:
    me = await requester(app)
    async with app.uow() as uow:
        step = await task_flow.start(app, uow, me, "логистам: доставка образцов в Медиаполе к 1 декабря")
        assert step.task is not None and step.draft is not None and step.draft.assignee is None
        task_id = step.task.id
        amended = await task_flow.amend(app, uow, me, task_id, "срок — до четверга")
        assert amended.draft is not None and "26 ноября 2026" in amended.draft.text
        assigned = await task_flow.assign(app, uow, me, task_id, "c03")
        assert assigned.draft is not None and assigned.draft.text.startswith("Здравствуйте, Анна!")
        assert "26 ноября 2026" in assigned.draft.text  # the amended deadline stays
        await task_flow.cancel(uow, me, task_id)
        with pytest.raises(tasks.TaskError):
            await task_flow.amend(app, uow, me, task_id, "срок — завтра")
