"""Counts of a blind reading (docs/QUALITY_READING.md): the reader's JSON lines in, a Markdown table out.

Run: .venv/bin/python bench/readings.py cards docs/readings/v3/reading_cards_part*.jsonl
     .venv/bin/python bench/readings.py tasks docs/readings/v3/reading_tasks_part*.jsonl

A reading is one JSON object per line, written by a reader who followed docs/readings/RUBRIC_*.md. Lines that do
not parse are counted and reported, never silently dropped: a reader that stopped half-way shows as fewer items.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def load(paths: list[Path]) -> tuple[list[dict[str, Any]], int]:
    items: dict[str, dict[str, Any]] = {}
    broken = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                broken += 1
                continue
            items[str(item.get("id"))] = item  # a reader that re-graded an item: its last word counts
    return sorted(items.values(), key=lambda i: str(i.get("id"))), broken


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def verdicts(items: list[dict[str, Any]]) -> str:
    counts = Counter(str(i.get("verdict", "")).upper() for i in items)
    n = len(items)
    send, edit, rewrite = counts["SEND"], counts["EDIT"], counts["REWRITE"]
    return (
        f"SEND {send} · EDIT {edit} · REWRITE {rewrite} (SEND or EDIT {_share(send + edit, n)}, SEND {_share(send, n)})"
    )


def cards_table(items: list[dict[str, Any]]) -> list[str]:
    n = len(items)
    situation = sum(1 for i in items if i.get("situation") == "ok")
    answers = sum(1 for i in items if i.get("answers") == "all")
    invented = [i for i in items if i.get("invented")]
    seams = [i for i in items if i.get("seams")]
    types = Counter(str(i.get("type")) for i in items)
    fit = Counter(str(i.get("type_fit")) for i in items)
    return [
        "| check | count |",
        "| --- | --- |",
        f"| cards read | {n} |",
        f"| verdict | {verdicts(items)} |",
        f"| situation fits | {situation} ({_share(situation, n)}) |",
        f"| every ask met | {answers} ({_share(answers, n)}) |",
        f"| cards with an invented fact | {len(invented)} ({sum(len(i['invented']) for i in invented)} facts) |",
        f"| cards with seams | {len(seams)} ({sum(len(i['seams']) for i in seams)} seams) |",
        f"| type | {' · '.join(f'{k} {v}' for k, v in types.most_common())} |",
        f"| type fit | {' · '.join(f'{k} {v}' for k, v in fit.most_common())} |",
    ]


def tasks_table(items: list[dict[str, Any]]) -> list[str]:
    n = len(items)

    def tally(key: str) -> str:
        return " · ".join(f"{k} {v}" for k, v in Counter(str(i.get(key)) for i in items).most_common())

    leaked = [i for i in items if i.get("clean")]
    invented = [i for i in items if i.get("invented")]
    seams = [i for i in items if i.get("seams")]
    return [
        "| check | count |",
        "| --- | --- |",
        f"| briefs read | {n} |",
        f"| verdict | {verdicts(items)} |",
        f"| action | {tally('action')} |",
        f"| when | {tally('when')} |",
        f"| why | {tally('why')} |",
        f"| done | {tally('done')} |",
        f"| people | {tally('people')} |",
        f"| clean | {n - len(leaked)} clean · something leaked in {len(leaked)} |",
        f"| fit | {tally('fit')} |",
        f"| invented | none in {n - len(invented)} · something in {len(invented)} |",
        f"| seams | none in {n - len(seams)} · some in {len(seams)} |",
    ]


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("cards", "tasks"):
        print("usage: bench/readings.py cards|tasks READING.jsonl [...]", file=sys.stderr)
        return 2
    items, broken = load([Path(p) for p in argv[1:]])
    table = cards_table(items) if argv[0] == "cards" else tasks_table(items)
    print("\n".join(table))
    if broken:
        print(f"\n{broken} line(s) did not parse and are not counted.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
