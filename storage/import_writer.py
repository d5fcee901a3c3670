"""Pass 2 of an import: validated records written in batches — one SELECT of the rows they touch, then bulk
INSERTs and UPDATEs — counted as created / updated / unchanged. A dry run counts the same and writes nothing.

Rows with ids (clients, colleagues, deals, tasks) are matched by id; rows without (interactions, promises,
incidents) by `natural_key`, a hash of what identifies them. Only the fields the file gave change an existing row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.import_report import ImportReport
from storage.import_spool import Spool, Validated
from storage.models import Base, Client, Colleague, Contact, Deal, Incident, Interaction, Promise, Task

ORDER = ("clients", "colleagues", "deals", "tasks", "interactions", "promises", "incidents")
CONTACT_FIELDS = ("name", "telegram_username", "telegram_user_id", "phone", "email")


def natural_key(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:40]


async def write_spool(session: AsyncSession, spool: Spool, report: ImportReport, *, dry_run: bool) -> None:
    for entity in ORDER:
        seen: set[str] = set()  # natural keys met earlier in this file
        for batch in spool.batches(entity):
            if entity == "clients":
                await _clients(session, batch, report, dry_run)
            elif entity in _BY_ID:
                await _by_id(session, _BY_ID[entity], batch, report, dry_run)
            else:
                model, key_of, mutable = _BY_KEY[entity]
                await _by_key(session, model, key_of, mutable, batch, report, dry_run, seen)


def _changes(row: Any, values: dict[str, Any], given: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in given and row[k] != v}


async def _by_id(
    session: AsyncSession, model: type[Base], batch: list[Validated], report: ImportReport, dry_run: bool
) -> None:
    table = cast(Table, model.__table__)
    columns = sorted({k for rec in batch for k in rec.values if k != "id"})
    ids = [rec.values["id"] for rec in batch]
    stmt = select(table.c.id, *[table.c[c] for c in columns]).where(table.c.id.in_(ids))
    existing = {row["id"]: row for row in (await session.execute(stmt)).mappings()}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for rec in batch:
        row = existing.get(rec.values["id"])
        if row is None:
            inserts.append(rec.values)
            report.count("created", table.name)
        elif changes := _changes(row, rec.values, rec.given):
            updates.append({"id": rec.values["id"], **changes})
            report.count("updated", table.name)
        else:
            report.count("unchanged", table.name)
    if not dry_run:
        if inserts:
            await session.execute(insert(table), inserts)
        if updates:
            await session.execute(update(model), updates)


def _client_columns(rec: Validated) -> tuple[dict[str, Any], frozenset[str]]:
    v = rec.values
    manager = v["manager"]
    values = {"id": v["id"], "name": v["name"], "company": v["company"], "segment": v["segment"], "notes": v["notes"]}
    values |= {
        "manager_id": manager if isinstance(manager, int) else None,
        "manager_key": manager if isinstance(manager, str) else None,
    }
    given = set(rec.given & {"name", "company", "segment", "notes"})
    if "manager" in rec.given:
        given |= {"manager_id", "manager_key"}
    return values, frozenset(given)


def _contact_list(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in CONTACT_FIELDS} for r in rows]


def _merge_contacts(had: list[dict[str, Any]], more: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our contacts plus the file's: one that agrees with a known contact (no field says otherwise) fills its
    blanks instead of becoming a second entry («Мария Козлова» from a deal = «Мария Козлова, +7 915…»)."""
    merged = [dict(c) for c in had]
    for contact in more:
        same = next(
            (
                m
                for m in merged
                if all(contact[k] in (None, "") or m[k] in (None, "") or m[k] == contact[k] for k in CONTACT_FIELDS)
                and any(contact[k] not in (None, "") and m[k] == contact[k] for k in CONTACT_FIELDS)
            ),
            None,
        )
        if same is None:
            merged.append(dict(contact))
        else:
            same.update({k: v for k, v in contact.items() if v not in (None, "") and same[k] in (None, "")})
    return merged


