"""The retrieval evaluation: metric arithmetic, and the real query set as a regression guard."""

from __future__ import annotations

import io
import json
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.services.knowledge.evaluation import Metrics, evaluate, load_cases, run_retrieval_eval
from bot.services.knowledge.stack import RetrievalStack


def test_metrics_arithmetic() -> None:
    metrics = Metrics()
    for rank in (1, 2, 4, None):
        metrics.add(rank)
    assert metrics.recall_at_1 == 0.25 and metrics.recall_at_3 == 0.5
    assert abs(metrics.mrr - (1 + 0.5 + 0.25) / 4) < 1e-9


def test_load_cases_infers_kind(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"query": "a", "expected": "article:x"}\n\n{"query": "b", "expected": "proposal.undetermined"}\n')
    assert [c.kind for c in load_cases(path)] == ["article", "script"]


def test_small_project_evaluation(stack: RetrievalStack, project: Path) -> None:
    rows = [
        {
            "query": "клиент просит скидку, у конкурентов дешевле",
            "expected": "price_objection.nonemotional_confident",
            "kind": "script",
            "type": "nonemotional_confident",
            "situation": "price_objection",
        },
        {
            "query": "сообщить клиенту, что поставка задерживается",
            "expected": "delay_notice.undetermined",
            "kind": "script",
            "type": None,
            "situation": "delay_notice",
        },
        {"query": "почему удержание выгоднее привлечения", "expected": "article:retention", "kind": "article"},
    ]
    (project / "datasets").mkdir()
    (project / "datasets" / "retrieval_queries.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
    )
    out = io.StringIO()
    result = run_retrieval_eval(project, out, stack=stack)
    assert result.overall.n == 3 and result.overall.recall_at_1 == 1.0
    assert "R@3=1.000" in out.getvalue()


def test_real_query_set_meets_the_target(real_stack: RetrievalStack) -> None:
    cases = load_cases(PROJECT_ROOT / "datasets" / "retrieval_queries.jsonl")
    assert len(cases) >= 80
    result = evaluate(real_stack, cases)
    assert result.overall.recall_at_3 >= 0.85, result.misses
    # The hybrid index alone (no situation cues) must hold the line too.
    assert result.scripts_hybrid_only.recall_at_3 >= 0.85, result.misses
