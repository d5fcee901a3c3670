"""An Excel workbook (.xlsx): each sheet is a table — a sheet named after an entity («clients», «Сделки») in our
format, or a CRM's export sheet. Read in openpyxl's read-only mode, row by row, so a big workbook streams."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from storage.import_records import ImportSourceError, RawRecord, SourceNotes
from storage.import_sources.tables import ENTITY_NAMES, Table, normalise_header, table_records


class XlsxSource:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.kind = "XLSX"
        self.notes = SourceNotes()

    def records(self) -> Iterator[RawRecord]:
        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ImportSourceError(
                f"{self.path.name}: не удалось открыть как книгу Excel (.xlsx); сохраните файл в формате .xlsx или CSV"
            ) from exc
        try:
            for sheet in workbook.worksheets:
                rows = sheet.iter_rows(values_only=True)
                header = next(rows, None)
                if header is None or not any(h not in (None, "") for h in header):
                    continue
                label = f"{self.path.name}, лист «{sheet.title}»"
                stem = sheet.title if len(workbook.worksheets) > 1 or _is_entity(sheet.title) else self.path.stem
                yield from table_records(Table(label, stem, list(header), _numbered(rows)), self.notes)
        finally:
            workbook.close()


def _numbered(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Any]]]:
    for line, cells in enumerate(rows, start=2):
        if any(c not in (None, "") for c in cells):
            yield line, list(cells)


def _is_entity(title: str) -> bool:
    return normalise_header(title) in ENTITY_NAMES
