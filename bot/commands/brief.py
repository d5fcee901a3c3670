"""`python -m bot brief CLIENT [--json]`: the pre-call brief for a client (name, company, contact or id)."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import emit, with_app
from bot.commands.client_lookup import find_client
from bot.config import Settings
from bot.presenters import brief as present
from bot.presenters import html_to_plain
from bot.services.clients import call_brief as briefs
from bot.services.knowledge.script_tools import script_tools


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("brief", help="справка перед звонком клиенту (название, контакт или id)")
    parser.add_argument("client", help="клиент: название, компания, имя контакта или id")
    parser.add_argument("--json", action="store_true", help="один JSON-объект вместо текста")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> dict[str, object]:
        async with app.uow() as uow:
            principal = await app.access.local_operator(uow)
            client = await find_client(uow, principal, args.client)
            tools = await script_tools(app)
            try:
                brief = await briefs.build_brief(app, uow, tools, principal, client)
            except FileNotFoundError as exc:
                raise CommandError("классификатор не обучен — запустите python -m bot.classifier train") from exc
            return brief.as_contract(html_to_plain(present.render(brief, settings.tz)))

    emit(with_app(settings, work), args.json)
    return 0
