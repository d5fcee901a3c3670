"""Short Russian dates and amounts for cards: «27 ноября», «26 марта 2025», «1 840 000 ₽»."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from bot.nlp.dates import MONTHS_GEN


def day(value: date | datetime | None, today: date, tz: tzinfo | None = None) -> str:
    """The day without the year when it is this year's; datetimes are shown in the company's time zone."""
    if value is None:
        return "без срока"
    if isinstance(value, datetime):
        value = (value.astimezone(tz) if tz else value).date()
    text = f"{value.day} {MONTHS_GEN[value.month - 1]}"
    return text if value.year == today.year else f"{text} {value.year}"


def money(amount: Decimal | float | None, currency: str = "RUB") -> str:
    if amount is None:
        return ""
    sign = {"RUB": "₽", "USD": "$", "EUR": "€"}.get(currency, currency)
    return f"{round(amount):,}".replace(",", " ") + f" {sign}"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
