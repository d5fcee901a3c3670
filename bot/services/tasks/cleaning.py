"""The cleaning lexicon of task briefs (knowledge/lexicons/task_cleaning.yaml): slang phrases → neutral words,
slang words → plain ones, blame and jibes that drop their clause, group vocatives that are only an address, and an
informal name («Вованом», «Петровича») → the directory's proper name in the same case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlp.names import PersonMention, split_name
from bot.nlp.text import morph

CLEANING_FILE = Path(__file__).resolve().parents[3] / "knowledge" / "lexicons" / "task_cleaning.yaml"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern.replace('е', '[её]')})(?![\w-])", re.I)


@dataclass(frozen=True)
class Cleaning:
    replace: tuple[tuple[re.Pattern[str], str], ...]
    words: dict[str, str]
    blame: re.Pattern[str] | None
    vocatives: frozenset[str]


@lru_cache(maxsize=4)
def load(path: Path = CLEANING_FILE) -> Cleaning:
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
    blame = [str(p) for p in data.get("blame", [])]
    return Cleaning(
        replace=tuple((_rx(str(r["pattern"])), str(r["with"])) for r in data.get("replace", [])),
        words={str(k): str(v) for k, v in (data.get("words") or {}).items()},
        blame=_rx("|".join(blame)) if blame else None,
        vocatives=frozenset(str(v).lower() for v in data.get("vocatives", [])),
    )


def replace_phrases(text: str, cleaning: Cleaning | None = None) -> str:
    cleaning = cleaning or load()
    for pattern, neutral in cleaning.replace:
        text = pattern.sub(neutral, text)
    return text


def is_blame(text: str, cleaning: Cleaning | None = None) -> bool:
    cleaning = cleaning or load()
    return bool(cleaning.blame and cleaning.blame.search(text))


def is_vocative(text: str, cleaning: Cleaning | None = None) -> bool:
    """«Айтишники», «разрабы» said on their own: an address to a group, not part of the task."""
    cleaning = cleaning or load()
    return text.strip(" ,.!?:—-").lower() in cleaning.vocatives


_PREPOSITION_CASE = {
    "с": "ablt", "со": "ablt", "у": "gent", "от": "gent", "из": "gent", "для": "gent", "без": "gent",
    "к": "datv", "по": "datv", "о": "loct", "об": "loct", "про": "accs", "на": "accs",
}  # fmt: skip


def _inflect(word: str, case: str, tag: str, gender: str | None = None, source: str | None = None) -> str:
    parses = morph().parse(word.lower())
    if source:  # the parse in the case the word stands in first
        parses = sorted(parses, key=lambda p: p.tag.case != source)
    for parse in parses:
        if tag in parse.tag and (gender is None or parse.tag.gender == gender):
            found = parse.inflect({case})
            if found:
                return found.word[:1].upper() + found.word[1:]
    return word


def proper_name(full_name: str, case: str) -> str:
    """«Воронцов Владимир Игоревич» in the instrumental → «Владимиром Воронцовым» (first name and surname)."""
    first, patronymic, surname = split_name(full_name)
    words = []
    gender = _gender(first, patronymic, surname)
    if first:
        words.append(_inflect(first, case, "Name", gender))
    if surname:
        inflected = _inflect(surname, case, "Surn", gender)
        if inflected == surname and case != "nomn" and _SURNAME_END.search(surname):
            inflected = _by_ending(surname, case, gender)  # «Зимина» (she): the dictionary knows only «Зимин»
        words.append(inflected)
    return " ".join(words) or full_name


def _gender(first: str | None, patronymic: str | None, surname: str | None) -> str | None:
    """«Евгения» is a woman's name and a man's in the genitive: the patronymic or the surname settles it."""
    if patronymic:  # «Петровну», «Петровной»: any case of a woman's patronymic keeps its «-вн-» / «-чн-»
        return "femn" if re.search(r"(?:вн|чн)[аыуео]й?$|кызы$", patronymic.lower()) else "masc"
    names = [p for p in morph().parse(first.lower()) if "Name" in p.tag and p.tag.gender] if first else []
    genders = {str(p.tag.gender) for p in names}
    if names and not any("nomn" in p.tag for p in names) and len(genders) == 1:
        return genders.pop()  # «Ивана», «Анну»: a name in no case but an oblique one, with one gender
    if surname and surname.lower().endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
        return "femn"
    nominative = [p for p in names if "nomn" in p.tag]
    return str(nominative[0].tag.gender) if nominative else None


def person_in_case(said: str, case: str, source: str | None = None) -> str | None:
    """«Кириллова Анна Петровна» → «Кириллову Анну Петровну»: every part of a full name in `case`, the gender taken
    from the patronymic or the first name. `source`, when known, is the case the name stands in: «Марину Фёдорову»
    as an object is a woman in the accusative, not a man «Марин Фёдоров» in the dative."""
    words = said.split()
    kinds = []
    for word in words:
        parses = morph().parse(word.lower())
        kind = next((k for k in ("Patr", "Name", "Surn") if any(k in p.tag for p in parses)), None)
        if kind is None and _SURNAME_END.search(word):
            kind = "Surn?"  # «Кириллова»: a surname the dictionary does not know, inflected by its ending
        if kind is None:
            return None
        kinds.append(kind)
    first = next((w for w, k in zip(words, kinds, strict=True) if k == "Name"), None)
    patronymic = next((w for w, k in zip(words, kinds, strict=True) if k == "Patr"), None)
    surname = next((w for w, k in zip(words, kinds, strict=True) if k.startswith("Surn")), None)
    gender = (_agreeing_gender(words, kinds, source) if source else None) or _gender(first, patronymic, surname)
    return " ".join(
        _by_ending(w, case, gender) if k == "Surn?" else _inflect(w, case, k, gender, source)
        for w, k in zip(words, kinds, strict=True)
    )


def _agreeing_gender(words: list[str], kinds: list[str], source: str) -> str | None:
    """The gender in which every part of the name can stand in `source`: «Евгения Захарова» in the accusative is
    «Евгений Захаров»."""
    for gender in ("femn", "masc"):
        if all(
            k == "Surn?"
            or any(k in p.tag and p.tag.gender == gender and p.tag.case == source for p in morph().parse(w.lower()))
            for w, k in zip(words, kinds, strict=True)
        ):
            return gender
    return None


_SURNAME_END = re.compile(r"(?:ов|ев|ёв|ин|ын)(?:а|у|ой|ым|е|ого|ому)?$", re.I)
_SURNAME_STEM = re.compile(r"^(.+?(?:ов|ев|ёв|ин|ын))(?:а|у|ой|ым|е|ого|ому)?$", re.I)


def _by_ending(surname: str, case: str, gender: str | None) -> str:
    """Surnames in -ов/-ин decline like short adjectives: «Кириллова» → «Кириллову», «Кириллову» → «Кириллова»."""
    feminine = gender == "femn" or surname.lower().endswith("а")
    m = _SURNAME_STEM.match(surname)
    stem = m.group(1) if m else surname
    endings = {"femn": {"accs": "у", "gent": "ой", "datv": "ой", "ablt": "ой", "loct": "ой", "nomn": "а"},
               "masc": {"accs": "а", "gent": "а", "datv": "у", "ablt": "ым", "loct": "е", "nomn": ""}}  # fmt: skip
    ending = endings["femn" if feminine else "masc"].get(case, "")
    if not feminine and case == "ablt" and stem.lower().endswith(("ин", "ын")):
        ending = "ым"
    return stem + ending


def _lemma(word: str) -> str:
    return str(morph().parse(word.lower())[0].normal_form)


def is_informal(mention: PersonMention, full_name: str) -> bool:
    """The request names the colleague otherwise than the directory does («Вован», «Настя», «Петровичем»)."""
    first, _, surname = split_name(full_name)
    proper = {_lemma(w) for w in (first, surname) if w} | {w.lower() for w in (first, surname) if w}
    said = re.findall(r"[\wЁё-]+", mention.text)
    if any(any("Surn" in p.tag for p in morph().parse(w.lower())) and _lemma(w) not in proper for w in said):
        return False  # «контакт Сергеев» is another person's surname, not a nickname of Сергей
    return any(w.lower() not in proper and _lemma(w) not in proper for w in said)


def formal_names(piece: str, text: str, mentions: list[PersonMention], names: dict[str, str]) -> str:
    """Every informal name in a copied piece → the directory's proper name, in the case the request used."""
    for mention in mentions:
        if not mention.unique or mention.keys[0] not in names or not is_informal(mention, names[mention.keys[0]]):
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(mention.text)}(?![\w-])", re.I)
        found = pattern.search(piece)
        if not found:
            continue
        case = _case_from_context(piece[: found.start()].split(), mention)
        piece = pattern.sub(proper_name(names[mention.keys[0]], case), piece)
    return piece


def _case_from_context(before: list[str], mention: PersonMention) -> str:
    """The case the name stands in: from a preposition before it, or the object of a verb («подключить Санька»)."""
    previous = before[-1].lower().strip(",;:") if before else ""
    if previous in _PREPOSITION_CASE:
        return _PREPOSITION_CASE[previous]
    cases = [c for c in ("nomn", "ablt", "datv", "gent", "accs") if c in mention.cases]
    if previous and morph().parse(previous)[0].tag.POS in ("INFN", "VERB"):
        # after a verb: the object («подключить Санька»), unless the name itself can only be a dative or another
        # case («передать Оле данные» — «Оле» is not an accusative)
        if "accs" in mention.cases or not cases:
            return "accs"
        return cases[0]
    return cases[0] if cases else "nomn"
