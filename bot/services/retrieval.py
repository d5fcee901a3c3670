"""Hybrid search over one collection: dense vectors in Chroma fused with BM25 over lemmas.

Why both: the dense model finds paraphrases ("дороговато у вас" ~ "возражение по цене") but blurs rare exact terms
(ГОСТ, УПД, NPS); BM25 over lemmas finds exact terms in any grammatical form but misses paraphrases. Reciprocal rank
fusion (RRF) adds 1/(k0 + rank) from each list, so it needs no score calibration between the two and a chunk found by
either list can surface.

The same metadata filters (type, situation, kind) are applied to both lists: as a Chroma `where` on the dense side,
and as a boolean mask over the chunks on the lexical side.

Everything here is synchronous (Chroma is); async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.nlp.bm25 import BM25Index, index_terms
from bot.nlp.embeddings import Embedder, embed_query_array
from bot.services.corpus import Chunk
from storage.vectors import StoredChunk, VectorStore, build_where

Filters = Mapping[str, str | Sequence[str] | None]
FILTER_KEYS = ("kind", "type", "situation", "doc_id")


@dataclass(frozen=True, slots=True)
class Hit:
    chunk: Chunk
    score: float  # fused RRF score (comparable only within one result list)
    dense_rank: int | None  # 1-based rank in the dense list, None when not a dense candidate
    lexical_rank: int | None
    similarity: float | None  # cosine similarity to the query (dense candidates only)
    bm25: float | None
    coverage: float  # share of the query's lemma weight (idf) found in the chunk, 0..1


@dataclass(frozen=True, slots=True)
class DocHit:
    """A document (script, article, commitment) ranked by its best chunk."""

    doc_id: str
    score: float
    best: Hit
    hits: tuple[Hit, ...]


class LexicalIndex:
    """BM25 over the chunks' lemmas plus per-chunk metadata arrays for cheap filtering."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)
        lemma_lists = [index_terms(c.text) for c in self.chunks]
        self.lemma_sets = [frozenset(lemmas) for lemmas in lemma_lists]
        self.bm25 = BM25Index(lemma_lists)
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self._columns = {key: np.array([getattr(c, key) for c in self.chunks], dtype=object) for key in FILTER_KEYS}

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        mask: np.ndarray | None = None
        for key, value in (filters or {}).items():
            if value is None:
                continue
            values = [value] if isinstance(value, str) else list(value)
            column = self._columns[key]
            current = np.isin(column, values)
            mask = current if mask is None else mask & current
        return mask

    def search(self, lemmas: Sequence[str], k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        return [(self.chunks[i], score) for i, score in self.bm25.top(lemmas, k, self.mask(filters))]

    def coverage(self, lemmas: Sequence[str], chunk_lemmas: frozenset[str]) -> float:
        """Idf-weighted share of the query lemmas present in a chunk; unknown lemmas count as the rarest."""
        unique = set(lemmas)
        if not unique:
            return 0.0
        ceiling = float(np.log(1.0 + (self.bm25.size + 0.5) / 0.5))
        weights = {lemma: (self.bm25.idf(lemma) or ceiling) for lemma in unique}
        total = sum(weights.values())
        return sum(w for lemma, w in weights.items() if lemma in chunk_lemmas) / total if total else 0.0


class HybridIndex:
    """Dense (Chroma) + lexical (BM25) search over one collection, fused by reciprocal rank.

    `chunks` are the parsed chunks of the collection (the lexical side and the source of full chunk data); the
    dense side is whatever Chroma holds for `collection`, which ingestion keeps equal to `chunks`.
    """

    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        collection: str,
        chunks: Sequence[Chunk],
        rrf_k: int = 60,
        candidates: int = 30,
        dense_weight: float = 1.0,
        lexical_weight: float = 1.0,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.collection = collection
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self._lock = threading.Lock()
        self.lexical = LexicalIndex(chunks)

    def replace_chunks(self, chunks: Sequence[Chunk]) -> None:
        """Rebuild the lexical side after the collection changed (admin upload, re-ingestion)."""
        lexical = LexicalIndex(chunks)
        with self._lock:
            self.lexical = lexical

    def _chunk_of(self, stored: StoredChunk) -> Chunk:
        position = self.lexical.position.get(stored.id)
        if position is not None:
            return self.lexical.chunks[position]
        meta = stored.metadata
        return Chunk(
            id=stored.id,
            doc_id=str(meta.get("doc_id", stored.id)),
            kind=str(meta.get("kind", "")),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            body=stored.document,
            source=str(meta.get("source", "")),
            type=str(meta.get("type", "")),
            situation=str(meta.get("situation", "")),
        )

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The k best chunks for a query under the filters, best first."""
        lexical = self.lexical  # one consistent snapshot even if an upload swaps it meanwhile
        lemmas = index_terms(query)
        pool = max(k, self.candidates)
        dense = self.store.query(
            self.collection,
            embed_query_array(self.embedder, query),
            k=pool,
            where=build_where(filters),
        )
        lexical_hits = lexical.search(lemmas, pool, filters)

        fused: dict[str, dict[str, object]] = {}
        for rank, stored in enumerate(dense, start=1):
            entry = fused.setdefault(stored.id, {"chunk": self._chunk_of(stored)})
            entry["dense_rank"] = rank
            entry["similarity"] = stored.similarity
        for rank, (chunk, score) in enumerate(lexical_hits, start=1):
            entry = fused.setdefault(chunk.id, {"chunk": chunk})
            entry["lexical_rank"] = rank
            entry["bm25"] = score

        hits = []
        for entry in fused.values():
            chunk = entry["chunk"]
            assert isinstance(chunk, Chunk)
            dense_rank = entry.get("dense_rank")
            lexical_rank = entry.get("lexical_rank")
            score = 0.0
            if isinstance(dense_rank, int):
                score += self.dense_weight / (self.rrf_k + dense_rank)
            if isinstance(lexical_rank, int):
                score += self.lexical_weight / (self.rrf_k + lexical_rank)
            position = lexical.position.get(chunk.id)
            chunk_lemmas = (
                lexical.lemma_sets[position] if position is not None else frozenset(index_terms(chunk.text))
            )
            similarity = entry.get("similarity")
            bm25 = entry.get("bm25")
            hits.append(
                Hit(
                    chunk=chunk,
                    score=score,
                    dense_rank=dense_rank if isinstance(dense_rank, int) else None,
                    lexical_rank=lexical_rank if isinstance(lexical_rank, int) else None,
                    similarity=float(similarity) if isinstance(similarity, float) else None,
                    bm25=float(bm25) if isinstance(bm25, float) else None,
                    coverage=lexical.coverage(lemmas, chunk_lemmas),
                )
            )
        hits.sort(key=lambda h: (-h.score, h.chunk.id))
        return hits[:k]

    def search_documents(self, query: str, k: int = 5, filters: Filters | None = None) -> list[DocHit]:
        """The k best documents: chunks grouped by document, each scored by its best chunk.

        The best chunk decides (not a sum) so that long documents with many mediocre sections do not outrank a
        short one with a single exact section.
        """
        hits = self.search(query, k=max(self.candidates, k * 4), filters=filters)
        grouped: dict[str, list[Hit]] = {}
        for hit in hits:
            grouped.setdefault(hit.chunk.doc_id, []).append(hit)
        documents = [DocHit(doc_id, group[0].score, group[0], tuple(group)) for doc_id, group in grouped.items()]
        documents.sort(key=lambda d: (-d.score, d.doc_id))
        return documents[:k]
