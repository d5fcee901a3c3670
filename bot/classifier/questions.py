"""Questions a manager can ask on the call to find out the type, kept as data in questions.yaml.

Which questions: when the type is undetermined, general openers plus one for the less certain axis; when one axis
is unsure, a question about that axis; otherwise one question that checks the guess. The choice inside a list is
stable for a given text (a checksum, not a random draw), so the same message always gets the same questions.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.domain import Axis, BehaviourType

QUESTIONS_FILE = "questions.yaml"
UNSURE_AXIS = 0.6  # |P(side) * 2 - 1| below this: the axis is not settled


@dataclass(frozen=True, slots=True)
class QuestionBank:
    general: tuple[str, ...]
    by_axis: dict[Axis, tuple[str, ...]]
    by_type: dict[BehaviourType, tuple[str, ...]]

    @classmethod
    def load(cls, lexicon_dir: Path) -> QuestionBank:
        data = yaml.safe_load((lexicon_dir / QUESTIONS_FILE).read_text("utf-8")) or {}
        return cls(
            general=tuple(str(q) for q in data.get("general") or ()),
            by_axis={a: tuple(str(q) for q in data.get(a.value) or ()) for a in Axis},
            by_type={BehaviourType(k): tuple(str(q) for q in v or ()) for k, v in (data.get("types") or {}).items()},
        )

    def pick(
        self, key: str, type_: BehaviourType, p_emotional: float, p_confident: float, confidence: float
    ) -> tuple[str, ...]:
        """1-3 questions. `key` (usually the message text) makes the choice stable; p_* are given "determined"."""
        seed = zlib.crc32(key.encode("utf-8"))
        sure = {Axis.EMOTIONALITY: abs(2 * p_emotional - 1), Axis.CONFIDENCE: abs(2 * p_confident - 1)}
        out: list[str] = []

        def take(pool: tuple[str, ...], n: int = 1) -> None:
            free = [q for q in pool if q not in out]
            for i in range(min(n, len(free))):
                out.append(free[(seed + i) % len(free)])

        if type_ is BehaviourType.UNDETERMINED:
            take(self.general, 2)
            take(self.by_axis[min(sure, key=lambda a: sure[a])])
        else:
            unsure = [a for a in Axis if sure[a] < UNSURE_AXIS]
            for a in sorted(unsure, key=lambda a: sure[a]):
                take(self.by_axis[a])
            if confidence < 0.8 or not unsure:
                take(self.by_type.get(type_, ()))
        if not out:
            take(self.general)
        return tuple(out[:3])
