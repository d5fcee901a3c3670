"""A table from any file (a CSV file, a sheet of a workbook) and how its rows become records.

A table whose name is an entity («deals.csv», a sheet «Сделки») is in our own format: the headers are the JSON field
names. Any other table is offered to the CRM mappings (storage/crm_formats), which recognise an amoCRM or Bitrix24
export by its Russian headers. A table nobody recognises is skipped with a warning, never guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storage.crm_formats import detect_crm_table
from storage.import_format import ENTITY_MODELS
from storage.import_records import RawRecord, SourceNotes

ENTITY_NAMES = {
    "clients": "clients", "клиенты": "clients", "deals": "deals", "сделки": "deals", "interactions": "interactions",
    "взаимодействия": "interactions", "переписка": "interactions", "promises": "promises", "обещания": "promises",
    "incidents": "incidents", "инциденты": "incidents", "colleagues": "colleagues", "сотрудники": "colleagues",
    "коллеги": "colleagues", "tasks": "tasks", "задачи": "tasks",
}  # fmt: skip
# clients.csv has one row per contact: these columns make the contact, the others the client.
CONTACT_COLUMNS = {
    "contact_name": "name",
    "telegram_username": "telegram_username",
    "telegram_user_id": "telegram_user_id",
    "phone": "phone",
    "email": "email",
}
CLIENT_COLUMNS = {"id", "name", "company", "manager", "segment", "notes", *CONTACT_COLUMNS}


@dataclass
class Table:
    label: str  # «deals.csv», «Лист «Сделки»» — what the person sees in the file
    stem: str  # the name without extension, to recognise the entity
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line number in the file, cells)

    def where(self, line: int) -> str:
        return f"{self.label}, строка {line}"


def normalise_header(header: object) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").split()).lower().replace("ё", "е")


def _cell(value: Any) -> Any:
    """An empty cell is an absent value; text is trimmed; a whole float from a spreadsheet is an integer."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def table_records(table: Table, notes: SourceNotes) -> Iterator[RawRecord]:
    headers = [normalise_header(h) for h in table.headers]
    entity = ENTITY_NAMES.get(normalise_header(table.stem))
    if entity is None:
        spec = detect_crm_table(headers)
        if spec is None:
            notes.add("table", f"{table.label}: не похоже ни на наш формат, ни на выгрузку amoCRM/Битрикс24 — пропущен")
            return
        notes.formats.append(f"{spec.source}: {spec.kind}")
        yield from spec.convert((table.where(line), _row(headers, cells)) for line, cells in table.rows)
        return
    known = set(ENTITY_MODELS[entity].model_fields) | (CLIENT_COLUMNS if entity == "clients" else set())
    names = [h.replace(" ", "_") for h in headers]
    unused = [h for h in names if h and h not in known]
    if unused:
        notes.add("columns", f"{table.label}: столбцы {', '.join(f'«{h}»' for h in unused)} не используются")
    if "id" not in names and entity in ("clients", "deals", "colleagues", "tasks"):
        notes.add("columns", f"{table.label}: нет столбца id — записи без id не загрузятся")
    rows = ((line, _row(names, cells)) for line, cells in table.rows)
    if entity == "clients":
        yield from _clients(table, rows)
        return
    for line, row in rows:
        if row:
            yield RawRecord(entity, row, table.where(line))


def _row(headers: list[str], cells: list[Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for header, value in zip(headers, cells, strict=False):
        value = _cell(value)
        if header and value is not None and header not in row:
            row[header] = value
    if len(cells) > len(headers) and any(_cell(v) is not None for v in cells[len(headers) :]):
        row["__extra_cells__"] = len(cells) - len(headers)
    return row


def _clients(table: Table, rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[RawRecord]:
    """Rows with the same id are one client with several contacts (the file is read whole: one entry per client)."""
    grouped: dict[str, RawRecord] = {}
    for line, row in rows:
        if not row:
            continue
        contact = {target: row.pop(column) for column, target in CONTACT_COLUMNS.items() if column in row}
        ident = row.get("id")
        if ident is None:
            yield RawRecord("clients", row, table.where(line))  # refused by validation, with this line
            continue
        record = grouped.get(str(ident))
        if record is None:
            record = grouped[str(ident)] = RawRecord("clients", {**row, "contacts": []}, table.where(line))
        else:
            for key, value in row.items():
                record.data.setdefault(key, value)
        if contact:
            record.data["contacts"].append(contact)
    yield from grouped.values()
