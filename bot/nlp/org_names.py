"""Organisations (clients) named in Russian text: «для Стройдома», «с Альфой», «по ООО Вектор», «Дверного Двора»,
«для СеверТранса», «по Заречному» (a client's project), or through a contact person («для Горелова»).

A one-word name matches its inflected forms (the stem plus a case ending); a hyphenated or CamelCase name also
matches its leading part («Альфа-Логистик» → «Альфой», «СеверТрансСервис» → «СеверТранса»); a name of several
words matches the same lemmas in a row. Dictionary words («Вектор», «Кедр») count only when capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.nlp.names import SURNAME, NameIndex, Person
from bot.nlp.text import lemma, morph, tokenize

_LEGAL_FORMS = re.compile(r"^(?:ООО|ОАО|ЗАО|ПАО|АО|ИП|ГК|НКО|ТОО|ОДО)\s+", re.IGNORECASE)
_QUOTED = re.compile(r"[«\"“]([^»\"”]{2,60})[»\"”]")
_ENDINGS = frozenset({"", "а", "я", "у", "ю", "ом", "ем", "е", "ой", "ей", "ою", "ы", "и", "ам", "ами", "ах", "ов"})
_PROPER = ("Geox", "Name", "Surn", "Orgn", "Trad")


@dataclass(frozen=True, slots=True)
class Org:
    key: str  # client id
    names: tuple[str, ...]  # the name, the company's name without its legal form, project names
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrgMention:
    key: str
    start: int
    end: int
    text: str
    via: str  # "name" or "contact"


@dataclass
class _Key:
    org: str
    stem: str  # lower case; a form matches when it is the stem plus a case ending
    needs_capital: bool
    words: tuple[str, ...] = ()  # lemmas, for names of several words
    lemma: str = ""  # the one word's lemma («Заречному» → «заречный»)
    exact_tail: bool = False  # CamelCase prefix: any ending is fine


def _known_common(word: str) -> bool:
    """A dictionary word that is not a proper name («вектор», «кедр»): must be capitalised to be a client."""
    low = word.lower().replace("ё", "е")
    if not morph().word_is_known(low):
        return False
    return not any(any(t in p.tag for t in _PROPER) for p in morph().parse(low)[:2])


def _stem(word: str) -> str:
    low = word.lower().replace("ё", "е")
    return low[:-1] if len(low) > 4 and low[-1] in "аяоеыиуюйь" else low


def _name_variants(name: str) -> list[str]:
    name = name.strip()
    quoted = _QUOTED.findall(name)
    variants = [q.strip() for q in quoted] if quoted else [_LEGAL_FORMS.sub("", name).strip()]
    return [v for v in variants if len(v) >= 3]


class OrgIndex:
    def __init__(self, orgs: Iterable[Org]) -> None:
        self._keys: list[_Key] = []
        contacts: list[Person] = []
        for org in orgs:
            seen: set[str] = set()
            for raw in org.names:
                for name in _name_variants(raw):
                    if name.lower() not in seen:
                        seen.add(name.lower())
                        self._add_name(org.key, name)
            # Each contact gets a key of its own («cl05#1»): a client may have several people.
            contacts += [Person(f"{org.key}#{i}", c) for i, c in enumerate(org.contacts) if c.strip()]
        self._contacts = NameIndex(contacts, kinds=frozenset({SURNAME}))

    def _add_name(self, key: str, name: str) -> None:
        words = re.findall(r"[\w-]+", name)
        if len(words) > 1:
            self._keys.append(_Key(key, "", False, tuple(lemma(w) for w in words)))
            # A distinctive word of a longer name stands for it («Ривьеры» → «Волжская Ривьера»).
            for w in words:
                if len(w) >= 5 and w[:1].isupper() and not _known_common(w):
                    self._keys.append(_Key(key, _stem(w), True))
            return
        word = words[0] if words else name
        self._keys.append(_Key(key, _stem(word), _known_common(word), lemma=lemma(word)))
        if "-" in word:
            head = word.split("-")[0]
            if len(head) >= 4:
                self._keys.append(_Key(key, _stem(head), True))
        camel = re.findall(r"[A-ZА-ЯЁ][a-zа-яё]+", word)
        if len(camel) >= 3:
            self._keys.append(_Key(key, "".join(camel[:2]).lower().replace("ё", "е"), True, exact_tail=True))

    def find(self, text: str) -> list[OrgMention]:
        tokens = [t for t in tokenize(text) if t.is_word]
        found: list[OrgMention] = []
        for i, token in enumerate(tokens):
            low = token.text.lower().replace("ё", "е")
            capital = token.text[:1].isupper()
            for key in self._keys:
                if key.words:
                    n = len(key.words)
                    window = tokens[i : i + n]
                    if len(window) == n and tuple(t.lemma for t in window) == key.words:
                        end = window[-1].stop
                        found.append(OrgMention(key.org, token.start, end, text[token.start : end], "name"))
                    continue
                if key.needs_capital and not capital:
                    continue
                by_lemma = key.lemma and token.lemma == key.lemma
                if by_lemma or (low.startswith(key.stem) and (key.exact_tail or low[len(key.stem) :] in _ENDINGS)):
                    found.append(OrgMention(key.org, token.start, token.stop, token.text, "name"))
        for mention in self._contacts.find(text):
            orgs = {k.split("#")[0] for k in mention.keys}
            if len(orgs) == 1:
                found.append(OrgMention(orgs.pop(), mention.start, mention.end, mention.text, "contact"))
        return _dedupe(found)

    def lookup(self, query: str) -> list[str]:
        """Client ids a whole query names («Стройдом», «ООО Вектор», «Горелов»)."""
        seen: list[str] = []
        for mention in self.find(query):
            if mention.key not in seen:
                seen.append(mention.key)
        return seen


def _dedupe(found: list[OrgMention]) -> list[OrgMention]:
    """One mention per place: a longer match wins over a shorter one inside it."""
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    result: list[OrgMention] = []
    for m in found:
        if result and m.start < result[-1].end:
            continue
        result.append(m)
    return result
