"""Metadata filters (type, situation, kind) apply to both the dense and the lexical side."""

from __future__ import annotations

import pytest

from bot.nlp.embeddings import embed_query_array
from bot.services.knowledge import exact_scan as retrieval_scan
from bot.services.knowledge import retrieval
from bot.services.knowledge.stack import RetrievalStack
from storage.vectors import build_where


def test_build_where_shapes() -> None:
    assert build_where(None) is None
    assert build_where({"type": None}) is None
    assert build_where({"type": "undetermined"}) == {"type": "undetermined"}
    assert build_where({"kind": ["article", "commitment"]}) == {"kind": {"$in": ["article", "commitment"]}}
    assert build_where({"type": "a", "situation": "b"}) == {"$and": [{"type": "a"}, {"situation": "b"}]}


def test_type_filter_keeps_only_that_type(stack: RetrievalStack) -> None:
    hits = stack.scripts_index.search("клиент говорит, что дорого", k=20, filters={"type": "undetermined"})
    assert hits and {h.chunk.type for h in hits} == {"undetermined"}
    lexical = stack.scripts_index.lexical.search(["дорого"], 20, {"type": "undetermined"})
    assert lexical and {c.type for c, _ in lexical} == {"undetermined"}


def test_type_and_situation_filters_combine(stack: RetrievalStack) -> None:
    filters = {"type": "undetermined", "situation": "delay_notice"}
    hits = stack.scripts_index.search("дорого, скидка", k=20, filters=filters)
    assert hits and {h.chunk.doc_id for h in hits} == {"delay_notice.undetermined"}


def test_kind_filter_on_knowledge(stack: RetrievalStack) -> None:
    hits = stack.knowledge_index.search("дата отгрузки", k=10, filters={"kind": "article"})
    assert hits and all(h.chunk.kind == "article" for h in hits)
    hits = stack.knowledge_index.search("дата отгрузки", k=10, filters={"kind": ["commitment"]})
    assert [h.chunk.doc_id for h in hits] == ["commitment:logistics.shipping_date"]


def test_library_search_respects_filters(stack: RetrievalStack) -> None:
    found = stack.library.search("у конкурентов дешевле, дайте скидку", type_="nonemotional_confident")
    assert [h.script.id for h in found][:1] == ["price_objection.nonemotional_confident"]
    assert all(h.script.type.value == "nonemotional_confident" for h in found)


def test_exact_scan_overfetch_and_chroma_where_agree(stack: RetrievalStack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The three dense paths (exact scan in memory, over-fetched HNSW ids filtered in memory, Chroma's own
    `where`) must give the same chunks with the same similarities."""
    index = stack.scripts_index
    vector = embed_query_array(index.embedder, "клиент недоволен ценой")
    for filters in ({"type": "undetermined"}, {"situation": "delay_notice"}, {"type": ["undetermined", "x"]}, None):
        exact = index.dense_search(vector, 5, filters)
        monkeypatch.setattr(retrieval_scan, "FULL_SCAN_THRESHOLD", 0)  # rows are "too many": HNSW
        overfetched = index.dense_search(vector, 5, filters)
        monkeypatch.setattr(retrieval, "MAX_OVERFETCH", 0)
        monkeypatch.setattr(index.lexical, "size", 10**6)  # pretend the collection is huge: Chroma's where
        where = index.dense_search(vector, 5, filters)
        monkeypatch.undo()
        assert exact, filters
        assert [c.id for c, _ in exact] == [c.id for c, _ in overfetched] == [c.id for c, _ in where]
        assert [s for _, s in exact] == pytest.approx([s for _, s in where], abs=1e-4)
        assert all(
            c.metadata()[k] in ([v] if isinstance(v, str) else v) for c, _ in exact for k, v in (filters or {}).items()
        )
