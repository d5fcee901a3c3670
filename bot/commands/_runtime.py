"""Helpers shared by the command modules: run a coroutine with a built App, print JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.app import App, build_app
from bot.config import Settings

T = TypeVar("T")


def with_app(settings: Settings, work: Callable[[App], Awaitable[T]]) -> T:
    from bot.cli import CommandError
    from bot.startup_checks import ServiceUnreachable, check_services

    async def _main() -> T:
        try:  # an unreachable database is one line, not a traceback from inside Alembic
            await check_services(settings, database_only=True)
        except ServiceUnreachable as exc:
            raise CommandError(str(exc)) from None
        app = await build_app(settings)
        try:
            return await work(app)
        finally:
            await app.close()

    return asyncio.run(_main())


def print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def emit(result: dict[str, Any], as_json: bool) -> None:
    """`--json`: the whole object on one line; otherwise what a person reads (its `text`)."""
    if as_json:
        print_json(result)
    else:
        print(result["text"])


def read_text_arg(text: str | None) -> str:
    """The TEXT argument, or stdin when it is absent."""
    if text is not None:
        return text
    if sys.stdin.isatty():
        from bot.cli import CommandError

        raise CommandError("передайте текст аргументом или через стандартный ввод")
    return sys.stdin.read()
