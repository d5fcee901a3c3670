"""Command functions of the classifier; `bot/cli.py` wires them into `python -m bot`, and
`python -m bot.classifier` runs them on their own.

Each takes its streams as arguments so that tests and the main CLI can drive them without a subprocess.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.classifier import corpus as corpus_mod
from bot.classifier.engine import OfflineClassifier
from bot.classifier.metrics import expected_calibration_error, format_report, report

MAX_LINE_CHARS = 20_000  # longer lines are cut: a forwarded thread can be long, but not a whole mailbox


def _contract_line(line_id: object, clf: OfflineClassifier, text: str) -> dict[str, object]:
    return {"id": line_id, **clf.classify(text[:MAX_LINE_CHARS]).as_contract()}


def parse_line(raw: str, line_no: int) -> tuple[object, str]:
    """(id, text) of one input line: a JSON object with "text" (and optionally "id"), or plain text.

    Raises ValueError with a short reason for a line that looks like JSON but is not a usable record.
    """
    stripped = raw.strip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise ValueError("a JSON line must be an object")
        text = obj.get("text")
        if not isinstance(text, str):
            raise ValueError('a JSON line needs a string "text"')
        return obj.get("id", line_no), text
    return line_no, stripped


def run_classify(in_stream: Iterable[str], out_stream: TextIO, classifier: OfflineClassifier) -> int:
    """The `classify` contract: one JSON line out per non-empty input line; a bad line gets an "error" line.

    Returns the number of lines that could not be classified (the run always goes on to the end).
    """
    errors = 0
    for line_no, raw in enumerate(in_stream, 1):
        if not raw.strip():
            continue
        try:
            line_id, text = parse_line(raw, line_no)
            out: dict[str, object] = _contract_line(line_id, classifier, text)
        except ValueError as exc:
            errors += 1
            out = {"id": line_no, "error": str(exc)}
        except Exception as exc:  # one odd message must not stop a batch of thousands
            errors += 1
            out = {"id": line_no, "error": f"cannot classify this line: {type(exc).__name__}"}
        out_stream.write(json.dumps(out, ensure_ascii=False) + "\n")
        out_stream.flush()
    return errors


def run_train(project_root: Path, out: TextIO | None = None) -> dict[str, Any]:
    from bot.classifier.train import train  # scikit-learn is needed only here

    return train(project_root, out or sys.stdout)


def run_eval(project_root: Path, out: TextIO | None = None) -> dict[str, Any]:
    """Figures on the dev split (rebuilt from the corpus if missing); returns the metrics dict."""
    out = out or sys.stdout
    if not (project_root / corpus_mod.CORPUS_DIR / "dev.jsonl").exists():
        corpus_mod.write_split(project_root)
    _, dev = corpus_mod.load_split(project_root)
    clf = OfflineClassifier.load(project_root)
    examples, _ = corpus_mod.read_corpus(project_root)
    if clf.model.metadata.get("corpus_hash") != corpus_mod.corpus_hash(examples):
        print("warning: the corpus changed since the model was trained; run `python -m bot train`", file=out)
    results = clf.classify_many([e.text for e in dev])
    gold = [e.label.value for e in dev]
    pred = [r.type.value for r in results]
    metrics = report(gold, pred, [e.hard for e in dev])
    metrics["ece"] = expected_calibration_error(
        [r.confidence for r in results], [p == g for p, g in zip(pred, gold, strict=True)]
    )
    hard_idx = [i for i, e in enumerate(dev) if e.hard]
    metrics["hard_accuracy"] = sum(1 for i in hard_idx if pred[i] == gold[i]) / len(hard_idx) if hard_idx else 0.0
    metrics["model"] = {k: clf.model.metadata.get(k) for k in ("version", "trained_at", "corpus_hash")}
    print(format_report(metrics, f"dev ({clf.version})"), file=out)
    print(f"hard messages (ambiguous by design): accuracy {metrics['hard_accuracy']:.1%} (n={len(hard_idx)})", file=out)
    meta = clf.model.metadata
    cv, writers = meta.get("cv") or {}, meta.get("cross_writer") or {}
    if cv:
        print(
            f"from training ({meta.get('trained_at')}): CV macro-F1 on train {cv.get('macro_f1', 0):.3f} "
            f"({cv.get('scheme', '')})",
            file=out,
        )
    if writers:
        print(
            "cross-writer (train on one corpus file, test on the other): "
            + ", ".join(f"{k} {v:.3f}" for k, v in writers.items() if " " not in k),
            file=out,
        )
    return metrics


def _rss_kb() -> float:
    """Current resident set size in KB (Linux /proc; falls back to the peak)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * resource.getpagesize() / 1024
    except OSError:
        return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def cold_load_seconds(project_root: Path) -> float:
    """Import + load in a fresh interpreter: what a new bot process pays."""
    code = (
        "import time,sys;t=time.perf_counter();"
        "from pathlib import Path;from bot.classifier.engine import OfflineClassifier;"
        f"OfflineClassifier.load(Path({str(project_root)!r}));print(time.perf_counter()-t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=project_root)
    return float(done.stdout.strip().splitlines()[-1])


def run_bench(project_root: Path, out: TextIO | None = None, repeat: int = 3) -> dict[str, Any]:
    """Throughput, per-message latency, load time and memory on the corpus texts."""
    out = out or sys.stdout
    rss_before = _rss_kb()
    t0 = time.perf_counter()
    clf = OfflineClassifier.load(project_root)
    load_s = time.perf_counter() - t0
    rss_after = _rss_kb()
    examples, _ = corpus_mod.read_corpus(project_root)
    texts = [e.text for e in examples] or ["Добрый день! Пришлите, пожалуйста, счёт."]

    # Latency, one message at a time. The first pass warms the parse cache, as a running bot would be;
    # the cold pass is reported separately so the first message of a new word mix is visible too.
    cold: list[float] = []
    for t in texts:
        s = time.perf_counter()
        clf.classify(t)
        cold.append((time.perf_counter() - s) * 1000)
    warm: list[float] = []
    for _ in range(repeat):
        for t in texts:
            s = time.perf_counter()
            clf.classify(t)
            warm.append((time.perf_counter() - s) * 1000)
    s = time.perf_counter()
    clf.classify_many(texts)
    batch_s = time.perf_counter() - s
    peak_kb = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    figures = {
        "messages": len(texts),
        "batch_messages_per_second": len(texts) / batch_s,
        "latency_ms_p50": statistics.median(warm),
        "latency_ms_p95": _percentile(warm, 95),
        "latency_ms_p95_first_pass": _percentile(cold, 95),
        "latency_ms_max_first_pass": max(cold),
        "load_seconds_in_process": load_s,
        "load_seconds_cold_process": cold_load_seconds(project_root),
        "peak_rss_mb": peak_kb / 1024,
        "classifier_rss_mb": (rss_after - rss_before) / 1024,
    }
    print(f"== behaviour classifier bench ({clf.version}, {len(texts)} corpus messages) ==", file=out)
    print(f"batch: {figures['batch_messages_per_second']:.0f} messages/s (target ≥ 50)", file=out)
    print(
        f"latency per message: p50 {figures['latency_ms_p50']:.2f} ms, p95 {figures['latency_ms_p95']:.2f} ms "
        f"(target ≤ 50); first pass p95 {figures['latency_ms_p95_first_pass']:.2f} ms, "
        f"max {figures['latency_ms_max_first_pass']:.1f} ms",
        file=out,
    )
    print(
        f"load: {figures['load_seconds_in_process']:.2f} s in process, {figures['load_seconds_cold_process']:.2f} s "
        f"in a fresh process incl. imports (target ≤ 2)",
        file=out,
    )
    print(
        f"memory: peak RSS {figures['peak_rss_mb']:.0f} MB (whole process); classifier share "
        f"{figures['classifier_rss_mb']:.0f} MB (RSS after load − before; target ≤ 300)",
        file=out,
    )
    return figures


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
