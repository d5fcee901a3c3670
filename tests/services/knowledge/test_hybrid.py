"""BM25 over lemmas, and the fusion: a lexical-only hit and a dense-only hit both surface."""

from __future__ import annotations

import numpy as np

from bot.nlp.bm25 import BM25Index, content_lemmas, index_terms
from bot.nlp.embeddings import Embedder
from bot.services.knowledge.corpus import Chunk
from bot.services.knowledge.retrieval import HybridIndex
from bot.services.knowledge.stack import RetrievalStack
from storage.vectors import StoredChunk


def test_bm25_matches_any_grammatical_form() -> None:
    docs = [content_lemmas(t) for t in ("Клиент просит скидку", "Груз задерживается", "Скидки и цены")]
    index = BM25Index(docs)
    top = index.top(content_lemmas("скидкой"), k=3)
    assert {i for i, _ in top} == {0, 2}
    assert index.top(content_lemmas("бегемот"), k=3) == []


def test_bm25_prefers_rare_terms_and_honours_the_mask() -> None:
    docs = [content_lemmas(t) for t in ("клиент клиент договор", "клиент претензия", "клиент")]
    index = BM25Index(docs)
    assert index.idf("претензия") > index.idf("клиент")
    assert index.top(content_lemmas("клиент претензия"), k=1)[0][0] == 1
    mask = np.array([True, False, True])
    assert 1 not in {i for i, _ in index.top(content_lemmas("претензия клиент"), k=3, mask=mask)}


def test_prefix_terms_join_derived_words() -> None:
    assert set(index_terms("удержать клиента")) & set(index_terms("удержание клиентов")) >= {"~удерж", "клиент"}


def _chunk(cid: str, body: str) -> Chunk:
    return Chunk(id=cid, doc_id=cid, kind="article", title=cid, section="", body=body, source="")


class _RankedStore:
    """A vector store stand-in that returns a fixed dense ranking, so the fusion itself can be checked exactly.
    It hands out no stored vectors, so the index cannot scan in memory and must ask the store."""

    def __init__(self, ranking: list[Chunk], embedder: Embedder) -> None:
        self.ranking = ranking
        self.embedder = embedder

    def embeddings(self, name: str, ids: object = None) -> tuple[list[str], np.ndarray]:
        return [], np.zeros((0, self.embedder.dim), dtype=np.float32)

    def nearest_ids(self, name: str, query_embedding: object, k: int) -> list[tuple[str, float]]:
        return [(c.id, 0.9 - i / 100) for i, c in enumerate(self.ranking[:k])]

    def get(self, name: str, ids: object = None, where: object = None) -> list[StoredChunk]:
        return []


def test_fusion_surfaces_a_lexical_only_and_a_dense_only_hit(embedder: Embedder) -> None:
    code = _chunk("code", "Плёнка по ГОСТ 30772, артикул ПЭ-120.")
    paraphrase = _chunk("paraphrase", "Беречь старых покупателей выгоднее.")
    filler = [_chunk(f"f{i}", f"Разное про склад, номер {i} и прочее.") for i in range(40)]
    # The dense side misses the code chunk entirely and ranks the paraphrase first.
    store = _RankedStore([paraphrase, *filler], embedder)
    index = HybridIndex(store, embedder, "test", [code, paraphrase, *filler], candidates=30)  # type: ignore[arg-type]
    hits = index.search("ГОСТ 30772", k=3)
    by_id = {h.chunk.id: h for h in hits}
    assert by_id["code"].dense_rank is None and by_id["code"].lexical_rank == 1
    assert by_id["paraphrase"].dense_rank == 1 and by_id["paraphrase"].lexical_rank is None


def test_lexical_side_finds_numbers(stack: RetrievalStack) -> None:
    hits = stack.knowledge_index.search("30772", k=3)
    target = [h for h in hits if h.chunk.id == "article:standards#0"]
    assert target and target[0].lexical_rank == 1


def test_dense_only_hit_surfaces(stack: RetrievalStack) -> None:
    # No word (lemma or prefix) of the query occurs in the target: only the dense side can find it.
    query = "зачем беречь прежних заказчиков"
    target_id = "article:retention#0"
    chunk = next(c for c in stack.knowledge_index.lexical.chunks if c.id == target_id)
    assert not set(index_terms(query)) & set(index_terms(chunk.text))
    hits = stack.knowledge_index.search(query, k=3)
    target = [h for h in hits if h.chunk.id == target_id]
    assert target and target[0].lexical_rank is None and target[0].dense_rank is not None


def test_fused_score_is_reciprocal_rank_sum(stack: RetrievalStack) -> None:
    index = stack.knowledge_index
    for hit in index.search("удержание клиентов и рекомендации", k=5):
        expected = sum(1.0 / (index.rrf_k + r) for r in (hit.dense_rank, hit.lexical_rank) if r is not None)
        assert abs(hit.score - expected) < 1e-9


def test_documents_are_ranked_by_their_best_chunk(stack: RetrievalStack) -> None:
    docs = stack.knowledge_index.search_documents("ядро клиентской базы, рекомендации", k=3)
    assert docs[0].doc_id == "article:retention"
    assert len({d.doc_id for d in docs}) == len(docs)
