"""The trained behaviour model at run time: numpy only, no scikit-learn.

A message becomes one vector: standardised dense features (style, lexicon groups, axis totals) followed by
L2-normalised TF-IDF over lemma n-grams. Three linear heads read it:
  * `type`  — five classes (the four types and `undetermined`), multinomial logistic regression;
  * `emo`   — emotional vs not, trained on the determined messages only;
  * `conf`  — confident vs not, likewise.
The type probabilities given "determined" blend the five-class head with the product of the two axis heads
(the axes share evidence across types, which matters with a small corpus); `blend` is chosen by cross-validation.

The artefact is `behaviour-vN.npz` (weights, float32) plus `behaviour-vN.json` (vocabulary, feature names,
thresholds, metrics); loading both takes a few milliseconds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.classifier.features import Analysis
from bot.domain import DETERMINED_TYPES, BehaviourType

MODEL_DIR = Path("models") / "behaviour"
MODEL_VERSION = "behaviour-v1"
CLASSES: tuple[str, ...] = (*(t.value for t in DETERMINED_TYPES), BehaviourType.UNDETERMINED.value)
# Quadrant of each determined type: (emotional?, confident?)
QUADRANT = {
    BehaviourType.EMOTIONAL_CONFIDENT.value: (1, 1),
    BehaviourType.NONEMOTIONAL_CONFIDENT.value: (0, 1),
    BehaviourType.NONEMOTIONAL_UNCONFIDENT.value: (0, 0),
    BehaviourType.EMOTIONAL_UNCONFIDENT.value: (1, 0),
}


@dataclass(slots=True)
class Vectorizer:
    """Dense standardisation + TF-IDF over n-grams; fitted at training time, applied identically at run time."""

    dense_names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    vocab: dict[str, int]
    idf: np.ndarray
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    bigrams: bool = True

    @property
    def dim(self) -> int:
        return len(self.dense_names) + len(self.vocab)

    @classmethod
    def fit(
        cls,
        analyses: Sequence[Analysis],
        dense_names: list[str],
        min_df: int = 2,
        use_ngrams: bool = True,
        bigrams: bool = True,
        dense_weight: float = 1.0,
        sparse_weight: float = 1.0,
    ) -> Vectorizer:
        x = np.array([[a.dense.get(n, 0.0) for n in dense_names] for a in analyses], dtype=np.float64)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        df: dict[str, int] = {}
        if use_ngrams:
            for a in analyses:
                for g in set(_grams(a, bigrams)):
                    df[g] = df.get(g, 0) + 1
        terms = sorted(t for t, c in df.items() if c >= min_df)
        n = len(analyses)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64)
        return cls(
            dense_names=list(dense_names),
            mean=mean,
            scale=scale,
            vocab={t: i for i, t in enumerate(terms)},
            idf=idf,
            dense_weight=dense_weight,
            sparse_weight=sparse_weight,
            bigrams=bigrams,
        )

    def dense_vector(self, a: Analysis) -> np.ndarray:
        raw = np.array([a.dense.get(n, 0.0) for n in self.dense_names], dtype=np.float64)
        # Clip so that a message far outside the training range (a very long letter) stays in a sane range.
        return np.clip((raw - self.mean) / self.scale, -5.0, 5.0) * self.dense_weight

    def sparse_part(self, a: Analysis) -> tuple[np.ndarray, np.ndarray]:
        """(indices, values) of the TF-IDF block, sublinear tf, L2-normalised."""
        counts: dict[int, int] = {}
        for g in _grams(a, self.bigrams):
            i = self.vocab.get(g)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        vals = tf * self.idf[idx]
        vals /= np.linalg.norm(vals)
        return idx, vals * self.sparse_weight

    def transform(self, analyses: Sequence[Analysis]) -> np.ndarray:
        """A dense matrix (used at training time; run time uses `dense_vector` + `sparse_part`)."""
        d = len(self.dense_names)
        out = np.zeros((len(analyses), self.dim))
        for r, a in enumerate(analyses):
            out[r, :d] = self.dense_vector(a)
            idx, vals = self.sparse_part(a)
            out[r, d + idx] = vals
        return out


def _grams(a: Analysis, bigrams: bool) -> list[str]:
    return a.ngrams if bigrams else [g for g in a.ngrams if " " not in g]


@dataclass(slots=True)
class Head:
    """A linear classifier: softmax over classes (two classes → the usual logistic regression)."""

    classes: tuple[str, ...]
    coef: np.ndarray  # (n_classes, dim); binary heads are stored as two rows, [-w/2, +w/2]
    intercept: np.ndarray  # (n_classes,)
    temperature: float = 1.0

    def proba(self, dense: np.ndarray, idx: np.ndarray, vals: np.ndarray) -> np.ndarray:
        d = dense.shape[0]
        logits = self.coef[:, :d] @ dense + self.intercept
        if idx.size:
            logits = logits + self.coef[:, d + idx] @ vals
        z = logits / self.temperature
        z = z - z.max()
        e = np.exp(z)
        return np.asarray(e / e.sum())


@dataclass(slots=True)
class Policy:
    """How probabilities become a decision; every number here is chosen by cross-validation on train."""

    blend: float = 0.5  # weight of the five-class head in P(type | determined); the rest is the axis product
    undetermined_threshold: float = 0.5  # abstain when P(undetermined) is at least this
    min_type_probability: float = 0.0  # ... or when the best type, given determined, is below this
    min_words: int = 0  # ... or when the message is shorter than this and carries no cue
    axis_shrink: bool = True  # multiply axis scores by P(determined): thin evidence → scores near zero


@dataclass(slots=True)
class Prediction:
    probabilities: dict[str, float]  # the four types and undetermined, summing to 1
    type: str
    confidence: float
    emotionality: float  # [-1, 1]
    confidence_axis: float  # [-1, 1]
    p_emotional: float  # P(emotional | determined)
    p_confident: float  # P(confident | determined)


@dataclass(slots=True)
class BehaviourModel:
    vectorizer: Vectorizer
    type_head: Head
    emo_head: Head
    conf_head: Head
    policy: Policy
    metadata: dict[str, Any] = field(default_factory=dict)

    def predict(self, a: Analysis) -> Prediction:
        dense = self.vectorizer.dense_vector(a)
        idx, vals = self.vectorizer.sparse_part(a)
        p5 = self.type_head.proba(dense, idx, vals)
        p_emo = float(self.emo_head.proba(dense, idx, vals)[1])
        p_conf = float(self.conf_head.proba(dense, idx, vals)[1])
        return decide(p5, p_emo, p_conf, self.policy, n_words=a.n_words, evidence=a.evidence)

    # --- persistence ---------------------------------------------------------------------------------------------

    def save(self, directory: Path, version: str = MODEL_VERSION) -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        npz = directory / f"{version}.npz"
        meta_path = directory / f"{version}.json"
        v = self.vectorizer
        arrays: dict[str, np.ndarray] = {
            "mean": v.mean.astype(np.float32),
            "scale": v.scale.astype(np.float32),
            "idf": v.idf.astype(np.float32),
        }
        for name, h in self._heads().items():
            arrays[f"{name}_coef"] = h.coef.astype(np.float32)
            arrays[f"{name}_intercept"] = h.intercept.astype(np.float32)
        np.savez_compressed(npz, allow_pickle=False, **arrays)
        meta = dict(self.metadata)
        meta.update(
            {
                "version": version,
                "dense_names": v.dense_names,
                "vocab": sorted(v.vocab, key=lambda t: v.vocab[t]),
                "dense_weight": v.dense_weight,
                "sparse_weight": v.sparse_weight,
                "bigrams": v.bigrams,
                "heads": {
                    n: {"classes": list(h.classes), "temperature": h.temperature} for n, h in self._heads().items()
                },
                "policy": {
                    "blend": self.policy.blend,
                    "undetermined_threshold": self.policy.undetermined_threshold,
                    "min_type_probability": self.policy.min_type_probability,
                    "min_words": self.policy.min_words,
                    "axis_shrink": self.policy.axis_shrink,
                },
            }
        )
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", "utf-8")
        return npz, meta_path

    @classmethod
    def load(cls, directory: Path, version: str = MODEL_VERSION) -> BehaviourModel:
        meta = json.loads((directory / f"{version}.json").read_text("utf-8"))
        with np.load(directory / f"{version}.npz") as z:
            arrays = {k: np.asarray(z[k], dtype=np.float64) for k in z.files}
        vocab = {t: i for i, t in enumerate(meta["vocab"])}
        vec = Vectorizer(
            dense_names=list(meta["dense_names"]),
            mean=arrays["mean"],
            scale=arrays["scale"],
            vocab=vocab,
            idf=arrays["idf"],
            dense_weight=float(meta.get("dense_weight", 1.0)),
            sparse_weight=float(meta.get("sparse_weight", 1.0)),
            bigrams=bool(meta.get("bigrams", True)),
        )
        heads = {
            name: Head(
                classes=tuple(spec["classes"]),
                coef=arrays[f"{name}_coef"],
                intercept=arrays[f"{name}_intercept"],
                temperature=float(spec.get("temperature", 1.0)),
            )
            for name, spec in meta["heads"].items()
        }
        pol = meta.get("policy", {})
        policy = Policy(
            blend=float(pol.get("blend", 0.5)),
            undetermined_threshold=float(pol.get("undetermined_threshold", 0.5)),
            min_type_probability=float(pol.get("min_type_probability", 0.0)),
            min_words=int(pol.get("min_words", 0)),
            axis_shrink=bool(pol.get("axis_shrink", True)),
        )
        return cls(vec, heads["type"], heads["emo"], heads["conf"], policy, meta)

    def _heads(self) -> dict[str, Head]:
        return {"type": self.type_head, "emo": self.emo_head, "conf": self.conf_head}


def type_given_determined(p5: np.ndarray, p_emo: float, p_conf: float, blend: float) -> np.ndarray:
    """P(type | determined) for the four types, in CLASSES order."""
    four = p5[:4] / max(float(p5[:4].sum()), 1e-12)
    product = np.array(
        [(p_emo if QUADRANT[c][0] else 1 - p_emo) * (p_conf if QUADRANT[c][1] else 1 - p_conf) for c in CLASSES[:4]]
    )
    return np.asarray(blend * four + (1 - blend) * product)


def decide(p5: np.ndarray, p_emo: float, p_conf: float, policy: Policy, n_words: int, evidence: float) -> Prediction:
    """Turn the three heads' outputs into probabilities, a type (or abstention) and axis scores."""
    given = type_given_determined(p5, p_emo, p_conf, policy.blend)
    p_undet = float(p5[4])
    probs = {c: float(given[i]) * (1 - p_undet) for i, c in enumerate(CLASSES[:4])}
    probs[CLASSES[4]] = p_undet
    best = int(np.argmax(given))
    # Marginals of the blended distribution, so the axes and the chosen type come from the same numbers.
    pe = float(sum(given[i] for i, c in enumerate(CLASSES[:4]) if QUADRANT[c][0]))
    pc = float(sum(given[i] for i, c in enumerate(CLASSES[:4]) if QUADRANT[c][1]))
    thin = n_words < policy.min_words and evidence < 1.0
    abstain = p_undet >= policy.undetermined_threshold or float(given[best]) < policy.min_type_probability or thin
    shrink = (1 - p_undet) if policy.axis_shrink else 1.0
    emo = (2 * pe - 1) * shrink
    conf = (2 * pc - 1) * shrink
    if abstain:
        label, confidence = CLASSES[4], max(p_undet, 1 - float(given[best]) * (1 - p_undet))
    else:
        label, confidence = CLASSES[best], probs[CLASSES[best]]
        # Keep the axes in the chosen type's quadrant (the blend can, rarely, put the argmax elsewhere).
        want_e, want_c = QUADRANT[label]
        emo = _toward(emo, want_e)
        conf = _toward(conf, want_c)
    return Prediction(
        probabilities=probs,
        type=label,
        confidence=float(min(max(confidence, 0.0), 1.0)),
        emotionality=float(np.clip(emo, -1, 1)),
        confidence_axis=float(np.clip(conf, -1, 1)),
        p_emotional=pe,
        p_confident=pc,
    )


def _toward(score: float, positive: int) -> float:
    if positive and score < 0:
        return 0.01
    if not positive and score >= 0:
        return -0.01
    return score
