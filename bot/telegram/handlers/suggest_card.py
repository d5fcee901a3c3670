"""Buttons of the suggestion card: another type, another script, edit, save to history, and «На проверку» (on a
brief too). Each press loads the suggestion again and checks its client is visible to the presser.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain import BehaviourType, Situation
from bot.presenters import card as present
from bot.presenters import client_texts as t
from bot.presenters import review as present_review
from bot.services.common.access import AccessService, Feature, Principal
from bot.services.common.clock import Clock
from bot.services.common.notify import Notices
from bot.services.review import team as review
from bot.services.review.decisions import Reviews
from bot.services.suggestions import actions as suggestion_actions
from bot.services.suggestions.service import Suggestions
from bot.telegram import client_keyboards as kb
from bot.telegram.callbacks import SuggestionCb
from bot.telegram.filters import gate, private_only
from bot.telegram.replies import refuse as refuse_with
from bot.telegram.replies import refuse_hidden as refuse
from bot.telegram.states import EditStates
from storage.uow import UnitOfWork


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
    access: AccessService,
    suggestions: Suggestions,
    clock: Clock,
    uow: UnitOfWork,
    state: FSMContext,
) -> None:
    row = await suggestion_actions.visible_suggestion(uow, principal, callback_data.id)
    if row is None or row.kind != "reply" or not isinstance(callback.message, Message):
        await refuse(callback, uow, access, principal)
        return
    action, value, tz = callback_data.action, callback_data.value, clock.tz
    if action == "edit":
        await state.set_state(EditStates.text)
        await state.update_data(edit_suggestion=row.id)
        await callback.answer()
        await callback.message.answer(t.ASK_EDIT)
        return
    if action == "save":
        saved = await suggestion_actions.save_to_history(uow, principal, row, clock.now())
        await callback.answer(t.SAVED if saved else t.SAVE_NEEDS_CLIENT[:200], show_alert=not saved)
        return
    await callback.answer()
    if action == "type" and value in BehaviourType.__members__.values():
        card = await suggestions.rerender(uow, principal, row, type_=BehaviourType(value))
    elif action == "script" and value in Situation.__members__.values():
        card = await suggestions.rerender(uow, principal, row, situation=Situation(value))
    else:
        card = await suggestions.load_card(uow, row)
        if action == "type":  # no value yet: the picker
            await _show(callback.message, present.type_picker_text(card), kb.type_picker(row.id))
            return
        if action == "script":
            await _show(
                callback.message, present.situation_picker_text(card), kb.situation_picker(row.id, card.situation)
            )
            return
    await _show(callback.message, present.render(card, tz), kb.card_keyboard(row.id))


async def submit_for_review(
    callback: CallbackQuery,
    callback_data: SuggestionCb,
    principal: Principal,
    reviews: Reviews,
    clock: Clock,
    notices: Notices,
    uow: UnitOfWork,
    bot: Bot,
) -> None:
    try:
        result = await reviews.submit(uow, notices, principal, callback_data.id, clock.now())
    except review.ReviewError as exc:
        await refuse_with(callback, exc)
        return
    await callback.answer("Уже на проверке" if result.already_pending else "Отправлено на проверку")
    text = present_review.submitted(
        result.suggestion, result.already_pending, result.reviewers, result.delivered, clock.tz
    )
    await bot.send_message(callback.from_user.id, text)


async def edited_text(
    message: Message, principal: Principal, suggestions: Suggestions, clock: Clock, uow: UnitOfWork, state: FSMContext
) -> None:
    data = await state.get_data()
    await state.clear()
    row = await suggestion_actions.visible_suggestion(uow, principal, int(data.get("edit_suggestion", 0)))
    if row is None:
        await message.answer(t.NOT_VISIBLE)
        return
    holder = await suggestion_actions.set_final_text(uow, principal, row, message.text or "", clock.now())
    card = await suggestions.load_card(uow, holder)
    await message.answer(t.EDIT_SAVED if holder is row else t.EDIT_REVISED)
    await message.answer(present.render(card, clock.tz), reply_markup=kb.card_keyboard(holder.id))


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(t.CANCELLED)


def build_router() -> Router:
    router = private_only(gate(Router(name="suggest_card"), Feature.CLIENTS, t.CLIENTS_ONLY))
    router.message.register(cancel, Command("cancel"), StateFilter(EditStates))
    typed = F.text & ~F.text.startswith("/") & F.forward_origin.is_(None)  # a new forward is not the edit
    router.message.register(edited_text, EditStates.text, typed)
    router.callback_query.register(
        on_button, SuggestionCb.filter(F.action.in_({"type", "script", "edit", "save", "back"}))
    )
    router.callback_query.register(submit_for_review, SuggestionCb.filter(F.action == "review"))
    return router
