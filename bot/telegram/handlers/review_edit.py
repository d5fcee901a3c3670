"""Edit and reject: the supervisor presses the button, then sends the corrected text or the reason as a message.

The waiting is an FSM state (in Redis when configured, so it survives a restart). Commands still work while the
bot waits; /cancel leaves the suggestion in the queue. A text that does not fit (empty, too long) keeps the state
so the person can simply send it again; a suggestion someone else decided meanwhile ends the wait politely.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.app import App
from bot.presenters import esc
from bot.presenters import review as present
from bot.services.common.access import Principal
from bot.services.review import decisions as review
from bot.telegram.handlers.review import ReviewCb, refuse
from bot.telegram.notifier import TelegramNotifier
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class ReviewStates(StatesGroup):
    editing = State()
    rejecting = State()


PROMPTS = {
    "edit": (
        "Пришлите, пожалуйста, исправленный текст предложения №{id} одним сообщением — он уйдёт автору как итоговый. "
        "Текущий текст, чтобы было удобно скопировать:\n<pre>{text}</pre>\nОтмена — /cancel"
    ),
    "rej": "Напишите одним сообщением причину отказа по предложению №{id} — автор её увидит. Отмена — /cancel",
}


async def start(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    state: FSMContext,
    principal: Principal,
    app: App,
    uow: UnitOfWork,
    bot: Bot,
) -> None:
    try:
        suggestion = await review.check_can_decide(app, uow, principal, callback_data.id)
    except review.ReviewError as exc:
        await refuse(callback, exc, drop_buttons=isinstance(exc, review.AlreadyDecided))
        return
    card = [callback.message.chat.id, callback.message.message_id] if callback.message else None
    await state.set_state(ReviewStates.editing if callback_data.action == "edit" else ReviewStates.rejecting)
    await state.update_data(review_id=suggestion.id, review_card=card)
    await callback.answer()
    prompt = PROMPTS[callback_data.action].format(id=suggestion.id, text=esc(suggestion.text))
    await bot.send_message(callback.from_user.id, prompt)


async def _drop_card_buttons(bot: Bot, card: list[int] | None) -> None:
    if not card:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=card[0], message_id=card[1], reply_markup=None)
    except TelegramBadRequest as exc:
        log.debug("could not drop the card's buttons: %s", exc.message)


async def got_text(
    message: Message, state: FSMContext, principal: Principal, app: App, uow: UnitOfWork, bot: Bot
) -> None:
    data = await state.get_data()
    editing = await state.get_state() == ReviewStates.editing.state
    text = message.text or ""
    try:
        result = await review.decide(
            app,
            uow,
            TelegramNotifier(bot),
            principal,
            int(data.get("review_id", 0)),
            "edited" if editing else "rejected",
            app.clock.now(),
            final_text=text if editing else None,
            comment="" if editing else text,
        )
    except review.AlreadyDecided as exc:
        await state.clear()
        await _drop_card_buttons(bot, data.get("review_card"))
        await message.answer(esc(str(exc)))
        return
    except review.ReviewError as exc:
        await message.answer(esc(str(exc)) + "\nПришлите текст ещё раз или отмените: /cancel")
        return
    await state.clear()
    await _drop_card_buttons(bot, data.get("review_card"))
    await message.answer(present.decided_note(result.decision, result.author_notified))


async def not_text(message: Message) -> None:
    await message.answer("Пришлите, пожалуйста, обычное текстовое сообщение — или отмените: /cancel")


async def cancel(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    await state.clear()
    number = data.get("review_id")
    await message.answer(f"Хорошо, отменил. Предложение №{number} остаётся в очереди: /review.")


def build_router() -> Router:
    router = Router(name="review_edit")
    waiting = StateFilter(ReviewStates.editing, ReviewStates.rejecting)
    router.callback_query.register(start, ReviewCb.filter(F.action.in_({"edit", "rej"})))
    router.message.register(cancel, waiting, Command("cancel"))
    router.message.register(got_text, waiting, F.text, ~F.text.startswith("/"))
    router.message.register(not_text, waiting, ~F.text)
    return router
