"""Outer middlewares: a unit of work per update, access control on every message and button press, throttling;
and the one request middleware that commits an update's work before the bot says anything about it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import SendChatAction, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot import texts
from bot.services.common.access import AccessService
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class _UpdateWork:
    """The unit of work of the update being handled, and the one task allowed to commit it."""

    uow: UnitOfWork
    owner: asyncio.Task[Any] | None


# Set by UnitOfWorkMiddleware for the update's handler (None outside handlers: background jobs, start-up). A task
# started from a handler (the "typing…" indicator of ChatActionSender) copies the context, so the owner is kept
# beside the session: only the handler's own task may commit it.
_current_work: ContextVar[_UpdateWork | None] = ContextVar("current_work", default=None)


@contextmanager
def update_work(uow: UnitOfWork) -> Iterator[None]:
    """Marks `uow` as the current update's unit of work, owned by the calling task."""
    token = _current_work.set(_UpdateWork(uow, asyncio.current_task()))
    try:
        yield
    finally:
        _current_work.reset(token)


class UnitOfWorkMiddleware(BaseMiddleware):
    """One database session per update: committed when the handler finishes, rolled back if it fails; and
    committed earlier, before each request to Telegram (CommitBeforeReplyMiddleware), so the bot never confirms
    what the database does not hold."""

    def __init__(self, uows: UnitOfWorkFactory) -> None:
        self.uows = uows

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.uows() as uow:
            data["uow"] = uow
            with update_work(uow):
                return await handler(event, data)


class CommitBeforeReplyMiddleware(BaseRequestMiddleware):
    """Commits the current update's open transaction before any request to Telegram leaves.

    Without it a handler's "Сохранено" went out first and the commit came after the handler returned: a failed
    commit left the user with a confirmation of something that was never stored. Now a failed commit raises
    before the reply is sent (the error handler then apologises), and work done after a reply starts a new
    transaction that the unit of work commits at the end as before.

    Only a request made by the handler's own task commits. A background task the handler started (the
    "typing…" indicator) runs while the handler is still flushing into the same session: committing from there
    closed the transaction under the handler and lost a quarter of the cards under load. A chat action
    confirms nothing, so it never commits either.
    """

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        work = _current_work.get()
        if work is None or isinstance(method, SendChatAction) or asyncio.current_task() is not work.owner:
            return await make_request(bot, method)
        uow = work.uow
        if uow.session.in_transaction():
            try:
                await uow.commit()
            except Exception:
                await uow.rollback()  # leave the session usable for the error handler's reply
                raise
        return await make_request(bot, method)


class AccessMiddleware(BaseMiddleware):
    """Resolves the person behind every message and button press; strangers get their id and nothing else.

    Runs as an outer middleware on messages and callback queries, so a button drawn for someone yesterday is
    checked again today: roles and visibility are never trusted from the button itself.
    """

    def __init__(self, access: AccessService) -> None:
        self.access = access

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None or user.is_bot:
            return None
        uow = data["uow"]
        # The person's row (a first contact, a new name) is written and committed first, in a transaction of its
        # own: on SQLite a write holds the database's one write lock until commit, and held through the role
        # look-ups and the whole update it made 50 first contacts at once wait in line (1.2 s for the last). identify()
        # then finds the row fresh and writes nothing.
        await uow.users.touch(user.id, user.username, user.full_name)
        await uow.commit()
        principal = await self.access.identify(uow, user.id, user.username, user.full_name)
        if not principal.known:
            attempt = event.text or event.caption or "" if isinstance(event, Message) else ""
            if isinstance(event, CallbackQuery):
                attempt = f"button:{event.data}"
            await self.access.record_refusal(uow, user.id, attempt or "(без текста)")
            reply = texts.NO_ROLE.format(user_id=user.id)
            if isinstance(event, CallbackQuery):
                await event.answer(reply[:200], show_alert=True)
            elif isinstance(event, Message):
                await event.answer(reply)
            return None
        data["principal"] = principal
        return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """A sliding window per person: a forwarded batch of messages passes, a flood does not.

    Beyond `limit` updates in `window` seconds the person is told once to slow down and the extra updates are
    skipped; nothing already accepted is lost.
    """

    def __init__(self, limit: int = 30, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        now = time.monotonic()
        seen = self._seen.setdefault(user.id, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            if user.id not in self._warned and isinstance(event, Message):
                self._warned.add(user.id)
                await event.answer(texts.TOO_FAST)
            log.info("throttled user %s", user.id)
            return None
        self._warned.discard(user.id)
        seen.append(now)
        return await handler(event, data)
