"""Router-level guards: one role gate per router, driven by the one role table (bot.services.common.access), and
the private-chat filter for client work.

The gate is an inner middleware, so it runs only for an update that one of the router's handlers has taken: a
person without the role hears once, politely, which roles the command is for, and the handler never runs. The
access middleware has already refused strangers and put the `principal` into the handler data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.presenters import esc
from bot.services.common.access import Feature, Principal

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class RoleGate(BaseMiddleware):
    def __init__(self, feature: Feature, refusal: str) -> None:
        self.feature = feature
        self.refusal = refusal

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        principal: Principal | None = data.get("principal")
        if principal is not None and principal.may(self.feature):
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            await event.answer(self.refusal[:200], show_alert=True)
        elif isinstance(event, Message):
            await event.answer(esc(self.refusal))
        return None


def gate(router: Router, feature: Feature, refusal: str) -> Router:
    """Every message and button press this router takes needs a role that the table gives `feature`."""
    middleware = RoleGate(feature, refusal)
    router.message.middleware(middleware)
    router.callback_query.middleware(middleware)
    return router


def private_only(router: Router) -> Router:
    """Client work happens in the private chat with the bot: client data never goes to a group."""
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    return router
