"""Turns a line typed by a person into replies: `/command args` goes to the command's handler, anything else is
treated as a client's message (the suggestion card).

Feature modules register their commands (see CHAT_MODULES); a missing module simply leaves its commands out.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot import texts
from bot.app import App
from bot.services.common.access import Principal
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

CHAT_MODULES = [
    "bot.chat.basics",
    "bot.chat.clients",
    "bot.chat.suggest",
    "bot.chat.tasks",
    "bot.chat.knowledge",
    "bot.chat.review",
]


@dataclass
class ChatReply:
    html: str  # Telegram-flavoured HTML; the terminal strips the tags
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, line to type) shown as numbered choices


@dataclass
class ChatContext:
    app: App
    uow: UnitOfWork
    principal: Principal
    state: dict[str, Any]  # per-session memory: the current client, the last suggestion, a pending question


Handler = Callable[[ChatContext, str], Awaitable[list[ChatReply]]]


class Dialogue:
    def __init__(self, app: App) -> None:
        self.app = app
        self.commands: dict[str, Handler] = {}
        self.descriptions: dict[str, str] = {}
        self.text_handler: Handler | None = None
        self.state: dict[str, Any] = {}

    def command(self, *names: str, description: str = "") -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            for name in names:
                self.commands[name] = handler
            if description:
                self.descriptions[names[0]] = description
            return handler

        return decorate

    def on_text(self, handler: Handler) -> Handler:
        self.text_handler = handler
        return handler

    async def handle(self, principal: Principal, line: str) -> list[ChatReply]:
        line = line.strip()
        if not line:
            return []
        pending = self.state.pop("pending", None)  # a question the bot asked on the previous turn
        async with self.app.uow() as uow:
            ctx = ChatContext(self.app, uow, principal, self.state)
            if line.startswith("/"):
                name, _, args = line[1:].partition(" ")
                handler = self.commands.get(name.lower())
                if handler is None:
                    return [ChatReply(texts.UNKNOWN_COMMAND.format(command=name))]
                return await handler(ctx, args.strip())
            if pending is not None:
                return await pending(ctx, line)
            if self.text_handler is None:
                return [ChatReply(texts.UNKNOWN_COMMAND.format(command=line[:20]))]
            return await self.text_handler(ctx, line)


def build_dialogue(app: App) -> Dialogue:
    dialogue = Dialogue(app)
    for name in CHAT_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(dialogue)
    return dialogue
