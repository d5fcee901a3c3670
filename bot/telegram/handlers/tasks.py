"""/task for the requester: a free-form request, questions only about what is missing, the draft with «Отправить
коллеге», «Изменить», «Отмена», and delivery to the colleague (bot.services.tasks.flow does the work)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.app import App
from bot.presenters import esc
from bot.presenters import tasks as present
from bot.services.common.access import Principal
from bot.services.common.notify import Buttons
from bot.services.tasks import flow as task_flow
from bot.services.tasks.delivery import TaskError, send
from bot.services.tasks.directory import load_directory
from bot.services.tasks.extraction import Extraction
from bot.telegram.notifier import TelegramNotifier, markup
from bot.telegram.render import split_message
from storage.uow import UnitOfWork

ASK_REQUEST = (
    "Опишите задачу своими словами: кому, что нужно и к какому сроку. Например: «Мельникову: до пятницы подтвердить "
    "отгрузку для Стройдома». Можно коротко и как есть — текст для коллеги я составлю вежливо и по делу."
)


class TaskCb(CallbackData, prefix="tk"):
    """action: ans/quit (dialogue), send/edit/cancel/to (draft), acc/clar/done/rsn (the colleague's buttons)."""

    action: str
    id: str
    value: str = ""


class TaskForm(StatesGroup):
    request = State()
    assignee = State()
    deadline = State()
    deliverable = State()
    amend = State()
    clarify = State()
    reason = State()


async def reply(bot: Bot, chat_id: int, html: str, buttons: Buttons | None = None) -> None:
    parts = split_message(html)
    for i, part in enumerate(parts):
        await bot.send_message(chat_id, part, reply_markup=markup(buttons) if i == len(parts) - 1 else None)


async def show(bot: Bot, chat_id: int, step: task_flow.FlowStep, state: FSMContext) -> None:
    if step.field is not None:
        await state.set_state(getattr(TaskForm, step.field))
        await state.update_data(extraction=step.extraction.to_dict())
        buttons: Buttons = [[(label, present.cb("ans", "-", value))] for label, value in step.options]
        buttons.append([("✖️ Отмена", present.cb("quit", "-"))])
        await reply(bot, chat_id, esc(step.question), buttons)
        return
    await state.clear()
    assert step.draft is not None and step.task is not None
    await reply(bot, chat_id, *present.draft_card(step.draft, step.task.id))


async def task_command(
    message: Message, command: CommandObject, state: FSMContext, app: App, uow: UnitOfWork, principal: Principal,
    bot: Bot,
) -> None:  # fmt: skip
    await state.clear()
    if not (command.args or "").strip():
        await state.set_state(TaskForm.request)
        await message.answer(esc(ASK_REQUEST), reply_markup=markup([[("✖️ Отмена", present.cb("quit", "-"))]]))
        return
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
        step = await task_flow.start(app, uow, principal, command.args or "")
    await show(bot, message.chat.id, step, state)


async def request_text(message: Message, state: FSMContext, app: App, uow: UnitOfWork, principal: Principal,
                       bot: Bot) -> None:  # fmt: skip
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):  # the LLM may draft it: show "typing…"
        step = await task_flow.start(app, uow, principal, message.text or "")
    await show(bot, message.chat.id, step, state)


async def _answer(chat_id: int, text: str, state: FSMContext, app: App, uow: UnitOfWork, principal: Principal,
                  bot: Bot) -> None:  # fmt: skip
    current, data = await state.get_state(), await state.get_data()
    if not current or "extraction" not in data or current.split(":")[-1] not in task_flow.QUESTIONS:
        await reply(bot, chat_id, esc("Этот вопрос уже неактуален — начните заново командой /task."))
        return
    field = current.split(":")[-1]
    extraction = Extraction.from_dict(data["extraction"])
    await show(bot, chat_id, await task_flow.answer(app, uow, principal, extraction, field, text), state)


async def answer_text(message: Message, state: FSMContext, app: App, uow: UnitOfWork, principal: Principal,
                      bot: Bot) -> None:  # fmt: skip
    await _answer(message.chat.id, message.text or "", state, app, uow, principal, bot)


