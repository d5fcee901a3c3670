"""Background follow-through of tasks: a reminder before the deadline, and the question about the reason once it
has passed. One tick is `run_tick(app, notifier, now)`, so tests call it with a pinned clock; the Telegram runner
calls it every minute (bot.telegram.task_followup).

Reminder: three hours before a deadline with a time of day, or at 10:00 on the deadline day — but only when the
brief reached the colleague before that moment (a brief sent an hour ago needs no reminder). Overdue: once the
deadline has passed and the task is not done, the colleague is asked what got in the way, with the department's
usual causes as one-tap answers; if the colleague cannot be reached, the requester is asked instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.presenters import tasks as present
from bot.services.common.notify import Notifier
from bot.services.tasks import overdue
from bot.services.tasks.delivery import ACTIVE, due_moment
from storage.models import Task
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(hours=3)
MORNING = time(10, 0)
TICK_SECONDS = 60


@dataclass(frozen=True, slots=True)
class TickReport:
    reminders: int = 0
    overdue_questions: int = 0


def remind_at(task: Task, tz: object) -> datetime | None:
    if task.deadline_at is not None:
        return task.deadline_at - REMIND_BEFORE
    if task.deadline is None:
        return None
    return datetime.combine(task.deadline, MORNING, tz)  # type: ignore[arg-type]


async def reason_options(uow: UnitOfWork, task: Task) -> list[str]:
    """The department's usual causes, offered as one-tap answers (the same list when the button is pressed)."""
    colleague = await uow.colleagues.get(task.assignee_id) if task.assignee_id else None
    department = colleague.department if colleague else task.department
    causes = await overdue.top_causes(uow, department=department, about=task.title, limit=3)
    return [c.label for c in causes]


async def run_tick(app: App, notifier: Notifier, now: datetime) -> TickReport:
    reminders = questions = 0
    async with app.uow() as uow:
        candidates = await uow.tasks.open_with_deadline(now.date() + timedelta(days=1))
        for task in candidates:
            if task.status not in ACTIVE or task.done:
                continue
            due = due_moment(task, now.tzinfo)
            if due is None:
                continue
            if now >= due:
                if task.overdue_asked_at is None:
                    questions += await _ask_reason(uow, notifier, task, now)
                continue
            moment = remind_at(task, now.tzinfo)
            sent_early = task.sent_at is not None and moment is not None and task.sent_at < moment
            if moment is not None and now >= moment and task.reminded_at is None and sent_early:
                reminders += await _remind(notifier, task, now)
    if reminders or questions:
        log.info("task tick: %d reminders, %d overdue questions", reminders, questions)
    return TickReport(reminders, questions)


async def _remind(notifier: Notifier, task: Task, now: datetime) -> int:
    assert now.tzinfo is not None
    task.reminded_at = now
    if task.message_chat_id is None:
        return 0
    return int(
        await notifier.send(task.message_chat_id, present.reminder(task, now.tzinfo), present.assignee_buttons(task))
    )


async def _ask_reason(uow: UnitOfWork, notifier: Notifier, task: Task, now: datetime) -> int:
    assert now.tzinfo is not None  # the clock gives aware times in the company's zone
    task.overdue_asked_at = now
    options = await reason_options(uow, task)
    html = present.overdue_question(task, now.tzinfo)
    buttons = present.reason_buttons(task, options)
    asked = False
    if task.message_chat_id is not None:
        asked = await notifier.send(task.message_chat_id, html, buttons)
    if task.requester_id is not None:
        if asked:
            await notifier.send(task.requester_id, present.overdue_notice(task))
        else:  # the colleague cannot be reached: the requester tells us what happened
            asked = await notifier.send(
                task.requester_id, present.overdue_question(task, now.tzinfo, for_requester=True), buttons
            )
    await uow.audit.record("task_overdue_asked", actor_id=None, object_ref=task.id)
    return int(asked)
