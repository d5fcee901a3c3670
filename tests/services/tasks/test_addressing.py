"""A department addressed without a named person (issue 15): matched against the directory's own free-text names by
abbreviation, initials and word stems, greeted by that name in the genitive, never another department's name.
Own examples."""

from __future__ import annotations

from datetime import date

from bot.services.tasks.addressing import addressed_department, from_department, match_department
from bot.services.tasks.answers import resolve_assignee
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract
from bot.services.tasks.templates import BriefContext, compose

TODAY = date(2026, 12, 2)

DEPARTMENTS = [
    "Служба главного метролога (СГМ)",
    "Административно-хозяйственная служба",
    "Отдел закупок",
    "Колл-центр",
    "Служба информационной безопасности",
    "Финансово-бухгалтерская служба",
    "Бухгалтерия",
]


def test_abbreviations_initials_and_stems_find_the_directory_department() -> None:
    assert match_department("СГМ", DEPARTMENTS) == "Служба главного метролога (СГМ)"
    assert match_department("АХО", DEPARTMENTS) == "Административно-хозяйственная служба"
    assert match_department("закупщикам", DEPARTMENTS) is None  # «закупщ» shares too little with «закупок»
    assert match_department("безопасникам", DEPARTMENTS) == "Служба информационной безопасности"
    assert match_department("колл-центр", DEPARTMENTS) == "Колл-центр"
    assert match_department("Бухгалтерия", DEPARTMENTS) == "Бухгалтерия"
    assert match_department("ПТО", DEPARTMENTS) is None  # no such department: nothing is guessed


def test_the_department_is_named_in_the_genitive() -> None:
    assert from_department("Служба главного метролога (СГМ)") == "из службы главного метролога (СГМ)"
    assert from_department("Колл-центр") == "из колл-центра"
    assert from_department("Административно-хозяйственная служба") == "из административно-хозяйственной службы"
    assert from_department("Склад готовой продукции") == "со склада готовой продукции"  # a site: «с», not «из»
    assert from_department("Производство") == "с производства"


def test_an_address_before_a_dash_is_cut_from_the_task() -> None:
    directory = Directory([ColleagueInfo("s1", "Уткин Лев Ильич", "Склад готовой продукции")], [])
    e = extract("Кто-нибудь со склада — к 15:00 соберите 12 коробок по заказу Z-17 для «Ромашки».", directory, TODAY)
    assert e.department == "Склад готовой продукции"
    assert e.deliverable is not None and "склад" not in e.deliverable and "12 коробок" in e.deliverable


def _directory() -> Directory:
    people = [ColleagueInfo(f"c{i}", f"Петров{i} Иван Ильич", d) for i, d in enumerate(DEPARTMENTS)]
    return Directory(people, [])


def test_a_request_to_a_department_is_greeted_by_the_directorys_name() -> None:
    text = "СГМ, откалибруйте микрометры МК-25 до 10 декабря."
    directory = _directory()
    assert addressed_department(text, [c.department for c in directory.colleagues.values()]) == DEPARTMENTS[0]
    e = extract(text, directory, date(2026, 12, 2))
    assert e.department == DEPARTMENTS[0] and e.assignee_id is None
    ctx = BriefContext(e, None, e.department, None, None, [], [], today=date(2026, 12, 2))
    brief = compose(ctx)
    assert brief.startswith("Здравствуйте, коллеги из службы главного метролога (СГМ)!")
    assert "производство" not in brief and "СГМ," not in brief.split("\n", 1)[1]


def test_the_to_argument_names_the_directorys_department() -> None:
    assert resolve_assignee("АХО", _directory()) == ([], "Административно-хозяйственная служба")
