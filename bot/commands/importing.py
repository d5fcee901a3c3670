"""`python -m bot import PATH [--dry-run]`: load CRM data — a JSON file, a folder or .zip of CSV files, an XLSX
workbook, an amoCRM or Bitrix24 export. Checked whole first; written in one transaction; idempotent by id.

The report (created / updated / unchanged per entity, warnings, the first errors) goes to stdout; a refusal ends
with one line on stderr and exit code 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import with_app
from bot.config import Settings
from storage.importer import ImportError_, ImportReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import", help="загрузить данные CRM: JSON, папка или .zip с CSV, XLSX, выгрузка amoCRM или Битрикс24"
    )
    parser.add_argument("path", type=Path, help="файл или папка (формат — в README, раздел «Импорт»)")
    parser.add_argument(
        "--dry-run", action="store_true", help="только проверить и показать, что изменится, ничего не записывая"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> ImportReport:
        try:
            return await app.services.crm_import.import_file(args.path, dry_run=args.dry_run)
        except ImportError_ as exc:
            if exc.report is not None and exc.report.error_count > 1:
                print(exc.report.text())  # the first errors, so they can all be fixed in one go
            more = f" (и ещё ошибок: {exc.report.error_count - 1})" if exc.report and exc.report.error_count > 1 else ""
            raise CommandError(f"файл не загружен, ничего не изменено — {exc}{more}") from exc

    report = with_app(settings, work)
    print(report.text())
    sys.stdout.flush()
    return 0
