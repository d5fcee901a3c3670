"""Task briefs and their follow-through as Telegram HTML: the draft for the requester, the brief for the colleague
with status buttons, notices to the requester, reminders, the overdue question, lists for /tasks and /overdue."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from bot.nlp.dates import format_date
from bot.presenters import bold, esc, italic
from bot.services.common.notify import Buttons
from storage.models import Task

if TYPE_CHECKING:
    from bot.services.tasks.drafting import TaskDraft
    from bot.services.tasks.overdue import OverdueOverview

STATUS_NAMES_RU = {
    "draft": "черновик",
    "new": "сохранена, не доставлена",
    "sent": "отправлена коллеге",
    "accepted": "принята в работу",
    "clarify": "нужно уточнить",
    "done": "готово",
    "cancelled": "отменена",
}
OTHER_REASON = "other"


def cb(action: str, task_id: str, value: str = "") -> str:
    """Callback data of the task buttons (parsed by bot.telegram.handlers.tasks.TaskCb), well under 64 bytes."""
    return f"tk:{action}:{task_id}:{value}"


def _deadline(task: Task, tz: tzinfo) -> str:
    if task.deadline is None:
        return "без срока"
    moment = task.deadline_at.astimezone(tz).time() if task.deadline_at else None
    return format_date(task.deadline, moment)


def draft_card(draft: TaskDraft, task_id: str) -> tuple[str, Buttons]:
    lines = [bold(f"Черновик задачи — {draft.addressee}"), "", esc(draft.text)]
    if draft.notes:
        lines += ["", *[italic(n) for n in draft.notes]]
    if draft.engine_note:
        lines += ["", italic(draft.engine_note)]
    buttons: Buttons = [
        [("📨 Отправить коллеге", cb("send", task_id))],
        [("✏️ Изменить", cb("edit", task_id)), ("✖️ Отмена", cb("cancel", task_id))],
    ]
    return "\n".join(lines), buttons


def brief_for_assignee(task: Task, requester_name: str) -> str:
    return "\n".join([bold(f"Задача от {requester_name}"), "", esc(task.brief_text)])


def assignee_buttons(task: Task) -> Buttons:
    if task.status == "accepted":
        return [[("❓ Нужно уточнить", cb("clar", task.id)), ("✅ Готово", cb("done", task.id))]]
    return [
        [("👍 Принято", cb("acc", task.id))],
        [("❓ Нужно уточнить", cb("clar", task.id)), ("✅ Готово", cb("done", task.id))],
    ]


def status_notice(task: Task, colleague_name: str, status_name: str) -> str:
    return f"{bold(colleague_name)}: задача «{esc(task.title)}» — {esc(status_name)}."


def clarify_notice(task: Task, colleague_name: str, question: str) -> str:
    return (
        f"{bold(colleague_name)} просит уточнить задачу «{esc(task.title)}»:\n{italic(question)}\n\n"
        "Ответьте коллеге напрямую или поправьте задачу и отправьте её заново."
    )


def reason_notice(task: Task, who: str) -> str:
    return f"{bold(who)} назвал(а) причину задержки по задаче «{esc(task.title)}»: {italic(task.overdue_reason or '')}"


def reminder(task: Task, tz: tzinfo) -> str:
    return (
        f"Напоминание: срок задачи «{esc(task.title)}» — {esc(_deadline(task, tz))}.\n"
        "Если что-то мешает успеть, нажмите «Нужно уточнить» — вместе найдём решение."
    )


def overdue_question(task: Task, tz: tzinfo, *, for_requester: bool = False) -> str:
    who = "коллега пока не отметил(а) её выполненной" if for_requester else "задача пока не отмечена выполненной"
    return (
        f"Срок задачи «{esc(task.title)}» ({esc(_deadline(task, tz))}) прошёл, а {who}.\n"
        "Подскажите, пожалуйста, что помешало? Это не упрёк: причина поможет в следующий раз заранее подготовить "
        "всё нужное. Выберите вариант или нажмите «Другая причина» и напишите своими словами."
    )


def overdue_notice(task: Task) -> str:
    return f"Срок задачи «{esc(task.title)}» прошёл; я спросил(а) исполнителя о причине и сообщу ответ."


def reason_buttons(task: Task, options: list[str]) -> Buttons:
    rows: Buttons = [[(label[:60], cb("rsn", task.id, str(i)))] for i, label in enumerate(options[:3])]
    rows.append([("✍️ Другая причина", cb("rsn", task.id, OTHER_REASON))])
    if not task.done:
        rows.append([("✅ Уже готово", cb("done", task.id))])
    return rows


def delivery_result(task: Task, delivered: bool, problem: str | None, colleague_name: str) -> str:
    if delivered:
        return (
            f"Задача отправлена: {bold(colleague_name)} получил(а) её в Telegram. Я сообщу, когда коллега примет "
            "задачу, попросит уточнить или отметит её выполненной; накануне срока напомню."
        )
    if problem == "not_started":
        return (
            f"Задача сохранена, но {esc(colleague_name)} ещё не начинал(а) диалог с ботом, поэтому написать первым я "
            "не могу. Перешлите текст коллеге сами или попросите открыть бота и нажать /start — затем отправьте "
            "задачу ещё раз из /tasks."
        )
    if problem == "blocked":
        return (
            f"Не удалось доставить задачу: {esc(colleague_name)} ограничил(а) сообщения от бота. Перешлите текст сами."
        )
    return "Задача адресована отделу — выберите, кому из коллег её отправить."


def task_line(task: Task, assignee_name: str, tz: tzinfo) -> str:
    status = STATUS_NAMES_RU.get(task.status, task.status)
    late = " ⚠️" if task.overdue_reason else ""
    return f"• {esc(task.title)} — {esc(assignee_name)}, срок: {esc(_deadline(task, tz))}; {bold(status)}{late}"


def overdue_overview(view: OverdueOverview, department_names: dict[str, str]) -> str:
    if not view.total:
        return "Просроченных задач с указанной причиной пока нет."
    lines = [bold("Частые причины просрочек"), f"Задач с причиной: {view.total}", "", bold("По отделам")]
    for dept, causes in view.by_department.items():
        lines.append(f"{esc(department_names.get(dept, dept))}:")
        lines += [f"  — {esc(c.label)} ({c.count})" for c in causes]
    lines += ["", bold("По сотрудникам")]
    for colleague_id, causes in view.by_colleague.items():
        name = view.colleague_names.get(colleague_id, colleague_id)
        lines.append(f"{esc(name)}: " + "; ".join(f"{esc(c.label)} ({c.count})" for c in causes))
    return "\n".join(lines)
