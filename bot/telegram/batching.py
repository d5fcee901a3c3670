"""Forwarded messages that arrive together are one client message.

Telegram delivers a forward of several messages as separate updates a few milliseconds apart, and aiogram handles
updates concurrently. The first message of a chat opens a batch and waits until the chat has been quiet for
`quiet` seconds (at most `max_wait`); the others join it and return at once. The first handler then gets the whole
batch in message order. State lives in the router's own Batcher, so each dispatcher (and test) has its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiogram.types import Message

QUIET_SECONDS = 1.5
MAX_WAIT_SECONDS = 8.0


@dataclass
class _Batch:
    messages: list[Message]
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class Batcher:
    def __init__(self, quiet: float = QUIET_SECONDS, max_wait: float = MAX_WAIT_SECONDS) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self._open: dict[int, _Batch] = {}

    def is_open(self, chat_id: int) -> bool:
        return chat_id in self._open

    async def collect(self, chat_id: int, message: Message) -> list[Message] | None:
        """The whole batch for the handler that opened it; None for the ones that joined an open batch."""
        batch = self._open.get(chat_id)
        if batch is not None:
            batch.messages.append(message)
            batch.arrived.set()
            return None
        batch = _Batch([message])
        self._open[chat_id] = batch
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        try:
            while loop.time() < deadline:
                batch.arrived.clear()
                try:
                    await asyncio.wait_for(batch.arrived.wait(), timeout=min(self.quiet, deadline - loop.time()))
                except TimeoutError:
                    break  # quiet long enough: the batch is complete
        finally:
            del self._open[chat_id]
        return sorted(batch.messages, key=lambda m: m.message_id)
