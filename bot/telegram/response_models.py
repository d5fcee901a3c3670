"""Keeps aiogram's response models alive, so they are built once per process instead of every few requests.

aiogram reads each answer of the Bot API as `Response[<the method's result type>]`, a pydantic generic model built on
first use. pydantic caches built generics only weakly: after a garbage collection the next request builds the model
again, a few milliseconds of CPU each time — 102 rebuilds in 200 cards under load, about 5 % of the bot's CPU per card
(measured with the load benchmark's crowd in process). This request middleware holds each model the bot has used.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

_PINNED: dict[Any, Any] = {}  # result type → Response[result type]; a handful of entries, one per method used


class PinResponseModels(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in _PINNED:
            _PINNED[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
