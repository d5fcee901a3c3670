"""Choosing the reader for a path: a JSON file, a folder / .zip / file of CSV, an .xlsx workbook."""

from __future__ import annotations

import zipfile
from pathlib import Path

from storage.import_records import ImportSourceError, RecordSource
from storage.import_sources.csv_source import CsvSource
from storage.import_sources.json_source import JsonSource
from storage.import_sources.xlsx_source import XlsxSource

SUPPORTED = "JSON, CSV, папка или .zip с CSV, XLSX"


def open_source(path: Path) -> RecordSource:
    if path.is_dir():
        return CsvSource(path)
    if not path.exists():
        raise ImportSourceError(f"файл не найден: {path}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return JsonSource(path)
    if suffix in (".csv", ".zip", ".txt"):
        return CsvSource(path)
    if suffix in (".xlsx", ".xlsm"):
        return XlsxSource(path)
    if suffix == ".xls":
        raise ImportSourceError(
            f"{path.name}: старый формат Excel (.xls) не поддерживается — сохраните файл как .xlsx или CSV"
        )
    with path.open("rb") as probe:
        head = probe.read(4)
    if head.startswith(b"PK"):
        return XlsxSource(path) if _looks_like_workbook(path) else CsvSource(path, archive=True)
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
        return JsonSource(path)
    raise ImportSourceError(f"{path.name}: неизвестный формат файла; поддерживаются {SUPPORTED}")


def _looks_like_workbook(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" in archive.namelist()
