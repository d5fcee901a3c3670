"""Cue lexicons: YAML data in `knowledge/lexicons/` compiled into a lemma-level phrase matcher.

The lexicons are data so that an admin can add a word without touching code. Every entry is matched by lemma,
so one entry covers all word forms ("гарантия" also finds "гарантии", "гарантиями"). Matching compares *sets*
of lemmas (every parse pymorphy3 offers), because a single best parse is often wrong for short forms:
"уверена" parses only as the participle of "уверить", while "уверен" prefers the adjective "уверенный".

Entry syntax (one string per entry, or a mapping with `text`, `weight`, `label`):
    гарантия          any form of the word
    не уверен         a phrase: consecutive words, each by lemma
    сертифицир*       a word whose lemma starts with "сертифицир" (at least 3 letters before the star)
    =ТУ               the exact word as written (case-sensitive when it has capitals): for abbreviations and
                      words whose lemma would be ambiguous ("ТУ" would otherwise lemmatise to "тот")
A mapping entry may say `in_questions: false`: the entry does not count inside a question ("Какие документы
нужны?" asks, it does not demand).

`neutral_terms.yaml` lists what is never a cue: names of products and services ("банковская гарантия", "личный
кабинет", "служба поддержки") whose words would otherwise read as the client's attitude, and homographs read one
way ("плачу" is "платить" in a business message, not "плакать").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.domain import Axis
from bot.nlp.text import Token, morph

LEXICON_FILES = ("emotionality.yaml", "confidence.yaml")


@lru_cache(maxsize=200_000)
def lemma_set(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 offers for a word (lower case, ё → е); non-Cyrillic words stay as they are."""
    w = word.lower().replace("ё", "е")
    if not any("а" <= ch <= "я" for ch in w):
        return frozenset({w})
    parts = w.split("-")
    if len(parts) == 2 and parts[0] == parts[1]:  # "простите-простите", "очень-очень": the word, said twice
        return lemma_set(parts[0]) | {w}
    forms = {p.normal_form.replace("ё", "е") for p in morph().parse(w)}
    forms.add(w)  # the form itself, so an entry written in any form also matches that exact form
    return frozenset(forms)


# Full participles and gerunds make a dictionary word match unrelated verbs ("данные" → "дать", "душа" →
# "душить"), so an entry ignores those readings unless it has no other; short participles stay ("уверен").
_ENTRY_SKIP_POS = frozenset({"PRTF", "GRND"})


def entry_lemmas(word: str) -> frozenset[str]:
    """Lemmas an admin's entry stands for: its readings, except participle/gerund ones when others exist."""
    w = word.lower().replace("ё", "е")
    if not any("а" <= ch <= "я" for ch in w):
        return frozenset({w})
    parses = morph().parse(w)
    kept = {p.normal_form.replace("ё", "е") for p in parses if p.tag.POS not in _ENTRY_SKIP_POS}
    return frozenset((kept or {p.normal_form.replace("ё", "е") for p in parses}) | {w})


@dataclass(frozen=True, slots=True)
class _WordPattern:
    kind: str  # "lemma" | "prefix" | "exact" | "exact_cs"
    value: str
    lemmas: frozenset[str] = frozenset()

    def matches(self, token: Token) -> bool:
        if self.kind == "exact_cs":
            return token.text == self.value
        if self.kind == "exact":
            return token.text.lower().replace("ё", "е") == self.value
        lemmas = lemma_set(token.text)
        if self.kind == "prefix":
            return any(lem.startswith(self.value) for lem in lemmas)
        return not self.lemmas.isdisjoint(lemmas)


