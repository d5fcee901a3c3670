"""Which date is the task's deadline (issue 15): a weekday said on that weekday, «сегодня», a date after a weekday,
a time kept with its date, and dates of other events or of the requester's own promise left out. Own examples."""

from __future__ import annotations

from datetime import date, time

from bot.services.tasks.deadline import choose
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract

THURSDAY = date(2026, 12, 3)


def test_a_weekday_said_on_that_weekday_is_today_and_flagged() -> None:
    found = choose("Согласуй макет в четверг до 18:00.", THURSDAY)
    assert found is not None
    assert found.match.date == THURSDAY and found.match.time == time(18, 0)
    assert found.same_weekday == "четверг"


def test_until_a_weekday_said_on_that_weekday_is_a_week_ahead_and_flagged() -> None:
    found = choose("Подготовь отчёт до четверга.", THURSDAY)
    assert found is not None
    assert found.match.date == date(2026, 12, 10) and found.same_weekday == "четверг"


def test_today_is_today() -> None:
    found = choose("Отправь счёт сегодня.", THURSDAY)
    assert found is not None and found.match.date == THURSDAY and found.same_weekday is None


def test_a_date_after_a_weekday_is_not_read_as_a_time() -> None:
    found = choose("Прошу отгрузить 3 паллеты в понедельник, 7.12.", THURSDAY)
    assert found is not None
    assert found.match.date == date(2026, 12, 7) and found.match.time is None


def test_a_time_with_a_date_is_kept() -> None:
    found = choose("Пришли смету до завтра 15:00.", THURSDAY)
    assert found is not None
    assert (found.match.date, found.match.time) == (date(2026, 12, 4), time(15, 0))


def test_a_reply_by_time_is_not_the_deadline_of_the_work() -> None:
    text = "Прошу смонтировать стенд на выставке в среду, 9.12. Подтвердите, пожалуйста, до завтра 12:00."
    found = choose(text, THURSDAY)
    assert found is not None and found.match.date == date(2026, 12, 9)


def test_another_events_time_and_the_requesters_promise_are_left_out() -> None:
    text = "У клиента завтра в 10:00 презентация. Проверь проектор сегодня до вечера. Кабели привезу до обеда."
    found = choose(text, THURSDAY)
    assert found is not None and found.match.date == THURSDAY and found.match.part_of_day == "вечер"


def test_a_weekday_with_a_past_verb_is_the_past() -> None:
    found = choose("Я в понедельник просил прайс. Пришли его сегодня к 16:00.", THURSDAY)
    assert found is not None and (found.match.date, found.match.time) == (THURSDAY, time(16, 0))


def test_the_extraction_carries_the_same_weekday_flag() -> None:
    directory = Directory([ColleagueInfo("c1", "Носова Алла Петровна", "Бухгалтерия")], [])
    e = extract("Алла, оплати счёт поставщика в четверг.", directory, THURSDAY)
    assert e.deadline == THURSDAY and e.same_weekday == "четверг"


def test_the_requester_is_told_which_weekday_was_meant() -> None:
    from bot.services.tasks.drafting import _notes

    directory = Directory([ColleagueInfo("c1", "Носова Алла Петровна", "Бухгалтерия")], [])
    today = _notes(None, extract("Алла, оплати счёт поставщика в четверг.", directory, THURSDAY))
    ahead = _notes(None, extract("Алла, оплати счёт поставщика до четверга.", directory, THURSDAY))
    assert any("3 декабря" in n and "следующий четверг" in n for n in today)
    assert any("10 декабря" in n and "сегодняшний четверг" in n for n in ahead)


def test_a_first_person_threat_beside_the_date_does_not_hide_the_deadline() -> None:
    found = choose("Отчёт по кассе до конца месяца, иначе я сама пойду к директору.", THURSDAY)
    assert found is not None and found.match.date == date(2026, 12, 31)


def test_a_state_that_must_hold_from_a_date_makes_that_date_the_deadline() -> None:
    found = choose(
        "Заведи в кассу новый тариф «Семейный», цена 900 р. Со вторника должен быть в меню.", date(2026, 12, 2)
    )
    assert found is not None and found.match.date == date(2026, 12, 8)
    assert choose("Отчёт висит с 19-го, а ответа нет.", date(2026, 12, 2)) is None  # how long it lasted: no deadline
