"""The rules behind bot.nlp.dates: the regular expressions of Russian date expressions and how each one turns into
a calendar date relative to «today». Kept apart so that dates.py reads as the public interface."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, time, timedelta

_WEEKDAY_STEMS = (
    r"понедельник(?:а|у|ом|е)?",
    r"вторник(?:а|у|ом|е)?",
    r"сред(?:а|ы|у|е|ой)",
    r"четверг(?:а|у|ом|е)?",
    r"пятниц(?:а|ы|у|е|ей)",
    r"суббот(?:а|ы|у|е|ой)",
    r"воскресень(?:е|я|ю|ем)",
)
WEEKDAY_ABBR = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
_MONTH_STEMS = ("янв", "фев", "мар", "апр", "ма[йя]", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
_MONTH_RE = (
    r"(?:(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)(?![а-яё])"
    r"|(?:янв|фев|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)(?:\.|(?![а-яё])))"
)
_NUMBER_WORDS = {
    "один": 1, "одну": 1, "одна": 1, "пару": 2, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "полторы": 1,
}  # fmt: skip

_B = r"(?<![\w-])"  # a word starts here
_E = r"(?![\w])"  # a word ends here
CORE = re.compile(
    "|".join(
        [
            rf"{_B}(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})){_E}",
            rf"{_B}(?P<num>(?P<nd>\d{{1,2}})[./](?P<nm>\d{{2}}|\d(?=[./]\d))(?:[./](?P<ny>\d{{4}}|\d{{2}}))?)(?![\d:]|[./]\d)",
            rf"{_B}(?P<dm>(?P<dmd>\d{{1,2}})(?:-?(?:го|е|ое))?\s+(?P<dmm>{_MONTH_RE})(?:\s+(?P<dmy>\d{{4}})(?:\s*(?:года|г\.|г{_E}))?)?)",
            rf"{_B}(?P<dom>(?P<domd>\d{{1,2}})(?:\s*-\s*|-?)(?:го|е|ое|му|ому|ого|ему)(?:\s+числ[ауо])?|(?P<domd2>\d{{1,2}})\s+числ[ауо]){_E}",
            rf"{_B}(?P<end>(?:конц[ауе]|конец)\s+(?:(?P<endq>этой|этого|текущей|текущего|следующей|следующего)\s+)?"
            rf"(?P<endw>недели|месяца|дня|года|квартала)){_E}",
            rf"{_B}(?P<week>(?P<weekq>этой|следующей)\s+неделе){_E}",
            rf"{_B}(?P<rel>послезавтра|завтра|сегодня)(?:шн\w*)?(?:\s+же)?{_E}",
            rf"{_B}(?P<relx>(?:после)?завтрашн\w*|сегодняшн\w*){_E}",
            rf"{_B}(?P<in>через\s+(?:(?P<inn>\d+|[а-яё]+)\s+)?(?P<inu>дн(?:я|ей)|день|сутки|недел[юиь]|месяц(?:а|ев)?)){_E}",
            rf"{_B}(?P<wd>(?:(?P<wdq>следующ\w*|эт[уоиа]|этот|ближайш\w*)\s+)?(?P<wdn>{'|'.join(_WEEKDAY_STEMS)}|"
            rf"{'|'.join(WEEKDAY_ABBR)})){_E}",
        ]
    ),
    re.IGNORECASE,
)
TIME_AFTER = re.compile(
    r"^\s*,?\s*(?:(?P<prep>до|к|в|во|не\s+позднее|не\s+позже)\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?"
    r"(?:\s*(?P<unit>часам|часов|часа|час|ч\.?))?(?:\s*(?P<pod>утра|дня|вечера))?(?![\d\w:-])",
    re.IGNORECASE,
)
PART_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:до|к|в|с)\s+)?(?P<part>утр(?:ом|у|а|о)|обед(?:а|у)?|вечер(?:ом|у|а)?|конца\s+дня|концу\s+дня)(?!\w)",
    re.IGNORECASE,
)
TIME_ANY = re.compile(
    r"(?<![\w:.])(?:(?P<prep>до|к|в|не\s+позднее|не\s+позже)\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2})|\s*(?P<pod>утра|вечера|часов|часа))(?![\d\w])",
    re.IGNORECASE,
)
PARTS = {"утр": ("утро", time(10, 0)), "обед": ("обед", time(13, 0)), "вечер": ("вечер", time(18, 0))}


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_of_month(day: int, today: date) -> date | None:
    """«к 25-му»: this month if the day is still ahead, else the next month that has that day."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    if day < today.day:
        month += 1
    for _ in range(3):
        if month > 12:
            year, month = year + 1, 1
        found = _safe_date(year, month, day)
        if found:
            return found
        month += 1
    return None


