"""Reading the values real exports contain: dates in ISO or Russian order, amounts like «1 200 000,50 ₽»,
«да»/«нет», comma-separated lists.

Each parser takes what a CRM, Excel or a person would write and returns a typed value, or raises ValueError with a
Russian message that says what was expected (it ends up in the import report next to the file and line).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation

_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
# Currency marks seen in Russian exports → ISO code; the amount's own mark wins over nothing, never over a column.
_CURRENCY_MARKS = {
    "₽": "RUB", "руб": "RUB", "руб.": "RUB", "р.": "RUB", "р": "RUB", "rub": "RUB", "rur": "RUB",
    "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "¥": "CNY", "cny": "CNY", "юань": "CNY", "₸": "KZT",
    "kzt": "KZT", "тг": "KZT", "br": "BYN", "byn": "BYN",
}  # fmt: skip
_CURRENCY_RE = re.compile(
    r"(₽|руб\.?|р\.?|rub|rur|\$|usd|€|eur|¥|cny|юань|₸|kzt|тг|byn|br)\s*$|^\s*(\$|€|₽|¥|₸)", re.IGNORECASE
)
_TRUE = {"true", "1", "yes", "y", "да", "д", "+", "истина", "выполнено", "выполнена", "готово", "done"}
_FALSE = {"false", "0", "no", "n", "нет", "н", "-", "ложь", "не выполнено", "не выполнена", ""}

DATE_HINT = "ожидается дата, например 2026-11-20 или 20.11.2026"
MOMENT_HINT = "ожидается дата и время, например 2026-11-20T10:00:00+03:00, 2026-11-20 10:00 или 20.11.2026"


def _day_first(text: str) -> tuple[date, time | None] | None:
    m = _DAY_FIRST.match(text)
    if not m:
        return None
    day, month, year, hh, mm, ss = m.groups()
    when = date(int(year), int(month), int(day))
    return when, (time(int(hh), int(mm), int(ss or 0)) if hh is not None else None)


def parse_moment(value: object, tz: tzinfo) -> datetime:
    """A moment: ISO 8601 with or without a time or an offset, or «20.11.2026 10:00». No offset → `tz`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tz)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(MOMENT_HINT)
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        try:
            parsed = _day_first(text)
        except ValueError as exc:  # 31.02.2026: looks like a date, is not one
            raise ValueError(f"такой даты нет: «{text}»") from exc
        if parsed is None:
            raise ValueError(f"не понял дату «{text}»: {MOMENT_HINT}") from None
        moment = datetime.combine(parsed[0], parsed[1] or time(0, 0))
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def parse_day(value: object) -> date:
    """A calendar date: ISO («2026-11-20», also with a time) or Russian order («20.11.2026»)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(DATE_HINT)
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        parsed = _day_first(text)
    except ValueError as exc:
        raise ValueError(f"такой даты нет: «{text}»") from exc
    if parsed is None:
        raise ValueError(f"не понял дату «{text}»: {DATE_HINT}")
    return parsed[0]


def parse_amount(value: object) -> tuple[Decimal, str | None]:
    """(amount, currency code when the text carried a mark): 150000, "1 200 000,50 ₽", "$1,200.50", "1.200,50"."""
    if isinstance(value, bool):
        raise ValueError("ожидается сумма, например 1 200 000,50")
    if isinstance(value, int | Decimal):
        return Decimal(value), None
    if isinstance(value, float):
        return Decimal(repr(value)), None
    if not isinstance(value, str):
        raise ValueError("ожидается сумма, например 1 200 000,50")
    text = value.strip()
    currency = None
    mark = _CURRENCY_RE.search(text)
    if mark:
        currency = _CURRENCY_MARKS.get((mark.group(1) or mark.group(2)).lower())
        text = (text[: mark.start()] + text[mark.end() :]).strip()
    digits = _SPACES.sub("", text)
    if "," in digits and "." in digits:  # the last separator is the decimal one: 1.200,50 or 1,200.50
        thousands = "." if digits.rfind(",") > digits.rfind(".") else ","
        digits = digits.replace(thousands, "")
    elif digits.count(",") > 1:  # 1,200,000
        digits = digits.replace(",", "")
    elif digits.count(".") > 1:  # 1.200.000
        digits = digits.replace(".", "")
    digits = digits.replace(",", ".")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"не понял сумму «{value}»: ожидается число, например 1 200 000,50 ₽") from None
    if not amount.is_finite():
        raise ValueError(f"не понял сумму «{value}»")
    return amount, currency


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    raise ValueError(f"ожидается да/нет (true/false), а не «{value}»")


def parse_done(value: object) -> tuple[bool, date | None]:
    """A task's `done`: a yes/no, or the date it was done (which means yes)."""
    if value is None:
        return False, None
    if isinstance(value, bool | int):
        return parse_bool(value), None
    if isinstance(value, date):
        return True, value if not isinstance(value, datetime) else value.date()
    try:
        return parse_bool(value), None
    except ValueError:
        pass
    try:
        return True, parse_day(value)
    except ValueError:
        raise ValueError(f"ожидается true/false или дата выполнения, а не «{value}»") from None


def split_list(value: object) -> list[str]:
    """A list written in one cell: «e1, e2», «e1;e2» — or already a list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[,;]", str(value)) if part.strip()]
