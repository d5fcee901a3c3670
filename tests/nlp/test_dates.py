"""Russian date expressions → real dates, relative to a pinned «today» (Monday 23 November 2026)."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.nlp.dates import DEADLINE, SINCE, find_dates, find_deadline, format_date, parse_date, pick_deadline

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected", "moment"),
    [
        ("до пятницы 12:00", date(2026, 11, 27), time(12, 0)),
        ("в пн", date(2026, 11, 30), None),  # «в понедельник» said on a Monday is the next one
        ("к понедельнику", date(2026, 11, 30), None),
        ("к 25-му", date(2026, 11, 25), None),
        ("до 2-го числа", date(2026, 12, 2), None),  # a day already past this month → next month
        ("к 23-му", date(2026, 11, 23), None),
        ("25.11", date(2026, 11, 25), None),
        ("до 31.12.2026", date(2026, 12, 31), None),
        ("25 ноября", date(2026, 11, 25), None),
        ("к 1 декабря", date(2026, 12, 1), None),
        ("к 10 января", date(2027, 1, 10), None),  # far behind this year → next year
        ("завтра", date(2026, 11, 24), None),
        ("послезавтра", date(2026, 11, 25), None),
        ("послезавтра утром", date(2026, 11, 25), time(10, 0)),
        ("к завтрашнему утру", date(2026, 11, 24), time(10, 0)),
        ("через неделю", date(2026, 11, 30), None),
        ("через 3 дня", date(2026, 11, 26), None),
        ("через два дня", date(2026, 11, 25), None),
        ("через месяц", date(2026, 12, 23), None),
        ("до конца недели", date(2026, 11, 27), None),  # the working week ends on Friday
        ("до конца месяца", date(2026, 11, 30), None),
        ("к концу квартала", date(2026, 12, 31), None),
        ("на следующей неделе", date(2026, 12, 4), None),
        ("в следующую среду", date(2026, 12, 2), None),
        ("сегодня до 18:00", date(2026, 11, 23), time(18, 0)),
        ("сегодня же", date(2026, 11, 23), None),
        ("завтра до 12", date(2026, 11, 24), time(12, 0)),
        ("в четверг к 10", date(2026, 11, 26), time(10, 0)),
        ("к 12:00 в пятницу", date(2026, 11, 27), time(12, 0)),
        ("до 17:00", date(2026, 11, 23), time(17, 0)),
        ("2026-12-01", date(2026, 12, 1), None),
    ],
)
def test_expressions_become_real_dates(text: str, expected: date, moment: time | None) -> None:
    found = find_deadline(text, TODAY)
    assert found is not None, text
    assert (found.date, found.time) == (expected, moment)


def test_the_span_is_returned_so_the_caller_can_cut_it_out() -> None:
    text = "Мельникову: завтра до 12 план отгрузок"
    found = find_deadline(text, TODAY)
    assert found is not None
    assert text[found.start : found.end] == found.text == "завтра до 12"


def test_a_deadline_marker_beats_a_plain_date_and_the_past_is_never_a_deadline() -> None:
    text = "Клиенту двери нужны 10 декабря к 9 утра, а в плане 11-е. План поправить до 3 декабря"
    dates = find_dates(text, TODAY)
    assert [d.date.day for d in dates] == [10, 11, 3]
    assert dates[0].time == time(9, 0)
    chosen = pick_deadline(dates, TODAY)
    assert chosen is not None and chosen.date == date(2026, 12, 3) and chosen.marker == DEADLINE

    since = find_dates("договор висит с 19-го, нужен до завтра", TODAY)
    assert since[0].marker == SINCE
    assert pick_deadline(since, TODAY).date == date(2026, 11, 24)  # type: ignore[union-attr]

    paid = find_dates("оплата пришла ещё в пятницу", TODAY)
    assert paid[0].marker == SINCE and pick_deadline(paid, TODAY) is None
    assert find_deadline("как в прошлую пятницу", TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "окно приёмки 8–16",
        "разгрузка только с 10 до 16",
        "график на декабрь",
        "не как в июле",
        "аналитика за 2026",
        "2.5 тонны",
        "цена 8.50",
        "3 этажа, 10 штук",
        "в четверг 3 машины",
    ],
)
def test_numbers_and_months_that_are_not_deadlines(text: str) -> None:
    found = find_deadline(text, TODAY)
    assert found is None or (found.time is None and found.date.weekday() == 3)  # «в четверг 3 машины»: no 03:00


def test_parse_date_reads_an_argument() -> None:
    assert parse_date("2026-11-27", TODAY).date == date(2026, 11, 27)  # type: ignore[union-attr]
    assert parse_date("27.11", TODAY).date == date(2026, 11, 27)  # type: ignore[union-attr]
    assert parse_date("до пятницы 12:00", TODAY).time == time(12, 0)  # type: ignore[union-attr]
    assert parse_date("когда-нибудь", TODAY) is None
    assert parse_date("", TODAY) is None


def test_format_names_the_weekday_and_time() -> None:
    assert format_date(date(2026, 11, 27), time(12, 0)) == "27 ноября 2026 (пятница), до 12:00"
    assert format_date(date(2026, 11, 24), part="утро", with_year=False) == "24 ноября (вторник), к утру"


def test_a_part_of_the_day_alone_and_at_once_mean_today() -> None:
    from datetime import date, time

    from bot.nlp.dates import find_deadline

    today = date(2026, 12, 8)
    lunch = find_deadline("ДОДЕЛАЙ к обеду и передай в бухгалтерию", today)
    assert lunch is not None and lunch.date == today and lunch.time == time(13, 0)
    now = find_deadline("Прямо сейчас отправь им ТТН", today)
    assert now is not None and now.date == today
    shift = find_deadline("ДОДЕЛАЙ до конца смены", today)
    assert shift is not None and shift.date == today
    later = find_deadline("к обеду в пятницу", today)
    assert later is not None and later.date == date(2026, 12, 11)
