"""Honest output: what no input holds is not passed off as a fact.

Dates, times and durations the model made up become visible blanks ([дата], [время], [срок]) with a warning for
the manager; a percentage, an amount or «бесплатно» that the company's data does not back makes the answer
unusable, and the offline engine answers.
"""

from __future__ import annotations

import pytest

from bot.llm import LLMUnavailable, Reason, SuggestionOut, TaskBriefOut, answer_with_fallback
from bot.llm.checks import BLANKS_WARNING
from bot.llm.guard import blank_invented_facts
from tests.llm.conftest import CONTACT, SUGGESTION_VARS, GatewayFactory, valid_answer
from tests.support.fake_openai import FakeOpenAI

INPUTS = "Срок: 2026-11-27. Склад отгружает за 2 рабочих дня после оплаты. Клиент: привезите 5 декабря к 10:00."


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("Отгрузим 27 ноября, как договорились.", "Отгрузим 27 ноября, как договорились."),  # the ISO deadline
        ("Поставка будет 15 декабря.", "Поставка будет [дата]."),
        ("Привезём 5 декабря к 10:00, счёт до 03.12.2026.", "Привезём 5 декабря к 10:00, счёт до [дата]."),
        ("Отгрузка за 2 рабочих дня, доставка 3 дня.", "Отгрузка за 2 рабочих дня, доставка [срок]."),
        ("Перезвоним в 14:30.", "Перезвоним в [время]."),
        ("Ответим в течение 48 часов.", "Ответим в течение [срок]."),
        ("Объём 1.5 тонны, цена 12.50 за кг.", "Объём 1.5 тонны, цена 12.50 за кг."),  # decimals are not dates
        ("Встретимся 1 мая или 2 марта.", "Встретимся [дата] или [дата]."),
    ],
)
def test_invented_dates_times_and_durations_become_blanks(output: str, expected: str) -> None:
    text, blanked = blank_invented_facts(output, INPUTS)
    assert text == expected
    assert blanked == expected.count("[")


def _reply(text: str):  # type: ignore[no-untyped-def]
    return lambda request: {**valid_answer(request), "reply": text}


async def test_an_invented_delivery_date_is_blanked_and_flagged(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    fake_llm.responder = _reply("Добрый день! Поставим 15 декабря, счёт пришлём завтра.")
    result = await make_gateway().run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert result.value.reply == "Добрый день! Поставим [дата], счёт пришлём завтра."
    assert BLANKS_WARNING in result.warnings


async def test_a_date_from_the_client_is_kept(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    variables = {**SUGGESTION_VARS, "client_message": "Сможете привезти 40 паллет 12.12? Нам важны гарантии."}
    fake_llm.responder = _reply("Добрый день! Да, 12 декабря привезём, подтвердим машину заранее.")
    result = await make_gateway().run("suggestion", variables, SuggestionOut)
    assert "12 декабря" in result.value.reply and result.warnings == ()


async def test_the_given_deadline_may_be_restated_in_words(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    fake_llm.responder = lambda request: {
        "text": "Прошу подтвердить отгрузку до 27 ноября.",
        "deliverable": "Подтверждение отгрузки",
        "definition_of_done": "Дата и машина подтверждены письменно",
    }
    variables = {
        "request": "подтвердить отгрузку",
        "deadline": "2026-11-27",
        "assignee_profile": "Отдел логистики",
        "client_profile": "Стройдом",
        "commitments": "Отгрузка за 2 рабочих дня после оплаты.",
        "past_issues": [],
    }
    result = await make_gateway().run("task_brief", variables, TaskBriefOut)
    assert result.value.text == "Прошу подтвердить отгрузку до 27 ноября." and result.warnings == ()


async def test_an_invented_discount_sends_the_answer_offline(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    fake_llm.responder = _reply("Добрый день! Для вас скидка 12% на эту поставку.")
    gateway = make_gateway()
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert caught.value.reason == Reason.UNAPPROVED_COMMITMENT
    answered = await answer_with_fallback(
        lambda: gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT]), lambda: "офлайн"
    )
    assert (answered.value, answered.engine) == ("офлайн", "offline")
    assert answered.engine_note == "Ответ LLM не прошёл проверку — ответил офлайн-движок"
