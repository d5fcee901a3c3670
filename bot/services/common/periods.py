"""Reporting periods typed by people: `week`, `month`, `30d`, `2026-11-01..2026-11-23`, a single date.

Days are whole calendar days in the company's time zone; the end day is included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

MAX_DAYS = 366 * 3
PERIOD_HELP = (
    "Период можно указать так: week (7 дней), month (текущий месяц), 30d (последние N дней), "
    "2026-11-01..2026-11-23 (даты включительно) или одна дата 2026-11-23."
)
_DAYS_RE = re.compile(r"^(\d{1,4})\s*(?:d|д|дн|дней|дня|день)$")
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|—|–|\s-\s)\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """The text is not a period; the message explains the accepted forms."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date  # first day, included
    end: date  # last day, included

    @property
    def label(self) -> str:
        if self.start == self.end:
            return self.start.strftime("%d.%m.%Y")
        return f"{self.start:%d.%m.%Y} — {self.end:%d.%m.%Y}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) as aware UTC datetimes: midnight of the first day to midnight after the last."""
        start = datetime.combine(self.start, time(0), tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tz).astimezone(UTC)
        return start, end


def last_days(today: date, days: int) -> Period:
    return Period(today - timedelta(days=days - 1), today)


def previous_week(today: date) -> Period:
    """Monday to Sunday of the week before the one `today` is in (the weekly digest)."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"Не понял дату «{text}». {PERIOD_HELP}") from None


def parse_period(text: str | None, today: date, default: str = "30d") -> Period:
    raw = (text or "").strip().lower() or default
    if raw in ("week", "неделя", "7d"):
        return last_days(today, 7)
    if raw in ("month", "месяц"):
        return Period(today.replace(day=1), today)
    if raw in ("today", "сегодня"):
        return Period(today, today)
    if m := _DAYS_RE.match(raw):
        days = int(m.group(1))
        if not 1 <= days <= MAX_DAYS:
            raise PeriodError(f"Число дней должно быть от 1 до {MAX_DAYS}. {PERIOD_HELP}")
        return last_days(today, days)
    if m := _RANGE_RE.match(raw):
        start, end = _date(m.group(1)), _date(m.group(2))
        if start > end:
            raise PeriodError("Начало периода позже его конца — поменяйте даты местами, пожалуйста.")
        if (end - start).days >= MAX_DAYS:
            raise PeriodError("Период слишком длинный — не больше трёх лет, пожалуйста.")
        return Period(start, end)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        day = _date(raw)
        return Period(day, day)
    raise PeriodError(f"Не понял период «{text}». {PERIOD_HELP}")
