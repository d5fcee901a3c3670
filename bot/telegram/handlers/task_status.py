"""The colleague's side of a task («Принято», «Нужно уточнить», «Готово», the reason for a missed deadline) and the
lists: /tasks (what I asked for and what was asked of me) and /overdue (causes of delays, for supervisors)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.app import App
from bot.domain import ROLE_NAMES_RU, Role
from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.presenters import esc
from bot.presenters import tasks as present
from bot.services.common.access import Principal
from bot.services.tasks import delivery as tasks
from bot.services.tasks import overdue
from bot.services.tasks.followup import reason_options
from bot.telegram.handlers.tasks import TaskCb, TaskForm, _drop_buttons, reply
from bot.telegram.notifier import TelegramNotifier, markup
from storage.models import Task
from storage.uow import UnitOfWork

THANKS = "Спасибо! Автор задачи получил уведомление."


async def status_button(callback: CallbackQuery, callback_data: TaskCb, state: FSMContext, app: App,
                        uow: UnitOfWork, bot: Bot) -> None:  # fmt: skip
    user = callback.from_user
    try:
        task, colleague = await tasks.assignee_task(uow, callback_data.id, user.id, user.username)
    except tasks.TaskError as exc:
        await callback.answer(str(exc)[:200], show_alert=True)
        return
    if task.status == "done":
        await callback.answer("Задача уже отмечена выполненной — спасибо!")
        return
    now, notifier = app.clock.now(), TelegramNotifier(bot)
    if callback_data.action == "clar":
        await state.set_state(TaskForm.clarify)
        await state.update_data(task_id=task.id)
        await callback.answer()
        await reply(bot, user.id, esc("Напишите, что нужно уточнить, — я передам вопрос автору задачи."))
        return
    late = callback_data.action == "done" and tasks.is_late(task, now) and not task.overdue_reason
    await tasks.set_status(uow, notifier, task, colleague, "accepted" if callback_data.action == "acc" else "done", now)
    await callback.answer(THANKS)
    if task.status == "done":
        await _drop_buttons(callback)
    elif isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=markup(present.assignee_buttons(task)))
    if late:
        task.overdue_asked_at = now
        options = await reason_options(uow, task)
        await reply(bot, user.id, present.overdue_question(task, now.tzinfo or app.clock.tz),
                    present.reason_buttons(task, options))  # fmt: skip


async def clarify_text(message: Message, state: FSMContext, uow: UnitOfWork, bot: Bot) -> None:
    user = message.from_user
    data = await state.get_data()
    await state.clear()
    if user is None:
        return
    try:
        task, colleague = await tasks.assignee_task(uow, data.get("task_id", ""), user.id, user.username)
    except tasks.TaskError as exc:
        await message.answer(esc(str(exc)))
        return
    task.status = "clarify"
    await uow.audit.record("task_clarify", actor_id=user.id, object_ref=task.id)
    told = await tasks.relay_question(TelegramNotifier(bot), task, colleague, message.text or "")
    await message.answer(esc("Передал(а) вопрос автору задачи." if told else "Не удалось связаться с автором задачи."))


async def _reason_task(uow: UnitOfWork, task_id: str, user_id: int, username: str | None) -> Task:
    task = await uow.tasks.get(task_id)
    if task is None:
        raise tasks.TaskError("Задача не найдена.")
    if task.requester_id == user_id:
        return task
    await tasks.assignee_task(uow, task_id, user_id, username)
    return task


async def reason_button(callback: CallbackQuery, callback_data: TaskCb, state: FSMContext, uow: UnitOfWork,
                        principal: Principal, bot: Bot) -> None:  # fmt: skip
    user = callback.from_user
    try:
        task = await _reason_task(uow, callback_data.id, user.id, user.username)
    except tasks.TaskError as exc:
        await callback.answer(str(exc)[:200], show_alert=True)
        return
    options = await reason_options(uow, task)
    if callback_data.value == present.OTHER_REASON or not callback_data.value.isdigit():
        await state.set_state(TaskForm.reason)
        await state.update_data(task_id=task.id)
        await callback.answer()
        await reply(bot, user.id, esc("Напишите, пожалуйста, причину своими словами — одним сообщением."))
        return
    index = int(callback_data.value)
    if index >= len(options):
        await callback.answer("Этот вариант уже неактуален — нажмите «Другая причина».", show_alert=True)
        return
    await tasks.record_reason(uow, TelegramNotifier(bot), task, options[index], actor_id=user.id,
                              actor_name=principal.name)  # fmt: skip
    await callback.answer("Спасибо, причину записал(а).")
    await _drop_buttons(callback)


async def reason_text(message: Message, state: FSMContext, uow: UnitOfWork, principal: Principal, bot: Bot) -> None:
    user = message.from_user
    data = await state.get_data()
    await state.clear()
    if user is None:
        return
    try:
        task = await _reason_task(uow, data.get("task_id", ""), user.id, user.username)
    except tasks.TaskError as exc:
        await message.answer(esc(str(exc)))
        return
    await tasks.record_reason(uow, TelegramNotifier(bot), task, message.text or "", actor_id=user.id,
                              actor_name=principal.name)  # fmt: skip
    await message.answer(esc("Спасибо, причину записал(а). Учту её, чтобы в следующий раз подготовить всё заранее."))


async def my_tasks(message: Message, app: App, uow: UnitOfWork, principal: Principal) -> None:
    mine = await tasks.requester_tasks(uow, principal.user_id)
    names = {c.id: c.name for c in await uow.colleagues.all(active_only=False)}
    if not mine:
        await message.answer(esc("Вы пока не ставили задач через бота. Новая задача — /task."))
        return
    lines = ["<b>Ваши задачи</b>"]
    lines += [present.task_line(t, names.get(t.assignee_id or "", DEPARTMENT_NAMES_RU.get(t.department or "", "—")),
                                app.clock.tz) for t in mine]  # fmt: skip
    buttons = [[(f"📨 Отправить: {t.title[:28]}", present.cb("send", t.id))] for t in mine if t.status == "new"]
    await message.answer("\n".join(lines), reply_markup=markup(buttons[:5]))


async def overdue_command(message: Message, uow: UnitOfWork, principal: Principal) -> None:
    if not principal.has(Role.SUPERVISOR, Role.ADMIN):
        roles = ", ".join(ROLE_NAMES_RU[r] for r in (Role.SUPERVISOR, Role.ADMIN))
        await message.answer(esc(texts.NOT_ALLOWED.format(roles=roles)))
        return
    view = await overdue.overview(uow)
    await message.answer(present.overdue_overview(view, DEPARTMENT_NAMES_RU))


def build_router() -> Router:
    router = Router(name="task_status")
    router.callback_query.register(status_button, TaskCb.filter(F.action.in_({"acc", "clar", "done"})))
    router.callback_query.register(reason_button, TaskCb.filter(F.action == "rsn"))
    router.message.register(clarify_text, StateFilter(TaskForm.clarify), F.text & ~F.text.startswith("/"))
    router.message.register(reason_text, StateFilter(TaskForm.reason), F.text & ~F.text.startswith("/"))
    router.message.register(my_tasks, Command("tasks"))
    router.message.register(overdue_command, Command("overdue"))
    return router
