"""`python -m bot classify [FILE]`: JSON lines (or plain text lines) in, one contract JSON line out each."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli import CommandError
from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "classify", help='тип поведения клиента для каждой строки (JSON {"id","text"} или просто текст)'
    )
    parser.add_argument("file", nargs="?", type=Path, help="файл со строками; без него читается стандартный ввод")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.classifier.cli import run_classify
    from bot.classifier.engine import OfflineClassifier

    classifier = OfflineClassifier.load(settings.project_root)
    if args.file is None:
        run_classify(sys.stdin, sys.stdout, classifier)
        return 0
    try:
        with args.file.open(encoding="utf-8") as lines:
            run_classify(lines, sys.stdout, classifier)
    except FileNotFoundError as exc:
        raise CommandError(f"файл не найден: {args.file}") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"файл не в кодировке UTF-8: {args.file}") from exc
    return 0
