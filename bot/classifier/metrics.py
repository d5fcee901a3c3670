"""Evaluation figures for the behaviour classifier, in plain Python (no scikit-learn needed to evaluate).

Macro-F1 is taken over the four types on *all* messages: a low-signal message given a type is a false positive
for that type, and a clear message left undetermined is a miss. So abstaining is never free, and neither is
guessing. Abstention is reported separately for low-signal messages (gold `undetermined`) and clear ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain import DETERMINED_TYPES, BehaviourType

TYPES = [t.value for t in DETERMINED_TYPES]
ALL = [*TYPES, BehaviourType.UNDETERMINED.value]
UNDET = BehaviourType.UNDETERMINED.value


def per_class(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = TYPES) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": float(tp + fn)}
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = TYPES) -> float:
    pc = per_class(gold, pred, labels)
    return sum(v["f1"] for v in pc.values()) / len(labels)


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = ALL) -> list[list[int]]:
    index = {lab: i for i, lab in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        m[index[g]][index[p]] += 1
    return m


def abstention(gold: Sequence[str], pred: Sequence[str], hard: Sequence[bool] | None = None) -> dict[str, float]:
    """Share of low-signal messages left undetermined (want high) and of clear ones (want low).

    "Clear" is a determined gold label not marked hard; the share over all determined messages is given too.
    """
    hard = hard or [False] * len(gold)
    low = [p for g, p in zip(gold, pred, strict=True) if g == UNDET]
    det = [p for g, p in zip(gold, pred, strict=True) if g != UNDET]
    clear = [p for g, p, h in zip(gold, pred, hard, strict=True) if g != UNDET and not h]
    return {
        "low_signal_undetermined": _share(low),
        "clear_undetermined": _share(clear),
        "determined_undetermined": _share(det),
        "n_low_signal": float(len(low)),
        "n_clear": float(len(clear)),
    }


def _share(preds: Sequence[str]) -> float:
    return sum(1 for p in preds if p == UNDET) / len(preds) if preds else 0.0


def report(gold: Sequence[str], pred: Sequence[str], hard: Sequence[bool] | None = None) -> dict[str, Any]:
    determined = [(g, p) for g, p in zip(gold, pred, strict=True) if g != UNDET and p != UNDET]
    return {
        "n": len(gold),
        "macro_f1": macro_f1(gold, pred),
        "macro_f1_answered": macro_f1([g for g, _ in determined], [p for _, p in determined]) if determined else 0.0,
        "accuracy_5": sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0,
        "per_type": per_class(gold, pred),
        "confusion_labels": ALL,
        "confusion": confusion(gold, pred),
        "abstention": abstention(gold, pred, hard),
    }


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """ECE: how far stated confidence is from observed accuracy, averaged over confidence bins."""
    n = len(confidences)
    if not n:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not idx:
            continue
        acc = sum(1 for i in idx if correct[i]) / len(idx)
        conf = sum(confidences[i] for i in idx) / len(idx)
        total += len(idx) / n * abs(acc - conf)
    return total


def format_report(m: dict[str, Any], title: str = "dev") -> str:
    lines = [f"== behaviour classifier, {title} split: {m['n']} messages =="]
    lines.append(f"macro-F1 (four types, all messages): {m['macro_f1']:.3f}")
    lines.append(f"macro-F1 (messages given a type, gold determined): {m['macro_f1_answered']:.3f}")
    lines.append(f"accuracy incl. undetermined: {m['accuracy_5']:.3f}")
    if "ece" in m:
        lines.append(f"calibration error (ECE, 10 bins): {m['ece']:.3f}")
    lines.append("")
    lines.append(f"{'type':<26}{'precision':>10}{'recall':>9}{'F1':>8}{'n':>6}")
    for t, v in m["per_type"].items():
        lines.append(f"{t:<26}{v['precision']:>10.3f}{v['recall']:>9.3f}{v['f1']:>8.3f}{int(v['support']):>6}")
    lines.append("")
    short = {"emotional_confident": "EC", "nonemotional_confident": "NC", "nonemotional_unconfident": "NU"}
    short |= {"emotional_unconfident": "EU", "undetermined": "UN"}
    labels = m["confusion_labels"]
    lines.append("confusion (rows: gold, columns: predicted)")
    lines.append("      " + "".join(f"{short[lab]:>6}" for lab in labels))
    for lab, row in zip(labels, m["confusion"], strict=True):
        lines.append(f"{short[lab]:>6}" + "".join(f"{v:>6}" for v in row))
    a = m["abstention"]
    lines.append("")
    lines.append(
        f"abstention: low-signal → undetermined {a['low_signal_undetermined']:.1%} (n={int(a['n_low_signal'])}, "
        f"target ≥ 70%); clear → undetermined {a['clear_undetermined']:.1%} (n={int(a['n_clear'])}, target ≤ 10%); "
        f"all determined → undetermined {a['determined_undetermined']:.1%}"
    )
    return "\n".join(lines)
