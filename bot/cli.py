"""The command line: `python -m bot [COMMAND]` (PRODUCT.md, "Command line").

Settings are built here once and passed down. A wrong setting or bad input ends with one clear line on stderr and
a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.config import Settings, describe_error
from bot.native_threads import limit_native_threads
from bot.observability.logs import keep_client_data_out_of_logs

COMMAND_MODULES = [
    "bot.commands.run",
    "bot.commands.chat",
    "bot.commands.classify",
    "bot.commands.importing",
    "bot.commands.suggest",
    "bot.commands.brief",
    "bot.commands.task",
    "bot.commands.eval_tasks",
    "bot.commands.eval_cards",
    "bot.commands.demo",
    "bot.commands.index",
    "bot.commands.ask",
    "bot.commands.evaluate",
    "bot.commands.train",
    "bot.commands.bench",
    "bot.commands.labels",
]


class CommandError(Exception):
    """Bad input or a missing prerequisite: printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Manager Copilot — помощник для работы с клиентами и коллегами (Telegram, терминал, CLI).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="подробный журнал в stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command still being built: leave it out of the menu
                continue
            raise
        module.register(subparsers)
    return parser


def configure_logging(settings: Settings, verbose: bool) -> None:
    level = logging.DEBUG if verbose else getattr(logging, settings.log_level)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)  # basicConfig leaves the level alone when a handler is already installed
    keep_client_data_out_of_logs()
    if not verbose:  # third-party chatter hides the bot's own lines
        for noisy in ("aiogram.event", "alembic", "chromadb", "httpx", "aiohttp.access", "pymorphy3"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "run"])
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 2
    configure_logging(settings, args.verbose)
    limit_native_threads()
    try:
        return int(args.func(args, settings) or 0)
    except CommandError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
