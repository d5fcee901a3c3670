"""Importing CRM data: the storage importer inside one unit of work, plus what the bot derives from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storage.importer import ImportReport, read_import_file, write_import

if TYPE_CHECKING:
    from bot.app import App


async def import_file(app: App, path: Path, *, actor_id: int | None = None) -> ImportReport:
    """Validate, then write in one transaction; on any error nothing is written."""
    data = read_import_file(path)
    async with app.uow() as uow:
        report = await write_import(uow.session, data)
        await uow.audit.record("import", actor_id=actor_id, object_ref=path.name, details={"summary": report.summary()})
    return report
