"""Sending a message to a person from a service (a review request to a supervisor, a task to a colleague, a morning
digest) without the service knowing about Telegram.

The Telegram transport supplies `TelegramNotifier` (bot/telegram/notifier.py); the terminal chat and tests use
`OutboxNotifier`, which keeps what would have been sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

# Rows of (label, callback data); callback data must stay within Telegram's 64 bytes.
Buttons = list[list[tuple[str, str]]]


class Notifier(Protocol):
    async def send(self, user_id: int, html: str, buttons: Buttons | None = None) -> bool:
        """True when delivered; False when the person cannot be reached (never started the bot, blocked it)."""
        ...

    async def send_photo(self, user_id: int, png: bytes, caption_html: str = "") -> bool: ...


@dataclass
class OutboxMessage:
    user_id: int
    html: str
    buttons: Buttons | None = None
    png: bytes | None = None


@dataclass
class OutboxNotifier:
    sent: list[OutboxMessage] = field(default_factory=list)

    async def send(self, user_id: int, html: str, buttons: Buttons | None = None) -> bool:
        self.sent.append(OutboxMessage(user_id, html, buttons))
        return True

    async def send_photo(self, user_id: int, png: bytes, caption_html: str = "") -> bool:
        self.sent.append(OutboxMessage(user_id, caption_html, None, png))
        return True