async def answer_button(callback: CallbackQuery, callback_data: TaskCb, state: FSMContext, app: App, uow: UnitOfWork,
                        principal: Principal, bot: Bot) -> None:  # fmt: skip
    await callback.answer()
    await _answer(callback.from_user.id, callback_data.value, state, app, uow, principal, bot)


async def quit_(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer("Хорошо, задачу не составляем.")


async def amend_text(message: Message, state: FSMContext, app: App, uow: UnitOfWork, principal: Principal,
                     bot: Bot) -> None:  # fmt: skip
    task_id = (await state.get_data()).get("task_id", "")
    try:
        step = await task_flow.amend(app, uow, principal, task_id, message.text or "")
    except TaskError as exc:
        await state.clear()
        await message.answer(esc(str(exc)))
        return
    await show(bot, message.chat.id, step, state)


async def draft_button(callback: CallbackQuery, callback_data: TaskCb, state: FSMContext, app: App, uow: UnitOfWork,
                       principal: Principal, bot: Bot) -> None:  # fmt: skip
    action, task_id = callback_data.action, callback_data.id
    try:
        if action == "edit":
            await task_flow.editable(uow, principal, task_id)
            await state.set_state(TaskForm.amend)
            await state.update_data(task_id=task_id)
            await callback.answer()
            await reply(bot, callback.from_user.id, esc(task_flow.AMEND_PROMPT))
        elif action == "cancel":
            await task_flow.cancel(uow, principal, task_id)
            await callback.answer("Черновик отменён.")
            await _drop_buttons(callback)
        elif action == "to":
            await callback.answer()
            step = await task_flow.assign(app, uow, principal, task_id, callback_data.value)
            await _send(callback, app, uow, principal, bot, task_id, step)
        else:
            await callback.answer()
            await _send(callback, app, uow, principal, bot, task_id, None)
    except TaskError as exc:
        await callback.answer(str(exc)[:200], show_alert=True)


async def _send(callback: CallbackQuery, app: App, uow: UnitOfWork, principal: Principal, bot: Bot, task_id: str,
                step: task_flow.FlowStep | None) -> None:  # fmt: skip
    delivery = await send(app, uow, TelegramNotifier(bot), task_id, principal, app.clock.now())
    chat_id = callback.from_user.id
    if delivery.problem == "no_person":
        department = delivery.task.department or ""
        people = (await load_directory(uow)).in_department(department)
        if not people:
            await reply(bot, chat_id, esc("В справочнике нет коллег этого отдела — попросите администратора добавить."))
            return
        buttons: Buttons = [[(c.name, present.cb("to", task_id, c.id))] for c in people]
        await reply(bot, chat_id, present.delivery_result(delivery.task, False, "no_person", ""), buttons)
        return
    await _drop_buttons(callback)
    colleague = await uow.colleagues.get(delivery.task.assignee_id or "")
    if step is not None and step.draft is not None:
        await reply(bot, chat_id, present.draft_card(step.draft, task_id)[0])
    name = colleague.name if colleague else "коллега"
    await reply(bot, chat_id, present.delivery_result(delivery.task, delivery.delivered, delivery.problem, name))


async def _drop_buttons(callback: CallbackQuery) -> None:
    if isinstance(callback.message, Message) and callback.message.reply_markup:
        try:
            await callback.message.edit_reply_markup(reply_markup=None)
        except Exception:  # an old message may no longer be editable: the buttons are checked again anyway
            pass


def build_router() -> Router:
    router = Router(name="tasks")
    router.message.register(task_command, Command("task"))
    router.message.register(request_text, StateFilter(TaskForm.request), F.text & ~F.text.startswith("/"))
    router.message.register(
        answer_text, StateFilter(TaskForm.assignee, TaskForm.deadline, TaskForm.deliverable), F.text
        & ~F.text.startswith("/"),
    )  # fmt: skip
    router.message.register(amend_text, StateFilter(TaskForm.amend), F.text & ~F.text.startswith("/"))
    router.callback_query.register(answer_button, TaskCb.filter(F.action == "ans"))
    router.callback_query.register(quit_, TaskCb.filter(F.action == "quit"))
    router.callback_query.register(draft_button, TaskCb.filter(F.action.in_({"send", "edit", "cancel", "to"})))
    return router
