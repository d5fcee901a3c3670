"""The in-memory exact scan of the dense side: rows aligned with the chunks, exact answers, safe fallbacks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.services.knowledge import exact_scan as retrieval_scan
from bot.services.knowledge.corpus import Chunk
from bot.services.knowledge.exact_scan import VectorRows
from bot.services.knowledge.retrieval import HybridIndex
from storage.vectors import VectorStore
from tests.services.knowledge.conftest import HashEmbedder

COLLECTION = "scan_test"


def _chunk(n: int, body: str, type_: str = "") -> Chunk:
    return Chunk(id=f"c{n}", doc_id=f"d{n}", kind="script", title="", section="", body=body, source="", type=type_)


BODIES = [
    "Клиент просит скидку на плёнку",
    "Отгрузка задерживается на два дня",
    "Пришлите закрывающие документы",
    "Спасибо за быстрый ответ",
    "Цена выше, чем у конкурентов",
    "Когда приедет машина со стретч-плёнкой",
]


@pytest.fixture()
def store(tmp_path: Path) -> VectorStore:
    return VectorStore.open(HashEmbedder(dim=32), [COLLECTION], path=tmp_path / "chroma")


def _put(store: VectorStore, chunks: list[Chunk]) -> None:
    store.upsert(COLLECTION, [c.id for c in chunks], [c.text for c in chunks], [c.metadata() for c in chunks])


def test_rows_follow_the_chunk_order_not_chromas(store: VectorStore) -> None:
    chunks = [_chunk(i, body) for i, body in enumerate(BODIES)]
    _put(store, list(reversed(chunks)))
    rows = VectorRows.load(store, COLLECTION, chunks)
    assert rows.complete
    expected = np.asarray(store.embedder.embed_documents([c.text for c in chunks]), dtype=np.float32)
    np.testing.assert_allclose(rows.matrix, expected, atol=1e-6)


def test_top_is_the_exact_answer_under_a_mask(store: VectorStore) -> None:
    chunks = [_chunk(i, body, type_="a" if i % 2 else "b") for i, body in enumerate(BODIES)]
    _put(store, chunks)
    rows = VectorRows.load(store, COLLECTION, chunks)
    query = np.asarray(store.embedder.embed_query("скидка на плёнку, дорого"), dtype=np.float32)
    mask = np.array([c.type == "a" for c in chunks])
    found = rows.top(query, 2, mask)
    similarities = rows.matrix @ query
    passing = [i for i in range(len(chunks)) if mask[i]]
    best = sorted(passing, key=lambda i: -similarities[i])[:2]
    assert found is not None and [row for row, _ in found] == best
    assert [s for _, s in found] == pytest.approx([float(similarities[i]) for i in best])
    assert len(rows.top(query, 50, None) or []) == len(chunks)  # a pool larger than the collection
    assert rows.top(query, 3, np.zeros(len(chunks), dtype=bool)) == []


def test_missing_vectors_or_too_many_rows_defer_to_chroma(store: VectorStore, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [_chunk(i, body) for i, body in enumerate(BODIES)]
    _put(store, chunks[:-1])  # the last chunk never reached Chroma
    rows = VectorRows.load(store, COLLECTION, chunks)
    query = np.ones(store.embedder.dim, dtype=np.float32)
    assert not rows.complete and rows.top(query, 3, None) is None
    only_present = np.array([True] * (len(chunks) - 1) + [False])
    assert rows.top(query, 3, only_present) is not None  # the rows that pass all have vectors
    monkeypatch.setattr(retrieval_scan, "FULL_SCAN_THRESHOLD", 2)
    assert rows.top(query, 3, only_present) is None


def test_replacing_chunks_reads_only_changed_vectors(store: VectorStore, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [_chunk(i, body) for i, body in enumerate(BODIES)]
    _put(store, chunks)
    index = HybridIndex(store, store.embedder, COLLECTION, chunks)  # type: ignore[arg-type]
    changed = [*chunks[:2], _chunk(2, "Нужен акт сверки и счёт-фактура"), *chunks[3:], _chunk(9, "Новый скрипт")]
    _put(store, [changed[2], changed[-1]])
    reads: list[list[str] | None] = []
    original = store.embeddings

    def counting(collection: str, ids: list[str] | None = None) -> tuple[list[str], np.ndarray]:
        reads.append(None if ids is None else list(ids))
        return original(collection, ids=ids)

    monkeypatch.setattr(store, "embeddings", counting)
    index.replace_chunks(changed)
    assert reads == [["c2", "c9"]]
    rows = index.snapshot.rows
    expected = np.asarray(store.embedder.embed_documents([c.text for c in changed]), dtype=np.float32)
    np.testing.assert_allclose(rows.matrix, expected, atol=1e-6)
    hits = index.search("акт сверки, счёт-фактура", k=1)
    assert hits[0].chunk.id == "c2" and hits[0].dense_rank == 1


def test_store_reads_vectors_in_pages(store: VectorStore) -> None:
    chunks = [_chunk(i, body) for i, body in enumerate(BODIES)]
    _put(store, chunks)
    ids, vectors = store.embeddings(COLLECTION, page=4)  # two pages, the second one short
    assert sorted(ids) == sorted(c.id for c in chunks) and vectors.shape == (len(chunks), store.embedder.dim)
    ids, vectors = store.embeddings(COLLECTION, ids=["c5", "nope", "c0", "c3"], page=2)
    assert sorted(ids) == ["c0", "c3", "c5"] and vectors.shape[0] == 3
    by_id = dict(zip(ids, vectors, strict=True))
    np.testing.assert_allclose(by_id["c3"], store.embedder.embed_documents([chunks[3].text])[0], atol=1e-6)
    exact_multiple = store.embeddings(COLLECTION, page=3)[0]  # pages of exactly the page size end cleanly
    assert len(exact_multiple) == len(chunks)
