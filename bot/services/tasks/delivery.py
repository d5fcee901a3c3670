"""Tasks followed through: a draft becomes a task, reaches the colleague in Telegram, and the requester sees every
status the colleague sets («Принято», «Нужно уточнить», «Готово») and the reason when a deadline is missed.

Statuses: draft (a brief not sent yet) → sent → accepted / clarify → done; new = saved but not delivered (the
colleague has not started the bot); cancelled. Reminders and the overdue question live in bot.services.tasks.followup.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from bot.presenters import tasks as present
from bot.presenters.tasks import STATUS_NAMES_RU
from bot.services.common.access import Principal
from bot.services.common.notify import Notifier
from bot.services.review.decisions import record_suggestion
from bot.services.tasks.drafting import TaskDraft
from storage.models import Colleague, Task
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

ACTIVE = ("sent", "accepted", "clarify")
END_OF_DAY = time(18, 0)  # a deadline without a time means the end of the working day


class TaskError(Exception):
    """The action is not possible; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class Delivery:
    task: Task
    delivered: bool
    problem: str | None = None  # "no_person" / "not_started" / "blocked"


def due_moment(task: Task, tz: object) -> datetime | None:
    if task.deadline_at is not None:
        return task.deadline_at
    if task.deadline is None:
        return None
    return datetime.combine(task.deadline, END_OF_DAY, tz)  # type: ignore[arg-type]


async def save_draft(
    uow: UnitOfWork, draft: TaskDraft, *, requester_id: int, today: date, tz: object, task_id: str | None = None
) -> Task:
    """Store the draft as a task (status draft) and as a suggestion for the review loop."""
    e = draft.extraction
    task = await uow.tasks.get(task_id) if task_id else None
    if task is None:
        task = await uow.tasks.add(Task(id=f"t-{uuid.uuid4().hex[:10]}", title=draft.title[:500], status="draft"))
    task.title = draft.title[:500]
    task.brief_text = draft.text
    task.request_text = e.request
    task.assignee_id = draft.assignee.id if draft.assignee else None
    task.department = draft.department
    task.co_executor_ids = [c.id for c, _ in draft.co_executors]
    task.client_id = draft.client.id if draft.client else None
    task.requester_id = requester_id
    task.created = today
    task.deadline = e.deadline
    task.deadline_at = datetime.combine(e.deadline, e.deadline_time, tz) if e.deadline and e.deadline_time else None  # type: ignore[arg-type]
    await record_suggestion(
        uow, kind="task", author_id=requester_id, text=draft.text, input_text=e.request, engine=draft.engine,
        client_id=task.client_id,
    )  # fmt: skip
    return task


async def own_task(uow: UnitOfWork, task_id: str, principal: Principal) -> Task:
    """A task of the person's own (they asked for it), or a polite refusal."""
    task = await uow.tasks.get(task_id)
    if task is None or task.status == "cancelled":
        raise TaskError("Эта задача не найдена или уже отменена.")
    if task.requester_id != principal.user_id:
        raise TaskError("Эта задача поставлена другим сотрудником — изменить её может только автор.")
    return task


async def recipient_id(uow: UnitOfWork, colleague: Colleague) -> int | None:
    """The colleague's Telegram id once they have started the bot: linked by id, or by username (then remembered)."""
    if colleague.telegram_user_id is not None:
        return colleague.telegram_user_id
    if colleague.telegram_username:
        user = await uow.users.by_username(colleague.telegram_username)
        if user is not None:
            colleague.telegram_user_id = user.id
            return user.id
    return None


async def send(
    app: App, uow: UnitOfWork, notifier: Notifier, task_id: str, principal: Principal, now: datetime
) -> Delivery:
    task = await own_task(uow, task_id, principal)
    if task.status not in ("draft", "new"):
        raise TaskError("Эта задача уже отправлена коллеге.")
    colleague = await uow.colleagues.get(task.assignee_id) if task.assignee_id else None
    if colleague is None:
        return Delivery(task, False, "no_person")
    target = await recipient_id(uow, colleague)
    task.status = "new"
    if target is None:
        return Delivery(task, False, "not_started")
    if not await app.access.roles_of(uow, target):
        # A colleague in the directory (entered by an admin or the CRM import) is staff: without a role the
        # access check would refuse their «Принято» and «Готово» buttons.
        await uow.users.grant(target, "staff", None)
        await uow.audit.record("role_granted", actor_id=None, object_ref=str(target),
                               details={"role": "staff", "via": "colleagues_directory"})  # fmt: skip
    html = present.brief_for_assignee(task, principal.name)
    if not await notifier.send(target, html, present.assignee_buttons(task)):
        return Delivery(task, False, "blocked")
    task.status, task.sent_at, task.message_chat_id = "sent", now, target
    await uow.audit.record("task_sent", actor_id=principal.user_id, client_id=task.client_id, object_ref=task.id)
    return Delivery(task, True)


async def assignee_task(uow: UnitOfWork, task_id: str, user_id: int, username: str | None) -> tuple[Task, Colleague]:
    """The task if the person pressing is its assignee (checked on every press)."""
    task = await uow.tasks.get(task_id)
    if task is None or task.status in ("draft", "cancelled"):
        raise TaskError("Эта задача отменена или не найдена.")
    colleague = await uow.colleagues.get(task.assignee_id) if task.assignee_id else None
    mine = colleague is not None and (
        colleague.telegram_user_id == user_id
        or (username and (colleague.telegram_username or "").lower() == username.lower())
    )
    if not mine or colleague is None:
        raise TaskError("Эта задача адресована другому коллеге.")
    return task, colleague


async def set_status(
    uow: UnitOfWork, notifier: Notifier, task: Task, colleague: Colleague, status: str, now: datetime
) -> bool:
    """Change the status and tell the requester; True when the requester was told."""
    task.status = status
    if status == "done":
        task.done, task.done_at = True, now
    await uow.audit.record(f"task_{status}", actor_id=colleague.telegram_user_id, object_ref=task.id)
    if task.requester_id is None:
        return False
    return await notifier.send(task.requester_id, present.status_notice(task, colleague.name, STATUS_NAMES_RU[status]))


def is_late(task: Task, now: datetime) -> bool:
    due = due_moment(task, now.tzinfo)
    return due is not None and now > due


async def relay_question(notifier: Notifier, task: Task, colleague: Colleague, question: str) -> bool:
    if task.requester_id is None:
        return False
    return await notifier.send(task.requester_id, present.clarify_notice(task, colleague.name, question))


async def record_reason(
    uow: UnitOfWork, notifier: Notifier, task: Task, reason: str, *, actor_id: int, actor_name: str
) -> bool:
    """Store why the deadline was missed (it shapes the next briefs to the department) and tell the requester."""
    task.overdue_reason = " ".join(reason.split())[:500]
    await uow.audit.record("task_overdue_reason", actor_id=actor_id, object_ref=task.id)
    if task.requester_id is None or task.requester_id == actor_id:
        return False
    return await notifier.send(task.requester_id, present.reason_notice(task, actor_name))


async def requester_tasks(uow: UnitOfWork, requester_id: int) -> list[Task]:
    return [t for t in await uow.tasks.by_requester(requester_id) if t.status not in ("draft", "cancelled")]
