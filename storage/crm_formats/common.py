"""What both CRM mappings share: reading a row by header names, and gathering clients across rows.

A CRM export names a deal's client only by the company's (or the person's) name, not by an id that the contacts
export also has, so the name is the join key: the client id is a hash of the normalised name with the source's
prefix («amo-…», «b24-…»). Importing the contacts export and then the deals export therefore lands on the same
clients, and contacts from both are added together (`merge_contacts`), never replaced by the narrower file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storage.import_records import RawRecord

Row = dict[str, Any]  # normalised header (lower case, ё → е, single spaces) → cell value
Rows = Iterable[tuple[str, Row]]  # (where, row)


@dataclass(frozen=True)
class CrmTableSpec:
    source: str  # «amoCRM», «Битрикс24»
    kind: str  # «сделки», «контакты», «компании», «лиды»
    detect: Callable[[set[str]], bool]
    convert: Callable[[Rows], Iterator[RawRecord]]


def pick(row: Row, *headers: str) -> Any | None:
    """The first non-empty cell among `headers` (exact names, then names that start with one: «бюджет ₸»)."""
    for header in headers:
        value = row.get(header)
        if value not in (None, ""):
            return _clean(value)
    for header in headers:
        for name, value in row.items():
            if name.startswith(header) and value not in (None, ""):
                return _clean(value)
    return None


def _clean(value: Any) -> Any:
    # Excel keeps a leading apostrophe on numbers stored as text («'+7 900 …»).
    return value.lstrip("'").strip() if isinstance(value, str) else value


def text(value: Any) -> str | None:
    return None if value in (None, "") else str(value).strip() or None


def full_name(*parts: Any) -> str | None:
    joined = " ".join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())
    return joined or None


def _key(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").replace("«", '"').replace("»", '"').split())


class ClientCollector:
    """Clients seen in an export: one per company, or per person without a company; contacts from every row."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._clients: dict[str, RawRecord] = {}
        self._seen_contacts: dict[str, set[tuple[Any, ...]]] = {}

    def add(
        self,
        where: str,
        *,
        company: Any,
        person: Any,
        contact: dict[str, Any] | None = None,
        manager: Any = None,
        notes: Any = None,
    ) -> str | None:
        """The client id the row belongs to (None when the row names neither a company nor a person)."""
        company_name, person_name = text(company), text(person)
        name = company_name or person_name
        if name is None:
            return None
        ident = f"{self.prefix}-{hashlib.sha1(_key(name).encode('utf-8')).hexdigest()[:12]}"
        record = self._clients.get(ident)
        if record is None:
            data: dict[str, Any] = {"id": ident, "name": name[:200], "company": (company_name or "")[:200]}
            data |= {"contacts": [], "merge_contacts": True}
            if text(manager):
                data["manager"] = str(manager).strip()[:64]
            if text(notes):
                data["notes"] = str(notes).strip()
            record = self._clients[ident] = RawRecord("clients", data, where)
            self._seen_contacts[ident] = set()
        wanted = {k: v for k, v in (contact or {}).items() if v not in (None, "")}
        if person_name and "name" not in wanted and (wanted or company_name):
            wanted["name"] = person_name
        if wanted:
            key = tuple(sorted((k, str(v)) for k, v in wanted.items()))
            if key not in self._seen_contacts[ident]:
                self._seen_contacts[ident].add(key)
                record.data["contacts"].append(wanted)
        return ident

    def records(self) -> Iterator[RawRecord]:
        yield from self._clients.values()
