"""The `classify` contract of PRODUCT.md: JSON lines or plain lines in, one JSON line out each."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.classifier.cli import run_classify
from bot.classifier.engine import OfflineClassifier

KEYS = {"id", "type", "confidence", "axes", "cues"}


def _run(classifier: OfflineClassifier, text: str) -> tuple[list[dict[str, object]], int]:
    out = io.StringIO()
    errors = run_classify(io.StringIO(text), out, classifier)
    return [json.loads(line) for line in out.getvalue().splitlines()], errors


def test_json_lines(classifier: OfflineClassifier) -> None:
    src = (
        json.dumps({"id": "m1", "text": "Нужны гарантии и сертификаты, очень боимся рисков"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": 7, "text": "Ок"})
        + "\n"
    )
    rows, errors = _run(classifier, src)
    assert errors == 0
    assert [r["id"] for r in rows] == ["m1", 7]
    for r in rows:
        assert set(r) == KEYS
        assert set(r["axes"]) == {"emotionality", "confidence"}  # type: ignore[arg-type]
        for c in r["cues"]:  # type: ignore[attr-defined]
            assert set(c) >= {"text", "axis", "direction", "weight", "label"}
    assert rows[1]["type"] == "undetermined"


def test_plain_lines_get_line_numbers(classifier: OfflineClassifier) -> None:
    rows, _ = _run(classifier, "Ок\n\nСделайте расчёт до пятницы, сравню с конкурентами\n")
    assert [r["id"] for r in rows] == [1, 3]  # the blank line is skipped but keeps its number


def test_bad_line_reports_error_and_run_continues(classifier: OfflineClassifier) -> None:
    rows, errors = _run(classifier, '{"id": 1, "text": \n{"id": 2}\n[1, 2]\nОк\n')
    assert errors == 2
    assert "error" in rows[0] and rows[0]["id"] == 1
    assert "error" in rows[1] and rows[1]["id"] == 2
    assert rows[2]["id"] == 3 and rows[2]["type"]  # "[1, 2]" is not an object: read as plain text
    assert rows[3]["id"] == 4 and "error" not in rows[3]


def test_json_without_id_uses_line_number(classifier: OfflineClassifier) -> None:
    rows, _ = _run(classifier, '{"text": "Ок"}\n')
    assert rows[0]["id"] == 1


def test_module_entry_point(project_root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.classifier", "classify"],
        input='{"id": "x", "text": "Спасибо, получили"}\nЯ В ЯРОСТИ!!! Где мой заказ?!\n',
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=60,
        check=True,
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["x", 2]
    assert all(set(r) == KEYS for r in rows)
