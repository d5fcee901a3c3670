"""Who takes part in a task (issue 15): a person the request only tells about is no co-executor, an ambiguous short
name is settled by the department the request talks about, and a question back to the requester names the department
it is for. Own examples, written apart from any evaluation set."""

from __future__ import annotations

from datetime import date

from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract
from bot.services.tasks.vague import vague_question

TODAY = date(2026, 12, 2)


def _directory() -> Directory:
    return Directory(
        [
            ColleagueInfo("p1", "Осипова Дарья Львовна", "Бухгалтерия"),
            ColleagueInfo("p2", "Кулагин Евгений Сергеевич", "Отдел тестирования"),
            ColleagueInfo("p3", "Ларина Евгения Павловна", "Отдел кадров"),
            ColleagueInfo("p4", "Миронов Алексей Петрович", "Отдел продаж"),
            ColleagueInfo("p5", "Гусева Наталья Игоревна", "Отдел кадров"),
        ],
        [],
    )


def test_what_a_person_did_or_why_the_date_matters_makes_no_co_executor() -> None:
    past = extract(
        "Даша, проведите оплату счёта №88 до завтра, счёт Наталья Игоревна ещё в пятницу отправляла.",
        _directory(),
        TODAY,
    )
    assert past.assignee_id == "p1" and past.co_executor_ids == []
    reason = extract(
        "Даша, сверь расчёты с «Альтаиром» до среды, потому что в четверг Лёша к ним едет договор продлевать.",
        _directory(),
        TODAY,
    )
    assert reason.assignee_id == "p1" and reason.co_executor_ids == []
    helper = extract("Даша, сверь расчёты с «Альтаиром» до среды, Лёша даст переписку.", _directory(), TODAY)
    assert helper.co_executor_ids == ["p4"]  # a part in the work to come still makes one


def test_an_ambiguous_name_is_settled_by_the_department_the_request_talks_about() -> None:
    e = extract(
        "Даша, выгрузка в банк падает, как это прошло тестирование? Исправьте до 12:00, Женька пусть проверит.",
        _directory(),
        TODAY,
    )
    assert e.co_executor_ids == ["p2"]
    assert e.deliverable is not None and "Евгений Кулагин проверил" in e.deliverable
    unsettled = extract("Даша, сверь расчёты до среды, Женя поможет.", _directory(), TODAY)
    assert unsettled.co_executor_ids == []  # nothing tells which Женя: no guess


def test_a_bare_verb_takes_the_whole_verbless_sentence_before_it_in_the_accusative() -> None:
    e = extract("Даша, интеграция банка с 1С, выгрузка выписок каждые 30 минут. К среде сделать.", _directory(), TODAY)
    assert e.deliverable == "сделать интеграцию банка с 1С, выгрузка выписок каждые 30 минут"


def test_a_question_back_names_the_department_and_not_its_address_as_the_topic() -> None:
    e = extract("кто-нибудь из кадров, гляньте что там у нас с этим, опять вопросы", _directory(), TODAY)
    question = vague_question(e, _directory())
    assert question is not None
    assert "(исполнители — коллеги из отдела кадров)" in question
    assert "сделать из кадров" not in question and "вопросы" not in question


def test_when_is_not_what_in_a_question_back() -> None:
    e = extract("Даша, надо бы что-то с этим сделать, а то опять будет как в прошлый раз", _directory(), TODAY)
    question = vague_question(e, _directory())
    assert question is not None and "прошлый раз" not in question and "(в запросе: раз)" not in question
