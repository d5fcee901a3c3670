"""Handling updates from the inbox: at least once, and once only for each update_id.

The transport (polling or webhook) stores each update in the inbox (storage/inbox.py) before Telegram hears it
arrived, then hands it here. An update is claimed, handled by the dispatcher, and marked done; one the bot died
on is resumed at the next start; one that keeps killing the bot is given up after MAX_ATTEMPTS with one apology.

A dependency that is unreachable (PostgreSQL, Redis, a Chroma server: bot/infra_faults.py) does not turn into a
generic apology: the person hears once that the service is briefly unavailable, the update stays pending, and it
is retried with a growing pause until the service is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from bot.infra_faults import is_transient
from storage.inbox import DONE, FAILED, Claim, UpdateInbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # handler runs of one update (a run the process died in counts) before it is given up
LEASE = timedelta(seconds=60)  # how long a claim keeps other instances off an update; renewed while it runs
HEARTBEAT_EVERY = 20.0  # seconds between lease renewals of the updates in flight
SWEEP_EVERY = 15.0  # seconds between looks for pending updates nobody handles (another instance died)
PRUNE_EVERY = 3600.0
KEEP_FINISHED = timedelta(days=3)  # Telegram redelivers an unconfirmed update for 24 hours at most
RETRY_FIRST, RETRY_MAX = 1.0, 15.0  # seconds between retries while a dependency is unreachable

UNAVAILABLE = (
    "Сервис ненадолго недоступен: не отвечает база данных или хранилище. Ваше сообщение не потеряется — "
    "я отвечу на него сам, как только работа восстановится; отправлять его ещё раз не нужно."
)
UNAVAILABLE_SHORT = "Сервис ненадолго недоступен. Я отвечу, как только он заработает."
GAVE_UP = (
    "Извините, Ваше сообщение не удалось обработать после нескольких попыток. Пожалуйста, отправьте его ещё раз; "
    "если не получится снова, сообщите администратору."
)


def to_payload(update: Update) -> dict[str, Any]:
    """The update as Telegram's JSON (field aliases such as `from`), to store and parse again later."""
    return update.model_dump(mode="json", exclude_unset=True, by_alias=True)


def chat_of(update: Update) -> int | None:
    """The chat to tell something about this update, if it has one."""
    if update.callback_query is not None:
        query = update.callback_query
        return query.message.chat.id if query.message is not None else query.from_user.id
    for message in (update.message, update.edited_message):
        if message is not None:
            return message.chat.id
    return None


def _delays() -> Iterator[float]:
    delay = RETRY_FIRST
    while True:
        yield delay
        delay = min(delay * 2, RETRY_MAX)


