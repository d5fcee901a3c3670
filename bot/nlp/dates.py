"""Russian date and time expressions → a real date (and a time of day when one is named), relative to "today".

Staff write deadlines the way they speak: «до пятницы 12:00», «к 25-му», «послезавтра утром», «через 3 дня»,
«до конца месяца», «25.11», «к 1 декабря». `find_dates` returns every expression with its span (so callers can
cut it out of the text), `pick_deadline` chooses the one that is the deadline, and `parse_date` reads a whole
argument such as `--deadline`. "Today" is always passed in (the company's time zone, pinned in tests).
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAYS_ACC = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье")
MONTHS_GEN = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip

# Marker words before a date: a deadline ("до пятницы"), a plain mention ("в пятницу") or a start / the past
# ("с 19-го", "ещё в пятницу") — the last kind is never a deadline.
DEADLINE, PLAIN, SINCE = "deadline", "plain", "since"
_MARKERS = {
    "до": DEADLINE, "к": DEADLINE, "ко": DEADLINE, "не позднее": DEADLINE, "не позже": DEADLINE,
    "в": PLAIN, "во": PLAIN, "на": PLAIN, "по": PLAIN,
    "с": SINCE, "со": SINCE, "от": SINCE, "после": SINCE, "ещё": SINCE, "еще": SINCE, "начиная с": SINCE,
}  # fmt: skip
_MARKER_RE = re.compile(
    r"(?:^|[\s,(«\"—–-])(не\s+позднее|не\s+позже|начиная\s+с|до|ко|к|во|в|на|по|со|с|от|после|ещё|еще)\s+$"
)
_PAST_RE = re.compile(r"прошл\w*\s+$")

_WEEKDAY_STEMS = (
    r"понедельник(?:а|у|ом|е)?",
    r"вторник(?:а|у|ом|е)?",
    r"сред(?:а|ы|у|е|ой)",
    r"четверг(?:а|у|ом|е)?",
    r"пятниц(?:а|ы|у|е|ей)",
    r"суббот(?:а|ы|у|е|ой)",
    r"воскресень(?:е|я|ю|ем)",
)
_WEEKDAY_ABBR = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
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
_CORE = re.compile(
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
            rf"{'|'.join(_WEEKDAY_ABBR)})){_E}",
        ]
    ),
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(
    r"^\s*,?\s*(?:(?P<prep>до|к|в|во|не\s+позднее|не\s+позже)\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?"
    r"(?:\s*(?P<unit>часам|часов|часа|час|ч\.?))?(?:\s*(?P<pod>утра|дня|вечера))?(?![\d\w:-])",
    re.IGNORECASE,
)
_PART_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:до|к|в|с)\s+)?(?P<part>утр(?:ом|у|а|о)|обед(?:а|у)?|вечер(?:ом|у|а)?|конца\s+дня|концу\s+дня)(?!\w)",
    re.IGNORECASE,
)
_TIME_ANY = re.compile(
    r"(?<![\w:.])(?:(?P<prep>до|к|в|не\s+позднее|не\s+позже)\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2})|\s*(?P<pod>утра|вечера|часов|часа))(?![\d\w])",
    re.IGNORECASE,
)
_PARTS = {"утр": ("утро", time(10, 0)), "обед": ("обед", time(13, 0)), "вечер": ("вечер", time(18, 0))}


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression in a text: the real date, an optional time, and where it stands."""

    date: dt.date
    start: int
    end: int
    text: str
    marker: str = PLAIN  # DEADLINE / PLAIN / SINCE
    time: dt.time | None = None
    part_of_day: str | None = None  # "утро", "обед", "вечер" when said in words

    @property
    def weekday(self) -> str:
        return WEEKDAYS_RU[self.date.weekday()]

    def is_past(self, today: dt.date) -> bool:
        return self.date < today

    def iso(self) -> str:
        return self.date.isoformat()


