"""The retrieval benchmark still runs end to end (tiny size), so `bench retrieval` cannot rot between releases.
Its figures are not asserted: speed is measured by the benchmark, not by tests."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.nlp.embeddings import Embedder


def test_retrieval_bench_runs_on_a_small_filler(embedder: Embedder, tmp_path: Path) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))  # bench/ lives beside the packages, as `python -m bot bench` does
    from bench.retrieval_bench import run_retrieval_bench

    out = io.StringIO()
    result = run_retrieval_bench(
        PROJECT_ROOT, out, sizes=(1_000,), embedder=embedder, encoders=False, real_index=tmp_path / "real"
    )
    size = result["sizes"]["1000"]
    assert size["chunks"] == 1_000 and size["queries"] > 100
    assert size["recall@3"] >= 0.8  # the real documents still surface among 400 distractors
    assert "| 1000 |" in out.getvalue()
