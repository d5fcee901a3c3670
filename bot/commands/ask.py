"""`python -m bot ask QUESTION [--json]`: an answer from the knowledge base with its sources."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import print_json, with_app
from bot.config import Settings
from bot.presenters import html_to_plain
from bot.presenters.knowledge import render_answer
from bot.services.knowledge.ask import QuestionError, ask


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("ask", help="ответ из базы знаний с источниками")
    parser.add_argument("question", nargs="+", help="вопрос")
    parser.add_argument("--json", action="store_true", help="JSON: text, sources, engine")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> None:
        try:
            answer = await ask(app, " ".join(args.question))
        except QuestionError as exc:
            raise CommandError(str(exc)) from exc
        if args.json:
            data = answer.as_dict() | {"text": html_to_plain(render_answer(answer)), "engine": answer.engine}
            print_json(data)
        else:
            print(html_to_plain(render_answer(answer)))

    with_app(settings, work)
    return 0
