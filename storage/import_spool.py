"""Validated records parked on disk between the two passes of an import.

The first pass reads the file once and checks everything; only if the whole file is sound does the second pass
write. Keeping the validated records in memory would make memory grow with the file, so they go to temporary
files, one per entity, in pickled batches (our own data in our own temporary folder, read back once).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

BATCH = 1000


@dataclass(slots=True)
class Validated:
    values: dict[str, Any]  # every field with its default
    given: frozenset[str]  # the fields the file gave (only these change an existing row)
    where: str


class Spool:
    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="copilot-import-")
        self._files: dict[str, IO[bytes]] = {}
        self._buffers: dict[str, list[Validated]] = {}
        self.counts: dict[str, int] = {}

    def add(self, entity: str, record: Validated) -> None:
        buffer = self._buffers.setdefault(entity, [])
        buffer.append(record)
        self.counts[entity] = self.counts.get(entity, 0) + 1
        if len(buffer) >= BATCH:
            self._flush(entity)

    def _flush(self, entity: str) -> None:
        buffer = self._buffers.get(entity)
        if not buffer:
            return
        stream = self._files.get(entity)
        if stream is None:
            stream = self._files[entity] = (Path(self._dir.name) / f"{entity}.pickle").open("w+b")
        pickle.dump(buffer, stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._buffers[entity] = []

    def batches(self, entity: str) -> Iterator[list[Validated]]:
        self._flush(entity)
        stream = self._files.get(entity)
        if stream is None:
            return
        stream.flush()
        stream.seek(0)
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return

    def close(self) -> None:
        for stream in self._files.values():
            stream.close()
        self._dir.cleanup()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
