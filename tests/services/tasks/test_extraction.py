"""From a curt request to the task's facts: assignee, department, deadline, client, deliverable, co-executors —
and only the missing ones are asked for."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from bot.app import App
from bot.services.tasks.answers import apply_answer, resolve_assignee, resolve_client
from bot.services.tasks.directory import Directory
from bot.services.tasks.extraction import extract
from tests.services.tasks.support import TODAY, demo_app, directory_of


@pytest.fixture
async def directory(tmp_path: Path) -> Directory:
    app: App = await demo_app(tmp_path)
    try:
        return await directory_of(app)
    finally:
        await app.close()


async def test_a_curt_request_to_a_department(directory: Directory) -> None:
    e = extract("опять логистика тормозит, пусть до пятницы подтвердят отгрузку для Стройдома", directory, TODAY)
    assert (e.assignee_id, e.department, e.deadline, e.client_id) == (None, "logistics", date(2026, 11, 27), "cl01")
    assert e.deliverable == "подтвердить отгрузку для «Стройдома»"
    assert e.missing == []


async def test_a_person_by_surname_with_time_and_the_facts_beside_the_request(directory: Directory) -> None:
    e = extract(
        "Сергей, вы там вообще заявки читаете? Ривьере двери нужны 10 декабря к 9 утра, а у вас в плане 11-е. "
        "План поправить до 3 декабря",
        directory,
        TODAY,
    )
    assert e.assignee_id == "c02" and e.client_id == "cl14" and e.deadline == date(2026, 12, 3)
    assert e.deliverable == "поправить план"
    assert any("10 декабря" in d for d in e.details)
    assert not any("читаете" in d for d in e.details)


async def test_a_deadline_time_and_a_pronoun_turned_into_the_client(directory: Directory) -> None:
    e = extract(
        "Анна, ну хоть в этот раз не проспите: подтверждение отгрузки для Кедра отправьте им до среды 17:00",
        directory,
        TODAY,
    )
    assert e.assignee_id == "c03" and e.deadline_time == time(17, 0)
    assert e.deliverable == "отправить клиенту подтверждение отгрузки для «Кедра»"


async def test_clients_by_contact_person_and_project(directory: Directory) -> None:
    assert extract("Кузнецову: эскизы отделки для Горелова к 1 декабря", directory, TODAY).client_id == "cl05"
    e = extract("Ане из логистики: послезавтра утром две машины на Заречный, пропуска заказаны", directory, TODAY)
    assert e.client_id == "cl13" and e.assignee_id == "c03" and e.deadline_time == time(10, 0)
    assert e.prepared == ["пропуска заказаны"]


async def test_questions_and_missing_things_become_the_deliverable(directory: Directory) -> None:
    where = extract("Мельников, ГДЕ номера машин на Заречный? нужны сегодня до 17", directory, TODAY)
    assert where.deliverable == "прислать номера машин на «Заречный»"
    why = extract(
        "склад, капец!!! Почему до сих пор не отгружены направляющие для Кедра?! Сегодня же", directory, TODAY
    )
    assert why.deliverable == "отгрузить направляющие для «Кедра»" and why.deadline == TODAY
    missing = extract(
        "бухгалтерия — у Гранит-Строя опять нет закрывающих по Заречному, сделайте до среды", directory, TODAY
    )
    assert missing.deliverable == "подготовить закрывающие по «Заречному» для «Гранит-Строя»"


async def test_co_executors_and_an_object_named_person_are_told_apart(directory: Directory) -> None:
    e = extract("Денису вместе с Зуевым: собрать заказ Дверного Двора к пятнице", directory, TODAY)
    assert e.assignee_id == "c10" and e.co_executor_ids == ["c04"]
    proxy = extract("юристу Шестакову: через 3 дня доверенность на Мельникова для встречи", directory, TODAY)
    assert proxy.assignee_id == "c07" and proxy.co_executor_ids == []
    assert "Мельникова" in (proxy.deliverable or "")


async def test_only_what_is_missing_is_asked_and_answers_fill_it(directory: Directory) -> None:
    e = extract("пусть глянут цены в прайсе на фурнитуру", directory, TODAY)
    assert e.missing == ["assignee", "deadline"]
    assert apply_answer(e, "assignee", "Беловой", directory, TODAY) is None
    assert e.assignee_id == "c01" and e.missing == ["deadline"]
    assert apply_answer(e, "deadline", "когда-нибудь", directory, TODAY) == "unknown"
    assert apply_answer(e, "deadline", "20.11.2026", directory, TODAY) == "past"
    assert apply_answer(e, "deadline", "до пятницы 12:00", directory, TODAY) is None
    assert (e.deadline, e.deadline_time, e.missing) == (date(2026, 11, 27), time(12, 0), [])
    e2 = extract("Мельникову к пятнице", directory, TODAY)
    assert e2.missing == ["deliverable"]
    assert apply_answer(e2, "deliverable", "план отгрузок по Кедру", directory, TODAY) is None
    assert e2.deliverable == "план отгрузок по Кедру"
    assert extract("не горит, Кузнецову: график ТО станков", directory, TODAY).missing == []  # no deadline wanted


async def test_resolving_names_given_explicitly(directory: Directory) -> None:
    assert resolve_assignee("Гончарова", directory) == (["c03"], None)
    assert resolve_assignee("@s_melnikov_log", directory) == (["c02"], None)
    assert resolve_assignee("юристы", directory) == ([], "legal")
    assert resolve_assignee("Пупкин", directory) == ([], None)
    assert resolve_client("стройдом", directory) == ["cl01"]
    assert resolve_client("Горелов", directory) == ["cl05"]
    assert resolve_client("Рога и копыта", directory) == []