@dataclass(frozen=True, slots=True)
class Entry:
    text: str  # as the admin wrote it
    group: str
    axis: Axis
    direction: int
    weight: float
    label: str
    words: tuple[_WordPattern, ...]
    in_questions: bool = True  # False: a hit inside a question does not count


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    axis: Axis
    direction: int
    weight: float
    label: str
    style: str | None  # name of the style feature this group also feeds (e.g. "hedges"), if any


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon entry found in a text: token span [first, last] over the word tokens passed in."""

    entry: Entry
    first: int
    last: int
    start: int  # character span in the original text
    stop: int


def _word_pattern(word: str) -> _WordPattern:
    if word.startswith("="):
        raw = word[1:]
        if raw != raw.lower():
            return _WordPattern("exact_cs", raw)
        return _WordPattern("exact", raw.replace("ё", "е"))
    if word.endswith("*"):
        stem = word[:-1].lower().replace("ё", "е")
        if len(stem) < 3:
            raise ValueError(f"prefix entry too short: {word!r}")
        return _WordPattern("prefix", stem)
    return _WordPattern("lemma", word.lower(), entry_lemmas(word))


def _split_words(phrase: str) -> list[str]:
    return phrase.replace(",", " ").split()


class Lexicon:
    """All groups of all lexicon files, with an index from a word to the entries that may start there."""

    def __init__(self, groups: Sequence[Group], entries: Sequence[Entry], digest: str) -> None:
        self.groups = {g.name: g for g in groups}
        self.entries = list(entries)
        self.digest = digest  # hash of the source files, stored with the trained model
        self._by_lemma: dict[str, list[Entry]] = {}
        self._by_exact: dict[str, list[Entry]] = {}
        self._by_prefix: dict[str, list[Entry]] = {}  # keyed by the first 3 letters of the stem
        for e in self.entries:
            first = e.words[0]
            if first.kind == "lemma":
                for lem in first.lemmas:
                    self._by_lemma.setdefault(lem, []).append(e)
            elif first.kind == "prefix":
                self._by_prefix.setdefault(first.value[:3], []).append(e)
            else:
                self._by_exact.setdefault(first.value.lower(), []).append(e)

    @classmethod
    def load(cls, directory: Path, files: Iterable[str] = LEXICON_FILES) -> Lexicon:
        groups: list[Group] = []
        entries: list[Entry] = []
        digest = hashlib.sha256()
        for name in files:
            path = directory / name
            raw = path.read_bytes()
            digest.update(raw)
            data = yaml.safe_load(raw) or {}
            g, e = _parse_file(data, source=name)
            groups.extend(g)
            entries.extend(e)
        return cls(groups, entries, digest.hexdigest()[:16])

    def _candidates(self, token: Token) -> list[Entry]:
        found: list[Entry] = []
        for lem in lemma_set(token.text):
            found.extend(self._by_lemma.get(lem, ()))
            found.extend(self._by_prefix.get(lem[:3], ()))
        found.extend(self._by_exact.get(token.text.lower().replace("ё", "е"), ()))
        return found

    def find(self, words: Sequence[Token]) -> list[Hit]:
        """Lexicon hits over a sequence of word tokens (punctuation removed).

        Within one axis the longest match wins and matches do not overlap, so "не уверен" (unsure) is not also
        counted as "уверен" (sure). The two axes are matched independently: "переживаю" may push both.
        """
        raw: list[Hit] = []
        for i, tok in enumerate(words):
            seen: set[int] = set()
            for e in self._candidates(tok):
                if id(e) in seen:
                    continue
                seen.add(id(e))
                last = _match_from(e.words, words, i)
                if last is not None:
                    raw.append(Hit(e, i, last, words[i].start, words[last].stop))
        raw.sort(key=lambda h: (-(h.last - h.first), -h.entry.weight, h.first))
        taken: dict[Axis, set[int]] = {Axis.EMOTIONALITY: set(), Axis.CONFIDENCE: set()}
        kept: list[Hit] = []
        for h in raw:
            span = set(range(h.first, h.last + 1))
            if span & taken[h.entry.axis]:
                continue
            taken[h.entry.axis] |= span
            kept.append(h)
        kept.sort(key=lambda h: (h.first, h.entry.axis.value))
        return kept


# A phrase may have one extra word inside ("в полном восторге" for "в восторге"), but not a negation, which
# would turn it around ("я не решил" is not "я решил").
_NO_GAP = frozenset({"не", "ни", "нет", "без"})
MAX_GAP = 1


def _match_from(pattern: Sequence[_WordPattern], words: Sequence[Token], i: int) -> int | None:
    """Index of the last word of a match of `pattern` starting at words[i], or None."""
    if not pattern[0].matches(words[i]):
        return None
    pos = i
    for p in pattern[1:]:
        for gap in range(MAX_GAP + 1):
            j = pos + 1 + gap
            if j >= len(words):
                return None
            if gap and words[j - 1].text.lower() in _NO_GAP:
                break
            if p.matches(words[j]):
                pos = j
                break
        else:
            return None
        if pos != j:
            return None
    return pos


def _parse_file(data: dict[str, Any], source: str) -> tuple[list[Group], list[Entry]]:
    try:
        axis = Axis(data["axis"])
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{source}: 'axis' must be one of {[a.value for a in Axis]}") from exc
    groups: list[Group] = []
    entries: list[Entry] = []
    for gname, g in (data.get("groups") or {}).items():
        direction = int(g.get("direction", 0))
        if direction not in (-1, 1):
            raise ValueError(f"{source}: group {gname!r} needs direction +1 or -1")
        group = Group(
            name=f"{axis.value}.{gname}",
            axis=axis,
            direction=direction,
            weight=float(g.get("weight", 1.0)),
            label=str(g.get("label", gname)),
            style=g.get("style"),
        )
        groups.append(group)
        for item in g.get("entries") or ():
            in_questions = True
            if isinstance(item, dict):
                text, weight, label = str(item["text"]), float(item.get("weight", 1.0)), item.get("label")
                in_questions = bool(item.get("in_questions", True))
            else:
                text, weight, label = str(item), 1.0, None
            words = _split_words(text)
            if not words:
                continue
            entries.append(
                Entry(
                    text=text,
                    group=group.name,
                    axis=axis,
                    direction=direction,
                    weight=group.weight * weight,
                    label=str(label or group.label),
                    words=tuple(_word_pattern(w) for w in words),
                    in_questions=in_questions,
                )
            )
    return groups, entries


NEUTRAL_FILE = "neutral_terms.yaml"


@dataclass(frozen=True, slots=True)
class NeutralTerms:
    """Words that name things rather than show an attitude: a lexicon hit inside one of them is not a cue."""

    terms: tuple[tuple[_WordPattern, ...], ...]
    homographs: dict[str, str]  # a word form → the only lemma it is read as

    @classmethod
    def load(cls, directory: Path) -> NeutralTerms:
        path = directory / NEUTRAL_FILE
        if not path.exists():
            return cls((), {})
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        terms = tuple(
            tuple(_word_pattern(w) for w in _split_words(str(t))) for t in data.get("terms") or () if str(t).split()
        )
        homographs = {
            str(form).lower().replace("ё", "е"): str(lem).lower().replace("ё", "е")
            for form, lem in (data.get("homographs") or {}).items()
        }
        return cls(terms, homographs)

    def spans(self, words: Sequence[Token]) -> list[tuple[int, int]]:
        """Character spans of the terms found among the word tokens."""
        found: list[tuple[int, int]] = []
        for i in range(len(words)):
            for pattern in self.terms:
                last = _match_from(pattern, words, i)
                if last is not None:
                    found.append((words[i].start, words[last].stop))
        return found

    def misread(self, hit: Hit, words: Sequence[Token]) -> bool:
        """True when the hit reads a homograph the other way («плачу» as «плакать»)."""
        for tok in words[hit.first : hit.last + 1]:
            lem = self.homographs.get(tok.text.lower().replace("ё", "е"))
            if lem is not None and not any(_reads_as(p, lem) for p in hit.entry.words):
                return True
        return False


def _reads_as(pattern: _WordPattern, lemma: str) -> bool:
    if pattern.kind == "lemma":
        return lemma in pattern.lemmas
    if pattern.kind == "prefix":
        return lemma.startswith(pattern.value)
    return True  # an exact form was written on purpose
