"""Importing CRM data: the storage importer inside one unit of work, with the company's time zone and department
directory, and an audit entry for every real import.

`CrmImport` (in the service catalogue) serves the command line (`import PATH [--dry-run]`) and the bot: a file an
admin sends is staged, checked without writing, and applied with a button (see uploads.py). `import_file` is the
plain function underneath, for callers that only load a known file (the demo company, tests). On a refused file
nothing is written and ImportError_ carries the report with the first errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from bot.services.crm import uploads
from bot.services.tasks.commitments import load_commitments
from storage.import_format import DEFAULT_TZ, DepartmentResolver
from storage.import_records import ImportSourceError, RecordSource
from storage.import_sources.open import open_source
from storage.importer import ImportError_, ImportOptions, ImportReport, import_source
from storage.uow import UnitOfWork, UnitOfWorkFactory


async def import_file(
    uows: UnitOfWorkFactory,
    path: Path,
    *,
    actor_id: int | None = None,
    dry_run: bool = False,
    name: str | None = None,
    uow: UnitOfWork | None = None,
    tz: tzinfo = DEFAULT_TZ,
    resolve_department: DepartmentResolver | None = None,
) -> ImportReport:
    """Check the whole file, then write it in one transaction (unless `dry_run`); on any error nothing is written.

    `name`: how the file is called in the report and the audit log. `uow`: the caller's unit of work (the bot's
    update), which commits the import with the rest of the update; without it the import has its own.
    """
    try:
        source = open_source(path)
    except ImportSourceError as exc:
        raise ImportError_(str(exc)) from exc
    if name:
        source.name = name
    options = ImportOptions(tz=tz, resolve_department=resolve_department, dry_run=dry_run)
    if uow is not None:
        return await _run(uow, source, options, actor_id)
    async with uows() as own:
        return await _run(own, source, options, actor_id)


async def _run(uow: UnitOfWork, source: RecordSource, options: ImportOptions, actor_id: int | None) -> ImportReport:
    report = await import_source(uow.session, source, options)
    if not options.dry_run:
        details = {"summary": report.summary(), "warnings": report.warning_count, "kind": report.kind}
        await uow.audit.record("import", actor_id=actor_id, object_ref=source.name[:80], details=details)
    return report


@dataclass(frozen=True)
class CrmImport:
    """Imports with the company's time zone and department directory; staged uploads under `data_dir`."""

    uows: UnitOfWorkFactory
    tz: tzinfo
    project_root: Path
    data_dir: Path

    async def import_file(
        self,
        path: Path,
        *,
        actor_id: int | None = None,
        dry_run: bool = False,
        name: str | None = None,
        uow: UnitOfWork | None = None,
    ) -> ImportReport:
        departments = load_commitments(self.project_root)  # re-read when an admin edits it
        return await import_file(
            self.uows,
            path,
            actor_id=actor_id,
            dry_run=dry_run,
            name=name,
            uow=uow,
            tz=self.tz,
            resolve_department=departments.resolve,
        )

    def stage(self, file_name: str, content: bytes) -> uploads.StagedImport:
        return uploads.stage(self.data_dir, file_name, content)

    def staged(self, token: str) -> uploads.StagedImport | None:
        return uploads.find(self.data_dir, token)

    def discard(self, token: str) -> None:
        uploads.discard(self.data_dir, token)
