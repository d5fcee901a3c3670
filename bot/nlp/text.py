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


# Format characters that change nothing a person reads but split words for the machine: zero-width spaces and
# joiners, bidi marks and isolates, the soft hyphen, the byte-order mark (all Unicode category Cf), plus the
# no-break and other odd spaces. Emoji sequences keep their joiners (U+200D) only inside emoji.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"), " ")


def lower_first(text: str) -> str:
    """«Приняли: с 1 декабря…» → «приняли…»; a first word that is an abbreviation keeps its capitals («ТЦ «Рио»»,
    «СМС-информирование», «ДС № 2»)."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    if len(first) > 1 and first[1:2].isupper():
        return text
    if re.match(r"[A-Za-z]", first) or re.search(r"\d", first):
        return text  # «Hyundai Creta», «А500С 12 мм»: a brand or a grade keeps its capital
    word = first.strip('.,:;!?«»"()').lower()
    if word and first[:1].isupper():
        best = morph().parse(word)[0]
        if {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"} & set(best.tag.grammemes):
            return text  # «Садовая, 5», «Москва»: a place or a name keeps its capital
    return text[:1].lower() + text[1:]


def clip_words(text: str, words: int) -> tuple[str, bool]:
    """The first `words` words of `text` and whether anything was cut. A number is not cut between its thousands
    («по тарифу 2 490»), and a single word left over is kept: «…» in place of one word reads worse than the word."""
    parts = text.split()
    while words < len(parts) and re.fullmatch(r"\d{1,3}", parts[words - 1]) and re.fullmatch(r"\d{3}\D?", parts[words]):
        words += 1
    if len(parts) == words + 1:
        words += 1
    return " ".join(parts[:words]), len(parts) > words


def normalize_input(text: str) -> str:
    """The client's text as a person sees it: invisible characters gone, odd spaces plain."""
    import unicodedata

    out = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":
            if ch == "\u200d" and 0 < i < len(text) - 1 and not text[i - 1].isalnum() and not text[i + 1].isalnum():
                out.append(ch)  # 👨‍💻: the joiner between two emoji is part of the picture
            continue
        out.append(ch)
    return "".join(out).translate(_SPACES)


# The past of a common verb that is also the imperative of a rare one: «нашли» is «найти», not «наслать».
PAST_NOT_IMPERATIVE = frozenset({"нашли", "ушли", "зашли", "сошли", "вошли", "дошли", "подошли", "обошли"})
