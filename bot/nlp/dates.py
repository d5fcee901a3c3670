"""Russian date and time expressions → a real date (and a time of day when one is named), relative to "today".

Staff write deadlines the way they speak: «до пятницы 12:00», «к 25-му», «послезавтра утром», «через 3 дня»,
«до конца месяца», «25.11», «к 1 декабря». `find_dates` returns every expression with its span (so callers can
cut it out of the text), `pick_deadline` chooses the one that is the deadline, and `parse_date` reads a whole
argument such as `--deadline`. "Today" is always passed in (the company's time zone, pinned in tests).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from bot.nlp.date_rules import CORE, PART_AFTER, PARTS, TIME_AFTER, TIME_ANY, WEEKDAY_ABBR, resolve

WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
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
    m = TIME_AFTER.match(low[end:])
    if m:
        hour, minute = int(m["h"]), int(m["m"] or 0)
        explicit = m["m"] is not None or m["unit"] or m["pod"]
        plausible = after_date and m["prep"] is not None and 7 <= hour <= 22
        if (explicit or plausible) and hour <= 23 and minute <= 59:
            if m["pod"] in ("дня", "вечера") and hour < 12:
                hour += 12
            return time(hour, minute), None, end + m.end()
    p = PART_AFTER.match(low[end:])
    if p:
        word = p["part"]
        if word.startswith("конц"):
            return time(18, 0), "вечер", end + p.end()
        for stem, (name, moment) in PARTS.items():
            if word.startswith(stem):
                return moment, name, end + p.end()
    return None, None, end


def find_dates(text: str, today: date) -> list[DateMatch]:
    """Every date expression in `text`, in order, with the marker before it and a time right after it."""
    low = _lower(text)
    found: list[DateMatch] = []
    for m in CORE.finditer(low):
        g = m.groupdict()
        if g["wd"] and g["wdn"] in WEEKDAY_ABBR and _marker(low, m.start())[0] == PLAIN and not g["wdq"]:
            # «ср», «вс» alone are too often something else; only «в пт», «до ср» count
            before = low[max(0, m.start() - 4) : m.start()]
            if not re.search(r"(?:^|\s)(?:в|во|до|к|ко)\s+$", before):
                continue
        resolved = resolve(m, today)
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
    for m in TIME_ANY.finditer(low):
        if any(s <= m.start() < e for s, e in taken):
            continue
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if hour > 23 or minute > 59 or (m["m"] is None and m["pod"] in ("часов", "часа") and not m["prep"]):
            continue
        if _RANGE_START.search(low[: m.start()]) or _RANGE_END.match(low[m.end() :]):
            continue  # «результаты с 8:00 до 11:00 перепроверить»: a span of the day, not the deadline
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
    if not result:  # «ДОДЕЛАЙ к обеду», «прямо сейчас отправь»: today, at that part of the day or at once
        if (p := _LOOSE_PART.search(low)) is not None:
            part, moment = next(v for k, v in PARTS.items() if p["part"].startswith(k))
            result.append(DateMatch(today, p.start(), p.end(), text[p.start() : p.end()], DEADLINE, moment, part))
        elif (n := _AT_ONCE.search(low)) is not None:
            result.append(DateMatch(today, n.start(), n.end(), text[n.start() : n.end()], DEADLINE))
    return sorted(result, key=lambda d: d.start)


_RANGE_START = re.compile(r"(?<![\w-])с\s+\d{1,2}(?:[:.]\d{2})?\s*$")
_RANGE_END = re.compile(r"\s*(?:до|-|–|—)\s*\d{1,2}[:.]\d{2}")
_LOOSE_PART = re.compile(r"(?<![\w-])(?:к|до)\s+(?P<part>обеду|обеда|вечеру|вечера|утру)(?![\w-])")
_AT_ONCE = re.compile(
    r"(?<![\w-])(?:прямо\s+сейчас|немедленно|сию\s+минуту|сейчас\s+же|(?:до|к)\s+конц[ау]\s+(?:смены|рабочего\s+дня))(?![\w-])"
)


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
        chosen = marked or usable
        return chosen[0] if chosen else None
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
