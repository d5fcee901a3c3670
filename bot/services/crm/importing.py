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
from storage.import_sources.base import ImportSourceError
from storage.import_sources.open import open_source
from storage.importer import ImportError_, ImportOptions, ImportReport, import_source

if TYPE_CHECKING:
    from bot.app import App


async def import_file(
    app: App, path: Path, *, actor_id: int | None = None, dry_run: bool = False, name: str | None = None
) -> ImportReport:
    """Check the whole file, then write it in one transaction (unless `dry_run`); on any error nothing is written.

    `name` is how the file is called in the report and the audit log (the bot keeps uploads under a temporary name).
    """
    try:
        source = open_source(path)
    except ImportSourceError as exc:
        raise ImportError_(str(exc)) from exc
    if name:
        source.name = name
    departments = load_commitments(app.settings.project_root)
    options = ImportOptions(tz=app.settings.tz, resolve_department=departments.resolve, dry_run=dry_run)
    async with app.uow() as uow:
        report = await import_source(uow.session, source, options)
        if dry_run:
            await uow.rollback()  # nothing was written; the unit of work must not commit a half-open session
        else:
            details = {"summary": report.summary(), "warnings": report.warning_count, "kind": report.kind}
            await uow.audit.record("import", actor_id=actor_id, object_ref=source.name[:80], details=details)
    return report
