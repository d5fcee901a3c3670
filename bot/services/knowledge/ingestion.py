"""Keeps the vector index equal to the files: incremental, idempotent, by content hash.

The manifest is the index itself: every stored chunk carries its content hash in its metadata. A run compares
the parsed chunks with what is stored and embeds only chunks that are new or whose hash changed, and deletes chunks
whose file or section is gone. A second run over unchanged files therefore finds nothing to do ("0 added, 0 updated,
0 removed") and costs one parse plus one metadata read, cheap enough to run at every start.

When the embedder changed, `VectorStore.open` has already emptied the collections, so everything counts as added.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.nlp.embeddings import Embedder
from bot.services.knowledge.corpus import (
    SCRIPTS_COLLECTION,
    SCRIPTS_DIR,
    Chunk,
    Corpus,
    Script,
    ScriptFormatError,
    load_corpus,
    parse_script,
    script_chunks,
)
from storage.vectors import VectorStore, build_where

log = logging.getLogger(__name__)

MAX_SCRIPT_BYTES = 64 * 1024


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    reindexed: bool = False  # the embedder changed and the collections were rebuilt from scratch
    errors: list[str] = field(default_factory=list)  # skipped files with the reason
    seconds: float = 0.0
    by_collection: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # added, updated, removed, same

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """One line for logs and the `index` command (English numbers, like the issue's acceptance wording)."""
        line = f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"
        if self.reindexed:
            line += " (embedder changed: full re-index)"
        if self.errors:
            line += f"; {len(self.errors)} file(s) skipped"
        return line + f" in {self.seconds:.2f} s"

    def summary_ru(self) -> str:
        line = (
            f"Индекс обновлён: добавлено {self.added}, изменено {self.updated}, удалено {self.removed}, "
            f"без изменений {self.unchanged}"
        )
        if self.errors:
            line += f". Пропущено файлов с ошибками: {len(self.errors)}"
        return line + "."


def sync_chunks(
    store: VectorStore, collection: str, chunks: Sequence[Chunk], doc_id: str | None = None
) -> tuple[int, int, int, int]:
    """Make `collection` (or only the records of `doc_id`) hold exactly `chunks`. Returns added, updated, removed,
    unchanged counts."""
    existing = store.manifest(collection, where=build_where({"doc_id": doc_id}) if doc_id else None)
    wanted = {chunk.id: chunk for chunk in chunks}
    if len(wanted) != len(chunks):
        raise ValueError(f"повторяющиеся id фрагментов в {collection}")
    new = [c for c in chunks if c.id not in existing]
    changed = [c for c in chunks if c.id in existing and existing[c.id] != c.content_hash]
    gone = [cid for cid in existing if cid not in wanted]
    writes = new + changed
    store.upsert(collection, [c.id for c in writes], [c.text for c in writes], [c.metadata() for c in writes])
    store.delete(collection, gone)
    return len(new), len(changed), len(gone), len(chunks) - len(writes)


def ingest(
    project_root: Path,
    vector_store: VectorStore,
    embedder: Embedder | None = None,
    corpus: Corpus | None = None,
) -> IngestReport:
    """Bring every collection in line with the files under `project_root`.

    `embedder` is optional and only checked: the store embeds with the model it was opened with, and a different
    one here would write vectors of another model into the same collection.
    """
    if embedder is not None and embedder.name != vector_store.embedder.name:
        raise ValueError("эмбеддер не совпадает с тем, с которым открыто хранилище")
    started = time.perf_counter()
    corpus = corpus or load_corpus(project_root)
    report = IngestReport(errors=list(corpus.errors), reindexed=bool(vector_store.reset_collections))
    for collection, chunks in corpus.chunks.items():
        counts = sync_chunks(vector_store, collection, chunks)
        report.by_collection[collection] = counts
        report.added += counts[0]
        report.updated += counts[1]
        report.removed += counts[2]
        report.unchanged += counts[3]
    vector_store.reset_collections.clear()  # rebuilt now; a later run in this process is a normal one
    report.seconds = time.perf_counter() - started
    log.info("ingestion: %s", report.summary())
    return report


def script_path(project_root: Path, script: Script) -> Path:
    return project_root / SCRIPTS_DIR / script.situation.value / f"{script.type.value}.md"


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temp file in the same folder, then rename: a crash never leaves half a script behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class ScriptUpload:
    script: Script
    replaced: bool  # a script for this (situation, type) existed and was overwritten
    path: Path
    chunks: tuple[int, int, int, int]  # added, updated, removed, unchanged in the index

    def message_ru(self) -> str:
        action = "заменён" if self.replaced else "добавлен"
        return f"Скрипт «{self.script.title}» ({self.script.id}) {action}. Фрагментов в индексе обновлено: " + str(
            self.chunks[0] + self.chunks[1]
        )


def decode_upload(data: bytes) -> str:
    """Text of an uploaded file; refuses what cannot be a script before any parsing."""
    if len(data) > MAX_SCRIPT_BYTES:
        raise ScriptFormatError(f"файл слишком большой ({len(data) // 1024} КБ), предел — 64 КБ")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScriptFormatError("файл не в кодировке UTF-8") from exc


def add_script_from_markdown(
    text: str,
    project_root: Path,
    vector_store: VectorStore | None = None,
) -> ScriptUpload:
    """Validate an admin's Markdown script, write it to scripts_library/<situation>/<type>.md and re-index it.

    Raises ScriptFormatError (Russian reason) and writes nothing when the file is malformed. The caller refreshes
    its in-memory indexes afterwards (`RetrievalStack.add_script` does all of it).
    """
    normalised = text.replace("\r\n", "\n").lstrip("\ufeff")
    script = parse_script(normalised, source="")
    path = script_path(project_root, script)
    relative = path.relative_to(project_root).as_posix()
    script = parse_script(normalised, source=relative)  # same content, now with its final path
    replaced = path.exists()
    _write_atomically(path, normalised if normalised.endswith("\n") else normalised + "\n")
    counts = (0, 0, 0, 0)
    if vector_store is not None:
        counts = sync_chunks(vector_store, SCRIPTS_COLLECTION, script_chunks(script), doc_id=script.id)
    log.info("скрипт %s %s администратором", script.id, "заменён" if replaced else "добавлен")
    return ScriptUpload(script=script, replaced=replaced, path=path, chunks=counts)
