"""A client's type over all their messages: recent ones weigh more, confidence grows with evidence.

Each message gives P(type | determined) and how informative it was, r = 1 − P(undetermined). The messages are
pooled geometrically (a product of experts): log P(type) = k · Σ wᵢ rᵢ log Pᵢ(type) / Σ wᵢ rᵢ, with recency weight
wᵢ = 0.5^(age / half-life). The sharpening k grows as the square root of the evidence Σ wᵢ rᵢ rather than linearly,
because messages from one person are not independent observations. One clear message gives back its own result;
several that agree give a sharper, more confident one; messages that disagree flatten it.

If even the newest message is old (relative to `now`), the type stays but its confidence is scaled by the
square root of that message's recency weight.

The timeline groups messages by calendar month, so a change of type (a calm client who became anxious after a
late delivery) is visible, and `changed` / `change` say so in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.domain import DETERMINED_TYPES, TYPE_NAMES_RU, BehaviourResult, BehaviourType, Cue

MAX_CUES = 6
MIN_EVIDENCE = 0.5  # below this much determined evidence in total, the history stays undetermined
EPS = 1e-4


@dataclass(frozen=True, slots=True)
class HistoryResult:
    result: BehaviourResult  # the aggregated type, axes, confidence, cues; messages_used = all messages
    timeline: list[tuple[str, BehaviourType]] = field(default_factory=list)  # ("2024-03", type), oldest first
    changed: bool = False
    change: str = ""  # a sentence in Russian when the type changed over time

    def as_dict(self) -> dict[str, object]:
        return {
            **self.result.as_contract(),
            "messages_used": self.result.messages_used,
            "timeline": [{"period": p, "type": t.value} for p, t in self.timeline],
            "changed": self.changed,
            "change": self.change,
        }


def _given_determined(r: BehaviourResult) -> dict[BehaviourType, float]:
    """P(type | determined) of one result; falls back to its type (or uniform) when it has no probabilities."""
    probs = {t: float(r.probabilities.get(t.value, 0.0)) for t in DETERMINED_TYPES}
    total = sum(probs.values())
    if total <= 0:
        if r.type is BehaviourType.UNDETERMINED:
            return {t: 0.25 for t in DETERMINED_TYPES}
        return {t: (r.confidence if t is r.type else (1 - r.confidence) / 3) for t in DETERMINED_TYPES}
    return {t: p / total for t, p in probs.items()}


def _informativeness(r: BehaviourResult) -> float:
    if BehaviourType.UNDETERMINED.value in r.probabilities:
        return max(0.0, 1.0 - float(r.probabilities[BehaviourType.UNDETERMINED.value]))
    return 0.0 if r.type is BehaviourType.UNDETERMINED else r.confidence


def pool(items: Sequence[tuple[float, BehaviourResult]]) -> tuple[dict[BehaviourType, float], float, float]:
    """(pooled P(type | determined), evidence Σ w·r, P(undetermined) of the whole set) for (weight, result) pairs."""
    evidence = sum(w * _informativeness(r) for w, r in items)
    # P(all messages uninformative), with recency weights as exponents
    p_all_thin = math.prod(max(1 - _informativeness(r), EPS) ** w for w, r in items) if items else 1.0
    if evidence <= 0:
        return {t: 0.25 for t in DETERMINED_TYPES}, 0.0, 1.0
    sharpen = math.sqrt(evidence)
    logs = {
        t: sharpen * sum(w * _informativeness(r) * math.log(_given_determined(r)[t] + EPS) for w, r in items) / evidence
        for t in DETERMINED_TYPES
    }
    top = max(logs.values())
    exp = {t: math.exp(v - top) for t, v in logs.items()}
    z = sum(exp.values())
    return {t: v / z for t, v in exp.items()}, evidence, p_all_thin


def _combine(items: Sequence[tuple[float, BehaviourResult]], messages_used: int) -> BehaviourResult:
    dist, evidence, p_thin = pool(items)
    best = max(dist, key=lambda t: dist[t])
    p_em = dist[BehaviourType.EMOTIONAL_CONFIDENT] + dist[BehaviourType.EMOTIONAL_UNCONFIDENT]
    p_co = dist[BehaviourType.EMOTIONAL_CONFIDENT] + dist[BehaviourType.NONEMOTIONAL_CONFIDENT]
    determined = 1 - p_thin
    probs = {t.value: dist[t] * determined for t in DETERMINED_TYPES}
    probs[BehaviourType.UNDETERMINED.value] = p_thin
    if evidence < MIN_EVIDENCE or p_thin >= max(probs[t.value] for t in DETERMINED_TYPES):
        type_, confidence = BehaviourType.UNDETERMINED, max(p_thin, 1 - dist[best] * determined)
    else:
        type_, confidence = best, dist[best] * determined
    emo, conf = (2 * p_em - 1) * determined, (2 * p_co - 1) * determined
    if type_ is not BehaviourType.UNDETERMINED:  # keep the axes in the chosen quadrant
        emo = (
            abs(emo) if best in (BehaviourType.EMOTIONAL_CONFIDENT, BehaviourType.EMOTIONAL_UNCONFIDENT) else -abs(emo)
        )
        conf = (
            abs(conf)
            if best in (BehaviourType.EMOTIONAL_CONFIDENT, BehaviourType.NONEMOTIONAL_CONFIDENT)
            else -abs(conf)
        )
    latest = max(items, key=lambda x: x[0])[1] if items else None
    return BehaviourResult(
        type=type_,
        emotionality=round(emo, 4),
        confidence_axis=round(conf, 4),
        confidence=round(min(max(confidence, 0.0), 1.0), 4),
        cues=_cues(items, type_),
        questions=latest.questions if latest else (),
        probabilities={k: round(v, 4) for k, v in probs.items()},
        engine=latest.engine if latest else "offline",
        messages_used=messages_used,
    )


def _cues(items: Sequence[tuple[float, BehaviourResult]], type_: BehaviourType) -> tuple[Cue, ...]:
    """The strongest quotes across the history, recent ones first at equal strength, each quote once."""
    want = {
        BehaviourType.EMOTIONAL_CONFIDENT: (1, 1),
        BehaviourType.NONEMOTIONAL_CONFIDENT: (-1, 1),
        BehaviourType.NONEMOTIONAL_UNCONFIDENT: (-1, -1),
        BehaviourType.EMOTIONAL_UNCONFIDENT: (1, -1),
    }.get(type_)
    scored: list[tuple[float, Cue]] = []
    for w, r in items:
        for c in r.cues:
            if want is not None and c.direction != want[0 if c.axis.value == "emotionality" else 1]:
                continue
            scored.append((w * c.weight, c))
    seen: set[tuple[str, str, int]] = set()
    out: list[Cue] = []
    for s, c in sorted(scored, key=lambda x: -x[0]):
        key = (c.text.lower(), c.axis.value, c.direction)
        if key in seen:
            continue
        seen.add(key)
        out.append(replace(c, weight=round(s, 3)))
        if len(out) == MAX_CUES:
            break
    return tuple(out)


def aggregate(
    results_with_timestamps: Sequence[tuple[datetime, BehaviourResult]],
    now: datetime | None = None,
    half_life_days: float = 90,
) -> HistoryResult:
    """The client's type over their messages (any order), with a month-by-month timeline."""
    if not results_with_timestamps:
        empty = BehaviourResult(BehaviourType.UNDETERMINED, 0.0, 0.0, 1.0, messages_used=0)
        return HistoryResult(empty)
    ordered = sorted(results_with_timestamps, key=lambda x: _aware(x[0]))
    now = now or ordered[-1][0]
    raw = [_recency(now, ts, half_life_days) for ts, _ in ordered]
    newest = max(raw)
    # Weights relative to the newest message decide the type; how old the newest message is lowers only the
    # confidence (a client silent for a year is still best described by their last type, but less surely).
    weighted = [(w / newest, r) for w, (_, r) in zip(raw, ordered, strict=True)]
    overall = _combine(weighted, messages_used=len(ordered))
    if newest < 1.0:
        overall = replace(overall, confidence=round(overall.confidence * math.sqrt(newest), 4))

    # Timeline: each month on its own (no recency weighting inside a month).
    months: dict[str, list[tuple[float, BehaviourResult]]] = {}
    for ts, r in ordered:
        months.setdefault(ts.strftime("%Y-%m"), []).append((1.0, r))
    timeline = [(m, _combine(items, len(items)).type) for m, items in months.items()]
    changed, change = _describe_change(timeline)
    return HistoryResult(overall, timeline, changed, change)


def _aware(ts: datetime) -> datetime:
    """Naive timestamps are taken as UTC, so naive and aware ones (database vs clock) can be compared."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def _recency(now: datetime, ts: datetime, half_life_days: float) -> float:
    age_days = max((_aware(now) - _aware(ts)).total_seconds() / 86400.0, 0.0)
    return 0.5 ** (age_days / half_life_days) if half_life_days > 0 else 1.0


def _describe_change(timeline: list[tuple[str, BehaviourType]]) -> tuple[bool, str]:
    """Runs of the same determined type; more than one run means the type changed."""
    runs: list[tuple[str, str, BehaviourType]] = []  # (first month, last month, type)
    for month, t in timeline:
        if t is BehaviourType.UNDETERMINED:
            continue
        if runs and runs[-1][2] is t:
            runs[-1] = (runs[-1][0], month, t)
        else:
            runs.append((month, month, t))
    if len(runs) < 2:
        return False, ""
    parts = []
    for first, last, t in runs:
        span = first if first == last else f"{first}…{last}"
        parts.append(f"{span}: {TYPE_NAMES_RU[t]}")
    return True, "Тип менялся со временем — " + " → ".join(parts) + ". Опирайтесь на последние сообщения."
