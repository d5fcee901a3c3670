"""CSV files: one file, a folder of them, or a .zip of them. Encoding (UTF-8 with or without BOM, Windows-1251,
UTF-16 from Excel's «Unicode text») and separator (`,` `;` tab) are detected, not asked."""

from __future__ import annotations

import codecs
import csv
import io
import sys
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, Any

from storage.import_records import ImportSourceError, RawRecord, SourceNotes
from storage.import_sources.tables import Table, table_records

_SNIFF_BYTES = 64 * 1024
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long message in one cell is fine


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1251"  # what Excel and 1C write on Russian Windows
    return "utf-8"


def detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_table(opener: Callable[[], IO[bytes]], label: str, stem: str) -> Table:
    with opener() as probe:
        encoding = detect_encoding(probe.read(_SNIFF_BYTES))
    lines = _lines(opener(), encoding, label)
    header_line = next(lines, "")
    delimiter = detect_delimiter(header_line)
    headers = next(csv.reader([header_line], delimiter=delimiter), [])
    return Table(label, stem, headers, _rows(lines, delimiter, label))


def _lines(stream: IO[bytes], encoding: str, label: str) -> Iterator[str]:
    """Text lines, decoded one by one so that a line in another encoding is named by its own number."""
    with stream:
        if encoding == "utf-16":  # two bytes a character: not splittable at b"\n"
            yield from io.TextIOWrapper(stream, encoding=encoding, newline="")
            return
        for number, raw in enumerate(stream, start=1):
            try:
                yield raw.decode(encoding if number == 1 else encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise ImportSourceError(
                    f"{label}, строка {number}: текст не читается как {encoding.removesuffix('-sig')} — похоже, "
                    "в файле смешаны кодировки; сохраните его заново в UTF-8"
                ) from exc


def _rows(lines: Iterator[str], delimiter: str, label: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = reader.line_num + 2  # the header was line 1; a row starts on the line after the last one read
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportSourceError(f"{label}, строка {start}: {exc} — проверьте кавычки") from exc
        if any(c.strip() for c in cells):
            yield start, list(cells)


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


class CsvSource:
    """A single .csv file, a folder of .csv files or a .zip of them."""

    def __init__(self, path: Path, *, archive: bool | None = None) -> None:
        self.path = path
        self.name = path.name
        self.kind = "CSV"
        self.archive = path.suffix.lower() == ".zip" if archive is None else archive
        self.notes = SourceNotes()

    def _tables(self) -> Iterator[Table]:
        if self.path.is_dir():
            files = sorted(p for p in self.path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
            if not files:
                raise ImportSourceError(f"в папке {self.path.name} нет файлов .csv (clients.csv, deals.csv, …)")
            for file in files:
                yield read_csv_table(_opener(file), file.name, file.stem)
        elif self.archive:
            yield from self._zip_tables()
        else:
            yield read_csv_table(lambda: self.path.open("rb"), self.path.name, self.path.stem)

    def _zip_tables(self) -> Iterator[Table]:
        try:
            archive = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as exc:
            raise ImportSourceError(f"{self.path.name}: архив повреждён или это не .zip") from exc
        with archive:
            members = [
                m
                for m in archive.infolist()
                if not m.is_dir() and m.filename.lower().endswith(".csv") and "__MACOSX" not in m.filename
            ]
            if not members:
                raise ImportSourceError(f"в архиве {self.path.name} нет файлов .csv (clients.csv, deals.csv, …)")
            for member in sorted(members, key=lambda m: m.filename):
                name = PurePosixPath(member.filename)
                yield read_csv_table(partial(archive.open, member), name.name, name.stem)

    def records(self) -> Iterator[RawRecord]:
        for table in self._tables():
            yield from table_records(table, self.notes)
