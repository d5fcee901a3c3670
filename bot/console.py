"""The terminal chat: interactive with a prompt, or reading piped stdin (one manager message per line)."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.app import App
from bot.chat.dialogue import ChatReply, build_dialogue
from bot.presenters import html_to_plain
from bot.services.common.notify import OutboxNotifier

BANNER = (
    "Manager Copilot — терминальный чат (без Telegram). Вставьте сообщение клиента или введите команду; "
    "/help — список команд, /exit — выход."
)


def render(replies: list[ChatReply]) -> str:
    blocks = []
    for reply in replies:
        block = html_to_plain(reply.html)
        if reply.options:
            block += "\n" + "\n".join(f"  [{i}] {label}" for i, (label, _) in enumerate(reply.options, 1))
        blocks.append(block)
    return "\n\n".join(blocks)


async def run_console(app: App, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    dialogue = build_dialogue(app)
    interactive = stdin.isatty()
    dialogue.state["interactive"] = interactive
    if app.notifier is None:  # no Telegram here: messages for other people are kept, not sent
        app.notifier = OutboxNotifier()
    if interactive:
        stdout.write("Загружаю модели и базу знаний…\n")
        stdout.flush()
    await app.warm_up()
    async with app.uow() as uow:
        principal = await app.access.local_operator(uow)
    if interactive:
        stdout.write(BANNER + "\n")
    options: list[tuple[str, str]] = []
    while True:
        if interactive:
            stdout.write("\n> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        line = line.strip()
        if line in {"/exit", "/quit", "выход"}:
            break
        if line.isdigit() and options and 1 <= int(line) <= len(options):
            line = options[int(line) - 1][1]  # a numbered choice stands for the command behind it
        try:
            replies = await dialogue.handle(principal, line)
        except Exception:  # a bug must not end the session or show a traceback
            import logging

            logging.getLogger(__name__).exception("chat line failed")
            replies = [ChatReply("Извините, при обработке произошла ошибка. Попробуйте ещё раз или другую команду.")]
        options = [opt for reply in replies for opt in reply.options]
        if replies:
            stdout.write(render(replies) + "\n")
            if not interactive:
                stdout.write("\n")
            stdout.flush()
