"""The scripts library: the script for a (type, situation), its alternatives, its rendered reply, and search.

Scripts are parsed once (bot.services.knowledge.corpus) and kept in memory: there are ~70 of them and lookups
happen on every suggestion. Search goes through the hybrid index over the scripts collection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Template

from bot.domain import BehaviourType, Situation
from bot.services.knowledge.corpus import BLANK_VALUES, JINJA, Script, load_scripts
from bot.services.knowledge.retrieval import DocHit, Hit, HybridIndex
from bot.services.knowledge.situations import SituationDetector

_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def format_date_ru(value: date | datetime | str | None) -> str | None:
    """ "12 марта" (and the year when it is not the current one); strings pass through unchanged."""
    if value is None or isinstance(value, str):
        return value
    day = value.date() if isinstance(value, datetime) else value
    text = f"{day.day} {_MONTHS_GENITIVE[day.month - 1]}"
    return text if day.year == date.today().year else f"{text} {day.year} г."


@dataclass(frozen=True, slots=True)
class Alternatives:
    same_situation: tuple[Script, ...]  # the other types' scripts for this situation
    same_type: tuple[Script, ...]  # this type's scripts for the other situations


@dataclass(frozen=True, slots=True)
class ScriptHit:
    script: Script
    score: float
    best: Hit  # the chunk that matched best (its section is a good thing to show)


class ScriptLibrary:
    """All scripts by (type, situation). Sync and in memory; `search` touches Chroma (wrap it in to_thread).

    With a situation detector, search fuses a third ranked list into the hybrid one: the situations the cue
    detector finds in the query (winner first, then runner-ups). A client's message names its situation in a few
    tell-tale words ("дешевле", "где груз") that the cue file knows, while the scripts themselves are written
    about the manager's side of the conversation.
    """

    def __init__(
        self,
        scripts: Iterable[Script],
        index: HybridIndex | None = None,
        detector: SituationDetector | None = None,
    ) -> None:
        self.index = index
        self.detector = detector
        self._by_key: dict[tuple[BehaviourType, Situation], Script] = {}
        self._templates: dict[str, tuple[str, Template]] = {}
        for script in scripts:
            self.put(script)

    @classmethod
    def from_dir(
        cls, project_root: Path, index: HybridIndex | None = None, detector: SituationDetector | None = None
    ) -> ScriptLibrary:
        return cls(load_scripts(project_root), index, detector)

    def replace_all(self, scripts: Iterable[Script]) -> None:
        """Swap in a freshly loaded library (re-indexing) while callers keep their reference to this object."""
        fresh = {(s.type, s.situation): s for s in scripts}
        self._by_key = fresh
        self._templates = {}

    def put(self, script: Script) -> None:
        """Add or replace one script (after an admin upload)."""
        self._by_key[(script.type, script.situation)] = script
        self._templates.pop(script.id, None)

    def __len__(self) -> int:
        return len(self._by_key)

    def all(self) -> list[Script]:
        return sorted(self._by_key.values(), key=lambda s: s.id)

    def by_id(self, script_id: str) -> Script | None:
        return next((s for s in self._by_key.values() if s.id == script_id), None)

    def get(self, type_: BehaviourType | str, situation: Situation | str) -> Script | None:
        """The script for the type and situation, else the type-neutral (`undetermined`) one for the situation."""
        type_, situation = BehaviourType(type_), Situation(situation)
        return self._by_key.get((type_, situation)) or self._by_key.get((BehaviourType.UNDETERMINED, situation))

    def alternatives(self, type_: BehaviourType | str, situation: Situation | str) -> Alternatives:
        """What a manager can switch to: other types for this situation, other situations for this type."""
        type_, situation = BehaviourType(type_), Situation(situation)
        current = self.get(type_, situation)
        same_situation = tuple(
            s for t in BehaviourType if (s := self._by_key.get((t, situation))) is not None and s is not current
        )
        same_type = tuple(
            s for sit in Situation if (s := self._by_key.get((type_, sit))) is not None and s is not current
        )
        return Alternatives(same_situation, same_type)

    def _template(self, script: Script) -> Template:
        cached = self._templates.get(script.id)
        if cached is None or cached[0] != script.reply_template:
            cached = (script.reply_template, JINJA.from_string(script.reply_template))
            self._templates[script.id] = cached
        return cached[1]

    def render_reply(
        self, script: Script, deal: str | None = None, next_date: date | datetime | str | None = None
    ) -> str:
        """The reply text. Both variables are always passed: StrictUndefined rejects a missing name. An unknown one
        is a `Blank` (false in `{% if %}`, shown as "[сделка]" / "[дата]" where printed unguarded)."""
        text = self._template(script).render(
            deal=deal or BLANK_VALUES["deal"],
            next_date=format_date_ru(next_date) or BLANK_VALUES["next_date"],
        )
        return _BLANK_LINES_RE.sub("\n\n", text).strip()

    def search(
        self,
        query: str,
        type_: BehaviourType | str | None = None,
        situation: Situation | str | None = None,
        k: int = 5,
        use_cues: bool = True,
    ) -> list[ScriptHit]:
        """Scripts ranked for a free-text query, optionally only of one type and/or situation."""
        if self.index is None:
            raise RuntimeError("поиск по скриптам недоступен: индекс не подключён")
        filters = {
            "type": BehaviourType(type_).value if type_ else None,
            "situation": Situation(situation).value if situation else None,
        }
        documents = self.index.search_documents(query, k=max(k, 20), filters=filters)
        scored = [(doc.score, doc) for doc in documents]
        if use_cues and self.detector is not None and situation is None:
            scored = self._with_situation_cues(query, documents)
        results = []
        for score, doc in sorted(scored, key=lambda item: (-item[0], item[1].doc_id))[:k]:
            script = self.by_id(doc.doc_id)
            if script is not None:
                results.append(ScriptHit(script, score, doc.best))
        return results

    def _with_situation_cues(self, query: str, documents: list[DocHit]) -> list[tuple[float, DocHit]]:
        """RRF of the hybrid ranking with the detector's ranking of situations (same k0 as the index)."""
        assert self.detector is not None and self.index is not None
        detected = self.detector.detect(query)
        if detected.is_default:
            return [(doc.score, doc) for doc in documents]
        ranks = {detected.situation.value: 1}
        for position, runner_up in enumerate(detected.runner_ups, start=2):
            ranks[runner_up.situation.value] = position
        rrf_k = self.index.rrf_k
        fused = []
        for doc in documents:
            rank = ranks.get(doc.best.chunk.situation)
            fused.append((doc.score + (1.0 / (rrf_k + rank) if rank is not None else 0.0), doc))
        return fused
