"""/task for the requester: a free-form request, questions only about what is missing, the draft with «Отправить
коллеге», «Изменить», «Отмена», and delivery to the colleague (bot.services.tasks.flow does the work)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.presenters import esc
from bot.presenters import tasks as present
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from bot.services.common.notify import Buttons, Notices
from bot.services.tasks import flow
from bot.services.tasks.delivery import TaskDelivery, TaskError
from bot.services.tasks.directory import load_directory
from bot.services.tasks.extraction import Extraction
from bot.services.tasks.flow import TaskFlow
from bot.telegram.callbacks import TaskCb
from bot.telegram.notifier import markup
from bot.telegram.replies import drop_buttons, reply
from bot.telegram.states import TaskForm
from storage.uow import UnitOfWork

ASK_REQUEST = (
    "Опишите задачу своими словами: кому, что нужно и к какому сроку. Например: «Мельникову: до пятницы подтвердить "
    "отгрузку для Стройдома». Можно коротко и как есть — текст для коллеги я составлю вежливо и по делу."
)


async def show(bot: Bot, chat_id: int, step: flow.FlowStep, state: FSMContext) -> None:
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
    message: Message, command: CommandObject, state: FSMContext, task_flow: TaskFlow, uow: UnitOfWork,
    principal: Principal, bot: Bot,
) -> None:  # fmt: skip
    await state.clear()
    if not (command.args or "").strip():
        await state.set_state(TaskForm.request)
        await message.answer(esc(ASK_REQUEST), reply_markup=markup([[("✖️ Отмена", present.cb("quit", "-"))]]))
        return
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
        step = await task_flow.start(uow, principal, command.args or "")
    await show(bot, message.chat.id, step, state)


async def request_text(message: Message, state: FSMContext, task_flow: TaskFlow, uow: UnitOfWork, principal: Principal,
                       bot: Bot) -> None:  # fmt: skip
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):  # the LLM may draft it: show "typing…"
        step = await task_flow.start(uow, principal, message.text or "")
    await show(bot, message.chat.id, step, state)


async def _answer(chat_id: int, text: str, state: FSMContext, task_flow: TaskFlow, uow: UnitOfWork,
                  principal: Principal, bot: Bot) -> None:  # fmt: skip
    current, data = await state.get_state(), await state.get_data()
    if not current or "extraction" not in data or current.split(":")[-1] not in flow.QUESTIONS:
        await reply(bot, chat_id, esc("Этот вопрос уже неактуален — начните заново командой /task."))
        return
    field = current.split(":")[-1]
    extraction = Extraction.from_dict(data["extraction"])
    await show(bot, chat_id, await task_flow.answer(uow, principal, extraction, field, text), state)


async def answer_text(message: Message, state: FSMContext, task_flow: TaskFlow, uow: UnitOfWork, principal: Principal,
                      bot: Bot) -> None:  # fmt: skip
    await _answer(message.chat.id, message.text or "", state, task_flow, uow, principal, bot)


async def answer_button(callback: CallbackQuery, callback_data: TaskCb, state: FSMContext, task_flow: TaskFlow,
                        uow: UnitOfWork, principal: Principal, bot: Bot) -> None:  # fmt: skip
    await callback.answer()
    await _answer(callback.from_user.id, callback_data.value, state, task_flow, uow, principal, bot)


async def quit_(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer("Хорошо, задачу не составляем.")


async def amend_text(message: Message, state: FSMContext, task_flow: TaskFlow, uow: UnitOfWork, principal: Principal,
                     bot: Bot) -> None:  # fmt: skip
    task_id = (await state.get_data()).get("task_id", "")
    try:
        step = await task_flow.amend(uow, principal, task_id, message.text or "")
    except TaskError as exc:
        await state.clear()
        await message.answer(esc(str(exc)))
        return
    await show(bot, message.chat.id, step, state)


async def draft_button(callback: CallbackQuery, callback_data: TaskCb, state: FSMContext, task_flow: TaskFlow,
                       task_delivery: TaskDelivery, clock: Clock, notices: Notices, uow: UnitOfWork,
                       principal: Principal, bot: Bot) -> None:  # fmt: skip
    action, task_id = callback_data.action, callback_data.id
    try:
        if action == "edit":
            await task_flow.editable(uow, principal, task_id)
            await state.set_state(TaskForm.amend)
            await state.update_data(task_id=task_id)
            await callback.answer()
            await reply(bot, callback.from_user.id, esc(flow.AMEND_PROMPT))
        elif action == "cancel":
            await task_flow.cancel(uow, principal, task_id)
            await callback.answer("Черновик отменён.")
            await drop_buttons(callback)
        elif action == "to":
            await callback.answer()
            step = await task_flow.assign(uow, principal, task_id, callback_data.value)
            await _send(callback, task_delivery, notices, clock, uow, principal, bot, task_id, step)
        else:
            await callback.answer()
            await _send(callback, task_delivery, notices, clock, uow, principal, bot, task_id, None)
    except TaskError as exc:
        await callback.answer(str(exc)[:200], show_alert=True)


async def _send(callback: CallbackQuery, task_delivery: TaskDelivery, notices: Notices, clock: Clock, uow: UnitOfWork,
                principal: Principal, bot: Bot, task_id: str, step: flow.FlowStep | None) -> None:  # fmt: skip
    delivery = await task_delivery.send(uow, notices, task_id, principal, clock.now())
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
    await drop_buttons(callback)
    colleague = await uow.colleagues.get(delivery.task.assignee_id or "")
    if step is not None and step.draft is not None:
        await reply(bot, chat_id, present.draft_card(step.draft, task_id)[0])
    name = colleague.name if colleague else "коллега"
    await reply(bot, chat_id, present.delivery_result(delivery.task, delivery.delivered, delivery.problem, name))


def build_router() -> Router:
    router = Router(name="tasks")
    router.message.register(task_command, Command("task"))
    router.message.register(request_text, StateFilter(TaskForm.request), F.text & ~F.text.startswith("/"))
    router.message.register(
        answer_text, StateFilter(TaskForm.action, TaskForm.assignee, TaskForm.deadline, TaskForm.deliverable), F.text
        & ~F.text.startswith("/"),
    )  # fmt: skip
    router.message.register(amend_text, StateFilter(TaskForm.amend), F.text & ~F.text.startswith("/"))
    router.callback_query.register(answer_button, TaskCb.filter(F.action == "ans"))
    router.callback_query.register(quit_, TaskCb.filter(F.action == "quit"))
    router.callback_query.register(draft_button, TaskCb.filter(F.action.in_({"send", "edit", "cancel", "to"})))
    return router
