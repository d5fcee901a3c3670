"""`python -m bot import FILE`: load CRM data (validated whole, written in one transaction, idempotent by id)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import with_app
from bot.config import Settings
from bot.services.crm.importing import import_file
from storage.importer import ImportError_


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("import", help="загрузить данные CRM из JSON-файла (повторная загрузка безопасна)")
    parser.add_argument("file", type=Path, help="JSON-файл в формате импорта (см. README)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> str:
        try:
            report = await import_file(app, args.file)
        except ImportError_ as exc:
            raise CommandError(f"файл не загружен, ничего не изменено — {exc}") from exc
        return report.summary()

    print(f"Загружено: {with_app(settings, work)}")
    return 0
