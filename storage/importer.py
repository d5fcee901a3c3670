"""Loading a CRM export: validate the whole file, then write it in one transaction, idempotently by id."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.import_format import ImportFile
from storage.models import Client, Colleague, Contact, Deal, Incident, Interaction, Promise, Task


class ImportError_(Exception):
    """The file was refused; the message names the first bad record. Nothing was written."""


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, kind: str) -> None:
        target = getattr(self, bucket)
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        parts = [
            f"{kind}: +{self.created.get(kind, 0)} ~{self.updated.get(kind, 0)} ={self.unchanged.get(kind, 0)}"
            for kind in kinds
        ]
        return "; ".join(parts) or "файл пуст"


_RU_FIELDS = {"missing": "обязательное поле", "extra_forbidden": "лишнее поле"}


def _describe(error: ValidationError, raw: dict[str, Any]) -> str:
    first = error.errors()[0]
    loc = list(first.get("loc", ()))
    where = ""
    if len(loc) >= 2 and isinstance(loc[1], int):
        section, index = str(loc[0]), loc[1]
        record = raw.get(section, [])[index] if isinstance(raw.get(section), list) else {}
        ident = record.get("id") if isinstance(record, dict) else None
        where = f"{section}[{index}]" + (f" (id={ident})" if ident is not None else "")
        loc = loc[2:]
    field_name = ".".join(str(p) for p in loc) or "запись"
    message = _RU_FIELDS.get(first["type"], str(first.get("msg", "")).removeprefix("Value error, "))
    return f"{where or 'файл'}: поле «{field_name}»: {message}"


def parse_import(text: str) -> ImportFile:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportError_(f"файл не является JSON: строка {exc.lineno}, столбец {exc.colno}: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise ImportError_("ожидается JSON-объект с массивами clients, deals, interactions, …")
    try:
        return ImportFile.model_validate(raw)
    except ValidationError as exc:
        raise ImportError_(_describe(exc, raw)) from exc


def natural_key(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:40]


async def _check_references(session: AsyncSession, data: ImportFile) -> None:
    client_ids = {c.id for c in data.clients}
    colleague_ids = {c.id for c in data.colleagues}
    known_clients = set(await session.scalars(select(Client.id)))
    known_colleagues = set(await session.scalars(select(Colleague.id)))
    seen: set[str] = set()
    for i, c in enumerate(data.clients):
        if c.id in seen:
            raise ImportError_(f"clients[{i}] (id={c.id}): id повторяется в файле")
        seen.add(c.id)
    for section in ("deals", "interactions", "promises", "incidents"):
        for i, rec in enumerate(getattr(data, section)):
            if rec.client_id not in client_ids and rec.client_id not in known_clients:
                ident = f" (id={rec.id})" if hasattr(rec, "id") else ""
                raise ImportError_(f"{section}[{i}]{ident}: клиент «{rec.client_id}» не найден ни в файле, ни в базе")
    for i, task in enumerate(data.tasks):
        if task.client_id is not None and task.client_id not in client_ids and task.client_id not in known_clients:
            raise ImportError_(f"tasks[{i}] (id={task.id}): клиент «{task.client_id}» не найден ни в файле, ни в базе")
        for ref in [task.assignee_id, *task.co_executor_ids]:
            if ref is not None and ref not in colleague_ids and ref not in known_colleagues:
                raise ImportError_(f"tasks[{i}] (id={task.id}): сотрудник «{ref}» не найден ни в файле, ни в базе")


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Copy values onto a row; True when something changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


async def _upsert(session: AsyncSession, model: Any, ident: str, values: dict[str, Any], report: ImportReport) -> Any:
    row = await session.get(model, ident)
    kind = model.__tablename__
    if row is None:
        row = model(id=ident, **values)
        session.add(row)
        report.count("created", kind)
    elif _assign(row, values):
        report.count("updated", kind)
    else:
        report.count("unchanged", kind)
    return row


async def _add_once(session: AsyncSession, model: Any, key: str, values: dict[str, Any], report: ImportReport) -> None:
    kind = model.__tablename__
    row = (await session.scalars(select(model).where(model.natural_key == key))).first()
    if row is None:
        session.add(model(natural_key=key, **values))
        report.count("created", kind)
    elif _assign(row, values):
        report.count("updated", kind)
    else:
        report.count("unchanged", kind)


async def write_import(session: AsyncSession, data: ImportFile) -> ImportReport:
    """Write a validated file. The caller commits (or rolls back) the session."""
    await _check_references(session, data)
    report = ImportReport()
    for c in data.clients:
        manager_id = c.manager if isinstance(c.manager, int) else None
        manager_key = c.manager if isinstance(c.manager, str) else None
        values: dict[str, Any] = {"name": c.name, "company": c.company, "segment": c.segment, "notes": c.notes}
        values |= {"manager_id": manager_id, "manager_key": manager_key}
        client = await _upsert(session, Client, c.id, values, report)
        await session.flush()
        await session.refresh(client, ["contacts"])
        wanted = [ct.model_dump() for ct in c.contacts]
        current = [
            {k: getattr(ct, k) for k in ("name", "telegram_username", "telegram_user_id", "phone", "email")}
            for ct in client.contacts
        ]
        if wanted != current:  # contacts have no ids in the format: the file's list replaces ours
            client.contacts = [Contact(**ct) for ct in wanted]
    for col in data.colleagues:
        await _upsert(session, Colleague, col.id, col.model_dump(exclude={"id"}), report)
    await session.flush()
    for d in data.deals:
        await _upsert(session, Deal, d.id, d.model_dump(exclude={"id"}), report)
    for t in data.tasks:
        await _upsert(session, Task, t.id, t.model_dump(exclude={"id"}), report)
    for it in data.interactions:
        key = natural_key("interaction", it.client_id, it.at.isoformat(), it.direction, it.text)
        await _add_once(session, Interaction, key, it.model_dump() | {"source": "import"}, report)
    for p in data.promises:
        key = natural_key("promise", p.client_id, p.text, p.due)
        await _add_once(session, Promise, key, p.model_dump(), report)
    for inc in data.incidents:
        key = natural_key("incident", inc.client_id, inc.at.isoformat(), inc.kind, inc.text)
        await _add_once(session, Incident, key, inc.model_dump(), report)
    await session.flush()
    return report


def read_import_file(path: Path) -> ImportFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ImportError_(f"файл не найден: {path}") from exc
    except UnicodeDecodeError as exc:
        raise ImportError_(f"файл не в кодировке UTF-8: {path}") from exc
    return parse_import(text)
