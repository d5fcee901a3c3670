"""The shipped passage vectors: a fresh install embeds nothing it already has, and the cache covers the corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.config import PROJECT_ROOT
from bot.nlp.embedding_cache import CachingEmbedder, EmbeddingCache, cache_path
from bot.nlp.embeddings import load_embedder
from bot.services.knowledge.corpus import load_corpus


class CountingEmbedder:
    name = "counting-1"
    dim = 3

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return [[float(len(t)), 1.0, 0.0] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return [0.0, 0.0, 1.0]


def test_only_missing_texts_are_embedded_and_the_cache_round_trips(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    path = tmp_path / "cache.npz"
    embedder = CachingEmbedder(inner, EmbeddingCache(path, inner.name))
    first = embedder.embed_documents(["а", "бб"])
    assert inner.embedded == ["а", "бб"]
    embedder.cache.save()

    reopened = CachingEmbedder(inner, EmbeddingCache(path, inner.name))
    again = reopened.embed_documents(["бб", "ввв", "а"])
    assert inner.embedded == ["а", "бб", "ввв"]  # only the new text reached the model
    assert again[0] == first[1] and again[2] == first[0]
    assert reopened.cache.hits == 2 and reopened.cache.misses == 1

    other_model = EmbeddingCache(path, "another-model")
    assert len(other_model) == 0  # vectors of another model are never reused


def test_the_shipped_cache_covers_every_chunk() -> None:
    """Fails when scripts or articles changed without `python -m bot index --save-cache` (fresh installs would
    then embed the changed chunks at start: correct, only slower)."""
    name = load_embedder("auto").name
    cache = EmbeddingCache(cache_path(PROJECT_ROOT, name), name)
    texts = [c.text for chunks in load_corpus(PROJECT_ROOT).chunks.values() for c in chunks]
    missing = [t[:60] for t in texts if cache.get(t) is None]
    assert not missing, f"{len(missing)} chunks are not in the shipped cache, e.g. {missing[:3]}"
    vector = cache.get(texts[0])
    assert vector is not None and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
