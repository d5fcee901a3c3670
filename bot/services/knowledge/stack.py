"""Everything retrieval needs, built once at start: embedder, Chroma, ingestion, both hybrid indexes, the scripts
library, the knowledge base and the situation detector.

The composition root (bot.app) builds one `RetrievalStack` with `RetrievalStack.open(...)` (sync, a few seconds:
model load plus an incremental ingestion) and hands its parts to the services and transports. All methods are sync;
the `a*` variants run them in a worker thread for the event loop.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.nlp.embedding_cache import CachingEmbedder, EmbeddingCache, cache_path
from bot.nlp.embeddings import Embedder, EmbedderKind, load_embedder
from bot.services.knowledge.answers import KnowledgeBase
from bot.services.knowledge.corpus import KNOWLEDGE_COLLECTION, SCRIPTS_COLLECTION, Corpus, load_corpus
from bot.services.knowledge.ingestion import IngestReport, ScriptUpload, add_script_from_markdown, decode_upload, ingest
from bot.services.knowledge.retrieval import HybridIndex
from bot.services.knowledge.scripts import ScriptLibrary
from bot.services.knowledge.situations import SituationDetector
from storage.vectors import VectorStore

COLLECTIONS = (SCRIPTS_COLLECTION, KNOWLEDGE_COLLECTION)


@dataclass
class RetrievalStack:
    project_root: Path
    embedder: Embedder
    store: VectorStore
    corpus: Corpus
    scripts_index: HybridIndex
    knowledge_index: HybridIndex
    library: ScriptLibrary
    knowledge: KnowledgeBase
    situations: SituationDetector
    last_report: IngestReport

    @classmethod
    def open(
        cls,
        project_root: Path,
        chroma_path: Path | None = None,
        chroma_url: str | None = None,
        embedder: Embedder | None = None,
        embedder_kind: EmbedderKind = "auto",
    ) -> RetrievalStack:
        """Open Chroma (folder or server), bring it in line with the files (only changed chunks are embedded)
        and build the in-memory indexes from the same parsed files."""
        embedder = embedder or load_embedder(embedder_kind)
        if not isinstance(embedder, CachingEmbedder):  # shipped vectors: a fresh install embeds only new texts
            embedder = CachingEmbedder(embedder, EmbeddingCache(cache_path(project_root, embedder.name), embedder.name))
        store = VectorStore.open(embedder, COLLECTIONS, path=chroma_path, url=chroma_url)
        corpus = load_corpus(project_root)
        report = ingest(project_root, store, corpus=corpus)
        scripts_index = HybridIndex(store, embedder, SCRIPTS_COLLECTION, corpus.chunks[SCRIPTS_COLLECTION])
        knowledge_index = HybridIndex(store, embedder, KNOWLEDGE_COLLECTION, corpus.chunks[KNOWLEDGE_COLLECTION])
        situations = SituationDetector.from_file(project_root)
        return cls(
            project_root=project_root,
            embedder=embedder,
            store=store,
            corpus=corpus,
            scripts_index=scripts_index,
            knowledge_index=knowledge_index,
            library=ScriptLibrary(corpus.scripts, scripts_index, situations),
            knowledge=KnowledgeBase(knowledge_index),
            situations=situations,
            last_report=report,
        )

    def __post_init__(self) -> None:
        self._write_lock = threading.Lock()  # one writer at a time: uploads and re-indexing touch the same files

    def save_embedding_cache(self) -> int:
        """Write the vectors of every current chunk to the shipped cache (`python -m bot index --save-cache`)."""
        if not isinstance(self.embedder, CachingEmbedder):
            return 0
        texts = [chunk.text for chunks in self.corpus.chunks.values() for chunk in chunks]
        self.embedder.embed_documents(texts)  # fills any gap (e.g. the index was built before the cache existed)
        return self.embedder.cache.save(keep_texts=texts)

    def reindex(self) -> IngestReport:
        """Re-read the files and sync the index (the `index` command, or after files changed on disk)."""
        with self._write_lock:
            corpus = load_corpus(self.project_root)
            report = ingest(self.project_root, self.store, corpus=corpus)
            self.scripts_index.replace_chunks(corpus.chunks[SCRIPTS_COLLECTION])
            self.knowledge_index.replace_chunks(corpus.chunks[KNOWLEDGE_COLLECTION])
            # Parts are updated in place: the services and handlers keep the references they were given at start.
            self.library.replace_all(corpus.scripts)
            self.situations.reload(self.project_root)
            self.corpus, self.last_report = corpus, report
            return report

    def add_script(self, data: bytes | str) -> ScriptUpload:
        """An admin's uploaded Markdown file: validated (ScriptFormatError with a Russian reason, nothing written),
        saved to scripts_library, re-indexed, and live for the next suggestion."""
        text = decode_upload(data) if isinstance(data, bytes) else data
        with self._write_lock:
            upload = add_script_from_markdown(text, self.project_root, self.store)
            corpus = load_corpus(self.project_root)
            self.scripts_index.replace_chunks(corpus.chunks[SCRIPTS_COLLECTION])
            self.library.put(upload.script)
            self.corpus = corpus
            return upload

    async def areindex(self) -> IngestReport:
        return await asyncio.to_thread(self.reindex)

    async def aadd_script(self, data: bytes | str) -> ScriptUpload:
        return await asyncio.to_thread(self.add_script, data)
