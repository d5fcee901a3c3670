"""/review: the queue, the card, "send to review" on a suggestion card, approve, and type correction.

Editing and rejecting need a typed text from the supervisor: see review_edit.py. Every press goes through the
service again (role, team, state), so an old or repeated button is refused politely rather than trusted.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot import texts
from bot.app import App
from bot.presenters import esc
from bot.presenters import review as present
from bot.services.common.access import Principal
from bot.services.common.notify import Buttons
from bot.services.review import decisions as review
from bot.services.review import queue as review_queue
from bot.telegram.keyboards import SuggestionCb
from bot.telegram.notifier import TelegramNotifier, markup
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class ReviewCb(CallbackData, prefix="rv"):
    """action: ok / edit / rej / type / set / back / open / page; id: suggestion id (page number for "page")."""

    action: str
    id: int
    value: str = ""


REVIEWER_ROLES = "руководитель, администратор"


async def refuse(callback: CallbackQuery, exc: Exception, *, drop_buttons: bool = False) -> None:
    await callback.answer(str(exc)[:200], show_alert=True)
    if drop_buttons:
        await set_markup(callback.message, None)


async def set_markup(message: Message | InaccessibleMessage | None, buttons: Buttons | None) -> None:
    if not isinstance(message, Message):
        return
    try:
        await message.edit_reply_markup(reply_markup=markup(buttons))
    except TelegramBadRequest as exc:  # unchanged, or too old to edit: nothing to do
        log.debug("could not change buttons: %s", exc.message)


async def review_command(
    message: Message, command: CommandObject, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    if not principal.can_review:
        await message.answer(esc(texts.NOT_ALLOWED.format(roles=REVIEWER_ROLES)))
        return
    arg = (command.args or "").strip().lstrip("№#")
    try:
        if arg.isdigit():
            card = await review_queue.card(app, uow, principal, int(arg))
            buttons = (
                present.decision_buttons(card.view.suggestion.id, card.view.suggestion.kind)
                if card.can_decide
                else None
            )
            await message.answer(present.card(card.view, app.settings.tz, "Предложение"), reply_markup=markup(buttons))
            return
        if arg:
            await message.answer("Чтобы открыть предложение, укажите его номер: /review 12. Очередь — просто /review.")
            return
        page = await review_queue.queue(app, uow, principal)
    except review.ReviewError as exc:
        await message.answer(esc(str(exc)))
        return
    html, buttons = present.queue_page(page.views, page.page, page.pages, page.total, app.settings.tz)
    await message.answer(html, reply_markup=markup(buttons))


async def turn_page(
    callback: CallbackQuery, callback_data: ReviewCb, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    try:
        page = await review_queue.queue(app, uow, principal, callback_data.id)
    except review.ReviewError as exc:
        await refuse(callback, exc)
        return
    html, buttons = present.queue_page(page.views, page.page, page.pages, page.total, app.settings.tz)
    await callback.answer()
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(html, reply_markup=markup(buttons))
        except TelegramBadRequest:  # the page did not change (a double press)
            pass


async def open_card(
    callback: CallbackQuery, callback_data: ReviewCb, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    try:
        card = await review_queue.card(app, uow, principal, callback_data.id)
    except review.ReviewError as exc:
        await refuse(callback, exc)
        return
    await callback.answer()
    buttons = present.decision_buttons(card.view.suggestion.id, card.view.suggestion.kind) if card.can_decide else None
    if isinstance(callback.message, Message):
        await callback.message.answer(
            present.card(card.view, app.settings.tz, "Предложение"), reply_markup=markup(buttons)
        )


async def submit(
    callback: CallbackQuery, callback_data: SuggestionCb, principal: Principal, app: App, uow: UnitOfWork, bot: Bot
) -> None:
    try:
        result = await review.submit(app, uow, TelegramNotifier(bot), principal, callback_data.id, app.clock.now())
    except review.ReviewError as exc:
        await refuse(callback, exc)
        return
    await callback.answer("Уже на проверке" if result.already_pending else "Отправлено на проверку")
    text = present.submitted(
        result.suggestion, result.already_pending, result.reviewers, result.delivered, app.settings.tz
    )
    await bot.send_message(callback.from_user.id, text)


async def approve(
    callback: CallbackQuery, callback_data: ReviewCb, principal: Principal, app: App, uow: UnitOfWork, bot: Bot
) -> None:
    try:
        result = await review.decide(
            app, uow, TelegramNotifier(bot), principal, callback_data.id, "approved", app.clock.now()
        )
    except review.ReviewError as exc:
        await refuse(callback, exc, drop_buttons=isinstance(exc, review.AlreadyDecided))
        return
    await callback.answer("Одобрено")
    await set_markup(callback.message, None)
    await bot.send_message(callback.from_user.id, present.decided_note(result.decision, result.author_notified))


async def show_types(callback: CallbackQuery, callback_data: ReviewCb, principal: Principal) -> None:
    if not principal.can_review:
        await refuse(callback, review.ReviewError("Уточнять тип клиента могут руководители и администраторы."))
        return
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
    callback: CallbackQuery, callback_data: ReviewCb, principal: Principal, app: App, uow: UnitOfWork, bot: Bot
) -> None:
    new_type = present.TYPE_CODES.get(callback_data.value)
    if new_type is None:
        await refuse(callback, review.ReviewError("Этот вариант устарел — откройте карточку заново: /review."))
        return
    try:
        result = await review.correct_type(
            app, uow, TelegramNotifier(bot), principal, callback_data.id, new_type.value, app.clock.now()
        )
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
    from bot.telegram.handlers import review_edit

    router = Router(name="review")
    router.message.register(review_command, Command("review"))
    router.callback_query.register(submit, SuggestionCb.filter(F.action == "review"))
    router.callback_query.register(turn_page, ReviewCb.filter(F.action == "page"))
    router.callback_query.register(open_card, ReviewCb.filter(F.action == "open"))
    router.callback_query.register(approve, ReviewCb.filter(F.action == "ok"))
    router.callback_query.register(show_types, ReviewCb.filter(F.action == "type"))
    router.callback_query.register(back_to_decision, ReviewCb.filter(F.action == "back"))
    router.callback_query.register(set_type, ReviewCb.filter(F.action == "set"))
    router.include_router(review_edit.build_router())
    return router
