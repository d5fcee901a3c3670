"""People and departments named in Russian text, matched to a directory.

Names come in every case and form: «Мельникову», «Гончаровой», «Людмиле Петровне», «Ане из логистики». Each word
is reduced to keys (pymorphy3 normal forms of all its parses, a surname base, the full form of a diminutive), and a
directory name matches when a key is shared; rapidfuzz forgives small typos in surnames. Departments are found by
lemmas («логисты», «логистике», «юристам», «бухгалтерия», «складу»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from bot.nlp.text import morph, tokenize

FIRST, PATRONYMIC, SURNAME = "first", "patronymic", "surname"

# Everyday short forms → the full name in the directory (lower case, ё → е): data an admin extends
# (knowledge/lexicons/short_names.yaml), read once per process.
SHORT_NAMES_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "lexicons" / "short_names.yaml"


def _load_short_names(path: Path = SHORT_NAMES_FILE) -> dict[str, frozenset[str]]:
    """Short form → every full name it may stand for («женя» is Евгений and Евгения)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    table: dict[str, set[str]] = {}
    for full, shorts in (data or {}).get("short_names", {}).items():
        for short in shorts or []:
            table.setdefault(str(short).lower().replace("ё", "е"), set()).add(str(full).lower().replace("ё", "е"))
    return {short: frozenset(fulls) for short, fulls in table.items()}


DIMINUTIVES = _load_short_names()
_FULL_NAMES = frozenset().union(*DIMINUTIVES.values())

# Department id → lemmas that name it (a person of the department or the department itself).
DEPARTMENT_LEMMAS: dict[str, frozenset[str]] = {
    "sales": frozenset({"продажа", "продажник", "сейлз", "коммерческий"}),
    "logistics": frozenset({"логистика", "логист", "логистический", "диспетчер", "транспортный"}),
    "warehouse": frozenset({"склад", "складской", "кладовщик", "кладовщица", "завсклад"}),
    "accounting": frozenset({"бухгалтерия", "бухгалтер", "бухгалтерский", "бухучёт", "бухучет", "финотдел"}),
    "legal": frozenset({"юрист", "юридический", "юротдел", "юрисконсульт", "юрслужба", "юрдепартамент"}),
    "production": frozenset({"производство", "производственный", "цех", "технолог", "производственник"}),
}
DEPARTMENT_NAMES_RU = {
    "sales": "Отдел продаж",
    "logistics": "Отдел логистики",
    "warehouse": "Склад",
    "accounting": "Бухгалтерия",
    "legal": "Юридический отдел",
    "production": "Производство",
}
# Words too common to name a department unless they stand at the head of the request («продажи, …»).
_WEAK_DEPARTMENT_LEMMAS = frozenset({"продажа", "коммерческий", "склад", "транспортный", "производство"})

_SURNAME_RE = re.compile(r"^(.{2,}?(?:ов|ев|ин|ын))(?:а|у|ым|ом|е|ой|ою|ую|ы|ых|ыми)?$")
_SKY_RE = re.compile(r"^(.{2,}?)(?:ский|ского|скому|ским|ском|ская|ской|скую)$")


@dataclass(frozen=True, slots=True)
class Person:
    """A directory entry: `key` is what the caller gets back (a colleague id, a client id for a contact)."""

    key: str
    name: str
    department: str | None = None


@dataclass(frozen=True, slots=True)
class PersonMention:
    keys: tuple[str, ...]  # several when the words fit several people («Анна» with two Annas)
    start: int
    end: int
    text: str
    parts: frozenset[str]  # which name parts were named: first / patronymic / surname
    cases: frozenset[str]  # grammatical cases the words may be in (datv for «Мельникову»)

    @property
    def unique(self) -> bool:
        return len(self.keys) == 1