def _lower(text: str) -> str:
    """Lower case with the same length, so spans found in it fit the original text."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("ё", "е")


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


def _resolve(m: re.Match[str], today: date) -> date | None:
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
        if name in _WEEKDAY_ABBR:
            index = _WEEKDAY_ABBR.index(name)
        else:
            index = next(i for i, stem in enumerate(_WEEKDAY_STEMS) if re.fullmatch(stem, name))
        return _weekday(index, g["wdq"], today)
    return None


def _marker(low: str, start: int) -> tuple[str, int]:
    """The marker before position `start` and where it begins (the span grows to include it)."""
    before = low[max(0, start - 24) : start]
    if _PAST_RE.search(before):
        return SINCE, start
    m = _MARKER_RE.search(before)
    if not m:
        return PLAIN, start
    word = re.sub(r"\s+", " ", m.group(1))
    kind = _MARKERS.get(word, PLAIN)
    if kind == PLAIN and re.search(r"(?:^|\s)(?:ещё|еще)\s+$", before[: m.start(1)]):
        kind = SINCE  # «оплата пришла ещё в пятницу»: a day in the past
    return kind, start - (len(before) - m.start(1))


def _time_after(low: str, end: int, after_date: bool) -> tuple[time | None, str | None, int]:
    """A time right after a date («завтра до 12», «до среды 17:00», «в четверг к 10», «утром»)."""
    m = _TIME_AFTER.match(low[end:])
    if m:
        hour, minute = int(m["h"]), int(m["m"] or 0)
        explicit = m["m"] is not None or m["unit"] or m["pod"]
        plausible = after_date and m["prep"] is not None and 7 <= hour <= 22
        if (explicit or plausible) and hour <= 23 and minute <= 59:
            if m["pod"] in ("дня", "вечера") and hour < 12:
                hour += 12
            return time(hour, minute), None, end + m.end()
    p = _PART_AFTER.match(low[end:])
    if p:
        word = p["part"]
        if word.startswith("конц"):
            return time(18, 0), "вечер", end + p.end()
        for stem, (name, moment) in _PARTS.items():
            if word.startswith(stem):
                return moment, name, end + p.end()
    return None, None, end


def find_dates(text: str, today: date) -> list[DateMatch]:
    """Every date expression in `text`, in order, with the marker before it and a time right after it."""
    low = _lower(text)
    found: list[DateMatch] = []
    for m in _CORE.finditer(low):
        g = m.groupdict()
        if g["wd"] and g["wdn"] in _WEEKDAY_ABBR and _marker(low, m.start())[0] == PLAIN and not g["wdq"]:
            # «ср», «вс» alone are too often something else; only «в пт», «до ср» count
            before = low[max(0, m.start() - 4) : m.start()]
            if not re.search(r"(?:^|\s)(?:в|во|до|к|ко)\s+$", before):
                continue
        resolved = _resolve(m, today)
        if resolved is None:
            continue
        marker, start = _marker(low, m.start())
        end = m.end()
        moment, part, end = _time_after(low, end, True)
        found.append(DateMatch(resolved, start, end, text[start:end], marker, moment, part))
    return _attach_loose_times(text, low, found, today)


def _attach_loose_times(text: str, low: str, found: list[DateMatch], today: date) -> list[DateMatch]:
    """Times written before the date («к 12:00 в пятницу») join it; a lone «до 17:00» means today."""
    taken = [(d.start, d.end) for d in found]
    result = list(found)
    for m in _TIME_ANY.finditer(low):
        if any(s <= m.start() < e for s, e in taken):
            continue
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if hour > 23 or minute > 59 or (m["m"] is None and m["pod"] in ("часов", "часа") and not m["prep"]):
            continue
        if m["pod"] in ("вечера",) and hour < 12:
            hour += 12
        moment = time(hour, minute)
        following = next((i for i, d in enumerate(result) if 0 <= d.start - m.end() <= 4 and d.time is None), None)
        if following is not None:
            d = result[following]
            marker = DEADLINE if m["prep"] and _MARKERS.get(re.sub(r"\s+", " ", m["prep"])) == DEADLINE else d.marker
            result[following] = replace(d, time=moment, start=m.start(), text=text[m.start() : d.end], marker=marker)
        elif m["prep"] and not result:
            marker = _MARKERS.get(re.sub(r"\s+", " ", m["prep"]), PLAIN)
            result.append(DateMatch(today, m.start(), m.end(), text[m.start() : m.end()], marker, moment))
    return sorted(result, key=lambda d: d.start)


def pick_deadline(matches: list[DateMatch], today: date) -> DateMatch | None:
    """The deadline among the dates: never a start or past date; «до …/к …» beats a plain mention; first wins."""
    usable = [d for d in matches if d.marker != SINCE and not d.is_past(today)]
    if not usable:
        return None
    marked = [d for d in usable if d.marker == DEADLINE]
    return (marked or usable)[0]


def find_deadline(text: str, today: date) -> DateMatch | None:
    return pick_deadline(find_dates(text, today), today)


def parse_date(text: str, today: date) -> DateMatch | None:
    """A whole argument: ISO («2026-11-27»), «27.11», or any Russian expression («до пятницы 12:00»)."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        # The date as written, even if it has passed: the caller tells the person so instead of «not understood».
        usable = [d for d in find_dates(stripped, today) if d.marker != SINCE]
        marked = [d for d in usable if d.marker == DEADLINE]
        return (marked or usable or [None])[0]
    has_time = "T" in stripped or " " in stripped
    return DateMatch(moment.date(), 0, len(stripped), stripped, DEADLINE, moment.time() if has_time else None)


def format_date(d: date, moment: time | None = None, part: str | None = None, *, with_year: bool = True) -> str:
    """«27 ноября 2026 (пятница), до 12:00» — always a real date and its weekday."""
    text = f"{d.day} {MONTHS_GEN[d.month - 1]}" + (f" {d.year}" if with_year else "") + f" ({WEEKDAYS_RU[d.weekday()]})"
    if moment is not None and part is None:
        text += f", до {moment:%H:%M}"
    elif part is not None:
        text += {"утро": ", к утру", "обед": ", к обеду", "вечер": ", до конца дня"}.get(part, "")
    return text
