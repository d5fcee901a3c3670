"""The labelled behaviour corpus: reading it, and the one deterministic train/dev split.

The corpus is written by people in `datasets/behaviour/corpus_*.jsonl`; `train.jsonl` and `dev.jsonl` are derived
from it by `split()` and never edited by hand. The split is stratified by (label, domain) with a fixed seed: items
are ordered by stratum and by a salted hash of their id, and every fourth one goes to dev, so each label and each
domain lands in dev in proportion, and the assignment does not depend on file order.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.domain import BehaviourType

CORPUS_DIR = Path("datasets") / "behaviour"
CORPUS_GLOB = "corpus_*.jsonl"
SEED = "behaviour-split-v1"
DEV_EVERY = 4  # one item in four goes to dev: a 75/25 split


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    text: str
    label: BehaviourType
    domain: str = ""
    hard: bool = False
    note: str = ""

    def as_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "text": self.text,
                "label": self.label.value,
                "domain": self.domain,
                "hard": self.hard,
                "note": self.note,
            },
            ensure_ascii=False,
        )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def read_jsonl(path: Path) -> list[Example]:
    out: list[Example] = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(
                Example(
                    id=str(d["id"]),
                    text=str(d["text"]),
                    label=BehaviourType(d["label"]),
                    domain=str(d.get("domain", "")),
                    hard=bool(d.get("hard", False)),
                    note=str(d.get("note", "")),
                )
            )
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path.name}:{n}: bad corpus line ({exc})") from exc
    return out


def read_corpus(project_root: Path) -> tuple[list[Example], list[str]]:
    """All corpus files, with exact duplicates (same normalised text) dropped; returns (examples, warnings)."""
    seen: dict[str, str] = {}
    ids: set[str] = set()
    examples: list[Example] = []
    warnings: list[str] = []
    for path in sorted((project_root / CORPUS_DIR).glob(CORPUS_GLOB)):
        for ex in read_jsonl(path):
            key = _norm(ex.text)
            if key in seen:
                warnings.append(f"duplicate text {ex.id} = {seen[key]}: dropped")
                continue
            if ex.id in ids:
                warnings.append(f"duplicate id {ex.id}: dropped")
                continue
            seen[key] = ex.id
            ids.add(ex.id)
            examples.append(ex)
    return examples, warnings


def corpus_hash(examples: Iterable[Example]) -> str:
    h = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        h.update(ex.as_json().encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def _salted(ex_id: str) -> str:
    return hashlib.sha256(f"{SEED}:{ex_id}".encode()).hexdigest()


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """Deterministic stratified split into (train, dev)."""
    ordered = sorted(examples, key=lambda e: (e.label.value, e.domain, _salted(e.id)))
    train: list[Example] = []
    dev: list[Example] = []
    # Start the counter at a seed-derived offset so the first item of the first stratum is not always in dev.
    offset = int(hashlib.sha256(SEED.encode()).hexdigest(), 16) % DEV_EVERY
    for i, ex in enumerate(ordered):
        (dev if (i + offset) % DEV_EVERY == 0 else train).append(ex)
    return train, dev


def write_split(project_root: Path) -> tuple[list[Example], list[Example], list[str]]:
    """Rebuild `train.jsonl` and `dev.jsonl` from the corpus files."""
    examples, warnings = read_corpus(project_root)
    train, dev = split(examples)
    base = project_root / CORPUS_DIR
    for name, part in (("train.jsonl", train), ("dev.jsonl", dev)):
        lines = [ex.as_json() for ex in sorted(part, key=lambda e: e.id)]
        (base / name).write_text("\n".join(lines) + "\n", "utf-8")
    return train, dev, warnings


def load_split(project_root: Path) -> tuple[list[Example], list[Example]]:
    base = project_root / CORPUS_DIR
    return read_jsonl(base / "train.jsonl"), read_jsonl(base / "dev.jsonl")


def split_is_current(project_root: Path) -> bool:
    """True when train.jsonl + dev.jsonl hold exactly the current corpus."""
    base = project_root / CORPUS_DIR
    if not (base / "train.jsonl").exists() or not (base / "dev.jsonl").exists():
        return False
    train, dev = load_split(project_root)
    examples, _ = read_corpus(project_root)
    return corpus_hash(train + dev) == corpus_hash(examples)
