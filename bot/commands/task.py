"""`python -m bot task --to NAME --request TEXT [--deadline DATE] [--client NAME] [--json]`: draft an internal task
brief (PRODUCT.md). `--json` prints one object with `text`, `assignee`, `deadline` (ISO date) and `client`."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import print_json, with_app
from bot.config import Settings
from bot.services.review.decisions import record_suggestion
from bot.services.tasks.answers import resolve_assignee, resolve_client, resolve_deadline
from bot.services.tasks.directory import Directory, load_directory
from bot.services.tasks.drafting import TaskDraft
from bot.services.tasks.extraction import Extraction, ExtractionError, extract
from bot.services.tasks.vague import vague_question


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("task", help="составить задачу коллеге: вежливо, с реальной датой и причиной")
    parser.add_argument("--to", required=True, metavar="NAME", help="коллега (имя или фамилия в любой форме) или отдел")
    parser.add_argument("--request", required=True, metavar="TEXT", help="просьба своими словами, как есть")
    parser.add_argument("--deadline", metavar="DATE", help="срок: 2026-11-27, 27.11, «до пятницы 12:00»")
    parser.add_argument("--client", metavar="NAME", help="клиент, ради которого задача")
    parser.add_argument("--json", action="store_true", help="вывести JSON")
    parser.set_defaults(func=run)


def _apply_options(args: argparse.Namespace, e: Extraction, directory: Directory, app: App) -> None:
    ids, department = resolve_assignee(args.to, directory)
    if len(ids) > 1:
        names = ", ".join(directory.colleagues[i].name for i in ids)
        raise CommandError(f"«{args.to}» подходит нескольким коллегам ({names}) — уточните фамилию")
    if not ids and department is None:
        raise CommandError(
            f"коллега или отдел «{args.to}» не найден в справочнике (список: python -m bot chat → /colleagues)"
        )
    e.assignee_id, e.candidates = (ids[0], []) if ids else (None, [])
    e.department = directory.colleagues[ids[0]].department if ids else department
    e.co_executor_ids = [i for i in e.co_executor_ids if i != e.assignee_id]
    if args.deadline:
        try:
            e.set_deadline(resolve_deadline(args.deadline, app.clock.today()))
        except ExtractionError as exc:
            raise CommandError(str(exc)) from exc
    if args.client:
        found = resolve_client(args.client, directory)
        if not found:
            raise CommandError(f"клиент «{args.client}» не найден в базе")
        if len(found) > 1:
            raise CommandError(f"«{args.client}» подходит нескольким клиентам — уточните название")
        e.client_id = found[0]


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.request.strip():
        raise CommandError("текст просьбы пуст — опишите, что нужно сделать")

    async def work(app: App) -> TaskDraft:
        async with app.uow() as uow:
            directory = await load_directory(uow)
            if not directory.colleagues:
                raise CommandError("справочник коллег пуст — загрузите демо (python -m bot demo) или импортируйте файл")
            e = extract(args.request, directory, app.clock.today())
            _apply_options(args, e, directory, app)
            question = vague_question(e, directory)
            if question is not None:  # the same one question the dialogue asks, as a clear error
                raise CommandError(f"{question[:1].lower()}{question[1:]} (дополните --request)")
            if not e.deliverable:
                raise CommandError("в просьбе не нашлось, что именно нужно сделать — опишите результат подробнее")
            draft = await app.services.task_drafter.draft_brief(uow, e, directory, now=app.clock.now())
            await record_suggestion(uow, kind="task", author_id=None, text=draft.text, input_text=e.request,
                                    engine=draft.engine, client_id=e.client_id)  # fmt: skip
            return draft

    draft = with_app(settings, work)
    if args.json:
        print_json(draft.as_contract())
    else:
        print(draft.text)
        for note in draft.notes:
            print(f"\n[для Вас] {note}")
    return 0
