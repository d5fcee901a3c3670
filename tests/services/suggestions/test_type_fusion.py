"""The type read fused from the offline classifier's probabilities and the LLM's answer."""

from __future__ import annotations

import pytest

from bot.domain import Axis, BehaviourResult, BehaviourType, Cue
from bot.services.suggestions.type_fusion import fuse

NC, NU = BehaviourType.NONEMOTIONAL_CONFIDENT, BehaviourType.NONEMOTIONAL_UNCONFIDENT
EC, EU = BehaviourType.EMOTIONAL_CONFIDENT, BehaviourType.EMOTIONAL_UNCONFIDENT


def offline(probabilities: dict[BehaviourType, float], **extra: object) -> BehaviourResult:
    best = max(probabilities, key=lambda t: probabilities[t])
    values = {
        "type": best,
        "emotionality": -0.4,
        "confidence_axis": 0.6,
        "confidence": probabilities[best],
        "cues": (Cue("решение принимаю", Axis.CONFIDENCE, 1, 0.8, "решительность"),),
        "probabilities": {t.value: p for t, p in probabilities.items()},
        **extra,
    }
    return BehaviourResult(**values)  # type: ignore[arg-type]


def llm(type_: BehaviourType, confidence: float) -> BehaviourResult:
    cues = (
        Cue("Решение принимаю", Axis.CONFIDENCE, 1, 1.0, "по оценке LLM"),
        Cue("важны гарантии", Axis.CONFIDENCE, -1, 1.0, "по оценке LLM"),
    )
    return BehaviourResult(type_, -0.6, -0.2, confidence, cues, engine="llm")


def test_a_confident_llm_outweighs_a_hesitant_classifier() -> None:
    fused = fuse(offline({NC: 0.45, NU: 0.35, EC: 0.1, EU: 0.1}), llm(NU, 0.9))
    assert fused.type is NU and fused.engine == "llm+offline"
    assert fused.confidence == pytest.approx(0.5 * 0.35 + 0.5 * 0.9)
    assert fused.emotionality == pytest.approx(-0.5) and fused.confidence_axis == pytest.approx(0.2)
    assert [c.text for c in fused.cues] == ["решение принимаю", "важны гарантии"]  # no duplicate quote


def test_a_sure_classifier_keeps_its_type_against_a_lukewarm_llm() -> None:
    fused = fuse(offline({NC: 0.85, NU: 0.05, EC: 0.05, EU: 0.05}), llm(NU, 0.5))
    assert fused.type is NC
    assert sum(fused.probabilities.values()) == pytest.approx(1.0, abs=1e-3)


def test_when_neither_is_convincing_the_type_is_undetermined() -> None:
    fused = fuse(offline({NC: 0.3, NU: 0.3, EC: 0.2, EU: 0.2}), llm(BehaviourType.UNDETERMINED, 0.3))
    assert fused.type is BehaviourType.UNDETERMINED


def test_without_classifier_probabilities_the_llm_read_stands() -> None:
    alone = llm(EU, 0.7)
    assert fuse(BehaviourResult(BehaviourType.UNDETERMINED, 0, 0, 0.0), alone) is alone
