"""Importing CRM data: the storage importer inside one unit of work, with the company's time zone and department
directory, and an audit entry for every real import.

The same function serves the command line (`import PATH [--dry-run]`) and the bot (a file sent by an admin is
checked first, then applied with a button). On a refused file nothing is written and ImportError_ carries the
report with the first errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.services.tasks.commitments import load_commitments
from storage.import_sources.base import ImportSourceError, RecordSource
from storage.import_sources.open import open_source
from storage.importer import ImportError_, ImportOptions, ImportReport, import_source

if TYPE_CHECKING:
    from bot.app import App
    from storage.uow import UnitOfWork


async def import_file(
    app: App,
    path: Path,
    *,
    actor_id: int | None = None,
    dry_run: bool = False,
    name: str | None = None,
    uow: UnitOfWork | None = None,
) -> ImportReport:
    """Check the whole file, then write it in one transaction (unless `dry_run`); on any error nothing is written.

    `name` is how the file is called in the report and the audit log. `uow`: the caller's unit of work (the bot's
    update), which commits the import with the rest of the update; without it the import has its own.
    """
    try:
        source = open_source(path)
    except ImportSourceError as exc:
        raise ImportError_(str(exc)) from exc
    if name:
        source.name = name
    departments = load_commitments(app.settings.project_root)
    options = ImportOptions(tz=app.settings.tz, resolve_department=departments.resolve, dry_run=dry_run)
    if uow is not None:
        return await _run(uow, source, options, actor_id)
    async with app.uow() as own:
        return await _run(own, source, options, actor_id)


async def _run(uow: UnitOfWork, source: RecordSource, options: ImportOptions, actor_id: int | None) -> ImportReport:
    report = await import_source(uow.session, source, options)
    if not options.dry_run:
        details = {"summary": report.summary(), "warnings": report.warning_count, "kind": report.kind}
        await uow.audit.record("import", actor_id=actor_id, object_ref=source.name[:80], details=details)
    return report
