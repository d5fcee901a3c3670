"""Reading a request the rules were not written from (issue 15): informal names and «из <отдела>» against a
free-text directory, the reason said as an impact (never a tautology), and a too-vague request answered with one
question. The directory here is built in memory with departments as free text, as companies write them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.nlp.names import DIMINUTIVES, _load_short_names
from bot.services.tasks.blind_eval import read_half
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract
from bot.services.tasks.impact import find_impact
from bot.services.tasks.vague import vague_question

TODAY = date(2026, 12, 2)


def _directory() -> Directory:
    people = [
        ColleagueInfo("p1", "Коротков Владимир Сергеевич", "Механообрабатывающий цех №2"),
        ColleagueInfo("p2", "Лыков Александр Петрович", "Отдел снабжения"),
        ColleagueInfo("p3", "Гребнев Николай Петрович", "Конструкторское бюро"),
        ColleagueInfo("p4", "Воронцов Владимир Игоревич", "Отдел разработки (IT)"),
        ColleagueInfo("p5", "Соловьёв Дмитрий Андреевич", "Служба логистики"),
        ColleagueInfo("p6", "Мельникова Ирина Викторовна", "Служба качества (ОТК)"),
    ]
    return Directory(people, [])


def test_diminutives_and_slang_forms_find_the_colleague() -> None:
    directory = _directory()
    said_forms = (("Вован", ["p1", "p4"]), ("Санёк", ["p2"]), ("Саня", ["p2"]), ("Ира", ["p6"]), ("Ирка", ["p6"]))
    for said, wanted in said_forms:
        assert sorted(p.key for p in directory.people.lookup(said)) == wanted, said


def test_the_department_after_an_ambiguous_name_settles_the_assignee() -> None:
    for request in (
        "Вован (который из разработки), привет. Подними стенд для демо до пятницы.",
        "Вован, который из разработки, подними стенд для демо до пятницы.",
    ):
        e = extract(request, _directory(), TODAY)
        assert e.assignee_id == "p4" and not e.candidates, request
    e = extract("Вован, подними стенд для демо до пятницы.", _directory(), TODAY)
    assert e.assignee_id is None and sorted(e.candidates) == ["p1", "p4"]


def test_short_names_are_data_an_admin_extends(tmp_path: Path) -> None:
    lexicon = tmp_path / "short_names.yaml"
    lexicon.write_text("short_names:\n  григорий: [гоша, Гриня]\n", encoding="utf-8")
    assert _load_short_names(lexicon) == {"гоша": {"григорий"}, "гриня": {"григорий"}}
    assert DIMINUTIVES["вован"] == {"владимир"} and DIMINUTIVES["санек"] == {"александр"}
    assert DIMINUTIVES["женя"] == {"евгений", "евгения"}  # a short form shared by two full names keeps both


def test_co_executors_by_informal_name_and_by_department() -> None:
    e = extract(
        "Сергей Петрович, до вторника выдать тестовые учётки и вместе с Вованом из разработки решить, какие стенды "
        "можно трогать. Ира поможет с протоколами.",
        _directory(),
        TODAY,
    )
    # «Вован» alone is two people; «из разработки» picks the developer; «Ира» needs no cue word.
    assert e.co_executor_ids == ["p4", "p6"]


def test_a_person_the_task_is_about_is_not_a_co_executor() -> None:
    e = extract("Ире: до пятницы подготовить доверенность на Лыкова", _directory(), TODAY)
    assert e.assignee_id == "p6" and e.co_executor_ids == []


def test_the_impact_comes_from_the_request_and_emotion_becomes_a_fact() -> None:
    assert find_impact("Фланцы переделать до пятницы. Иначе клиент уйдёт к китайцам.") == ["есть риск потерять клиента"]
    assert find_impact("Протоколы нужны до среды, клиент без них приёмку не подписывает.") == [
        "клиент без этого приёмку не подписывает"
    ]
    assert find_impact("ППР нужен к вторнику, иначе Ростехнадзор не даст начать.") == [
        "если не успеть, Ростехнадзор не даст начать"
    ]
    assert find_impact("Они там злые, счёт оплатить сегодня") == []  # no client named: nothing assumed
    assert find_impact("Счёт оплатить сегодня, клиенты злые") == ["клиент недоволен"]
    assert find_impact("Счёт оплатить сегодня.") == []


def test_a_too_vague_request_gets_one_question_not_a_brief() -> None:
    directory = _directory()
    e = extract("Диме передай, пусть посмотрит, что там с машиной на Казань", directory, TODAY)
    e.assignee_id = "p5"
    question = vague_question(e, directory)
    assert question is not None and question.count("?") == 1
    assert "Казань" in question and "посмотрит" not in question
    concrete = extract("Дима, до пятницы подтверди отгрузку 18 паллет на Казань", directory, TODAY)
    assert vague_question(concrete, directory) is None


def test_the_blind_runner_reads_only_the_requested_half(tmp_path: Path) -> None:
    rows = [json.dumps({"id": f"x{n:02d}", "request": "r", "today": "2026-12-01"}) for n in (1, 3)]
    # An even line that is not even valid JSON: reading the tuning half must not parse it.
    (tmp_path / "writer_x.jsonl").write_text("\n".join([rows[0], '{"id": "x02", broken', rows[1]]), encoding="utf-8")
    assert [r["id"] for r in read_half(tmp_path, "tune")["writer_x"]] == ["x01", "x03"]
    with pytest.raises(json.JSONDecodeError):
        read_half(tmp_path, "report")
