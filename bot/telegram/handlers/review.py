"""/review: the queue, the card, approve, and type correction (supervisors and admins). «На проверку» on a
suggestion card or a brief is the suggestion card's router.

Editing and rejecting need a typed text from the supervisor: see review_edit.py (the next router). Every press goes
through the service again (role, team, state), so an old or repeated button is refused politely rather than trusted.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.presenters import esc
from bot.presenters import review as present
from bot.services.common.access import Feature, Principal
from bot.services.common.clock import Clock
from bot.services.common.notify import Notices
from bot.services.review import team as review
from bot.services.review.decisions import Reviews
from bot.telegram.callbacks import ReviewCb
from bot.telegram.filters import gate
from bot.telegram.notifier import markup
from bot.telegram.replies import refuse, set_markup
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def review_command(
    message: Message, command: CommandObject, principal: Principal, reviews: Reviews, clock: Clock, uow: UnitOfWork
) -> None:
    arg = (command.args or "").strip().lstrip("№#")
    try:
        if arg.isdigit():
            card = await reviews.card(uow, principal, int(arg))
            buttons = (
                present.decision_buttons(card.view.suggestion.id, card.view.suggestion.kind)
                if card.can_decide
                else None
            )
            await message.answer(present.card(card.view, clock.tz, "Предложение"), reply_markup=markup(buttons))
            return
        if arg:
            await message.answer("Чтобы открыть предложение, укажите его номер: /review 12. Очередь — просто /review.")
            return
        page = await reviews.queue(uow, principal)
    except review.ReviewError as exc:
        await message.answer(esc(str(exc)))
        return
    html, buttons = present.queue_page(page.views, page.page, page.pages, page.total, clock.tz)
    await message.answer(html, reply_markup=markup(buttons))


async def turn_page(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    principal: Principal,
    reviews: Reviews,
    clock: Clock,
    uow: UnitOfWork,
) -> None:
    try:
        page = await reviews.queue(uow, principal, callback_data.id)
    except review.ReviewError as exc:
        await refuse(callback, exc)
        return
    html, buttons = present.queue_page(page.views, page.page, page.pages, page.total, clock.tz)
    await callback.answer()
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(html, reply_markup=markup(buttons))
        except TelegramBadRequest:  # the page did not change (a double press)
            pass


async def open_card(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    principal: Principal,
    reviews: Reviews,
    clock: Clock,
    uow: UnitOfWork,
) -> None:
    try:
        card = await reviews.card(uow, principal, callback_data.id)
    except review.ReviewError as exc:
        await refuse(callback, exc)
        return
    await callback.answer()
    buttons = present.decision_buttons(card.view.suggestion.id, card.view.suggestion.kind) if card.can_decide else None
    if isinstance(callback.message, Message):
        await callback.message.answer(present.card(card.view, clock.tz, "Предложение"), reply_markup=markup(buttons))


async def approve(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    principal: Principal,
    reviews: Reviews,
    clock: Clock,
    notices: Notices,
    uow: UnitOfWork,
    bot: Bot,
) -> None:
    try:
        result = await reviews.decide(uow, notices, principal, callback_data.id, "approved", clock.now())
    except review.ReviewError as exc:
        await refuse(callback, exc, drop_buttons=isinstance(exc, review.AlreadyDecided))
        return
    await callback.answer("Одобрено")
    await set_markup(callback.message, None)
    await bot.send_message(callback.from_user.id, present.decided_note(result.decision, result.author_notified))


async def show_types(callback: CallbackQuery, callback_data: ReviewCb, principal: Principal) -> None:
    await callback.answer("Выберите тип клиента")
    await set_markup(callback.message, present.type_buttons(callback_data.id))


async def back_to_decision(callback: CallbackQuery, callback_data: ReviewCb, uow: UnitOfWork) -> None:
    suggestion = await uow.suggestions.get(callback_data.id)
    await callback.answer()
    if suggestion is None or suggestion.status != "pending":
        await set_markup(callback.message, None)
        return
    await set_markup(callback.message, present.decision_buttons(suggestion.id, suggestion.kind))


async def set_type(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    principal: Principal,
    reviews: Reviews,
    clock: Clock,
    notices: Notices,
    uow: UnitOfWork,
    bot: Bot,
) -> None:
    new_type = present.TYPE_CODES.get(callback_data.value)
    if new_type is None:
        await refuse(callback, review.ReviewError("Этот вариант устарел — откройте карточку заново: /review."))
        return
    try:
        result = await reviews.correct_type(uow, notices, principal, callback_data.id, new_type.value, clock.now())
    except review.ReviewError as exc:
        await refuse(callback, exc)
        return
    await callback.answer(f"Тип: {present.type_name(result.new)}")
    pending = result.suggestion.status == "pending"
    await set_markup(
        callback.message, present.decision_buttons(result.suggestion.id, result.suggestion.kind) if pending else None
    )
    saved = "; метка сохранена для обучения классификатора" if result.label_stored else ""
    await bot.send_message(callback.from_user.id, esc(f"Тип клиента уточнён: {present.type_name(result.new)}{saved}."))


def build_router() -> Router:
    router = gate(Router(name="review"), Feature.REVIEW, texts.not_allowed(Feature.REVIEW))
    router.message.register(review_command, Command("review"))
    router.callback_query.register(turn_page, ReviewCb.filter(F.action == "page"))
    router.callback_query.register(open_card, ReviewCb.filter(F.action == "open"))
    router.callback_query.register(approve, ReviewCb.filter(F.action == "ok"))
    router.callback_query.register(show_types, ReviewCb.filter(F.action == "type"))
    router.callback_query.register(back_to_decision, ReviewCb.filter(F.action == "back"))
    router.callback_query.register(set_type, ReviewCb.filter(F.action == "set"))
    return router
