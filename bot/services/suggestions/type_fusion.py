"""The client's type from both engines: the offline classifier's probabilities fused with the LLM's read.

Neither is trusted alone: the classifier is calibrated on our corpus but sees only words it knows; the LLM reads
the whole message but its confidence is not calibrated. Each becomes a distribution over the four types (the
LLM's confidence on its type, the rest spread evenly; "undetermined" from the LLM spreads all of it), and the
two are averaged. The axes are averaged too; the cues are the classifier's plus the LLM's new quotes. When the
fused top type is too weak the answer is "undetermined", as the classifier itself does.
"""

from __future__ import annotations

from dataclasses import replace

from bot.domain import DETERMINED_TYPES, BehaviourResult, BehaviourType

LLM_WEIGHT = 0.5
MIN_FUSED_PROBABILITY = 0.4  # below it neither engine is convincing enough to name a type
MAX_CUES = 8


def _llm_distribution(llm: BehaviourResult) -> dict[str, float]:
    n = len(DETERMINED_TYPES)
    if llm.type not in DETERMINED_TYPES:
        return {t.value: 1 / n for t in DETERMINED_TYPES}
    rest = (1 - llm.confidence) / (n - 1)
    return {t.value: llm.confidence if t is llm.type else rest for t in DETERMINED_TYPES}


def fuse(offline: BehaviourResult, llm: BehaviourResult) -> BehaviourResult:
    """One type read from both engines (engine "llm+offline"); the LLM's alone when the classifier gave none."""
    if not offline.probabilities:
        return llm
    from_llm = _llm_distribution(llm)
    fused = {
        t.value: (1 - LLM_WEIGHT) * offline.probabilities.get(t.value, 0.0) + LLM_WEIGHT * from_llm[t.value]
        for t in DETERMINED_TYPES
    }
    best = max(fused, key=lambda k: fused[k])
    type_ = BehaviourType(best) if fused[best] >= MIN_FUSED_PROBABILITY else BehaviourType.UNDETERMINED
    seen = {c.text.lower() for c in offline.cues}
    cues = (*offline.cues, *(c for c in llm.cues if c.text.lower() not in seen))[:MAX_CUES]
    return replace(
        offline,
        type=type_,
        emotionality=(1 - LLM_WEIGHT) * offline.emotionality + LLM_WEIGHT * llm.emotionality,
        confidence_axis=(1 - LLM_WEIGHT) * offline.confidence_axis + LLM_WEIGHT * llm.confidence_axis,
        confidence=fused[best],
        cues=cues,
        questions=offline.questions or llm.questions,
        probabilities={k: round(v, 4) for k, v in fused.items()},
        engine="llm+offline",
    )
