"""Loading CRM data: read and check the whole file first, then write it in the caller's transaction, idempotently.

Pass 1 reads the source once (any format, see storage/import_sources), validates every record leniently
(storage/import_format), checks ids and references against the file and the database, and parks the valid records
on disk (storage/import_spool). Any error → nothing is written; the report names the first bad records with file
and line. Pass 2 (storage/import_writer) writes in batches: memory stays flat however big the file is.

A dry run does both passes without writing, so its report is exactly what a real import would do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.import_format import DEFAULT_TZ, ENTITY_MODELS, DepartmentResolver
from storage.import_records import ImportSourceError, RawRecord, RecordSource
from storage.import_report import ImportReport, describe_validation
from storage.import_spool import Spool, Validated
from storage.import_writer import natural_key, write_spool
from storage.models import Client, Colleague

__all__ = ["ImportError_", "ImportOptions", "ImportReport", "import_source", "natural_key"]

_WITH_IDS = ("clients", "deals", "colleagues", "tasks")
_LOOKUP_CHUNK = 500


class ImportError_(Exception):
    """The file was refused; the message names the first bad record, `report` has the first few. Nothing written."""

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class ImportOptions:
    tz: tzinfo = DEFAULT_TZ  # the company's TIMEZONE: moments written without an offset are read in it
    resolve_department: DepartmentResolver | None = None  # free text → the directory's department id
    dry_run: bool = False


def _where(record: RawRecord) -> str:
    ident = record.data.get("id")
    return f"{record.where} (id={ident})" if ident not in (None, "") else record.where


class _References:
    """Ids a record points to that were not (yet) seen in the file; settled against the file and the database."""

    def __init__(self) -> None:
        self.file_ids: dict[str, set[str]] = {entity: set() for entity in _WITH_IDS}
        # (clients|colleagues, id) → [where it was first needed, its position, how many records need it]
        self.pending: dict[tuple[str, str], list[Any]] = {}

    def need(self, target: str, ident: str | None, where: str, position: int) -> None:
        if ident is not None and ident not in self.file_ids[target]:
            self.pending.setdefault((target, ident), [where, position, 0])[2] += 1

    async def settle(self, session: AsyncSession, report: ImportReport) -> None:
        missing = {key: where for key, where in self.pending.items() if key[1] not in self.file_ids[key[0]]}
        for target, model in (("clients", Client), ("colleagues", Colleague)):
            wanted = [ident for (kind, ident) in missing if kind == target]
            known: set[str] = set()
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start : start + _LOOKUP_CHUNK]
                known |= set(await session.scalars(select(model.id).where(model.id.in_(chunk))))
            for ident in wanted:
                if ident not in known:
                    noun = "клиент" if target == "clients" else "сотрудник"
                    where, position, count = missing[(target, ident)]
                    more = f" (на него ссылаются ещё записей: {count - 1})" if count > 1 else ""
                    report.error(f"{where}: {noun} «{ident}» не найден ни в файле, ни в базе{more}", count, position)


def _check(entity: str, model: Any, where: str, position: int, refs: _References, report: ImportReport) -> None:
    """Duplicate ids and references to clients and colleagues."""
    if entity in _WITH_IDS:
        seen = refs.file_ids[entity]
        if model.id in seen:
            report.error(f"{where}: id «{model.id}» повторяется в файле", position=position)
        seen.add(model.id)
    if entity in ("deals", "interactions", "promises", "incidents", "tasks"):
        refs.need("clients", model.client_id, where, position)
    if entity == "tasks":
        for colleague in [model.assignee_id, *model.co_executor_ids]:
            refs.need("colleagues", colleague, where, position)


def _validate(records: Iterable[RawRecord], options: ImportOptions, report: ImportReport, spool: Spool) -> _References:
    refs = _References()
    notes: list[tuple[str, str]] = []
    context = {"tz": options.tz, "resolve_department": options.resolve_department, "notes": notes}
    for position, record in enumerate(records):
        where = _where(record)
        if "__extra_cells__" in record.data:
            message = "в строке больше значений, чем столбцов — проверьте разделитель и кавычки"
            report.error(f"{where}: {message}", position=position)
            continue
        model_type: type[BaseModel] = ENTITY_MODELS[record.entity]
        try:
            model = model_type.model_validate(record.data, context=context)
        except ValidationError as exc:
            report.error(f"{where}: {describe_validation(exc)}", position=position)
            notes.clear()
            continue
        for code, message in notes:
            report.warn(code, f"{where}: {message}")
        notes.clear()
        _check(record.entity, model, where, position, refs, report)
        spool.add(record.entity, Validated(model.model_dump(), frozenset(model.model_fields_set), where))
    return refs


async def import_source(session: AsyncSession, source: RecordSource, options: ImportOptions) -> ImportReport:
    """Check the whole source, then write it (unless a dry run). The caller commits; on ImportError_ it must not."""
    report = ImportReport(source=source.name, kind=source.kind, dry_run=options.dry_run)
    with Spool() as spool:
        try:
            refs = _validate(source.records(), options, report, spool)
        except ImportSourceError as exc:
            report.kind = source.kind
            report.error(str(exc), position=-1)  # the file cannot be read on: this comes first
            raise ImportError_(str(exc), report) from exc
        # A reader learns what its tables are while reading (a CSV that turns out to be an amoCRM export).
        formats = list(dict.fromkeys(source.notes.formats))
        report.kind = source.kind + (f"; {', '.join(formats)}" if formats else "")
        for code, message in source.notes.items:
            report.warn(code, message)
        await refs.settle(session, report)  # also after other errors: all the file's problems in one report
        if not report.ok:
            raise ImportError_(report.errors[0], report)
        await write_spool(session, spool, report, dry_run=options.dry_run)
    return report
