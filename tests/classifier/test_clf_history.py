"""History aggregation: recent messages weigh more, confidence grows with evidence, a change is visible."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.classifier.history import aggregate
from bot.domain import DETERMINED_TYPES, BehaviourResult, BehaviourType

EC, NC = BehaviourType.EMOTIONAL_CONFIDENT, BehaviourType.NONEMOTIONAL_CONFIDENT
NU, EU, UN = BehaviourType.NONEMOTIONAL_UNCONFIDENT, BehaviourType.EMOTIONAL_UNCONFIDENT, BehaviourType.UNDETERMINED
T0 = datetime(2025, 1, 15, 12, 0)


def result(t: BehaviourType, p: float = 0.7, undetermined: float = 0.05) -> BehaviourResult:
    """A message result leaning to `t` with P(t | determined) = p."""
    rest = (1 - p) / 3
    probs = {x.value: (p if x is t else rest) * (1 - undetermined) for x in DETERMINED_TYPES}
    probs[UN.value] = undetermined
    top = t if undetermined < 0.5 else UN
    return BehaviourResult(top, 0.0, 0.0, p * (1 - undetermined), probabilities=probs)


def test_single_message_gives_back_its_own_result() -> None:
    h = aggregate([(T0, result(NC, 0.8))])
    assert h.result.type is NC
    assert abs(h.result.confidence - 0.8 * 0.95) < 0.02
    assert h.result.messages_used == 1
    assert not h.changed


def test_confidence_grows_with_agreeing_evidence() -> None:
    one = aggregate([(T0, result(NU, 0.6))]).result.confidence
    five = aggregate([(T0 + timedelta(days=i), result(NU, 0.6)) for i in range(5)]).result.confidence
    twenty = aggregate([(T0 + timedelta(days=i), result(NU, 0.6)) for i in range(20)]).result.confidence
    assert one < five < twenty <= 1.0


def test_disagreement_lowers_confidence() -> None:
    agree = aggregate([(T0, result(EC)), (T0 + timedelta(days=1), result(EC))]).result
    clash = aggregate([(T0, result(EC)), (T0 + timedelta(days=1), result(NU))]).result
    assert clash.confidence < agree.confidence


def test_recent_messages_weigh_more() -> None:
    old = [(T0 + timedelta(days=i), result(NC)) for i in range(3)]
    new = [(T0 + timedelta(days=365 + i), result(EU)) for i in range(3)]
    h = aggregate(old + new)
    assert h.result.type is EU  # the same number of messages, but a year newer
    # with no decay, the two blocks tie; with a long half-life the old ones still count
    h_flat = aggregate(old + new, half_life_days=100_000)
    assert h_flat.result.confidence < h.result.confidence


def test_uninformative_messages_do_not_decide() -> None:
    msgs = [(T0 + timedelta(days=i), result(EC, undetermined=0.95)) for i in range(5)]
    h = aggregate(msgs)
    assert h.result.type is UN
    assert h.result.messages_used == 5
    # one clear message among thin ones decides
    h2 = aggregate([*msgs, (T0 + timedelta(days=6), result(NU, 0.8))])
    assert h2.result.type is NU


def test_change_of_type_is_visible() -> None:
    calm = [(datetime(2024, m, 10), result(NC)) for m in (1, 2, 3)]
    anxious = [(datetime(2024, m, 10), result(EU)) for m in (6, 7)]
    h = aggregate(calm + anxious, now=datetime(2024, 8, 1))
    assert [t for _, t in h.timeline] == [NC, NC, NC, EU, EU]
    assert [p for p, _ in h.timeline] == ["2024-01", "2024-02", "2024-03", "2024-06", "2024-07"]
    assert h.changed
    assert "2024-06" in h.change and "Эмоциональный неуверенный" in h.change
    assert h.result.type is EU


def test_stable_type_is_not_a_change() -> None:
    msgs = [(datetime(2024, m, 1), result(EC)) for m in (1, 3, 5)]
    msgs.append((datetime(2024, 4, 1), result(EC, undetermined=0.9)))  # a thin month does not break a run
    h = aggregate(msgs)
    assert not h.changed and h.change == ""


def test_empty_history() -> None:
    h = aggregate([])
    assert h.result.type is UN and h.result.messages_used == 0 and h.timeline == []


def test_axes_and_ranges() -> None:
    h = aggregate([(T0 + timedelta(days=i), result(EU, 0.9)) for i in range(4)])
    r = h.result
    assert r.emotionality > 0 > r.confidence_axis
    assert -1 <= r.emotionality <= 1 and -1 <= r.confidence_axis <= 1 and 0 <= r.confidence <= 1
    assert abs(sum(r.probabilities.values()) - 1) < 1e-3
    d = h.as_dict()
    assert d["messages_used"] == 4 and d["timeline"]


def test_naive_and_aware_timestamps_mix() -> None:
    from datetime import UTC

    h = aggregate([(T0, result(NC)), (T0.replace(tzinfo=UTC) + timedelta(days=1), result(NC))], now=datetime.now(UTC))
    assert h.result.type is NC and h.result.messages_used == 2


def test_stale_history_keeps_type_with_less_confidence() -> None:
    msgs = [(T0 + timedelta(days=i), result(NU, 0.8)) for i in range(3)]
    fresh = aggregate(msgs).result
    stale = aggregate(msgs, now=T0 + timedelta(days=2 + 180)).result
    assert stale.type is fresh.type is NU
    assert stale.confidence < fresh.confidence
