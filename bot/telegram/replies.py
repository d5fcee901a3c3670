"""Small Telegram replies shared by the handlers: polite refusals of a button press, changing or dropping a
message's buttons, and sending long HTML in parts."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.presenters import client_texts as t
from bot.services.common.access import AccessService, Principal
from bot.services.common.notify import Buttons
from bot.telegram.notifier import markup
from bot.telegram.render import split_message
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def refuse_hidden(callback: CallbackQuery, uow: UnitOfWork, access: AccessService, principal: Principal) -> None:
    """A button for something the presser may not see (someone else's client): refused and audited, no data."""
    await access.record_refusal(uow, principal.user_id, f"button:{callback.data}")
    await callback.answer(t.NOT_VISIBLE_SHORT, show_alert=True)
    if callback.message is not None:
        await callback.message.answer(t.NOT_VISIBLE)


async def refuse(callback: CallbackQuery, exc: Exception, *, drop_buttons: bool = False) -> None:
    """The service said no (the message is safe to show); a stale card loses its buttons."""
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


async def drop_buttons(callback: CallbackQuery) -> None:
    if isinstance(callback.message, Message) and callback.message.reply_markup:
        try:
            await callback.message.edit_reply_markup(reply_markup=None)
        except Exception:  # an old message may no longer be editable: the buttons are checked again anyway
            pass


async def reply(bot: Bot, chat_id: int, html: str, buttons: Buttons | None = None) -> None:
    """Long HTML in parts under Telegram's limit; the buttons go under the last part."""
    parts = split_message(html)
    for i, part in enumerate(parts):
        await bot.send_message(chat_id, part, reply_markup=markup(buttons) if i == len(parts) - 1 else None)
