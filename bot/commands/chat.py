"""`python -m bot chat`: the terminal chat (interactive, or piped stdin: one manager message per line)."""

from __future__ import annotations

import argparse

from bot.commands._runtime import with_app
from bot.config import Settings
from bot.console import run_console


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("chat", help="терминальный чат (читает и стандартный ввод: одно сообщение в строке)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with_app(settings, run_console)
    return 0
