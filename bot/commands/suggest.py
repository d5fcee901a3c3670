"""`python -m bot suggest [TEXT] [--client NAME] [--json]`: the suggestion card for a client message (stdin when no
TEXT), for CRM integrations. The suggestion is stored like one made in Telegram; the message itself is not added
to the client's history (the calling system keeps it)."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import emit, read_text_arg, with_app
from bot.commands.client_lookup import find_client
from bot.config import Settings
from bot.presenters import card as present
from bot.presenters import html_to_plain
from bot.services.knowledge.script_tools import script_tools
from bot.services.suggestions import service as suggestions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "suggest", help="карточка подсказки для сообщения клиента: тип, признаки, ситуация, скрипт, ответ"
    )
    parser.add_argument("text", nargs="?", help="сообщение клиента (без аргумента — из стандартного ввода)")
    parser.add_argument("--client", help="клиент: название, компания, контакт или id — чтобы учесть историю")
    parser.add_argument("--json", action="store_true", help="один JSON-объект вместо текста")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    text = read_text_arg(args.text).strip()
    if not text:
        raise CommandError("пустое сообщение клиента — передайте текст аргументом или через стандартный ввод")

    async def work(app: App) -> dict[str, object]:
        async with app.uow() as uow:
            principal = await app.access.local_operator(uow)
            client = await find_client(uow, principal, args.client) if args.client is not None else None
            tools = await script_tools(app)
            try:
                card = await suggestions.suggest(
                    app, uow, tools, principal, text, client=client, source="cli", record_message=False
                )
            except FileNotFoundError as exc:
                raise CommandError("классификатор не обучен — запустите python -m bot.classifier train") from exc
            return card.as_contract(html_to_plain(present.render(card, settings.tz)))

    emit(with_app(settings, work), args.json)
    return 0
