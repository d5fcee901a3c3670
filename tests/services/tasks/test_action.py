"""The main action read with natasha's syntax tree (issue 15): a pronoun object takes the noun it stands for, an
action joined by «и заодно» keeps its object, and several requested actions are all kept, numbered in order.
The requests here are the tests' own, not the evaluation set's."""

from __future__ import annotations

from datetime import date

from bot.services.tasks.action import antecedent, numbered, resolve_pronoun_object
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract

TODAY = date(2026, 12, 2)


def _directory() -> Directory:
    return Directory([ColleagueInfo("p1", "Зуев Пётр Олегович", "Метрологическая служба")], [])


def test_a_pronoun_object_becomes_the_noun_it_stands_for() -> None:
    text = "Пётр, манометры МП-100 на линии 3 давно не поверялись. Отвези их в лабораторию до пятницы."
    e = extract(text, _directory(), TODAY)
    assert e.deliverable is not None
    assert "манометры МП-100 на линии 3" in e.deliverable
    assert " их " not in f" {e.deliverable} "


def test_a_person_is_not_guessed_for_a_pronoun() -> None:
    text = "Коля из бухгалтерии в курсе. Держи его в копии."
    assert antecedent(text, text.index("Держи"), plural=False) is None
    assert resolve_pronoun_object("держать его в копии", text, text.index("Держи")) == "держать его в копии"


def test_an_action_after_and_also_keeps_its_object_and_both_actions_are_numbered() -> None:
    text = "Пётр, проверь весы ВК-600 сегодня, и заодно закажи новые гири до пятницы."
    e = extract(text, _directory(), TODAY)
    assert e.deliverable is not None
    assert e.deliverable.startswith("1) проверить весы ВК-600")
    assert "2) заказать новые гири" in e.deliverable
    assert "и заодно" not in e.deliverable


def test_a_clause_answering_a_condition_is_not_another_action() -> None:
    text = "Пётр, прошу откалибровать штангенциркули ШЦ-1 до 10 декабря. Если не успеваете, дайте знать."
    e = extract(text, _directory(), TODAY)
    assert e.deliverable is not None
    assert "1)" not in e.deliverable and "откалибровать штангенциркули ШЦ-1" in e.deliverable


def test_numbered_keeps_one_action_plain_and_drops_repeats() -> None:
    assert numbered(["сделать акт"]) == "сделать акт"
    assert numbered(["сделать акт", "сделать акт", "прислать фото"]) == "1) сделать акт; 2) прислать фото"
