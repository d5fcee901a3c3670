"""Personal data (152-FZ) never leaves for an LLM or a log as is: it is swapped for placeholders like ⟦PHONE_1⟧.

A `Masker` lives for one LLM call: it issues stable placeholders (the same value → the same placeholder), so the
model can still tell that two mentions are one person, and `unmask` restores the answer. Numbers with a checksum
(INN, SNILS, card numbers) are masked only when the checksum holds, so order numbers and amounts stay readable.
Names come from three sources because each misses cases: natasha NER (capitalised names in context), the pymorphy3
dictionary (lower-case "ольга смирнова", which NER misses) and the known names of our own clients and contacts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import lru_cache, partial
from typing import Any

from bot.nlp.text import grammemes


class PDKind(StrEnum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    INN = "INN"
    SNILS = "SNILS"
    PASSPORT = "PASSPORT"
    CARD = "CARD"
    PERSON = "PERSON"
    ADDRESS = "ADDRESS"


class UnknownPlaceholderError(ValueError):
    """A text holds a placeholder that this Masker never issued (the model invented or mangled one)."""

    def __init__(self, placeholder: str) -> None:
        super().__init__(f"unknown placeholder {placeholder!r}")
        self.placeholder = placeholder


_KINDS = "|".join(k.value for k in PDKind)
_ISSUED_RE = re.compile(rf"⟦(?:{_KINDS})_\d+⟧")
# Anything that looks like a placeholder: bracketed text, a bare KIND_N, or a lone bracket left by a mangled one.
_SHAPE_RE = re.compile(rf"⟦[^⟦⟧]{{0,60}}⟧|\b(?:{_KINDS})_\d+\b|[⟦⟧]")


# Checksums ------------------------------------------------------------------------------------------------------
def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def inn_valid(value: str) -> bool:
    d = [int(c) for c in _digits(value)]

    def check(weights: tuple[int, ...]) -> int:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10

    if len(d) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[9]
    if len(d) == 12:
        return check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[10] and check((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[11]
    return False


def snils_valid(value: str) -> bool:
    d = _digits(value)
    if len(d) != 11 or int(d[:9]) <= 1001998:  # the checksum is defined only above 001-001-998
        return False
    total = sum(int(c) * (9 - i) for i, c in enumerate(d[:9]))
    control = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
    return control == int(d[9:])


def luhn_valid(value: str) -> bool:
    d = _digits(value)
    if not 13 <= len(d) <= 19:
        return False
    total = 0
    for i, c in enumerate(reversed(d)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


# Detectors, in priority order: earlier ones claim their text first --------------------------------------------
_SEP = r"[\s\-]?"
_STREET = (
    r"(?i:ул(?:ица|\.)|просп(?:ект|\.)|пр-к?т|пер(?:еулок|\.)|шоссе|б(?:ульвар|-р)|наб(?:ережная|\.)|"
    r"пл(?:ощадь|\.)|проезд|туп(?:ик|\.)|мкр(?:н|\.)?|микрорайон|аллея)"
)
_STREET_NAME = r"[А-ЯЁA-Z0-9][\w.\-]*(?:\s+[А-ЯЁA-Z0-9][\w.\-]*){0,3}"
_HOUSE = r"(?:,?\s*(?i:д(?:ом|\.)?)\s*\d+[а-яА-Я]?(?:/\d+)?)"
_PARTS = r"(?:,?\s*(?i:корп(?:ус|\.)?|к\.|стр(?:оение|\.)?|кв(?:артира|\.)?|оф(?:ис|\.)?|пом\.?)\s*\d+[а-яА-Я]?)"
_CITY = r"(?<![\w.])(?:(?:\d{6},?\s*)?(?i:г(?:ород|\.))\s*[А-ЯЁ][\w\-]+,?\s*)?"

Validator = Callable[[str], bool]
_DETECTORS: tuple[tuple[PDKind, re.Pattern[str], Validator | None], ...] = (
    (PDKind.EMAIL, re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), None),
    (
        PDKind.CARD,
        re.compile(r"(?<![\d\w])(?:\d{4}([ \-]?)\d{4}\1\d{4}\1\d{4}|\d{4}[ \-]\d{6}[ \-]\d{5}|\d{13,19})(?!\d)"),
        luhn_valid,
    ),
    (
        PDKind.PHONE,
        re.compile(rf"(?<![\d+])(?:\+7|8|7){_SEP}\(?\d{{3}}\)?{_SEP}\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}(?!\d)"),
        None,
    ),
    (PDKind.PHONE, re.compile(r"(?<![\d\w])\+\d{1,3}[\s\-]?\(?\d{1,4}\)?(?:[\s\-]?\d{2,4}){2,4}(?!\d)"), None),
    (
        PDKind.PASSPORT,
        re.compile(r"(?i:паспорт\w*|серия|passport)[^\d\n]{0,20}(?P<pd>\d{2}\s?\d{2}[^\d\n]{0,12}\d{6})(?!\d)"),
        None,
    ),
    # "4506 123456" without the word «паспорт»; "счёт № 4567 123456" is a document number, not a passport.
    (PDKind.PASSPORT, re.compile(r"(?<![\d\-])(?<!№)(?<!№ )\d{2} ?\d{2} №?\s?\d{6}(?![\d\-])"), None),
    (PDKind.SNILS, re.compile(r"(?<!\d)\d{3}[\- ]?\d{3}[\- ]?\d{3}[\- ]?\d{2}(?!\d)"), snils_valid),
    (PDKind.INN, re.compile(r"(?<!\d)(?:\d{12}|\d{10})(?!\d)"), inn_valid),
    (PDKind.PHONE, re.compile(rf"(?<![\d\w])9\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}(?!\d)"), None),
    (PDKind.PHONE, re.compile(r"\(\d{3,5}\)\s?\d{1,3}[\s\-]?\d{2}[\s\-]?\d{2}(?!\d)"), None),
    (PDKind.PHONE, re.compile(r"(?<![\d\-])\d{3}-\d{2}-\d{2}(?![\d\-])"), None),
    (PDKind.ADDRESS, re.compile(rf"{_CITY}{_STREET}\s*{_STREET_NAME}{_HOUSE}?{_PARTS}*"), None),
    (
        PDKind.ADDRESS,
        re.compile(
            rf"{_CITY}[А-ЯЁ][\w\-]+\s+(?i:улица|проспект|переулок|шоссе|бульвар|набережная|проезд){_HOUSE}{_PARTS}*"
        ),
        None,
    ),
    (
        PDKind.ADDRESS,
        re.compile(
            rf"(?<![\w.])(?i:д(?:ом|\.)?)\s*\d+[а-яА-Я]?(?:/\d+)?{_PARTS}*"
            r"(?i:,?\s*кв(?:артира|\.)?\s*\d+)"
        ),
        None,
    ),
)

# Names ----------------------------------------------------------------------------------------------------------
_WORD_RE = re.compile(r"[А-Яа-яЁё]{3,}(?:-[А-Яа-яЁё]+)?")
_INITIALS_RE = re.compile(r"\b[А-ЯЁ]\.\s?[А-ЯЁ]\.")
_INTRO_RE = re.compile(
    r"(?i:меня зовут|my name is|i am|с уважением,?|best regards,?|regards,?)\s+"
    r"(?P<pd>[A-ZА-ЯЁ][\w\-]+(?:\s+[A-ZА-ЯЁ][\w\-]+)?)"
)
_NAME_GRAMMEMES = {"Name", "Surn", "Patr"}


@lru_cache(maxsize=1)
def _ner() -> Any:
    """natasha's NER, shared with the reading of client messages (bot.nlp.syntax): loaded once per process."""
    from bot.nlp import syntax

    return syntax.ner_models()


