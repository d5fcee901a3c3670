"""Model internals: the vectorised policy search agrees with run-time decisions; save/load round trip;
the split is deterministic and stratified."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.classifier.corpus import Example, split
from bot.classifier.engine import OfflineClassifier
from bot.classifier.metrics import abstention, confusion, macro_f1
from bot.classifier.model import CLASSES, BehaviourModel, Policy, decide
from bot.domain import BehaviourType

train_mod = pytest.importorskip("bot.classifier.train")  # needs scikit-learn, present in the dev environment


@pytest.mark.parametrize("blend", [0.0, 0.5, 1.0])
def test_vectorised_decision_matches_runtime(blend: float) -> None:
    rng = np.random.default_rng(0)
    n = 300
    p5 = rng.dirichlet(np.ones(5) * 0.7, size=n)
    pe, pc = rng.random(n), rng.random(n)
    words = rng.integers(0, 10, n)
    ev = rng.random(n) * 2
    pol = Policy(blend=blend, undetermined_threshold=0.4, min_type_probability=0.35, min_words=3)
    fast = train_mod.decide_many(p5, pe, pc, pol, words, ev)
    slow = [decide(p5[i], float(pe[i]), float(pc[i]), pol, int(words[i]), float(ev[i])).type for i in range(n)]
    assert fast == slow


def test_decide_keeps_axes_in_the_quadrant() -> None:
    p5 = np.array([0.4, 0.3, 0.0, 0.3, 0.0])  # EC wins the joint, but the emotional marginal is only 0.4 + 0.3
    pred = decide(p5, 0.5, 0.5, Policy(blend=1.0, undetermined_threshold=0.9), n_words=10, evidence=3)
    assert pred.type == BehaviourType.EMOTIONAL_CONFIDENT.value
    assert BehaviourType.from_axes(pred.emotionality, pred.confidence_axis) is BehaviourType.EMOTIONAL_CONFIDENT


def test_save_load_round_trip(classifier: OfflineClassifier, tmp_path: Path) -> None:
    model = classifier.model
    model.save(tmp_path, "behaviour-test")
    again = BehaviourModel.load(tmp_path, "behaviour-test")
    a = classifier.features.analyse("Очень переживаю за сроки, пришлите гарантийное письмо")
    p1, p2 = model.predict(a), again.predict(a)
    assert p1.type == p2.type
    assert abs(p1.confidence - p2.confidence) < 1e-4  # float32 storage


def _examples(n_per: int) -> list[Example]:
    out = []
    for label in CLASSES:
        for d in ("logistics", "retail"):
            out.extend(
                Example(f"{label[:3]}-{d}-{i}", f"text {label} {d} {i}", BehaviourType(label), d) for i in range(n_per)
            )
    return out


def test_split_is_deterministic_and_stratified() -> None:
    ex = _examples(12)
    tr1, dv1 = split(ex)
    _tr2, dv2 = split(list(reversed(ex)))
    assert [e.id for e in dv1] == [e.id for e in dv2]  # independent of input order
    assert not {e.id for e in tr1} & {e.id for e in dv1}
    assert len(dv1) == len(ex) // 4
    for label in CLASSES:
        for d in ("logistics", "retail"):
            k = sum(1 for e in dv1 if e.label.value == label and e.domain == d)
            assert 2 <= k <= 4  # 12 per stratum → about 3 in dev


def test_metrics_by_hand() -> None:
    gold = ["emotional_confident", "emotional_confident", "undetermined", "nonemotional_confident"]
    pred = ["emotional_confident", "undetermined", "emotional_confident", "nonemotional_confident"]
    # EC: tp 1, fp 1, fn 1 → F1 0.5; NC: F1 1; NU and EU: no support, F1 0
    assert macro_f1(gold, pred) == pytest.approx((0.5 + 1.0) / 4)
    ab = abstention(gold, pred)
    assert ab["low_signal_undetermined"] == 0.0 and ab["clear_undetermined"] == pytest.approx(1 / 3)
    m = confusion(gold, pred)
    assert m[0][0] == 1 and m[0][4] == 1 and m[4][0] == 1
