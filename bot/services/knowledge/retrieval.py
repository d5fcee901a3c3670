"""Hybrid search over one collection: dense vectors in Chroma fused with BM25 over lemmas.

Why both: the dense model finds paraphrases ("дороговато у вас" ~ "возражение по цене") but blurs rare exact terms
(ГОСТ, УПД, NPS); BM25 over lemmas finds exact terms in any grammatical form but misses paraphrases. Reciprocal rank
fusion (RRF) adds 1/(k0 + rank) from each list, so it needs no score calibration between the two and a chunk found by
either list can surface.

The same metadata filters (type, situation, kind) are applied to both lists: a boolean mask over the in-memory chunks
on the lexical side; on the dense side, an exact scan of the passing rows when they are few enough (the usual case,
see retrieval_scan.py), otherwise Chroma's HNSW with over-fetched ids filtered by that mask, or Chroma's `where` when
the filter is too selective for that (see `dense_search`).

Everything here is synchronous (Chroma is); async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.nlp.bm25 import BM25Index, index_terms
from bot.nlp.embeddings import Embedder, embed_query_array
from bot.services.knowledge.corpus import Chunk
from bot.services.knowledge.exact_scan import VectorRows
from storage.vectors import StoredChunk, VectorStore, build_where

Filters = Mapping[str, str | Sequence[str] | None]
FILTER_KEYS = ("kind", "type", "situation", "doc_id")
OVERFETCH = 1.5  # margin over the expected number of passing ids among the nearest ones
MAX_OVERFETCH = 2000  # beyond this, Chroma's own `where` is cheaper than reading that many ids


@dataclass(frozen=True, slots=True)
class Hit:
    chunk: Chunk
    score: float  # fused RRF score (comparable only within one result list)
    dense_rank: int | None  # 1-based rank in the dense list, None when not a dense candidate
    lexical_rank: int | None
    similarity: float | None  # cosine similarity to the query (dense candidates only)
    bm25: float | None
    coverage: float  # share of the query's term weight (idf) found in the chunk, 0..1


@dataclass(slots=True)
class _Candidate:
    chunk: Chunk
    dense_rank: int | None = None
    lexical_rank: int | None = None
    similarity: float | None = None
    bm25: float | None = None


@dataclass(frozen=True, slots=True)
class DocHit:
    """A document (script, article, commitment) ranked by its best chunk."""

    doc_id: str
    score: float
    best: Hit
    hits: tuple[Hit, ...]


class LexicalIndex:
    """BM25 over the chunks' lemmas (and lemma prefixes) plus per-chunk metadata arrays for cheap filtering."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)
        self.size = len(self.chunks)
        term_lists = [index_terms(c.text) for c in self.chunks]
        self.term_sets = [frozenset(terms) for terms in term_lists]
        self.bm25 = BM25Index(term_lists)
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self._columns = {key: np.array([getattr(c, key) for c in self.chunks], dtype=object) for key in FILTER_KEYS}
        self._masks: dict[tuple[str, str], np.ndarray] = {}

    def _value_mask(self, key: str, value: str) -> np.ndarray:
        # Cached per (key, value): comparing 100k Python strings on every query would cost more than BM25 itself.
        cached = self._masks.get((key, value))
        if cached is None:
            cached = self._columns[key] == value
            self._masks[(key, value)] = cached
        return cached

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        """Which chunks pass the filters (None: all). A string means equality, a list means "one of"."""
        mask: np.ndarray | None = None
        for key, value in (filters or {}).items():
            if value is None:
                continue
            values = [value] if isinstance(value, str) else list(value)
            current = np.logical_or.reduce([self._value_mask(key, v) for v in values])
            mask = current if mask is None else mask & current
        return mask

    def search(self, terms: Sequence[str], k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        return [(self.chunks[i], score) for i, score in self.bm25.top(terms, k, self.mask(filters))]

    def term_weights(self, terms: Sequence[str]) -> dict[str, float]:
        """Idf of each distinct query term; unknown terms count as the rarest possible."""
        ceiling = float(np.log(1.0 + (self.bm25.size + 0.5) / 0.5))
        return {term: (self.bm25.idf(term) or ceiling) for term in set(terms)}

    @staticmethod
    def coverage(weights: Mapping[str, float], chunk_terms: frozenset[str]) -> float:
        """Idf-weighted share of the query terms present in a chunk."""
        total = sum(weights.values())
        return sum(w for term, w in weights.items() if term in chunk_terms) / total if total else 0.0


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """The in-memory side of one collection: chunks with their lexical index, and their vectors. Swapped as one
    object, so a search never pairs the chunks of one version with the vectors of another."""

    lexical: LexicalIndex
    rows: VectorRows


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
        query_cache: int = 256,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.collection = collection
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self._lock = threading.Lock()
        lexical = LexicalIndex(chunks)
        self.snapshot = IndexSnapshot(lexical, VectorRows.load(store, collection, lexical.chunks))
        # The same text is often searched several times in a row (suggestion card, "pick another", /ask); the
        # query vector is the expensive part, so recent ones are kept. The benchmark turns this off.
        self._query_cache_size = query_cache
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def query_vector(self, query: str) -> np.ndarray:
        with self._lock:
            cached = self._query_cache.get(query)
            if cached is not None:
                self._query_cache.move_to_end(query)
                return cached
        vector = embed_query_array(self.embedder, query)
        if self._query_cache_size > 0:
            with self._lock:
                self._query_cache[query] = vector
                while len(self._query_cache) > self._query_cache_size:
                    self._query_cache.popitem(last=False)
        return vector

    @property
    def lexical(self) -> LexicalIndex:
        return self.snapshot.lexical

    def replace_chunks(self, chunks: Sequence[Chunk]) -> None:
        """Rebuild the in-memory side after the collection changed (admin upload, re-ingestion); vectors of
        unchanged chunks are kept, the others are read from Chroma."""
        old = self.snapshot
        lexical = LexicalIndex(chunks)
        rows = VectorRows.load(self.store, self.collection, lexical.chunks, previous=(old.lexical.chunks, old.rows))
        with self._lock:
            self.snapshot = IndexSnapshot(lexical, rows)

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

    def dense_search(
        self, vector: np.ndarray, pool: int, filters: Filters | None = None, snapshot: IndexSnapshot | None = None
    ) -> list[tuple[Chunk, float]]:
        """The `pool` nearest chunks that pass the filters, best first.

        First choice: an exact scan of the passing rows in memory (VectorRows.top), when they are few enough.
        Otherwise Chroma. Chroma applies a `where` by scanning metadata of the whole collection (measured: ~15 ms
        at 10k records, ~110 ms at 100k), while a plain HNSW search for a few hundred ids takes a few ms. The
        in-memory columns tell exactly what share of chunks passes the filters, so the search over-fetches by that
        share and filters the ids here; only very selective filters (or a shortfall) fall back to Chroma's `where`.
        """
        snapshot = snapshot or self.snapshot
        lexical = snapshot.lexical
        mask = lexical.mask(filters)
        exact = snapshot.rows.top(vector, pool, mask)
        if exact is not None:
            return [(lexical.chunks[row], similarity) for row, similarity in exact]
        if mask is None:
            return self._resolve(self.store.nearest_ids(self.collection, vector, pool), lexical)
        passing = int(mask.sum())
        if passing == 0:
            return []
        fetch = min(lexical.size, int(pool * lexical.size / passing * OVERFETCH) + pool)
        if fetch <= MAX_OVERFETCH or fetch >= lexical.size:
            found = []
            for chunk, similarity in self._resolve(self.store.nearest_ids(self.collection, vector, fetch), lexical):
                position = lexical.position.get(chunk.id)
                if position is not None and mask[position]:
                    found.append((chunk, similarity))
            if len(found) >= min(pool, passing) or fetch >= lexical.size:
                return found[:pool]
        stored = self.store.query(self.collection, vector, k=pool, where=build_where(filters))
        return [(self._chunk_of(s), s.similarity) for s in stored]

    def _resolve(self, pairs: list[tuple[str, float]], lexical: LexicalIndex) -> list[tuple[Chunk, float]]:
        """Chunks for ids; ids the in-memory side does not know (not expected after ingestion) are read back."""
        unknown = [cid for cid, _ in pairs if cid not in lexical.position]
        extra = {s.id: self._chunk_of(s) for s in self.store.get(self.collection, ids=unknown)} if unknown else {}
        out = []
        for cid, similarity in pairs:
            position = lexical.position.get(cid)
            chunk = lexical.chunks[position] if position is not None else extra.get(cid)
            if chunk is not None:
                out.append((chunk, similarity))
        return out

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The k best chunks for a query under the filters, best first."""
        snapshot = self.snapshot  # one consistent version even if an upload swaps it meanwhile
        lexical = snapshot.lexical
        query_terms = index_terms(query)
        pool = max(k, self.candidates)
        dense = self.dense_search(self.query_vector(query), pool, filters, snapshot)
        lexical_hits = lexical.search(query_terms, pool, filters)

        fused: dict[str, _Candidate] = {}
        for rank, (chunk, similarity) in enumerate(dense, start=1):
            candidate = fused.setdefault(chunk.id, _Candidate(chunk))
            candidate.dense_rank, candidate.similarity = rank, similarity
        for rank, (chunk, score) in enumerate(lexical_hits, start=1):
            candidate = fused.setdefault(chunk.id, _Candidate(chunk))
            candidate.lexical_rank, candidate.bm25 = rank, score

        weights = lexical.term_weights(query_terms)
        hits = []
        for candidate in fused.values():
            score = 0.0
            if candidate.dense_rank is not None:
                score += self.dense_weight / (self.rrf_k + candidate.dense_rank)
            if candidate.lexical_rank is not None:
                score += self.lexical_weight / (self.rrf_k + candidate.lexical_rank)
            chunk = candidate.chunk
            position = lexical.position.get(chunk.id)
            terms = lexical.term_sets[position] if position is not None else frozenset(index_terms(chunk.text))
            hits.append(
                Hit(
                    chunk=chunk,
                    score=score,
                    dense_rank=candidate.dense_rank,
                    lexical_rank=candidate.lexical_rank,
                    similarity=candidate.similarity,
                    bm25=candidate.bm25,
                    coverage=lexical.coverage(weights, terms),
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
