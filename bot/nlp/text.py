"""Tokens and lemmas for Russian (and some English) text.

One morphological analyser per process: pymorphy3 loads its dictionaries once (~70 ms) and parses are cached,
because the same words recur across messages and the classifier must stay well under 50 ms per message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
import razdel

_WORD_RE = re.compile(r"^[\w-]+$", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    start: int
    stop: int
    lemma: str  # normal form, lower case; punctuation and emoji keep their text
    pos: str | None  # pymorphy3 part of speech (NOUN, VERB, ...), None for non-words
    is_word: bool


@lru_cache(maxsize=1)
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def _parse(word_lower: str) -> tuple[str, str | None, str]:
    """(lemma, POS, grammemes as text) of the most probable parse."""
    if not _CYRILLIC_RE.search(word_lower):
        return word_lower, None, ""
    parse = morph().parse(word_lower)[0]
    return parse.normal_form.replace("ё", "е"), parse.tag.POS, str(parse.tag)


def lemma(word: str) -> str:
    return _parse(word.lower().replace("ё", "е"))[0]


def grammemes(word: str) -> str:
    """pymorphy3 tag of the most probable parse, e.g. 'VERB,perf,tran plur,impr,excl'."""
    return _parse(word.lower().replace("ё", "е"))[2]


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for piece in razdel.tokenize(text):
        raw = piece.text
        is_word = bool(_WORD_RE.match(raw)) and not raw.isdigit()
        if is_word:
            lem, pos, _ = _parse(raw.lower().replace("ё", "е"))
        else:
            lem, pos = raw.lower(), None
        tokens.append(Token(raw, piece.start, piece.stop, lem, pos, is_word))
    return tokens


def lemmas(text: str) -> list[str]:
    """Lemmas of the words only (no punctuation, no numbers), lower case, ё → е."""
    return [t.lemma for t in tokenize(text) if t.is_word]


def sentences(text: str) -> list[str]:
    return [s.text for s in razdel.sentenize(text)]