def _day_month(day: int, month: int, year: int | None, today: date) -> date | None:
    if year is not None:
        if year < 100:
            year += 2000
        return _safe_date(year, month, day)
    found = _safe_date(today.year, month, day)
    # A date well behind us means next year («10 января» said in November); a few weeks back is a slip.
    if found and (today - found).days > 60:
        found = _safe_date(today.year + 1, month, day)
    return found


def _month_index(word: str) -> int:
    for i, stem in enumerate(_MONTH_STEMS):
        if re.match(stem, word):
            return i + 1
    raise ValueError(word)


def _friday(of: date) -> date:
    return of - timedelta(days=of.weekday()) + timedelta(days=4)


def _end_of(unit: str, qualifier: str | None, today: date) -> date:
    nxt = bool(qualifier and qualifier.startswith("следующ"))
    if unit == "дня":
        return today + timedelta(days=1 if nxt else 0)
    if unit == "недели":
        return _friday(today + timedelta(days=7 if nxt else 0))  # the end of the working week
    if unit == "месяца":
        year, month = (today.year + (today.month == 12), today.month % 12 + 1) if nxt else (today.year, today.month)
        return date(year, month, monthrange(year, month)[1])
    if unit == "квартала":
        last_month = ((today.month - 1) // 3 + 1) * 3 + (3 if nxt else 0)
        year = today.year + (last_month - 1) // 12
        last_month = (last_month - 1) % 12 + 1
        return date(year, last_month, monthrange(year, last_month)[1])
    return date(today.year + nxt, 12, 31)


def _weekday(index: int, qualifier: str | None, today: date) -> date:
    if qualifier and qualifier.startswith("следующ"):
        return today - timedelta(days=today.weekday()) + timedelta(days=7 + index)
    ahead = (index - today.weekday()) % 7
    if qualifier and qualifier.startswith("эт") and ahead == 0:
        return today
    return today + timedelta(days=ahead or 7)  # «в понедельник» said on a Monday means the next one


def _number(word: str | None) -> int | None:
    if word is None:
        return 1
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def resolve(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    if g["iso"]:
        return _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["num"]:
        day, month = int(g["nd"]), int(g["nm"])
        return _day_month(day, month, int(g["ny"]) if g["ny"] else None, today) if 1 <= month <= 12 else None
    if g["dm"]:
        return _day_month(int(g["dmd"]), _month_index(g["dmm"]), int(g["dmy"]) if g["dmy"] else None, today)
    if g["dom"]:
        return _day_of_month(int(g["domd"] or g["domd2"]), today)
    if g["end"]:
        return _end_of(g["endw"], g["endq"], today)
    if g["week"]:
        return _friday(today + timedelta(days=7 if g["weekq"].startswith("след") else 0))
    word = g["rel"] or g["relx"]
    if word:
        offset = 2 if word.startswith("послезавтр") else 1 if word.startswith("завтр") else 0
        return today + timedelta(days=offset)
    if g["in"]:
        count = _number(g["inn"])
        if count is None:
            return None
        unit = g["inu"]
        if unit.startswith("недел"):
            return today + timedelta(days=7 * count)
        if unit.startswith("месяц"):
            month = today.month - 1 + count
            year, month = today.year + month // 12, month % 12 + 1
            return date(year, month, min(today.day, monthrange(year, month)[1]))
        return today + timedelta(days=count)
    if g["wd"]:
        name = g["wdn"]
        if name in WEEKDAY_ABBR:
            index = WEEKDAY_ABBR.index(name)
        else:
            index = next(i for i, stem in enumerate(_WEEKDAY_STEMS) if re.fullmatch(stem, name))
        return _weekday(index, g["wdq"], today)
    return None
