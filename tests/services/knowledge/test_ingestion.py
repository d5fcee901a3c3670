"""Ingestion is incremental and idempotent: a second run changes nothing; edits touch only their chunks."""

from __future__ import annotations

from pathlib import Path

from bot.services.knowledge.corpus import KNOWLEDGE_COLLECTION, SCRIPTS_COLLECTION, load_corpus
from bot.services.knowledge.ingestion import ingest
from bot.services.knowledge.stack import COLLECTIONS
from storage.vectors import VectorStore

from .conftest import HashEmbedder


def test_first_run_adds_everything_and_second_run_changes_nothing(project: Path, store: VectorStore) -> None:
    first = ingest(project, store)
    total = len(load_corpus(project).all_chunks())
    assert (first.added, first.updated, first.removed) == (total, 0, 0)
    assert store.count(SCRIPTS_COLLECTION) + store.count(KNOWLEDGE_COLLECTION) == total

    second = ingest(project, store)
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, total)
    assert not second.changed
    assert "0 added, 0 updated, 0 removed" in second.summary()


def test_changed_section_updates_only_its_chunk(project: Path, store: VectorStore) -> None:
    ingest(project, store)
    path = project / "knowledge" / "articles" / "retention.md"
    path.write_text(path.read_text(encoding="utf-8").replace("покупает чаще", "покупает заметно чаще"), "utf-8")
    report = ingest(project, store)
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    stored = store.get(KNOWLEDGE_COLLECTION, ids=["article:retention#0"])[0]
    assert "заметно чаще" in stored.document
    assert stored.metadata["content_hash"] == load_corpus(project).chunks[KNOWLEDGE_COLLECTION][0].content_hash


def test_removed_file_removes_its_chunks(project: Path, store: VectorStore) -> None:
    ingest(project, store)
    (project / "scripts_library" / "congratulation" / "emotional_confident.md").unlink()
    report = ingest(project, store)
    assert report.removed == 7 and report.added == report.updated == 0  # summary + six sections
    assert not [cid for cid in store.manifest(SCRIPTS_COLLECTION) if cid.startswith("congratulation.")]
    assert not ingest(project, store).changed


def test_new_file_is_added(project: Path, store: VectorStore) -> None:
    ingest(project, store)
    extra = project / "knowledge" / "articles" / "extra.md"
    extra.write_text("---\nid: extra\ntitle: Заметка\n---\n\n## Раздел\n\nТекст заметки о сервисе.\n", "utf-8")
    report = ingest(project, store)
    assert (report.added, report.updated, report.removed) == (1, 0, 0)


def test_malformed_script_is_skipped_and_reported(project: Path, store: VectorStore) -> None:
    bad = project / "scripts_library" / "complaint" / "undetermined.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("---\nid: complaint.undetermined\ntitle: Без разделов\n---\nТекст\n", "utf-8")
    report = ingest(project, store)
    assert len(report.errors) == 1 and "complaint/undetermined.md" in report.errors[0]
    assert not [cid for cid in store.manifest(SCRIPTS_COLLECTION) if cid.startswith("complaint.")]


def test_embedder_change_rebuilds_the_index(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "chroma-switch"
    first = VectorStore.open(HashEmbedder("test-hash-v1"), COLLECTIONS, path=folder)
    total = ingest(project, first).added
    same = VectorStore.open(HashEmbedder("test-hash-v1"), COLLECTIONS, path=folder)
    assert not same.reset_collections and not ingest(project, same).changed

    switched = VectorStore.open(HashEmbedder("test-hash-v2", dim=32), COLLECTIONS, path=folder)
    assert switched.reset_collections == set(COLLECTIONS)
    report = ingest(project, switched)
    assert report.reindexed and report.added == total
    assert not ingest(project, switched).changed
