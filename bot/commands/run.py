"""`python -m bot run` (the default): Telegram when a token is set, otherwise the terminal chat."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.app import App, build_app
from bot.config import Settings
from bot.console import run_console
from bot.startup_checks import StartupRefused, check_services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="запустить бота в Telegram (есть токен) или терминальный чат (нет токена)"
    )
    parser.add_argument(
        "--standby",
        action="store_true",
        help="если бот с этим токеном уже запущен, ждать как резервный экземпляр и подхватить работу",
    )
    parser.set_defaults(func=run, standby=False)


async def _telegram(app: App, standby: bool) -> None:
    from bot.telegram.runner import TelegramRuntime  # aiogram loads only when Telegram is used

    runtime = TelegramRuntime(app, standby=standby)
    if app.settings.webhook_url:
        await runtime.serve_webhook()
    else:
        await runtime.poll()


def run(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> None:
        await check_services(settings)  # an unreachable service is one clear line, not a traceback
        app = await build_app(settings)
        try:
            if settings.telegram_bot_token is None:
                if sys.stdin.isatty():
                    print("TELEGRAM_BOT_TOKEN не задан — запускаю терминальный чат.", file=sys.stderr)
                await run_console(app)
            else:
                await _telegram(app, bool(getattr(args, "standby", False)))
        finally:
            await app.close()

    try:
        asyncio.run(main())
    except StartupRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0
