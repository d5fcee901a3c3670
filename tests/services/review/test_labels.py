"""Type corrections as classifier data: the export in the corpus format (read by the training code), the
evaluation of the model on them, and the `python -m bot labels` command."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.classifier import corpus as corpus_mod
from bot.cli import main
from bot.services.review import labels
from storage.models import TypeCorrection
from tests.services.review.support import make_app

ANGRY = "Это возмутительно! Я третий раз пишу вам, немедленно решите вопрос, иначе буду говорить с вашим директором!"
CAREFUL = "Подскажите, пожалуйста, есть ли у вас сертификаты и гарантии? Мы боимся повторения прошлой задержки."


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    app = await make_app(tmp_path)
    async with app.uow() as uow:
        for text, predicted, corrected in [
            (ANGRY, "undetermined", "emotional_unconfident"),
            (f"  {ANGRY}\n", "undetermined", "emotional_confident"),  # the same text labelled again later: wins
            (CAREFUL, "nonemotional_confident", "nonemotional_unconfident"),
            ("Хорошо", "undetermined", "not-a-type"),  # never exported: unknown label
        ]:
            await uow.suggestions.add_correction(
                TypeCorrection(text=text, predicted_type=predicted, corrected_type=corrected, suggestion_id=7)
            )
    yield app
    await app.close()


async def test_export_writes_the_corpus_format_and_training_reads_it(app: App, tmp_path: Path) -> None:
    root = tmp_path / "project"
    out = root / labels.EXPORT_PATH
    async with app.uow() as uow:
        report = await labels.export(uow, out)
    assert report.written == 2 and report.superseded == 2 and out.name == "corpus_corrections.jsonl"
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(d["text"], d["label"]) for d in lines] == [
        (ANGRY, "emotional_confident"),
        (CAREFUL, "nonemotional_unconfident"),
    ]
    assert all(d["domain"] == "corrections" and d["hard"] is False and d["id"].startswith("corr-") for d in lines)
    assert "bot said undetermined" in lines[0]["note"]
    # The classifier's training reads every corpus_*.jsonl: the exported labels become part of its corpus.
    examples, warnings = corpus_mod.read_corpus(root)
    assert [e.label.value for e in examples] == ["emotional_confident", "nonemotional_unconfident"] and not warnings
    async with app.uow() as uow:  # exporting again replaces the file rather than appending
        await labels.export(uow, out)
    assert len(out.read_text("utf-8").splitlines()) == 2


async def test_evaluation_scores_the_model_on_the_labels(app: App) -> None:
    classifier = await app.classifier()
    async with app.uow() as uow:
        result = await labels.evaluate(uow, classifier)
    assert result.n == 2 and result.accuracy_then == 0.0  # the bot was wrong both times when they were made
    assert 0.0 <= result.accuracy_now <= 1.0 and result.metrics["n"] == 2
    assert len(result.still_wrong) == round(2 * (1 - result.accuracy_now))


def test_cli_export_and_eval(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(app.settings.data_dir))
    out = tmp_path / "labels.jsonl"
    assert main(["labels", "export", "--out", str(out)]) == 0
    assert "Выгружено меток: 2" in capsys.readouterr().out and len(out.read_text("utf-8").splitlines()) == 2
    assert main(["labels", "eval", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["n"] == 2 and figures["accuracy_then"] == 0.0
    assert main(["labels", "export", "--out", str(tmp_path)]) == 2  # a folder, not a file
    assert "папка" in capsys.readouterr().err
