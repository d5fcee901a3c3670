"""Supervisors' type corrections as classifier data: exported into the corpus, and used to evaluate the model.

The export goes to `datasets/behaviour/corpus_corrections.jsonl` by default, in the corpus format, because the
classifier's training reads every `datasets/behaviour/corpus_*.jsonl` (bot/classifier/corpus.py): the next
`python -m bot.classifier train` rebuilds the train/dev split with the corrections in it, so they are learned
from and counted in its dev figures. `evaluate` scores the current model on all stored corrections — the messages
it once got wrong are the most telling test of whether retraining helped.
A text corrected more than once keeps its latest label; a text already in the hand-written corpus keeps the
corpus label there (the corpus reader drops the later duplicate and says so).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.domain import BehaviourType
from storage.models import TypeCorrection
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.classifier.engine import OfflineClassifier

EXPORT_PATH = Path("datasets") / "behaviour" / "corpus_corrections.jsonl"
DOMAIN = "corrections"


@dataclass(frozen=True, slots=True)
class ExportReport:
    path: Path
    written: int
    superseded: int  # older labels of the same text, replaced by a later correction


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def latest_labels(rows: list[TypeCorrection]) -> list[TypeCorrection]:
    """One label per text (the latest correction wins), in id order; rows with an unknown type are left out."""
    by_text: dict[str, TypeCorrection] = {}
    for row in sorted(rows, key=lambda r: r.id):
        if row.text.strip() and row.corrected_type in BehaviourType.__members__.values():
            by_text[_norm(row.text)] = row
    return sorted(by_text.values(), key=lambda r: r.id)


def as_corpus_line(row: TypeCorrection) -> dict[str, Any]:
    note = f"supervisor correction; bot said {row.predicted_type or 'nothing'}"
    if row.suggestion_id is not None:
        note += f"; suggestion {row.suggestion_id}"
    return {
        "id": f"corr-{row.id}",
        "text": row.text.strip(),
        "label": row.corrected_type,
        "domain": DOMAIN,
        "hard": False,
        "note": note,
    }


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> None:
    """Replace `path` atomically: a reader (or a crash) never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def export(uow: UnitOfWork, path: Path) -> ExportReport:
    """Write every current label as corpus JSON lines."""
    rows = await uow.suggestions.corrections()
    labels = latest_labels(rows)
    await asyncio.to_thread(write_jsonl, path, [as_corpus_line(r) for r in labels])
    return ExportReport(path, len(labels), len(rows) - len(labels))


@dataclass(frozen=True, slots=True)
class LabelEval:
    n: int
    accuracy_now: float  # the current model agrees with the supervisor
    accuracy_then: float  # the bot agreed when the suggestion was made
    metrics: dict[str, Any]  # bot.classifier.metrics.report on the labels
    still_wrong: list[tuple[str, str, str]]  # (text, label, current prediction)


async def evaluate(uow: UnitOfWork, classifier: OfflineClassifier) -> LabelEval:
    from bot.classifier.metrics import report

    labels = latest_labels(await uow.suggestions.corrections())
    if not labels:
        return LabelEval(0, 0.0, 0.0, {}, [])
    gold = [r.corrected_type for r in labels]
    pred = [res.type.value for res in classifier.classify_many([r.text for r in labels])]
    then = sum(1 for r in labels if r.predicted_type == r.corrected_type)
    now = sum(1 for g, p in zip(gold, pred, strict=True) if g == p)
    wrong = [(r.text, g, p) for r, g, p in zip(labels, gold, pred, strict=True) if g != p]
    return LabelEval(len(labels), now / len(labels), then / len(labels), report(gold, pred), wrong)
