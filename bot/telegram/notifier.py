"""Notifier over the Bot API: services send messages to people through it."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.common.notify import Buttons
from bot.telegram.render import split_message

log = logging.getLogger(__name__)


def markup(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


class TelegramNotifier:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, user_id: int, html: str, buttons: Buttons | None = None) -> bool:
        parts = split_message(html)
        try:
            for i, part in enumerate(parts):
                last = i == len(parts) - 1
                await self.bot.send_message(user_id, part, reply_markup=markup(buttons) if last else None)
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            # The person never started the bot or blocked it: the caller decides what to tell the sender.
            log.info("cannot deliver to %s: %s", user_id, exc.message)
            return False
        return True

    async def send_photo(self, user_id: int, png: bytes, caption_html: str = "") -> bool:
        try:
            await self.bot.send_photo(user_id, BufferedInputFile(png, "chart.png"), caption=caption_html[:1024] or None)
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            log.info("cannot deliver a photo to %s: %s", user_id, exc.message)
            return False
        return True
