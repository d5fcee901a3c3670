"""The offline behaviour-type classifier: features + trained model + cues + questions → `BehaviourResult`."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from bot.classifier.features import Analysis, CueSpan, FeatureExtractor
from bot.classifier.model import MODEL_DIR, MODEL_VERSION, QUADRANT, BehaviourModel, Prediction
from bot.classifier.questions import QuestionBank
from bot.domain import Axis, BehaviourResult, BehaviourType, Cue
from bot.nlp.text import normalize_input

LEXICON_DIR = Path("knowledge") / "lexicons"
MAX_CUES = 6
MAX_OPPOSING_CUES = 2  # evidence against the decision is shown too, but it does not crowd out the reasons


class OfflineClassifier:
    """Loads once (about half a second, mostly the morphology dictionaries), then classifies in a few ms."""

    def __init__(self, features: FeatureExtractor, model: BehaviourModel, questions: QuestionBank) -> None:
        self.features = features
        self.model = model
        self.questions = questions
        self.load_seconds = 0.0

    @classmethod
    def load(cls, project_root: Path, version: str = MODEL_VERSION) -> OfflineClassifier:
        t0 = time.perf_counter()
        lexicon_dir = project_root / LEXICON_DIR
        clf = cls(
            FeatureExtractor.load(lexicon_dir),
            BehaviourModel.load(project_root / MODEL_DIR, version),
            QuestionBank.load(lexicon_dir),
        )
        clf.load_seconds = time.perf_counter() - t0
        return clf

    @property
    def version(self) -> str:
        return str(self.model.metadata.get("version", MODEL_VERSION))

    def classify(self, text: str) -> BehaviourResult:
        text = normalize_input(text)  # a zero-width space inside «срочно» must not hide the word
        analysis = self.features.analyse(text)
        pred = self.model.predict(analysis)
        return self._result(text, analysis, pred)

    def classify_many(self, texts: Sequence[str]) -> list[BehaviourResult]:
        # Messages are independent and each takes a few milliseconds; a plain loop keeps memory flat.
        return [self.classify(t) for t in texts]

    def _result(self, text: str, analysis: Analysis, pred: Prediction) -> BehaviourResult:
        type_ = BehaviourType(pred.type)
        return BehaviourResult(
            type=type_,
            emotionality=round(pred.emotionality, 4),
            confidence_axis=round(pred.confidence_axis, 4),
            confidence=round(pred.confidence, 4),
            cues=select_cues(analysis.cues, type_, pred),
            questions=self.questions.pick(text, type_, pred.p_emotional, pred.p_confident, pred.confidence),
            probabilities={k: round(v, 4) for k, v in pred.probabilities.items()},
            engine="offline",
            messages_used=1,
        )


def select_cues(cues: Sequence[CueSpan], type_: BehaviourType, pred: Prediction) -> tuple[Cue, ...]:
    """The quotes to show: those pushing toward the decision first, strongest first; overlaps merged."""
    if type_ is BehaviourType.UNDETERMINED:
        # No decision to support: show what there is, on whichever side the model leans.
        want = {
            Axis.EMOTIONALITY: 1 if pred.p_emotional >= 0.5 else -1,
            Axis.CONFIDENCE: 1 if pred.p_confident >= 0.5 else -1,
        }
    else:
        e, c = QUADRANT[type_.value]
        want = {Axis.EMOTIONALITY: 1 if e else -1, Axis.CONFIDENCE: 1 if c else -1}
    kept: list[CueSpan] = []
    for cs in sorted(cues, key=lambda c: (-c.cue.weight, c.start)):
        same_side = [k for k in kept if k.cue.axis is cs.cue.axis and k.cue.direction == cs.cue.direction]
        if any(cs.start < k.stop and k.start < cs.stop for k in same_side):
            continue  # the same words already quoted for the same push
        kept.append(cs)
    agree = [c for c in kept if want[c.cue.axis] == c.cue.direction]
    oppose = [c for c in kept if want[c.cue.axis] != c.cue.direction]
    chosen = agree[:MAX_CUES]
    chosen += oppose[: min(MAX_OPPOSING_CUES, MAX_CUES - len(chosen))]
    return tuple(c.cue for c in chosen)
