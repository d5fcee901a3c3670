"""A small company in the import format, writers for its CSV / zip / XLSX forms, and a snapshot of the database
to compare what different forms of the same data load."""

from __future__ import annotations

import copy
import csv
import json
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from storage.import_sources.open import open_source
from storage.importer import ImportOptions, ImportReport, import_source
from storage.models import Client, Colleague, Contact, Deal, Incident, Interaction, Promise, Task
from storage.uow import UnitOfWorkFactory

# Written as a person would after reading PRODUCT.md — with the four oddities real exports have.
COMPANY: dict[str, Any] = {
    "clients": [
        {
            "id": "c1",
            "name": "Ирина Петрова",
            "company": "ООО Вектор",
            "contacts": [
                {"name": "Ирина", "telegram_username": "@irina", "phone": "+7 900 000-00-00", "email": None},
                {"name": "Павел", "phone": "+7 900 000-00-01"},
            ],
        },
        {"id": "c2", "name": "Стройдом", "company": "АО Стройдом", "contacts": [{"name": "Сергей"}]},
    ],
    "deals": [
        {
            "id": "d1",
            "client_id": "c1",
            "title": "Поставка дверей",
            "amount": "1 200 000,50 руб.",
            "status": "won",
            "created": "2026-10-01",
            "closed": "2026-10-20",
        },
        {"id": "d2", "client_id": "c2", "title": "Стеллажи", "amount": 430000, "status": "open"},
    ],
    "interactions": [
        {
            "client_id": "c1",
            "at": "2026-11-20T10:00:00+03:00",
            "channel": "telegram",
            "direction": "in",
            "author": "Ирина",
            "text": "Когда отгрузка?",
        },
        {"client_id": "c2", "at": "2026-11-21 09:30", "direction": "out", "text": "Отправили счёт"},
    ],
    "promises": [{"client_id": "c1", "text": "Подтвердить дату отгрузки", "due": "2026-11-24", "kept": None}],
    "incidents": [{"client_id": "c1", "at": "2026-10-15", "kind": "delay", "text": "Поставка задержалась на день"}],
    "colleagues": [
        {
            "id": "e1",
            "name": "Павел Логинов",
            "department": "Логистика",
            "telegram_username": "pavel",
            "type": "nonemotional_confident",
            "motivation": None,
        },
        {"id": "e2", "name": "Анна Склярова", "department": "warehouse"},
    ],
    "tasks": [
        {
            "id": "t1",
            "assignee_id": "e1",
            "co_executor_ids": ["e2"],
            "title": "Подтвердить отгрузку",
            "created": "2026-11-01",
            "deadline": "2026-11-03",
            "done": "2026-11-02",
            "overdue_reason": None,
        },
        {"id": "t2", "assignee_id": "e2", "title": "Собрать заказ", "deadline": "2026-11-05", "done": False},
    ],
}

DATA = Path(__file__).resolve().parent / "data"


def company() -> dict[str, Any]:
    return copy.deepcopy(COMPANY)


def write_json(folder: Path, data: dict[str, Any], name: str = "company.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def csv_tables(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The company as CSV tables: clients one row per contact, lists comma-separated, null as an empty cell."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for entity, records in data.items():
        rows = []
        for record in records:
            if entity == "clients":
                base = {k: v for k, v in record.items() if k != "contacts"}
                for contact in record["contacts"] or [{}]:
                    row = dict(base)
                    row["contact_name"] = contact.get("name")
                    row |= {k: contact.get(k) for k in ("telegram_username", "phone", "email")}
                    rows.append(row)
                continue
            rows.append({k: ", ".join(v) if isinstance(v, list) else v for k, v in record.items()})
        tables[entity] = rows
    return tables


def _cell(value: Any) -> Any:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else value


def write_csv_folder(folder: Path, data: dict[str, Any], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for entity, rows in csv_tables(data).items():
        headers = list(dict.fromkeys(k for row in rows for k in row))
        with (folder / f"{entity}.csv").open("w", encoding=encoding, newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            writer.writerow(headers)
            writer.writerows([[_cell(row.get(h)) for h in headers] for row in rows])
    return folder


def write_zip(path: Path, folder: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(folder.glob("*.csv")):
            archive.write(file, f"export/{file.name}")
    return path


def write_xlsx(path: Path, data: dict[str, Any]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for entity, rows in csv_tables(data).items():
        sheet = workbook.create_sheet(entity)
        headers = list(dict.fromkeys(k for row in rows for k in row))
        sheet.append(headers)
        for row in rows:
            sheet.append([None if row.get(h) is None else row.get(h) for h in headers])
    workbook.save(path)
    return path


async def load(uow_factory: UnitOfWorkFactory, path: Path, *, dry_run: bool = False, **options: Any) -> ImportReport:
    async with uow_factory() as uow:
        return await import_source(uow.session, open_source(path), ImportOptions(dry_run=dry_run, **options))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, datetime):
        return value.isoformat()
    return value


async def snapshot(uow_factory: UnitOfWorkFactory) -> dict[str, list[tuple[Any, ...]]]:
    """Every imported row without surrogate ids and timestamps, sorted: equal snapshots = the same database state."""
    skip = {"id", "created_at", "updated_at", "natural_key"}
    tables = {
        "clients": Client,
        "contacts": Contact,
        "deals": Deal,
        "interactions": Interaction,
        "promises": Promise,
        "incidents": Incident,
        "colleagues": Colleague,
        "tasks": Task,
    }
    keep_id = {"clients", "deals", "colleagues", "tasks"}
    state: dict[str, list[tuple[Any, ...]]] = {}
    async with uow_factory() as uow:
        for name, model in tables.items():
            columns = [c for c in model.__table__.columns if c.name not in skip or (c.name == "id" and name in keep_id)]
            rows = (await uow.session.execute(select(*columns))).all()
            state[name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    return state


async def count_rows(uow_factory: UnitOfWorkFactory) -> int:
    return sum(len(rows) for rows in (await snapshot(uow_factory)).values())