def _ner_spans(text: str) -> list[tuple[int, int]]:
    from natasha import Doc

    segmenter, tagger, threads = _ner()
    # The matrices are tiny: one BLAS thread takes ~2 ms a message, while OpenBLAS's default thread pool spins
    # against other work and took ~150 ms on a busy two-core machine.
    with threads.limit(limits=1, user_api="blas"):
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
    return [(s.start, s.stop) for s in doc.spans if s.type == "PER"]


@lru_cache(maxsize=1024)  # the same clients' names come back call after call
def _known_name_pattern(name: str) -> re.Pattern[str] | None:
    """Any inflected form of the words of a known name: 'Пётр Петров' also finds 'Петру Петрову'."""
    parts = []
    for word in re.findall(r"[\w\-]+", name):
        if len(word) < 3:
            continue
        stem = word[:-1] if len(word) > 3 and word[-1].lower() in "аеёиоуыэюяйь" else word
        stem = re.escape(stem).replace("е", "[её]").replace("ё", "[её]")
        parts.append(stem + r"[а-яёa-z]{0,3}")
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE) if parts else None


class Masker:
    """Swaps personal data for placeholders and back; one instance per LLM call."""

    def __init__(self, *, ner: bool = True, dictionary_names: bool = True) -> None:
        self._ner = ner
        self._dictionary_names = dictionary_names
        self._by_key: dict[tuple[PDKind, str], str] = {}
        self._values: dict[str, str] = {}  # placeholder → original text
        self._counts: dict[PDKind, int] = {}

    @property
    def issued(self) -> dict[str, str]:
        return dict(self._values)

    def mask(self, text: str, known_names: Iterable[str] = ()) -> str:
        for kind, pattern, valid in _DETECTORS:
            text = pattern.sub(partial(self._replace, kind=kind, valid=valid), text)
        return self._mask_names(text, known_names)

    def unmask(self, text: str) -> str:
        leftover = _SHAPE_RE.search(_ISSUED_RE.sub(lambda m: "" if m.group(0) in self._values else m.group(0), text))
        if leftover:
            raise UnknownPlaceholderError(leftover.group(0))
        return _ISSUED_RE.sub(lambda m: self._values[m.group(0)], text)

    # Internals ---------------------------------------------------------------------------------------------
    def _replace(self, match: re.Match[str], kind: PDKind, valid: Validator | None) -> str:
        has_group = "pd" in match.re.groupindex
        start, end = match.span("pd") if has_group else match.span()
        value = match.string[start:end]
        if valid is not None and not valid(value):
            return match.group(0)
        whole_start = match.start()
        return match.string[whole_start:start] + self._placeholder(kind, value) + match.string[end : match.end()]

    def _placeholder(self, kind: PDKind, value: str) -> str:
        key = (kind, self._key(kind, value))
        if key not in self._by_key:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            placeholder = f"⟦{kind.value}_{self._counts[kind]}⟧"
            self._by_key[key] = placeholder
            self._values[placeholder] = value
        return self._by_key[key]

    @staticmethod
    def _key(kind: PDKind, value: str) -> str:
        if kind in (PDKind.PHONE, PDKind.INN, PDKind.SNILS, PDKind.CARD, PDKind.PASSPORT):
            digits = _digits(value)
            return "7" + digits[1:] if kind is PDKind.PHONE and len(digits) == 11 else digits
        return " ".join(value.lower().replace("ё", "е").split())

    def _mask_names(self, text: str, known_names: Iterable[str]) -> str:
        spans: list[tuple[int, int]] = []
        for name in known_names:
            pattern = _known_name_pattern(name)
            if pattern is not None:
                spans += [m.span() for m in pattern.finditer(text)]
        spans += [m.span("pd") for m in _INTRO_RE.finditer(text)]
        spans += [m.span() for m in _INITIALS_RE.finditer(text)]
        if self._dictionary_names:
            spans += [m.span() for m in _WORD_RE.finditer(text) if _is_dictionary_name(m.group(0))]
        if self._ner:
            spans += _ner_spans(text)
        pieces, last = [], 0
        for start, end in _merge_spans(text, spans):
            if "⟦" in text[start:end] or "⟧" in text[start:end]:
                continue
            pieces += [text[last:start], self._placeholder(PDKind.PERSON, text[start:end])]
            last = end
        return "".join([*pieces, text[last:]])


def _is_dictionary_name(word: str) -> bool:
    if word.isupper():  # abbreviations: ИНН is not Инна
        return False
    return bool(_NAME_GRAMMEMES & set(re.split(r"[ ,]", grammemes(word))))


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans, and spans separated only by spaces ('Иван' + 'Петров'), become one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" ")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def contains_personal_data(text: str, known_names: Iterable[str] = ()) -> bool:
    masker = Masker()
    masker.mask(text, known_names)
    return bool(masker.issued)


class PersonalDataLogFilter(logging.Filter):
    """Masks personal data in every record it sees (message, arguments and traceback); attach to handlers.

    NER is off by default: loading it from inside logging would stall the first log line for a second, and the
    dictionary of names already catches most first names and surnames.
    """

    def __init__(self, *, ner: bool = False) -> None:
        super().__init__()
        self._ner = ner

    def filter(self, record: logging.LogRecord) -> bool:
        masker = Masker(ner=self._ner)
        record.msg = masker.mask(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = masker.mask(record.exc_text)
        return True
