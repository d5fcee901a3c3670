"""Training the behaviour model: one reproducible command (`python -m bot train`).

Everything is chosen on the train split only, by cross-validation in which whole *domains* are held out (the
corpus spans ten lines of business): a model that only remembers the vocabulary of one trade scores badly there,
which is the closest thing we have to "clients written by people we have never seen". The dev split is touched
once, at the end, to report figures; nothing is tuned on it.

Steps: rebuild the split if the corpus changed → analyse every text → for each candidate configuration, out-of-fold
probabilities → temperature per head → decision policy (blend, abstention thresholds) → keep the best
configuration → refit on all of train → save `models/behaviour/behaviour-v1.{npz,json}` with the metrics.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bot.classifier import corpus as corpus_mod
from bot.classifier.features import Analysis, FeatureExtractor
from bot.classifier.metrics import TYPES, UNDET, abstention, expected_calibration_error, macro_f1, report
from bot.classifier.model import (
    CLASSES,
    MODEL_DIR,
    MODEL_VERSION,
    QUADRANT,
    BehaviourModel,
    Head,
    Policy,
    Vectorizer,
    decide,
)

LEXICON_DIR = Path("knowledge") / "lexicons"
N_FOLDS = 5
# Abstention targets of the issue, with a small margin so that the choice on train is not right at the edge.
LOW_SIGNAL_MIN = 0.75
CLEAR_MAX = 0.08


@dataclass(frozen=True, slots=True)
class Config:
    C: float = 1.0
    use_ngrams: bool = True
    bigrams: bool = True
    min_df: int = 2
    sparse_weight: float = 1.0
    lexicon: bool = True  # lexicon groups and axis totals among the dense features (off only for ablation)

    def short(self) -> str:
        ng = ("uni+bi" if self.bigrams else "uni") if self.use_ngrams else "none"
        return f"C={self.C} ngrams={ng} min_df={self.min_df} sw={self.sparse_weight} lex={self.lexicon}"


CANDIDATES: tuple[Config, ...] = (
    *tuple(
        Config(C=c, use_ngrams=ng, bigrams=bi, sparse_weight=sw, lexicon=True)
        for c, (ng, bi), sw in itertools.product(
            (0.1, 0.3, 1.0), ((False, False), (True, False), (True, True)), (1.0, 2.0)
        )
        if ng or sw == 1.0
    ),
    Config(C=0.3, lexicon=False),
    Config(C=1.0, lexicon=False),
)


# --- fitting --------------------------------------------------------------------------------------------------------


def dense_names_for(fx: FeatureExtractor, cfg: Config) -> list[str]:
    names = fx.dense_names
    return names if cfg.lexicon else [n for n in names if n.startswith("style.")]


def _fit_lr(x: Any, y: np.ndarray, c: float) -> LogisticRegression:
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    lr.fit(x, y)
    return lr


def _head(lr: LogisticRegression, classes: Sequence[str]) -> Head:
    """sklearn → our Head; a binary model becomes two softmax rows [-w/2, +w/2] (same probabilities)."""
    coef, intercept = lr.coef_, lr.intercept_
    if coef.shape[0] == 1:
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    order = [list(lr.classes_).index(c) for c in classes] if coef.shape[0] > 2 else [0, 1]
    return Head(tuple(classes), coef[order].copy(), intercept[order].copy())


def fit_heads(x: Any, labels: Sequence[str], c: float) -> tuple[Head, Head, Head]:
    y = np.array(labels)
    type_head = _head(_fit_lr(x, y, c), CLASSES)
    det = y != UNDET
    emo_y = np.array([QUADRANT[v][0] for v in y[det]])
    conf_y = np.array([QUADRANT[v][1] for v in y[det]])
    emo_head = _head(_fit_lr(x[det], emo_y, c), ("nonemotional", "emotional"))
    conf_head = _head(_fit_lr(x[det], conf_y, c), ("unconfident", "confident"))
    return type_head, emo_head, conf_head


def _logits(head: Head, x: Any) -> np.ndarray:
    return np.asarray(x @ head.coef.T + head.intercept)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass(slots=True)
class OutOfFold:
    type_logits: np.ndarray  # (n, 5)
    emo_logits: np.ndarray  # (n, 2); rows of undetermined messages are predictions too (used at run time)
    conf_logits: np.ndarray


def out_of_fold(
    analyses: Sequence[Analysis], labels: Sequence[str], groups: Sequence[str], fx: FeatureExtractor, cfg: Config
) -> OutOfFold:
    n = len(analyses)
    oof = OutOfFold(np.zeros((n, 5)), np.zeros((n, 2)), np.zeros((n, 2)))
    names = dense_names_for(fx, cfg)
    for tr, te in GroupKFold(n_splits=N_FOLDS).split(np.zeros(n), labels, groups):
        vec = _vectorizer([analyses[i] for i in tr], names, cfg)
        x_tr = sparse.csr_matrix(vec.transform([analyses[i] for i in tr]))
        x_te = sparse.csr_matrix(vec.transform([analyses[i] for i in te]))
        th, eh, ch = fit_heads(x_tr, [labels[i] for i in tr], cfg.C)
        oof.type_logits[te] = _logits(th, x_te)
        oof.emo_logits[te] = _logits(eh, x_te)
        oof.conf_logits[te] = _logits(ch, x_te)
    return oof


def _vectorizer(analyses: Sequence[Analysis], names: list[str], cfg: Config) -> Vectorizer:
    return Vectorizer.fit(
        analyses,
        names,
        min_df=cfg.min_df,
        use_ngrams=cfg.use_ngrams,
        bigrams=cfg.bigrams,
        sparse_weight=cfg.sparse_weight,
    )


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises negative log-likelihood (a one-parameter calibration)."""
    best_t, best_nll = 1.0, math.inf
    for t in np.arange(0.25, 4.01, 0.05):
        p = _softmax(logits / t)
        nll = -float(np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return round(best_t, 2)


# --- decision policy ------------------------------------------------------------------------------------------------


def _decide_codes(
    p5: np.ndarray, pe: np.ndarray, pc: np.ndarray, pol: Policy, n_words: np.ndarray, evidence: np.ndarray
) -> np.ndarray:
    """Vectorised `model.decide`: class index per message (4 = undetermined)."""
    q = np.array([QUADRANT[c] for c in CLASSES[:4]], dtype=bool)  # (4, 2)
    four = p5[:, :4] / np.maximum(p5[:, :4].sum(axis=1, keepdims=True), 1e-12)
    prod = np.where(q[:, 0], pe[:, None], 1 - pe[:, None]) * np.where(q[:, 1], pc[:, None], 1 - pc[:, None])
    given = pol.blend * four + (1 - pol.blend) * prod
    best = given.argmax(axis=1)
    thin = (n_words < pol.min_words) & (evidence < 1.0)
    abstain = (p5[:, 4] >= pol.undetermined_threshold) | (given.max(axis=1) < pol.min_type_probability) | thin
    return np.asarray(np.where(abstain, 4, best))


def decide_many(
    p5: np.ndarray, pe: np.ndarray, pc: np.ndarray, pol: Policy, n_words: np.ndarray, evidence: np.ndarray
) -> list[str]:
    """Labels of `_decide_codes`, for the policy search; a test checks they agree with `model.decide`."""
    return [CLASSES[int(c)] for c in _decide_codes(p5, pe, pc, pol, n_words, evidence)]


def _fast_score(gold: np.ndarray, pred: np.ndarray, hard: np.ndarray) -> float:
    """`policy_score` on class indices, in numpy (the search evaluates a few thousand policies)."""
    f1s = []
    for k in range(4):
        tp = float(np.sum((gold == k) & (pred == k)))
        fp = float(np.sum((gold != k) & (pred == k)))
        fn = float(np.sum((gold == k) & (pred != k)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    low = gold == 4
    clear = (gold != 4) & ~hard
    low_u = float(np.mean(pred[low] == 4)) if low.any() else 1.0
    clear_u = float(np.mean(pred[clear] == 4)) if clear.any() else 0.0
    return sum(f1s) / 4 - 2.0 * (max(0.0, LOW_SIGNAL_MIN - low_u) + max(0.0, clear_u - CLEAR_MAX))


def policy_score(gold: Sequence[str], pred: Sequence[str], hard: Sequence[bool]) -> float:
    """Macro-F1, minus a steep penalty for missing the abstention targets."""
    f1 = macro_f1(gold, pred)
    ab = abstention(gold, pred, hard)
    penalty = max(0.0, LOW_SIGNAL_MIN - ab["low_signal_undetermined"]) + max(0.0, ab["clear_undetermined"] - CLEAR_MAX)
    return f1 - 2.0 * penalty


def tune_policy(
    p5: np.ndarray,
    pe: np.ndarray,
    pc: np.ndarray,
    gold: Sequence[str],
    hard: Sequence[bool],
    n_words: np.ndarray,
    evidence: np.ndarray,
) -> tuple[Policy, float]:
    gold_codes = np.array([CLASSES.index(g) for g in gold])
    hard_arr = np.array(hard, dtype=bool)
    best: tuple[float, Policy] = (-math.inf, Policy())
    for blend, tau, mu, mw in itertools.product(
        (0.0, 0.25, 0.5, 0.75, 1.0),
        np.arange(0.15, 0.86, 0.025),
        (0.0, 0.3, 0.35, 0.4, 0.45, 0.5),
        (0, 3, 4),
    ):
        pol = Policy(blend=blend, undetermined_threshold=round(float(tau), 3), min_type_probability=mu, min_words=mw)
        s = _fast_score(gold_codes, _decide_codes(p5, pe, pc, pol, n_words, evidence), hard_arr)
        # Ties go to the simpler policy (found first): fewer rules, thresholds nearer the middle.
        if s > best[0] + 1e-9:
            best = (s, pol)
    return best[1], best[0]


# --- the command ----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class CvResult:
    config: Config
    policy: Policy
    score: float
    temperatures: tuple[float, float, float]
    report: dict[str, Any]
    ece: float


def cross_validate(
    analyses: Sequence[Analysis], examples: Sequence[corpus_mod.Example], fx: FeatureExtractor, cfg: Config
) -> CvResult:
    labels = [e.label.value for e in examples]
    hard = [e.hard for e in examples]
    oof = out_of_fold(analyses, labels, [e.domain for e in examples], fx, cfg)
    y5 = np.array([CLASSES.index(v) for v in labels])
    det = np.array([v != UNDET for v in labels])
    y_e = np.array([QUADRANT[v][0] if v != UNDET else 0 for v in labels])
    y_c = np.array([QUADRANT[v][1] if v != UNDET else 0 for v in labels])
    t5 = fit_temperature(oof.type_logits, y5)
    te = fit_temperature(oof.emo_logits[det], y_e[det])
    tc = fit_temperature(oof.conf_logits[det], y_c[det])
    p5 = _softmax(oof.type_logits / t5)
    pe = _softmax(oof.emo_logits / te)[:, 1]
    pc = _softmax(oof.conf_logits / tc)[:, 1]
    n_words = np.array([a.n_words for a in analyses])
    evidence = np.array([a.evidence for a in analyses])
    pol, score = tune_policy(p5, pe, pc, labels, hard, n_words, evidence)
    preds = [
        decide(p5[i], float(pe[i]), float(pc[i]), pol, int(n_words[i]), float(evidence[i])) for i in range(len(labels))
    ]
    rep = report(labels, [p.type for p in preds], hard)
    ece = expected_calibration_error(
        [p.confidence for p in preds], [p.type == g for p, g in zip(preds, labels, strict=True)]
    )
    return CvResult(cfg, pol, score, (t5, te, tc), rep, ece)


def fit_model(
    analyses: Sequence[Analysis], examples: Sequence[corpus_mod.Example], fx: FeatureExtractor, cv: CvResult
) -> BehaviourModel:
    """Refit the chosen configuration on all the given examples, with the CV temperatures and policy."""
    cfg = cv.config
    vec = _vectorizer(analyses, dense_names_for(fx, cfg), cfg)
    th, eh, ch = fit_heads(sparse.csr_matrix(vec.transform(analyses)), [e.label.value for e in examples], cfg.C)
    th.temperature, eh.temperature, ch.temperature = cv.temperatures
    return BehaviourModel(vec, th, eh, ch, cv.policy)


def evaluate(
    model: BehaviourModel, analyses: Sequence[Analysis], examples: Sequence[corpus_mod.Example]
) -> dict[str, Any]:
    preds = [model.predict(a) for a in analyses]
    gold = [e.label.value for e in examples]
    rep = report(gold, [p.type for p in preds], [e.hard for e in examples])
    rep["ece"] = expected_calibration_error(
        [p.confidence for p in preds], [p.type == g for p, g in zip(preds, gold, strict=True)]
    )
    return rep


def cross_writer(
    analyses: Sequence[Analysis], examples: Sequence[corpus_mod.Example], fx: FeatureExtractor, cfg: Config
) -> dict[str, float]:
    """Train on one writer's messages (whole corpus file), test on the other's: the closest check we have of
    "messages written by people the model has never seen". Reported only; nothing is chosen by it."""
    sizes = Counter(e.id.split("-")[0] for e in examples)
    # The two largest writers (corpus_a, corpus_b); other sources such as supervisors' corrections sit this out.
    writers = sorted(w for w, _ in sizes.most_common(2))
    out: dict[str, float] = {}
    if len(writers) != 2:
        return out
    for src, dst in (writers, writers[::-1]):
        tr = [i for i, e in enumerate(examples) if e.id.startswith(src + "-")]
        te = [i for i, e in enumerate(examples) if e.id.startswith(dst + "-")]
        cv = cross_validate([analyses[i] for i in tr], [examples[i] for i in tr], fx, cfg)
        model = fit_model([analyses[i] for i in tr], [examples[i] for i in tr], fx, cv)
        rep = evaluate(model, [analyses[i] for i in te], [examples[i] for i in te])
        out[f"{src}->{dst}"] = rep["macro_f1"]
        out[f"{src}->{dst} low_signal_undetermined"] = rep["abstention"]["low_signal_undetermined"]
        out[f"{src}->{dst} clear_undetermined"] = rep["abstention"]["clear_undetermined"]
    return out


def train(project_root: Path, out: TextIO, candidates: Sequence[Config] = CANDIDATES) -> dict[str, Any]:
    t0 = time.perf_counter()
    if not corpus_mod.split_is_current(project_root):
        tr, dv, warnings = corpus_mod.write_split(project_root)
        print(f"split rebuilt: train {len(tr)}, dev {len(dv)}", file=out)
        for w in warnings:
            print(f"  corpus: {w}", file=out)
    train_ex, dev_ex = corpus_mod.load_split(project_root)
    fx = FeatureExtractor.load(project_root / LEXICON_DIR)
    train_an = [fx.analyse(e.text) for e in train_ex]
    print(
        f"train {len(train_ex)} messages, dev {len(dev_ex)}; {len(candidates)} configurations, "
        f"{N_FOLDS}-fold CV with whole domains held out",
        file=out,
    )

    results: list[CvResult] = []
    for cfg in candidates:
        r = cross_validate(train_an, train_ex, fx, cfg)
        results.append(r)
        ab = r.report["abstention"]
        print(
            f"  {cfg.short():<52} CV macro-F1 {r.report['macro_f1']:.3f}  low→U {ab['low_signal_undetermined']:.2f}"
            f"  clear→U {ab['clear_undetermined']:.2f}  ECE {r.ece:.3f}  score {r.score:.3f}",
            file=out,
        )
    best = max(results, key=lambda r: r.score)
    cfg = best.config
    print(f"chosen: {cfg.short()}; policy {asdict(best.policy)}; temperatures {best.temperatures}", file=out)

    model = fit_model(train_an, train_ex, fx, best)
    dev_an = [fx.analyse(e.text) for e in dev_ex]
    dev_rep = evaluate(model, dev_an, dev_ex)
    writers = cross_writer(train_an + dev_an, list(train_ex) + list(dev_ex), fx, cfg)
    if writers:
        print(
            "cross-writer check (train on one corpus file, test on the other): "
            + ", ".join(f"{k} {v:.3f}" for k, v in writers.items() if " " not in k),
            file=out,
        )
    examples, _ = corpus_mod.read_corpus(project_root)
    model.metadata = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus_hash": corpus_mod.corpus_hash(examples),
        "corpus_size": len(examples),
        "train_size": len(train_ex),
        "dev_size": len(dev_ex),
        "lexicon_digest": fx.lexicon.digest,
        "config": asdict(cfg),
        "cv": {
            "scheme": f"{N_FOLDS}-fold GroupKFold by domain on train",
            "macro_f1": best.report["macro_f1"],
            "abstention": best.report["abstention"],
            "ece": best.ece,
            "candidates": [
                {"config": asdict(r.config), "macro_f1": r.report["macro_f1"], "score": r.score} for r in results
            ],
        },
        "cross_writer": writers,
        "dev": {k: dev_rep[k] for k in ("macro_f1", "macro_f1_answered", "accuracy_5", "abstention", "ece")},
    }
    npz, meta = model.save(project_root / MODEL_DIR, MODEL_VERSION)
    size_kb = (npz.stat().st_size + meta.stat().st_size) / 1024
    print(
        f"saved {npz.relative_to(project_root)} + {meta.name} ({size_kb:.0f} KB) in {time.perf_counter() - t0:.1f} s",
        file=out,
    )
    print(
        f"dev macro-F1 {dev_rep['macro_f1']:.3f}; low-signal → undetermined "
        f"{dev_rep['abstention']['low_signal_undetermined']:.1%}; clear → undetermined "
        f"{dev_rep['abstention']['clear_undetermined']:.1%}",
        file=out,
    )
    return model.metadata


__all__ = ["CANDIDATES", "TYPES", "Config", "cross_validate", "decide_many", "train"]
