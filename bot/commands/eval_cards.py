"""`python -m bot eval-cards PATH... [--half tune|report|all] [--out FILE]`: the cards for a set of client messages,
written for a blind reader (docs/QUALITY_READING.md).

Each line of a set is `{"id", "text", "crm": null | {"client", "deals", "promises", "incidents", "interactions"}}`.
The run uses a database of its own in a temporary folder: every message with a CRM excerpt gets its client imported
first, so the card sees exactly the history the reader sees. The output is Markdown: the message, the CRM excerpt and
the card as a manager would read it — nothing about the code or the expected answer.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import with_app
from bot.config import Settings
from bot.presenters import card as present
from bot.presenters import html_to_plain
from bot.services.crm.importing import import_file
from bot.services.knowledge.script_tools import script_tools
from bot.services.suggestions import service as suggestions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("eval-cards", help="карточки для набора сообщений клиентов — для слепого чтения")
    parser.add_argument("paths", nargs="+", type=Path, help="файлы JSONL или папки с ними")
    parser.add_argument(
        "--half", choices=["tune", "report", "all"], default="all", help="нечётные id — tune, чётные — report"
    )
    parser.add_argument("--out", type=Path, help="файл Markdown (по умолчанию — стандартный вывод)")
    parser.set_defaults(func=run)


def _rows(paths: list[Path], half: str) -> list[dict[str, Any]]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"нет такого файла или папки: {path}")
    rows: list[dict[str, Any]] = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                digits = int("".join(ch for ch in str(row["id"]) if ch.isdigit()) or 0)
            except (ValueError, KeyError) as exc:
                raise CommandError(f"{file.name}, строка {number}: не JSON с полем id ({exc})") from None
            if half == "all" or (half == "tune") == (digits % 2 == 1):
                rows.append(row)
    return rows


def _crm_file(row: dict[str, Any], folder: Path) -> Path | None:
    crm = row.get("crm")
    if not crm:
        return None
    client_id = f"eval-{row['id']}"
    client = dict(crm.get("client") or {})
    data: dict[str, Any] = {
        "clients": [
            {
                "id": client_id,
                "name": client.get("name") or client.get("company") or client_id,
                "company": client.get("company") or client.get("name"),
                "contacts": [{"name": client["contact"]}] if client.get("contact") else [],
            }
        ],
        "deals": [
            {**d, "id": f"{client_id}-d{i}", "client_id": client_id} for i, d in enumerate(crm.get("deals") or [])
        ],
        "promises": [{**p, "client_id": client_id} for p in crm.get("promises") or []],
        "incidents": [{**x, "client_id": client_id} for x in crm.get("incidents") or []],
        "interactions": [
            {"channel": "email", "author": "", **x, "client_id": client_id} for x in crm.get("interactions") or []
        ],
    }
    for key in ("deals", "incidents", "interactions"):
        for record in data[key]:
            for field in ("at",):  # a date alone: noon in the company's zone
                value = record.get(field)
                if isinstance(value, str) and len(value) == 10:
                    record[field] = f"{value}T12:00:00+03:00"
    path = folder / f"{client_id}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(args: argparse.Namespace, settings: Settings) -> int:
    rows = _rows(args.paths, args.half)
    if not rows:
        raise CommandError("в наборе нет сообщений")
    with tempfile.TemporaryDirectory(prefix="eval-cards-") as tmp:
        folder = Path(tmp)
        isolated = settings.model_copy(update={"data_dir": folder / "var", "database_url": None})

        async def work(app: App) -> list[str]:
            blocks: list[str] = []
            tools = await script_tools(app)
            for row in rows:
                crm_path = _crm_file(row, folder)
                if crm_path is not None:
                    await import_file(app, crm_path)
                async with app.uow() as uow:
                    principal = await app.access.local_operator(uow)
                    client = await uow.clients.get(f"eval-{row['id']}") if crm_path else None
                    card = await suggestions.suggest(
                        app, uow, tools, principal, row["text"], client=client, source="cli", record_message=False
                    )
                    rendered = html_to_plain(present.render(card, settings.tz))
                crm = json.dumps(row.get("crm"), ensure_ascii=False, indent=1) if row.get("crm") else "нет данных"
                blocks.append(
                    f"## {row['id']}\n\n**Сообщение клиента:**\n\n> "
                    + "\n> ".join(str(row["text"]).splitlines())
                    + f"\n\n**Данные CRM, которые видел бот:**\n\n```\n{crm}\n```\n"
                    + f"\n**Карточка:**\n\n```\n{rendered}\n```\n"
                )
            return blocks

        blocks = with_app(isolated, work)
    text = f"# Карточки для чтения ({len(blocks)})\n\n" + "\n".join(blocks)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"Записано карточек: {len(blocks)} → {args.out}")
    else:
        print(text)
    return 0
