"""`python -m bot demo`: load the demo company (clients with history, colleagues with task history)."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.commands._runtime import with_app
from bot.config import Settings
from bot.services.crm.importing import import_file

DEMO_FILE = "datasets/demo_company.json"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="загрузить демо-компанию «ТехноСнаб» (клиенты, история, коллеги, задачи)"
    )
    parser.add_argument("--if-empty", action="store_true", help="только если в базе ещё нет клиентов")
    parser.add_argument(
        "--skip-with-token", action="store_true", help="не загружать, если задан TELEGRAM_BOT_TOKEN (рабочий бот)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.skip_with_token and settings.telegram_bot_token is not None:
        return 0  # a production bot: its data comes from the CRM, not from the demo

    async def work(app: App) -> str:
        if args.if_empty:
            async with app.uow() as uow:
                if await uow.clients.count():
                    return "в базе уже есть клиенты — демо-данные не загружались"
        report = await import_file(app, settings.project_root / DEMO_FILE)
        return f"демо-компания загружена ({report.summary()})"

    print(with_app(settings, work))
    return 0
