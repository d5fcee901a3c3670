"""Which of the 14 situations a client message is about (price objection, delay, complaint, ...).

Offline: lemma cues per situation, kept as data in knowledge/situation_cues.yaml so that people who know the trade
can tune them without touching code. Each situation scores the sum of the weights of its distinct matched cues; the
best one wins, ties go to the situation listed first (the more pressing ones). The fragments that matched are
quoted from the message, so the manager sees why.

A request for documents is not one of the 14 situations; the cue file maps each kind of document to the closest
situation (certificates before a purchase → proposal, closing documents → follow-up, invoice and reconciliation →
payment, a new contract → renewal) and the result flags it as a documents request.

With an LLM configured, `detect_situation` asks it first and falls back to the cues on any failure.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.domain import SITUATION_NAMES_RU, Situation
from bot.nlp.text import Token, tokenize

log = logging.getLogger(__name__)

CUES_FILE = "knowledge/situation_cues.yaml"
STRONG_WEIGHT = 2.0
WEAK_WEIGHT = 1.0
DOCUMENT_WEIGHT = 2.0
MAX_GAP = 2  # words allowed between the words of a multi-word cue


@dataclass(frozen=True, slots=True)
class _Term:
    value: str
    prefix: bool = False  # "дорог*": any lemma starting with the value
    exact_upper: bool = False  # "ТУ": only the same capitalised word, never the pronoun "ту"

    def matches(self, token: Token) -> bool:
        if self.exact_upper:
            return token.text == self.value
        lemma = token.lemma if token.is_word else token.text.lower()
        if self.prefix:
            return lemma.startswith(self.value)
        return lemma == self.value or token.text.lower().replace("ё", "е") == self.value


@dataclass(frozen=True, slots=True)
class SituationCue:
    phrase: str  # as written in the cue file
    terms: tuple[_Term, ...]
    situation: Situation
    weight: float
    document: bool = False


def _significant(tokens: list[Token]) -> list[Token]:
    """Words and numbers; punctuation does not break or count inside a phrase."""
    return [t for t in tokens if t.is_word or t.text.isdigit()]


def _compile(phrase: str) -> tuple[_Term, ...]:
    """A cue phrase as terms: lemmas of its words, with the `*` prefix and ALL-CAPS markers applied per word."""
    terms: list[_Term] = []
    for word in phrase.replace("ё", "е").split():
        bare = word.strip(',.;:!?«»"')
        if bare.endswith("*"):
            terms.append(_Term(bare.rstrip("*").lower(), prefix=True))
        elif len(bare) > 1 and bare.isupper() and bare.isalpha():
            terms.append(_Term(bare, exact_upper=True))
        else:
            terms.extend(_Term(t.lemma if t.is_word else t.text) for t in _significant(tokenize(bare)))
    return tuple(terms)


def load_cues(path: Path) -> tuple[list[SituationCue], Situation, float]:
    data: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cues: list[SituationCue] = []
    for name, groups in (data.get("situations") or {}).items():
        situation = Situation(name)
        for group, weight in (("strong", STRONG_WEIGHT), ("weak", WEAK_WEIGHT)):
            for phrase in (groups or {}).get(group) or []:
                cues.append(SituationCue(str(phrase), _compile(str(phrase)), situation, weight))
    for name, phrases in (data.get("documents") or {}).items():
        situation = Situation(name)
        for phrase in phrases or []:
            cues.append(SituationCue(str(phrase), _compile(str(phrase)), situation, DOCUMENT_WEIGHT, document=True))
    default = Situation(data.get("default", Situation.FOLLOW_UP.value))
    return [c for c in cues if c.terms], default, float(data.get("min_score", 1))


@dataclass(frozen=True, slots=True)
class SituationScore:
    situation: Situation
    score: float
    fragments: tuple[str, ...]  # the client's own words that matched

    @property
    def name_ru(self) -> str:
        return SITUATION_NAMES_RU[self.situation]


@dataclass(frozen=True, slots=True)
class SituationResult:
    situation: Situation
    score: float
    confidence: float  # 0..1: the winner's share of all cue weight (0 for the default)
    fragments: tuple[str, ...]
    runner_ups: tuple[SituationScore, ...] = ()
    documents: tuple[str, ...] = ()  # fragments that asked for documents, if any
    is_default: bool = False  # nothing matched: the neutral default was used
    engine: str = "offline"
    reason: str = ""  # the LLM's short explanation, when it decided

    @property
    def name_ru(self) -> str:
        return SITUATION_NAMES_RU[self.situation]

    @property
    def documents_requested(self) -> bool:
        return bool(self.documents)

    def as_dict(self) -> dict[str, object]:
        return {
            "situation": self.situation.value,
            "name": self.name_ru,
            "score": round(self.score, 3),
            "confidence": round(self.confidence, 3),
            "fragments": list(self.fragments),
            "documents": list(self.documents),
            "runner_ups": [{"situation": r.situation.value, "score": r.score} for r in self.runner_ups],
            "is_default": self.is_default,
            "engine": self.engine,
        }


@dataclass(frozen=True, slots=True)
class _CueIndex:
    """Cues by their first term, so a message is checked only against cues that can start at each word."""

    ordered: tuple[SituationCue, ...]  # longer, stronger, higher-priority cues first: they claim words first
    rank: dict[int, int]  # id(cue) → position in `ordered`
    by_value: dict[str, tuple[SituationCue, ...]]  # plain lemma / exact capitalised word → cues starting with it
    by_prefix: tuple[SituationCue, ...]  # cues starting with a `*` term

    @classmethod
    def build(cls, cues: list[SituationCue]) -> _CueIndex:
        order = {s: i for i, s in enumerate(_priority(cues))}
        ordered = tuple(sorted(cues, key=lambda c: (-len(c.terms), -c.weight, order.get(c.situation, 99))))
        by_value: dict[str, list[SituationCue]] = {}
        for cue in ordered:
            if not cue.terms[0].prefix:
                by_value.setdefault(cue.terms[0].value, []).append(cue)
        return cls(
            ordered=ordered,
            rank={id(c): i for i, c in enumerate(ordered)},
            by_value={k: tuple(v) for k, v in by_value.items()},
            by_prefix=tuple(c for c in ordered if c.terms[0].prefix),
        )

    def candidates(self, word: Token) -> list[SituationCue]:
        keys = {word.text, word.text.lower().replace("ё", "е"), word.lemma}
        found = [c for key in keys for c in self.by_value.get(key, ())]
        found.extend(c for c in self.by_prefix if c.terms[0].matches(word))
        return [c for c in found if c.terms[0].matches(word)]


@dataclass
class SituationDetector:
    """SituationCue-based detector. Build once (`from_file`) and share: `detect` only reads, so it is thread-safe."""

    cues: list[SituationCue]
    default: Situation = Situation.FOLLOW_UP
    min_score: float = 1.0
    _index: _CueIndex | None = field(default=None, repr=False)

    @classmethod
    def from_file(cls, project_root: Path) -> SituationDetector:
        cues, default, min_score = load_cues(project_root / CUES_FILE)
        return cls(cues, default, min_score)

    def reload(self, project_root: Path) -> None:
        """Re-read the cue file in place (after someone edited it)."""
        cues, default, min_score = load_cues(project_root / CUES_FILE)
        index = _CueIndex.build(cues)
        self.cues, self.default, self.min_score, self._index = cues, default, min_score, index

    @property
    def index(self) -> _CueIndex:
        if self._index is None:
            self._index = _CueIndex.build(self.cues)
        return self._index

    @staticmethod
    def _match_end(cue: SituationCue, words: list[Token], start: int) -> int | None:
        """Index of the last word of the cue when it matches from `start`, else None."""
        position = start
        for term in cue.terms[1:]:
            for step in range(1, MAX_GAP + 2):
                candidate = position + step
                if candidate < len(words) and term.matches(words[candidate]):
                    position = candidate
                    break
            else:
                return None
        return position

    def detect(self, text: str, runner_ups: int = 3) -> SituationResult:
        index = self.index
        words = _significant(tokenize(text))
        matches: list[tuple[int, int, int, SituationCue]] = []  # (cue rank, start, end, cue)
        for start, word in enumerate(words):
            for cue in index.candidates(word):
                end = self._match_end(cue, words, start)
                if end is not None:
                    matches.append((index.rank[id(cue)], start, end, cue))
        matches.sort(key=lambda m: (m[0], m[1]))

        scores: dict[Situation, float] = {}
        fragments: dict[Situation, list[str]] = {}
        documents: list[str] = []
        claimed: set[int] = set()
        counted: set[int] = set()
        # Longer and stronger cues claim their words first, each word counts once and each cue once: "получили
        # ваше письмо" must not also score "письмо", or long phrases would inflate their situation.
        for rank, start, end, cue in matches:
            if rank in counted or any(i in claimed for i in range(start, end + 1)):
                continue
            counted.add(rank)
            claimed.update(range(start, end + 1))
            fragment = text[words[start].start : words[end].stop]
            scores[cue.situation] = scores.get(cue.situation, 0.0) + cue.weight
            fragments.setdefault(cue.situation, []).append(fragment)
            if cue.document:
                documents.append(fragment)

        order = {s: i for i, s in enumerate(_priority(self.cues))}
        ranked = sorted(scores.items(), key=lambda item: (-item[1], order.get(item[0], 99)))
        if not ranked or ranked[0][1] < self.min_score:
            return SituationResult(self.default, 0.0, 0.0, (), is_default=True)
        best, best_score = ranked[0]
        others = tuple(SituationScore(s, sc, tuple(fragments[s])) for s, sc in ranked[1 : 1 + runner_ups])
        return SituationResult(
            situation=best,
            score=best_score,
            confidence=best_score / (sum(scores.values()) + 1.0),
            fragments=tuple(fragments[best]),
            runner_ups=others,
            documents=tuple(documents),
        )


def _priority(cues: list[SituationCue]) -> list[Situation]:
    """Situations in the order the cue file lists them (dicts keep YAML order)."""
    seen: list[Situation] = []
    for cue in cues:
        if not cue.document and cue.situation not in seen:
            seen.append(cue.situation)
    return seen


# The LLM helper supplies this: text → (situation id, short reason) or None when it cannot tell.
LlmSituation = Callable[[str], Awaitable[tuple[str, str] | None]]


async def detect_situation(text: str, detector: SituationDetector, llm: LlmSituation | None = None) -> SituationResult:
    """The LLM's answer when configured and valid, else the offline cues. The offline runner-ups and cue fragments
    are kept either way, so the manager still sees the quoted evidence and can pick another situation."""
    offline = detector.detect(text)
    if llm is None:
        return offline
    try:
        answer = await llm(text)
        if answer is None:
            return offline
        situation = Situation(answer[0])
    except Exception as exc:  # any LLM failure means the offline engine answers
        log.warning("определение ситуации через LLM не удалось, работаю офлайн: %s", exc)
        return offline
    fragments = offline.fragments if situation == offline.situation else ()
    return SituationResult(
        situation=situation,
        score=offline.score if situation == offline.situation else 0.0,
        confidence=max(offline.confidence, 0.5),
        fragments=fragments,
        runner_ups=tuple(
            r
            for r in (SituationScore(offline.situation, offline.score, offline.fragments), *offline.runner_ups)
            if r.situation != situation and r.score > 0
        ),
        documents=offline.documents,
        engine="llm",
        reason=answer[1],
    )
