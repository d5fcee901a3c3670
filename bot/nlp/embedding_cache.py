"""Passage vectors kept beside the knowledge files, so a fresh install does not re-embed the whole corpus.

Embedding the ~600 chunks of the scripts library and the articles with the CPU model takes a minute or more on a
small server; the vectors only change when the texts or the model change. The cache maps
sha256(model name + text) → vector and lives in `models/embeddings/<model>.npz` (committed, like the trained
classifier). `python -m bot index --save-cache` refreshes it; at start, texts missing from it are embedded as
usual, so an edited or uploaded script simply costs one embedding.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from bot.nlp.embeddings import Embedder

log = logging.getLogger(__name__)


def cache_path(project_root: Path, model_name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name)
    return project_root / "models" / "embeddings" / f"{safe}.npz"


class EmbeddingCache:
    def __init__(self, path: Path, model_name: str) -> None:
        self.path = path
        self.model_name = model_name
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                if str(data["model"]) == model_name:
                    self._vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
                else:
                    log.info("embedding cache %s is for another model: ignored", path.name)

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_name}\x1f{text}".encode()).hexdigest()[:32]

    def get(self, text: str) -> np.ndarray | None:
        return self._vectors.get(self.key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._vectors[self.key(text)] = np.asarray(vector, dtype=np.float32)

    def save(self, keep_texts: list[str] | None = None) -> int:
        """Write the cache; with `keep_texts`, only the vectors of those texts (drops stale entries)."""
        with self._lock:
            keys = [self.key(t) for t in keep_texts] if keep_texts is not None else list(self._vectors)
            keys = sorted({k for k in keys if k in self._vectors})
            matrix = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(self.path, model=np.array(self.model_name), keys=np.array(keys), vectors=matrix)
        return len(keys)

    def __len__(self) -> int:
        return len(self._vectors)


class CachingEmbedder:
    """An Embedder that looks passages up in an EmbeddingCache before asking the model."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.dim = inner.dim

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        found: list[np.ndarray | None] = [self.cache.get(t) for t in texts]
        missing = [i for i, vector in enumerate(found) if vector is None]
        self.cache.hits += len(texts) - len(missing)
        self.cache.misses += len(missing)
        if missing:
            fresh = self.inner.embed_documents([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                array = np.asarray(vector, dtype=np.float32)
                self.cache.put(texts[i], array)
                found[i] = array
        return [np.asarray(v).tolist() for v in found]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def __getattr__(self, name: str) -> Any:  # embed_query_array and friends of the wrapped model
        return getattr(self.inner, name)
