"""The values real exports contain, read into typed values (or refused with a message that says what is expected)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from storage.import_values import parse_amount, parse_bool, parse_day, parse_done, parse_moment, split_list

MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T10:00:00+03:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("2026-11-20T07:00:00Z", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("2026-11-20T10:00:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),  # no offset: the company's zone
        ("2026-11-20 10:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("2026-11-20", datetime(2026, 11, 19, 21, 0, tzinfo=UTC)),  # a date only: its midnight there
        ("20.11.2026 10:00:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),  # amoCRM / Bitrix24 order
        ("20-11-2026 10:00:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("20.11.2026", datetime(2026, 11, 19, 21, 0, tzinfo=UTC)),
    ],
)
def test_moments_with_or_without_time_and_offset(text: str, expected: datetime) -> None:
    assert parse_moment(text, MSK) == expected


def test_a_moment_from_another_zone_keeps_its_own_offset() -> None:
    assert parse_moment("2026-11-20T10:00:00+07:00", MSK) == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert parse_moment("2026-11-20 10:00", ZoneInfo("Asia/Novosibirsk")) == datetime(2026, 11, 20, 3, tzinfo=UTC)


@pytest.mark.parametrize("text", ["20/13/2026", "вчера", "31.02.2026", "2026-11-20T9:00", ""])
def test_malformed_moments_are_refused_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match="дат"):
        parse_moment(text, MSK)


def test_days() -> None:
    assert parse_day("2026-11-24") == date(2026, 11, 24)
    assert parse_day("24.11.2026") == date(2026, 11, 24)
    assert parse_day("2026-11-24T18:00:00+03:00") == date(2026, 11, 24)
    assert parse_day(datetime(2026, 11, 24, 9, 0)) == date(2026, 11, 24)
    with pytest.raises(ValueError, match="не понял дату"):
        parse_day("24 ноября")


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        (150000, Decimal(150000), None),
        (1200.5, Decimal("1200.5"), None),
        ("1 200 000,50 ₽", Decimal("1200000.50"), "RUB"),
        ("1\u00a0200\u00a0000,50 руб.", Decimal("1200000.50"), "RUB"),
        ("$1,200.50", Decimal("1200.50"), "USD"),
        ("1.200,50 €", Decimal("1200.50"), "EUR"),
        ("1,200,000", Decimal("1200000"), None),
        ("85 500,50", Decimal("85500.50"), None),
        ("540000.00", Decimal("540000.00"), None),
    ],
)
def test_amounts_as_numbers_or_text(text: object, amount: Decimal, currency: str | None) -> None:
    assert parse_amount(text) == (amount, currency)


@pytest.mark.parametrize("text", ["много", "1 200 000,50 ?", "12-50", "nan"])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="сумм"):
        parse_amount(text)


def test_done_as_yes_no_or_the_date_it_was_done() -> None:
    assert parse_done(True) == (True, None)
    assert parse_done("false") == (False, None)
    assert parse_done("да") == (True, None)
    assert parse_done("2026-11-02") == (True, date(2026, 11, 2))
    assert parse_done("02.11.2026") == (True, date(2026, 11, 2))
    with pytest.raises(ValueError, match="дата выполнения"):
        parse_done("когда-нибудь")


def test_bools_and_lists() -> None:
    assert parse_bool("Нет") is False and parse_bool("1") is True
    with pytest.raises(ValueError):
        parse_bool("может быть")
    assert split_list("e1, e2;e3") == ["e1", "e2", "e3"]
    assert split_list(["e1", " "]) == ["e1"]
