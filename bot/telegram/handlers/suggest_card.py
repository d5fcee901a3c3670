"""Buttons of the suggestion card: another type, another script, edit, save to history ("send to review" is the
review router's). Each press loads the suggestion again and checks its client is visible to the presser.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.app import App
from bot.domain import BehaviourType, Situation
from bot.presenters import card as present
from bot.presenters import client_texts as t
from bot.services.common.access import Principal
from bot.services.knowledge.script_tools import script_tools
from bot.services.suggestions import actions as suggestion_actions
from bot.services.suggestions import service as suggestions
from bot.telegram import client_keyboards as kb
from bot.telegram.handlers.clients import refuse
from bot.telegram.keyboards import SuggestionCb
from storage.uow import UnitOfWork


class EditStates(StatesGroup):
    text = State()


async def _show(message: Message, html: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the card in place; a card that did not change is fine (Telegram refuses "not modified")."""
    try:
        await message.edit_text(html, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            raise


async def on_button(
    callback: CallbackQuery,
    callback_data: SuggestionCb,
    principal: Principal,
    app: App,
    uow: UnitOfWork,
    state: FSMContext,
) -> None:
    row = await suggestion_actions.visible_suggestion(uow, principal, callback_data.id)
    if row is None or row.kind != "reply" or not isinstance(callback.message, Message):
        await refuse(callback, uow, app, principal)
        return
    tools = await script_tools(app)
    action, value, tz = callback_data.action, callback_data.value, app.settings.tz
    if action == "edit":
        await state.set_state(EditStates.text)
        await state.update_data(edit_suggestion=row.id)
        await callback.answer()
        await callback.message.answer(t.ASK_EDIT)
        return
    if action == "save":
        saved = await suggestion_actions.save_to_history(app, uow, principal, row)
        await callback.answer(t.SAVED if saved else t.SAVE_NEEDS_CLIENT[:200], show_alert=not saved)
        return
    await callback.answer()
    if action == "type" and value in BehaviourType.__members__.values():
        card = await suggestions.rerender(app, uow, tools, principal, row, type_=BehaviourType(value))
    elif action == "script" and value in Situation.__members__.values():
        card = await suggestions.rerender(app, uow, tools, principal, row, situation=Situation(value))
    else:
        card = await suggestions.load_card(app, uow, tools, row)
        if action == "type":  # no value yet: the picker
            await _show(callback.message, present.type_picker_text(card), kb.type_picker(row.id))
            return
        if action == "script":
            await _show(
                callback.message, present.situation_picker_text(card), kb.situation_picker(row.id, card.situation)
            )
            return
    await _show(callback.message, present.render(card, tz), kb.card_keyboard(row.id))


async def edited_text(message: Message, principal: Principal, app: App, uow: UnitOfWork, state: FSMContext) -> None:
    data = await state.get_data()
    await state.clear()
    row = await suggestion_actions.visible_suggestion(uow, principal, int(data.get("edit_suggestion", 0)))
    if row is None:
        await message.answer(t.NOT_VISIBLE)
        return
    await suggestion_actions.set_final_text(uow, principal, row, message.text or "")
    card = await suggestions.load_card(app, uow, await script_tools(app), row)
    await message.answer(t.EDIT_SAVED)
    await message.answer(present.render(card, app.settings.tz), reply_markup=kb.card_keyboard(row.id))


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(t.CANCELLED)


def build_router() -> Router:
    router = Router(name="suggest_card")
    router.message.register(cancel, Command("cancel"), StateFilter(EditStates))
    typed = F.text & ~F.text.startswith("/") & F.forward_origin.is_(None)  # a new forward is not the edit
    router.message.register(edited_text, EditStates.text, typed)
    router.callback_query.register(
        on_button, SuggestionCb.filter(F.action.in_({"type", "script", "edit", "save", "back"}))
    )
    return router
