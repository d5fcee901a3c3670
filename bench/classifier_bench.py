"""Benchmark of the offline behaviour classifier: `.venv/bin/python bench/classifier_bench.py [--json]`.

Prints messages per second on a batch, p50/p95 latency per message, model load time (in process and in a fresh
interpreter including imports) and memory (peak RSS and the classifier's share). Same as `python -m bot bench`'s
classifier part; the figures are recorded in docs/CLASSIFIER.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classifier.cli import run_bench  # noqa: E402


def main() -> int:
    figures = run_bench(ROOT, sys.stdout)
    if "--json" in sys.argv[1:]:
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