async def _clients(session: AsyncSession, batch: list[Validated], report: ImportReport, dry_run: bool) -> None:
    table, contacts = cast(Table, Client.__table__), cast(Table, Contact.__table__)
    ids = [rec.values["id"] for rec in batch]
    stmt = select(table).where(table.c.id.in_(ids))
    existing = {row["id"]: row for row in (await session.execute(stmt)).mappings()}
    current: dict[str, list[dict[str, Any]]] = {}
    stmt = select(contacts).where(contacts.c.client_id.in_(ids)).order_by(contacts.c.id)
    for contact in (await session.execute(stmt)).mappings():
        current.setdefault(contact["client_id"], []).append({k: contact[k] for k in CONTACT_FIELDS})
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    replaced: list[str] = []
    new_contacts: list[dict[str, Any]] = []
    for rec in batch:
        values, given = _client_columns(rec)
        ident = values["id"]
        row = existing.get(ident)
        had = current.get(ident, [])
        wanted = _contact_list(rec.values["contacts"])
        if rec.values["merge_contacts"]:  # a CRM export names some contacts: add the new ones, keep ours
            wanted = _merge_contacts(had, wanted)
        elif "contacts" not in rec.given:
            wanted = had
        if wanted != had:
            replaced.append(ident)
            new_contacts += [{"client_id": ident, **c} for c in wanted]
        if row is None:
            inserts.append(values)
            report.count("created", "clients")
        elif (changes := _changes(row, values, given)) or wanted != had:
            if changes:
                updates.append({"id": ident, **changes})
            report.count("updated", "clients")
        else:
            report.count("unchanged", "clients")
    if dry_run:
        return
    if inserts:
        await session.execute(insert(table), inserts)
    if updates:
        await session.execute(update(Client), updates)
    if replaced:  # contacts have no ids in the format: the client's list is rewritten when it changes
        await session.execute(delete(contacts).where(contacts.c.client_id.in_(replaced)))
        await session.execute(insert(contacts), new_contacts)


async def _by_key(
    session: AsyncSession,
    model: type[Base],
    key_of: Callable[[dict[str, Any]], str],
    mutable: tuple[str, ...],
    batch: list[Validated],
    report: ImportReport,
    dry_run: bool,
    seen: set[str],
) -> None:
    table = cast(Table, model.__table__)
    keyed: list[tuple[str, Validated]] = []
    for rec in batch:
        key = key_of(rec.values)
        if key in seen:
            report.warn("duplicate", f"{rec.where}: такая же запись уже есть выше в файле — учтена один раз")
            continue
        seen.add(key)
        keyed.append((key, rec))
    stmt = select(table.c.id, table.c.natural_key, *[table.c[c] for c in mutable])
    stmt = stmt.where(table.c.natural_key.in_([key for key, _ in keyed]))
    existing = {row["natural_key"]: row for row in (await session.execute(stmt)).mappings()}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, rec in keyed:
        row = existing.get(key)
        if row is None:
            inserts.append({"natural_key": key, **rec.values, **_EXTRA.get(table.name, {})})
            report.count("created", table.name)
        elif changes := _changes(row, {k: rec.values[k] for k in mutable}, rec.given):
            updates.append({"id": row["id"], **changes})
            report.count("updated", table.name)
        else:
            report.count("unchanged", table.name)
    if not dry_run:
        if inserts:
            await session.execute(insert(table), inserts)
        if updates:
            await session.execute(update(model), updates)


_BY_ID: dict[str, type[Base]] = {"colleagues": Colleague, "deals": Deal, "tasks": Task}
# The same formulas as before the batch writer, so rows loaded by earlier versions are recognised.
_BY_KEY: dict[str, tuple[type[Base], Callable[[dict[str, Any]], str], tuple[str, ...]]] = {
    "interactions": (
        Interaction,
        lambda v: natural_key("interaction", v["client_id"], v["at"].isoformat(), v["direction"], v["text"]),
        ("channel", "author"),
    ),
    "promises": (Promise, lambda v: natural_key("promise", v["client_id"], v["text"], v["due"]), ("kept",)),
    "incidents": (
        Incident,
        lambda v: natural_key("incident", v["client_id"], v["at"].isoformat(), v["kind"], v["text"]),
        (),
    ),
}
_EXTRA = {"interactions": {"source": "import"}}
