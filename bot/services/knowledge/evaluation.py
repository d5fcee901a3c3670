"""Retrieval quality on datasets/retrieval_queries.jsonl: recall@1, recall@3 and MRR, overall and by kind.

Each query is searched the way the bot would search it:
- a script query goes to the scripts collection filtered by the client's type. The bot always has a type from the
  classifier, and when the classifier abstains it uses the type-neutral script, so a query without a type is
  filtered to `undetermined`. The situation is what retrieval has to find, so it is never a filter.
- an article query goes to the knowledge collection unfiltered (articles and service commitments compete, as in
  /ask).
  Script search is the bot's `ScriptLibrary.search`: the hybrid ranking fused with the situation cues.
Two more passes are reported for information: scripts by the hybrid index alone (no situation cues), and
everything without the type filter, which shows how much the filter carries.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.domain import BehaviourType
from bot.services.knowledge.stack import RetrievalStack

QUERIES_FILE = "datasets/retrieval_queries.jsonl"
DEPTH = 10  # ranks beyond this count as misses for MRR


@dataclass(frozen=True, slots=True)
class QueryCase:
    query: str
    expected: str
    kind: str  # "script" or "article"
    type: str | None
    situation: str | None


@dataclass
class Metrics:
    n: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    reciprocal_sum: float = 0.0

    def add(self, rank: int | None) -> None:
        self.n += 1
        if rank is not None:
            self.hits_at_1 += rank == 1
            self.hits_at_3 += rank <= 3
            self.reciprocal_sum += 1.0 / rank

    @property
    def recall_at_1(self) -> float:
        return self.hits_at_1 / self.n if self.n else 0.0

    @property
    def recall_at_3(self) -> float:
        return self.hits_at_3 / self.n if self.n else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_sum / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "recall@1": round(self.recall_at_1, 4),
            "recall@3": round(self.recall_at_3, 4),
            "mrr": round(self.mrr, 4),
        }


@dataclass
class EvalResult:
    overall: Metrics = field(default_factory=Metrics)
    by_kind: dict[str, Metrics] = field(default_factory=lambda: defaultdict(Metrics))
    scripts_hybrid_only: Metrics = field(default_factory=Metrics)
    unfiltered: Metrics = field(default_factory=Metrics)
    misses: list[dict[str, object]] = field(default_factory=list)  # expected not in the top 3 (bot mode)
    latency_ms: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.as_dict(),
            "by_kind": {kind: m.as_dict() for kind, m in sorted(self.by_kind.items())},
            "scripts_hybrid_only": self.scripts_hybrid_only.as_dict(),
            "unfiltered": self.unfiltered.as_dict(),
            "misses": self.misses,
            "mean_latency_ms": round(self.latency_ms, 2),
        }


def load_cases(path: Path) -> list[QueryCase]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not row.get("query") or not row.get("expected"):
            raise ValueError(f"{path.name}:{number}: нужны поля query и expected")
        kind = str(row.get("kind") or ("article" if str(row["expected"]).startswith("article:") else "script"))
        cases.append(QueryCase(row["query"], row["expected"], kind, row.get("type"), row.get("situation")))
    return cases


def _rank(ranked: Iterable[str], expected: str) -> int | None:
    for position, doc_id in enumerate(ranked, start=1):
        if doc_id == expected:
            return position
    return None


def ranked_documents(stack: RetrievalStack, case: QueryCase, filtered: bool = True, cues: bool = True) -> list[str]:
    if case.kind == "script":
        type_filter = (case.type or BehaviourType.UNDETERMINED.value) if filtered else None
        return [h.script.id for h in stack.library.search(case.query, type_=type_filter, k=DEPTH, use_cues=cues)]
    return [d.doc_id for d in stack.knowledge_index.search_documents(case.query, DEPTH)]


def evaluate(stack: RetrievalStack, cases: list[QueryCase]) -> EvalResult:
    result = EvalResult()
    started = time.perf_counter()
    for case in cases:
        ranked = ranked_documents(stack, case)
        rank = _rank(ranked, case.expected)
        result.overall.add(rank)
        result.by_kind[case.kind].add(rank)
        if rank is None or rank > 3:
            result.misses.append({"query": case.query, "expected": case.expected, "rank": rank, "got": ranked[:3]})
    result.latency_ms = (time.perf_counter() - started) * 1000 / max(1, len(cases))
    for case in cases:
        result.unfiltered.add(_rank(ranked_documents(stack, case, filtered=False), case.expected))
        if case.kind == "script":
            result.scripts_hybrid_only.add(_rank(ranked_documents(stack, case, cues=False), case.expected))
    return result


def format_report(result: EvalResult) -> str:
    lines = ["Retrieval evaluation (recall@1 / recall@3 / MRR):"]

    def row(name: str, m: Metrics) -> str:
        return f"  {name:<22} n={m.n:<4} R@1={m.recall_at_1:.3f}  R@3={m.recall_at_3:.3f}  MRR={m.mrr:.3f}"

    lines.append(row("overall (as the bot)", result.overall))
    for kind, metrics in sorted(result.by_kind.items()):
        lines.append(row(kind, metrics))
    lines.append(row("script, no cues", result.scripts_hybrid_only))
    lines.append(row("overall, no type filter", result.unfiltered))
    lines.append(f"  mean query time: {result.latency_ms:.1f} ms")
    if result.misses:
        lines.append(f"  not in the top 3 ({len(result.misses)}):")
        for miss in result.misses:
            lines.append(f"    - {miss['query']!s:.90} → expected {miss['expected']}, got {miss['got']}")
    return "\n".join(lines)


def run_retrieval_eval(
    project_root: Path,
    out: TextIO | None = None,
    stack: RetrievalStack | None = None,
    chroma_path: Path | None = None,
    as_json: bool = False,
) -> EvalResult:
    """Evaluate on the project's query set and print the report to `out` (stdout by default).

    Uses `stack` when given; otherwise opens one on `chroma_path` (incremental, so a built index makes this fast)
    or, without a path, on a temporary folder that is removed afterwards.
    """
    out = out or sys.stdout
    cases = load_cases(project_root / QUERIES_FILE)
    if stack is not None:
        result = evaluate(stack, cases)
    elif chroma_path is not None:
        result = evaluate(RetrievalStack.open(project_root, chroma_path=chroma_path), cases)
    else:
        with tempfile.TemporaryDirectory(prefix="mc-eval-") as folder:
            result = evaluate(RetrievalStack.open(project_root, chroma_path=Path(folder)), cases)
    out.write((json.dumps(result.as_dict(), ensure_ascii=False) if as_json else format_report(result)) + "\n")
    return result


if __name__ == "__main__":  # .venv/bin/python -m bot.services.knowledge.evaluation [--json]
    from bot.config import PROJECT_ROOT

    run_retrieval_eval(PROJECT_ROOT, as_json="--json" in sys.argv[1:])
