"""The record every import reader yields, the reader interface and the reader's own error (shared by the readers
in import_sources/ and the CRM mappings in crm_formats/)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol


class ImportSourceError(Exception):
    """The file cannot be read at all (not JSON, unknown columns, a broken zip); the message names file and line."""


@dataclass(slots=True)
class RawRecord:
    entity: str  # clients / deals / interactions / promises / incidents / colleagues / tasks
    data: dict[str, Any]
    where: str  # for messages: «deals[3]», «deals.csv, строка 4», «Лист «Сделки», строка 5»


@dataclass
class SourceNotes:
    """What a reader noticed without refusing (an unused column, a skipped file): warnings in the report."""

    items: list[tuple[str, str]] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # what the tables turned out to be: «amoCRM: сделки»

    def add(self, code: str, message: str) -> None:
        self.items.append((code, message))


class RecordSource(Protocol):
    name: str  # the file's name, for the report
    kind: str  # «JSON», «CSV», «XLSX», «amoCRM (CSV)»…
    notes: SourceNotes

    def records(self) -> Iterator[RawRecord]:
        """Records in file order; may raise ImportSourceError."""
        ...
