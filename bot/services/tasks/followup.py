"""Background follow-through of tasks: a reminder before the deadline, and the question about the reason once it
has passed. One tick is `run_tick(uows, notices, now)`, so tests call it with a pinned clock; the Telegram runner
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
from functools import partial

from bot.services.common.notify import Notices
from bot.services.common.once import Outcome, deliver_once
from bot.services.tasks import overdue
from bot.services.tasks.delivery import ACTIVE, due_moment
from storage.models import Task
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(hours=3)
MORNING = time(10, 0)
TICK_SECONDS = 60
# Job marks, one per task and person: a reminder, the question about a missed deadline, the notice to the requester.
REMINDER_JOB, QUESTION_JOB, NOTICE_JOB = "task_reminder", "task_overdue_question", "task_overdue_notice"


@dataclass(frozen=True, slots=True)
class TaskReminder:
    """Notice to the colleague: the deadline is near (with the status buttons)."""

    task: Task


@dataclass(frozen=True, slots=True)
class OverdueQuestion:
    """Notice: the deadline has passed — what got in the way? The usual causes come as one-tap answers."""

    task: Task
    options: list[str]
    for_requester: bool = False


@dataclass(frozen=True, slots=True)
class OverdueNotice:
    """Notice to the requester: the deadline has passed and the colleague was asked why."""

    task: Task


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


async def run_tick(uows: UnitOfWorkFactory, notices: Notices, now: datetime) -> TickReport:
    reminders = questions = 0
    async with uows() as uow:
        candidates = await uow.tasks.open_with_deadline(now.date() + timedelta(days=1))
        for task in candidates:
            if task.status not in ACTIVE or task.done:
                continue
            due = due_moment(task, now.tzinfo)
            if due is None:
                continue
            if now >= due:
                if task.overdue_asked_at is None:
                    questions += await _ask_reason(uow, notices, task, now)
                continue
            moment = remind_at(task, now.tzinfo)
            sent_early = task.sent_at is not None and moment is not None and task.sent_at < moment
            if moment is not None and now >= moment and task.reminded_at is None and sent_early:
                reminders += await _remind(uow, notices, task, now)
    if reminders or questions:
        log.info("task tick: %d reminders, %d overdue questions", reminders, questions)
    return TickReport(reminders, questions)


async def _remind(uow: UnitOfWork, notices: Notices, task: Task, now: datetime) -> int:
    task.reminded_at = now
    if task.message_chat_id is None:
        return 0
    send = partial(notices.notify, task.message_chat_id, TaskReminder(task))
    outcome = await deliver_once(uow, REMINDER_JOB, task.message_chat_id, task.id, send)
    if outcome is Outcome.FAILED:
        task.reminded_at = None  # the next tick tries again; the mark of a sent one keeps it from a second copy
    return int(outcome is Outcome.SENT)


async def _ask_reason(uow: UnitOfWork, notices: Notices, task: Task, now: datetime) -> int:
    task.overdue_asked_at = now
    options = await reason_options(uow, task)
    outcomes: list[Outcome] = []

    async def once(job: str, person: int, notice: object) -> bool:
        """Sent now or by an earlier tick: either way the person has it."""
        outcomes.append(await deliver_once(uow, job, person, task.id, partial(notices.notify, person, notice)))
        return outcomes[-1] in (Outcome.SENT, Outcome.ALREADY)

    asked = False
    if task.message_chat_id is not None:
        asked = await once(QUESTION_JOB, task.message_chat_id, OverdueQuestion(task, options))
    if task.requester_id is not None and Outcome.FAILED not in outcomes:
        if asked:
            await once(NOTICE_JOB, task.requester_id, OverdueNotice(task))
        else:  # the colleague cannot be reached: the requester tells us what happened
            asked = await once(QUESTION_JOB, task.requester_id, OverdueQuestion(task, options, for_requester=True))
    if Outcome.FAILED in outcomes:  # Telegram failed even after its retries: the next tick asks again
        task.overdue_asked_at = None
        return 0
    await uow.audit.record("task_overdue_asked", actor_id=None, object_ref=task.id)
    return int(asked)