class UpdateProcessor:
    def __init__(self, dp: Dispatcher, bot: Bot, inbox: UpdateInbox, *, steal: bool) -> None:
        self.dp = dp
        self.bot = bot
        self.inbox = inbox
        # Polling holds the instance lock: nobody else handles updates, so leases of a dead process are ignored.
        self.steal = steal
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._told: set[int] = set()  # chats told about the current outage
        self._housekeeping: list[asyncio.Task[None]] = []

    # Life cycle ------------------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Resume what a previous run left pending, then keep leases fresh and look for orphans."""
        await self.resume(steal=self.steal)
        self._housekeeping = [
            asyncio.create_task(self._every(HEARTBEAT_EVERY, self._heartbeat), name="inbox-heartbeat"),
            asyncio.create_task(self._every(SWEEP_EVERY, self.resume), name="inbox-sweep"),
            asyncio.create_task(self._every(PRUNE_EVERY, self._prune), name="inbox-prune"),
        ]

    async def stop(self, grace: float = 10.0) -> None:
        """Let the updates in flight finish for a while; what is cut short stays pending for the next start."""
        for task in self._housekeeping:
            task.cancel()
        await asyncio.gather(*self._housekeeping, return_exceptions=True)
        self._housekeeping = []
        running = list(self._tasks.values())
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    def in_flight(self) -> set[asyncio.Task[None]]:
        return set(self._tasks.values())

    async def resume(self, *, steal: bool = False) -> None:
        try:
            pending = await self.inbox.resumable(steal=steal)
        except Exception as exc:
            if not is_transient(exc):
                raise
            return  # the next sweep looks again
        for update_id in pending:
            self.submit(update_id)

    # Handling --------------------------------------------------------------------------------------------------
    async def accept(self, updates: list[tuple[Update, dict[str, Any]]]) -> set[int]:
        """Store updates (with their raw JSON) and handle the new ones; the ids that were new. Raises when the
        inbox is unreachable: the caller must not confirm them then."""
        fresh = await self.inbox.accept([(u.update_id, raw) for u, raw in updates], claim_for=LEASE)
        for update, _ in updates:
            if update.update_id in fresh:
                self.submit(update.update_id, update, claimed=True)
            else:
                log.info("update %s delivered again: already in the inbox", update.update_id)
        return fresh

    def submit(self, update_id: int, update: Update | None = None, *, claimed: bool = False) -> None:
        """Handle a stored update in the background (ignored if this process already handles it). `claimed`:
        `update` was just stored and claimed by this process (its first attempt)."""
        if update_id in self._tasks:
            return
        first = Claim(update_id, {}, 1) if claimed and update is not None else None
        task = asyncio.create_task(self._run(update_id, update, first), name=f"update-{update_id}")
        self._tasks[update_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(update_id, None))

    async def _run(self, update_id: int, known: Update | None, first: Claim | None) -> None:
        try:
            await self._handle(update_id, known, first)
        except Exception:  # not an outage and not the handler's (the error handler has those): keep it pending
            log.exception("update %s could not be taken from the inbox; the next sweep tries again", update_id)

    async def _handle(self, update_id: int, known: Update | None, first: Claim | None) -> None:
        delays = _delays()
        counted = True
        while True:
            claim, first = first, None
            try:
                if claim is None:
                    claim = await self.inbox.claim(update_id, lease=LEASE, count_attempt=counted, steal=self.steal)
            except Exception as exc:
                if not is_transient(exc):
                    raise
                await self._wait_out(known, exc, next(delays))
                counted = False  # the handler never ran: this retry is not another attempt
                continue
            if claim is None:
                return  # done already, or another instance has it
            if claim.payload or known is None:
                try:
                    known = Update.model_validate(claim.payload, context={"bot": self.bot})
                except ValueError:
                    log.error("update %s cannot be read back from the inbox; dropped", update_id)
                    await self._finish(update_id, FAILED, "unreadable update")
                    return
            update = known
            if claim.attempts > MAX_ATTEMPTS:
                await self._give_up(update, claim.attempts)
                return
            try:
                response = await self.dp.feed_update(self.bot, update)
                if isinstance(response, TelegramMethod):  # a handler may answer the webhook way
                    await self.bot(response)
            except Exception as exc:
                if is_transient(exc):
                    await self._wait_out(update, exc, next(delays))
                    counted = False
                    continue
                # The error handler takes every other error; this one escaped it (its own reply failed).
                log.exception("update %s failed outside the error handler", update_id)
                await self._finish(update_id, FAILED, type(exc).__name__)
                return
            self._told.clear()  # a handler got through: the outage, if there was one, is over
            await self._finish(update_id, DONE)
            return

    async def _finish(self, update_id: int, status: str, error: str | None = None) -> None:
        """Mark the update finished; while the database is away keep trying (handling it again would answer
        twice)."""
        delays = _delays()
        while True:
            try:
                await self.inbox.finish(update_id, status, error)
                return
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning("update %s handled, but the inbox is unreachable (%s)", update_id, type(exc).__name__)
                await asyncio.sleep(next(delays))

    async def _give_up(self, update: Update, attempts: int) -> None:
        log.error("update %s given up after %d attempts", update.update_id, attempts - 1)
        await self._finish(update.update_id, FAILED, f"gave up after {attempts - 1} attempts")
        chat = chat_of(update)  # marked first: the apology is said at most once
        if chat is not None:
            with contextlib.suppress(Exception):
                await self.bot.send_message(chat, GAVE_UP, parse_mode=None)

    async def _wait_out(self, update: Update | None, exc: BaseException, delay: float) -> None:
        log.warning("a service is unreachable (%s); update kept, retry in %.0f s", _describe(exc), delay)
        if update is not None:
            await self.tell_unavailable(update)
        await asyncio.sleep(delay)

    async def tell_unavailable(self, update: Update) -> None:
        """Once per chat and outage: the service is briefly unavailable and nothing is lost."""
        query = update.callback_query
        if query is not None:  # stop the button's spinner every time
            with contextlib.suppress(Exception):
                await self.bot.answer_callback_query(query.id, UNAVAILABLE_SHORT)
        chat = chat_of(update)
        if chat is None or chat in self._told:
            return
        self._told.add(chat)
        try:
            await self.bot.send_message(chat, UNAVAILABLE, parse_mode=None)
        except Exception as exc:  # Telegram itself unreachable: nothing more to say now
            log.warning("could not tell chat about the outage: %s", type(exc).__name__)

    # Housekeeping ----------------------------------------------------------------------------------------------
    async def _heartbeat(self) -> None:
        await self.inbox.extend(list(self._tasks), LEASE)

    async def _prune(self) -> None:
        removed = await self.inbox.prune(KEEP_FINISHED)
        if removed:
            log.info("inbox: %d finished update(s) forgotten", removed)

    @staticmethod
    async def _every(seconds: float, work: Any) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await work()
            except Exception as exc:
                if is_transient(exc):
                    continue
                log.exception("inbox housekeeping failed")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__name__}"
