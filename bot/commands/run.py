"""`python -m bot run` (the default): Telegram when a token is set, otherwise the terminal chat."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.app import App, build_app
from bot.config import Settings
from bot.console import run_console


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="запустить бота в Telegram (есть токен) или терминальный чат (нет токена)"
    )
    parser.set_defaults(func=run)


async def _telegram(app: App) -> None:
    from bot.telegram.runner import TelegramRuntime  # aiogram loads only when Telegram is used

    runtime = TelegramRuntime(app)
    if app.settings.webhook_url:
        await runtime.serve_webhook()
    else:
        await runtime.poll()


def run(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> None:
        app = await build_app(settings)
        try:
            if settings.telegram_bot_token is None:
                if sys.stdin.isatty():
                    print("TELEGRAM_BOT_TOKEN не задан — запускаю терминальный чат.", file=sys.stderr)
                await run_console(app)
            else:
                await _telegram(app)
        finally:
            await app.close()

    asyncio.run(main())
    return 0