@dataclass(frozen=True, slots=True)
class DepartmentMention:
    department: str
    start: int
    end: int
    text: str


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=50_000)
def word_keys(word: str) -> frozenset[str]:
    """Every form a word could stand for: its normal forms, a surname base, a diminutive's full name."""
    low = _norm(word)
    keys = {low}
    for parse in morph().parse(low):
        keys.add(parse.normal_form.replace("ё", "е"))
    for regex, suffix in ((_SURNAME_RE, ""), (_SKY_RE, "ский")):
        m = regex.match(low)
        if m:
            keys.add(m.group(1) + suffix)
    keys |= {base for k in list(keys) if (base := _familiar_base(k))}
    keys |= {full for k in list(keys) for full in DIMINUTIVES.get(k, ())}
    return frozenset(keys)


def _familiar_base(word: str) -> str | None:
    """The familiar «-ка» form of a name: «Ирка» → «ира», «Олька» → «оля», «Наташка» → «наташа»; only when the base
    is itself a known short form or first name, so «папка» or «сумка» stay themselves."""
    if not word.endswith("ка") or len(word) < 4:
        return None
    stem = word[:-2]
    for base in (stem + "а", stem[:-1] + "я" if stem.endswith("ь") else stem + "я"):
        if base in DIMINUTIVES or base in _FULL_NAMES:
            return base
    return None


