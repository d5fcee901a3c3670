"""The JSON import file, read as a stream: one section at a time, one record at a time (ijson's C parser), so a
file of hundreds of megabytes never sits in memory whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import ijson

from storage.import_format import ENTITIES
from storage.import_records import ImportSourceError, RawRecord, SourceNotes

_PRECISE_ERROR_LIMIT = 64 * 1024 * 1024  # below this, a broken file is re-read by `json` for its line and column


class JsonSource:
    kind = "JSON"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.notes = SourceNotes()

    def records(self) -> Iterator[RawRecord]:
        sections = self._sections()
        for entity in ENTITIES:
            if entity not in sections:
                continue
            with _open(self.path) as stream:
                try:
                    for index, item in enumerate(ijson.items(stream, f"{entity}.item")):
                        if not isinstance(item, dict):
                            raise ImportSourceError(f"{entity}[{index}]: ожидается объект {{…}}, а не {_kind(item)}")
                        yield RawRecord(entity, item, f"{entity}[{index}]")
                except ijson.JSONError as exc:
                    raise self._broken(exc) from exc

    def _sections(self) -> set[str]:
        """The entity arrays present at the top level; checks the file's shape in one cheap pass."""
        found: set[str] = set()
        with _open(self.path) as stream:
            try:
                events = ijson.parse(stream)
                first = next(events, None)
                if first is None or first[1] != "start_map":
                    raise ImportSourceError("ожидается JSON-объект с массивами clients, deals, interactions, …")
                key = None
                for prefix, event, value in events:
                    if prefix == "" and event == "map_key":
                        key = value
                    elif prefix == key and key in ENTITIES and event != "map_key":
                        if event == "start_array":
                            found.add(key)
                        elif event != "null":
                            raise ImportSourceError(f"«{key}» должен быть массивом […], а не {_event_kind(event)}")
                        key = None
            except ijson.JSONError as exc:
                raise self._broken(exc) from exc
        unknown = _top_level_unknown(self.path) if not found else set()
        if unknown:
            self.notes.add("sections", f"в файле нет разделов импорта; найдены только: {', '.join(sorted(unknown))}")
        return found

    def _broken(self, exc: Exception) -> ImportSourceError:
        if self.path.stat().st_size <= _PRECISE_ERROR_LIMIT:
            try:
                json.loads(self.path.read_text(encoding="utf-8-sig"))
            except json.JSONDecodeError as precise:
                return ImportSourceError(
                    f"файл не является JSON: строка {precise.lineno}, столбец {precise.colno}: {precise.msg}"
                )
            except UnicodeDecodeError:
                return ImportSourceError("файл не в кодировке UTF-8: сохраните его в UTF-8 и загрузите снова")
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "ошибка разбора"
        return ImportSourceError(f"файл не является JSON: {first_line}")


def _open(path: Path) -> BinaryIO:
    """The file past its UTF-8 byte order mark, which Windows editors add and the C parser refuses."""
    stream = path.open("rb")
    if stream.read(3) != b"\xef\xbb\xbf":
        stream.seek(0)
    return stream


def _top_level_unknown(path: Path) -> set[str]:
    with _open(path) as stream:
        return {value for prefix, event, value in ijson.parse(stream) if prefix == "" and event == "map_key"}


def _kind(item: object) -> str:
    return {list: "массив", str: "строка", type(None): "null"}.get(type(item), "число")


def _event_kind(event: str) -> str:
    return {"start_map": "объект", "string": "строка", "number": "число", "boolean": "true/false"}.get(event, event)