@lru_cache(maxsize=50_000)
def _tags(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(name tags among Name/Surn/Patr of the most probable parse, the cases of all name-like parses)."""
    parses = morph().parse(_norm(word))
    top = {t for t in ("Name", "Surn", "Patr") if t in parses[0].tag}
    cases = {str(p.tag.case) for p in parses if p.tag.POS == "NOUN" and p.tag.case}
    return frozenset(top), frozenset(cases)


def _kinds(word: str) -> set[str]:
    """What a word of a directory name (written in the nominative) can be."""
    low = _norm(word)
    if re.search(r"(вна|вич|ична|ьич)$", low):
        return {PATRONYMIC}
    nominative = [p for p in morph().parse(low) if p.tag.case == "nomn" and p.tag.number == "sing"]
    kinds = {SURNAME} if any("Surn" in p.tag for p in nominative) else set()
    if any("Name" in p.tag for p in nominative):
        kinds.add(FIRST)
    return kinds or {SURNAME}


def name_parts(name: str) -> list[tuple[str, str]]:
    """(word, part) for each word of a directory name. «Роман» may be a first name or a surname: next to a word
    that can only be a surname it is the first name; otherwise the first such word is the first name."""
    words = re.findall(r"[А-Яа-яЁёA-Za-z-]+", name)
    kinds = [_kinds(w) for w in words]
    sure_surname = any(k == {SURNAME} for k in kinds)
    result: list[tuple[str, str]] = []
    first_taken = False
    for word, k in zip(words, kinds, strict=True):
        if k == {PATRONYMIC}:
            result.append((word, PATRONYMIC))
        elif FIRST in k and not first_taken and (sure_surname or k == {FIRST} or len(words) > 1):
            result.append((word, FIRST))
            first_taken = True
        else:
            result.append((word, SURNAME))
    return result


class NameIndex:
    """Finds directory people in text. `kinds` limits which name parts count (contacts: surnames only)."""

    def __init__(self, people: Iterable[Person], kinds: frozenset[str] = frozenset({FIRST, PATRONYMIC, SURNAME})):
        self.people = {p.key: p for p in people}
        self._parts: list[tuple[str, str, str, frozenset[str]]] = []  # (key, kind, word, keys)
        for person in self.people.values():
            for word, kind in name_parts(person.name):
                if kind in kinds:
                    self._parts.append((person.key, kind, _norm(word), word_keys(word)))

    def _match_word(self, word: str) -> dict[str, set[str]]:
        """person key → name parts this word can be."""
        found: dict[str, set[str]] = {}
        keys = word_keys(word)
        top, _ = _tags(word)
        capital = word[:1].isupper()
        for person_key, kind, part, part_keys in self._parts:
            exact = bool(keys & part_keys)
            if not exact and kind == SURNAME and capital and len(word) >= 5:
                low = _norm(word)
                m = _SURNAME_RE.match(low)
                # the typo may sit in the ending too («Мельникофу»): also try without one or two last letters
                bases = {m.group(1)} if m else {low, low[:-1], low[:-2]}
                exact = low[0] == part[0] and any(
                    min(len(b), len(part)) >= 5 and fuzz.ratio(b, part) >= 85 for b in bases
                )
            if not exact:
                continue
            # A lower-case common word («роман», «вера») is not a name unless the dictionary says it is.
            if not capital and not top & {"Name", "Surn", "Patr"}:
                continue
            found.setdefault(person_key, set()).add(kind)
        return found

    def find(self, text: str) -> list[PersonMention]:
        mentions: list[PersonMention] = []
        current: tuple[dict[str, set[str]], int, int, set[str]] | None = None
        for token in tokenize(text):
            matched = self._match_word(token.text) if token.is_word else {}
            joinable = current is not None and matched and token.start - current[2] <= 1
            if joinable and current is not None:
                shared = {k: current[0][k] | v for k, v in matched.items() if k in current[0]}
                if shared:
                    current = (shared, current[1], token.stop, current[3] | set(_tags(token.text)[1]))
                    continue
            if current is not None:
                mentions.append(self._mention(text, current))
                current = None
            if matched:
                current = (matched, token.start, token.stop, set(_tags(token.text)[1]))
        if current is not None:
            mentions.append(self._mention(text, current))
        return mentions

    def _mention(self, text: str, state: tuple[dict[str, set[str]], int, int, set[str]]) -> PersonMention:
        matched, start, end, cases = state
        best = max(len(kinds) for kinds in matched.values())
        keys = tuple(sorted(k for k, kinds in matched.items() if len(kinds) == best))
        parts = frozenset().union(*(matched[k] for k in keys))
        return PersonMention(keys, start, end, text[start:end], parts, frozenset(cases))

    def lookup(self, query: str) -> list[Person]:
        """People a whole query names («Мельников», «Анна Гончарова», «@s_melnikov_log», «c02»)."""
        q = query.strip()
        if q in self.people:
            return [self.people[q]]
        candidates: set[str] | None = None
        for mention in self.find(q):
            keys = set(mention.keys)
            candidates = keys if candidates is None else candidates & keys
        if candidates:
            return [self.people[k] for k in sorted(candidates)]
        scored = [(fuzz.WRatio(_norm(q), _norm(p.name)), p) for p in self.people.values()]
        good = [p for score, p in sorted(scored, key=lambda sp: -sp[0]) if score >= 85]
        return good[:3]


def find_departments(text: str) -> list[DepartmentMention]:
    """Department words in `text`; weak words («склад», «продажи») only at the head or after «отдел»."""
    found: list[DepartmentMention] = []
    words = [t for t in tokenize(text) if t.is_word]
    for i, token in enumerate(words):
        keys = word_keys(token.text)
        for dept, lemmas in DEPARTMENT_LEMMAS.items():
            hit = keys & lemmas
            if not hit:
                continue
            after_otdel = i > 0 and words[i - 1].lemma == "отдел"
            if hit <= _WEAK_DEPARTMENT_LEMMAS and i > 1 and not after_otdel:
                continue
            found.append(DepartmentMention(dept, token.start, token.stop, token.text))
            break
    return found


def department_from_word(word: str) -> str | None:
    """A department id from a word or an id («логистика», «юристы», «legal»)."""
    w = word.strip().lower()
    if w in DEPARTMENT_LEMMAS:
        return w
    for name_id, name in DEPARTMENT_NAMES_RU.items():
        if _norm(name) == _norm(w):
            return name_id
    mentions = find_departments(w)
    return mentions[0].department if mentions else None


def split_name(name: str) -> tuple[str | None, str | None, str | None]:
    """(first name, patronymic, surname) of a directory name in any order."""
    found: dict[str, str] = {}
    for word, kind in name_parts(name):
        found.setdefault(kind, word)
    return found.get(FIRST), found.get(PATRONYMIC), found.get(SURNAME)


def address_name(name: str) -> str:
    """How to greet a colleague: «Людмила Петровна» with a patronymic on file, else the first name."""
    first, patronymic, _ = split_name(name)
    if first and patronymic:
        return f"{first} {patronymic}"
    return first or name.strip()
