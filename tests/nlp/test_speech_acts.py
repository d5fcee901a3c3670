"""Reading a client's message: each question and request found with the client's words; thanks, complaints,
threats and deadlines told apart; a bare acknowledgement needs no reply; replies restate asks with honest blanks."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import PROJECT_ROOT
from bot.nlp.restate import restate_question, restate_request
from bot.nlp.speech_acts import ActKind, SpeechActLexicon, as_our_action, load_lexicon, read_message, turn_round

FRIDAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def lexicon() -> SpeechActLexicon:
    return load_lexicon(PROJECT_ROOT / "knowledge" / "lexicons" / "speech_acts.yaml")


def kinds(lexicon: SpeechActLexicon, text: str) -> list[set[str]]:
    return [{k.value for k in c.kinds} for c in read_message(text, lexicon, FRIDAY).clauses]


def test_two_questions_in_one_sentence_are_two_asks(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Подскажите, сколько стоит доставка до Казани и когда ближайший рейс?", lexicon, FRIDAY)
    assert [c.body for c in reading.asks] == ["сколько стоит доставка до Казани", "когда ближайший рейс"]


def test_a_greeting_with_a_name_is_not_a_request(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Марина, добрый день! Пришлите, пожалуйста, счёт на оплату за декабрь.", lexicon, FRIDAY)
    assert reading.clauses[0].kinds == {ActKind.GREETING}
    (ask,) = reading.asks
    assert ask.kinds == {ActKind.REQUEST} and ask.body == "Пришлите счёт на оплату за декабрь"


@pytest.mark.parametrize("text", ["Ок", "Получила, спасибо!", "👍", "Принято, спасибо", "ок, буду в 15"])
def test_an_acknowledgement_needs_no_reply(lexicon: SpeechActLexicon, text: str) -> None:
    assert read_message(text, lexicon, FRIDAY).only_acknowledgement


@pytest.mark.parametrize("text", ["Ок, а когда привезёте?", "Спасибо, пришлите ещё акт", "Получили, но не всё"])
def test_an_acknowledgement_with_something_more_needs_a_reply(lexicon: SpeechActLexicon, text: str) -> None:
    assert not read_message(text, lexicon, FRIDAY).only_acknowledgement


def test_complaint_threat_and_deadline_are_told_apart(lexicon: SpeechActLexicon) -> None:
    reading = read_message(
        "Опять сорвали поставку. Если до понедельника не привезёте, расторгаем договор.", lexicon, FRIDAY
    )
    assert reading.has(ActKind.COMPLAINT) and reading.has(ActKind.THREAT)
    assert reading.deadlines == ("до понедельника",)
    assert not reading.asks, "a threat is not a request to answer point by point"


def test_a_rhetorical_question_is_a_complaint_not_a_question(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Сколько можно ждать?! Третий день тишина.", lexicon, FRIDAY)
    assert reading.has(ActKind.COMPLAINT) and not reading.has(ActKind.QUESTION)


def test_past_trouble_recalled_is_history_not_a_complaint(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Когда отгрузка? В прошлый раз машина опоздала на день.", lexicon, FRIDAY)
    assert not reading.has(ActKind.COMPLAINT) and reading.has(ActKind.QUESTION)


def test_an_apology_or_a_threat_is_never_turned_into_our_action(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Простите за дотошность. Напишу отзыв на картах, если не решите.", lexicon, FRIDAY)
    assert not reading.asks


def test_a_time_window_is_not_a_deadline(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Разгрузка с 7 до 9 утра, адрес прежний.", lexicon, FRIDAY)
    assert reading.deadlines == ()


def test_the_client_introducing_themself_gives_the_name_to_greet(lexicon: SpeechActLexicon) -> None:
    assert read_message("Здравствуйте! Меня зовут Алина, хотим заказать банкет.", lexicon, FRIDAY).introduced_as == (
        "Алина"
    )


def test_our_side_and_theirs_are_turned_round(lexicon: SpeechActLexicon) -> None:
    assert turn_round("когда вы отгрузите наш заказ", lexicon) == "когда мы отгрузим Ваш заказ"
    assert turn_round("у меня не работает ваш сервис", lexicon) == "у Вас не работает наш сервис"


@pytest.mark.parametrize(
    ("request_text", "ours"),
    [
        ("пришлите акт сверки за ноябрь", "пришлём акт сверки за ноябрь"),
        ("счёт выставьте на юрлицо", "счёт выставим на юрлицо"),
        ("прошу подтвердить дату отгрузки", "подтвердим дату отгрузки"),
        ("пересчитайте смету и пришлите нам", "пересчитаем смету и пришлём Вам"),
    ],
)
def test_a_request_becomes_our_action_in_the_clients_words(
    lexicon: SpeechActLexicon, request_text: str, ours: str
) -> None:
    assert as_our_action(request_text, lexicon) == ours


@pytest.mark.parametrize(
    ("question", "line"),
    [
        ("Сколько стоит доставка до Казани", "Стоимость доставки до Казани — [сумма]."),
        ("когда ближайший рейс", "Ближайший рейс — [дата]."),
        ("какой лимит на снятие наличных", "Лимит на снятие наличных — [ответ]."),
        ("можно ли оплатить частями", "Оплатить частями — [можно / нельзя — условия]."),
        ("Цена, наличие, срок", "Цена — [сумма], наличие — [есть / нет], срок — [дата]."),
        ("Вы работаете по выходным", "[Ответ на вопрос «Вы работаете по выходным?»]"),  # any other shape: a named blank
    ],
)
def test_a_question_is_restated_with_a_visible_blank(lexicon: SpeechActLexicon, question: str, line: str) -> None:
    assert restate_question(question, lexicon).line == line


def test_a_request_with_the_clients_deadline_leaves_the_promise_to_the_manager(lexicon: SpeechActLexicon) -> None:
    restated = restate_request("привезите остаток до 15:00", (), lexicon)
    assert restated.line == "Привезём остаток до 15:00 — [подтверждаем / другой срок]."


def test_a_choice_the_client_offers_stays_a_choice(lexicon: SpeechActLexicon) -> None:
    alternatives = ("замените брак", "верните деньги")
    assert restate_request("замените брак или верните деньги", alternatives, lexicon).line == (
        "[Заменим брак / вернём деньги]."
    )


def test_a_rave_that_mentions_a_hitch_is_thanks_not_a_complaint(lexicon: SpeechActLexicon) -> None:
    reading = read_message(
        "Огромное спасибо за поездку! Рейс задержали, но трансфер дождался. Летом снова к вам.", lexicon, FRIDAY
    )
    assert reading.has(ActKind.THANKS) and not reading.has(ActKind.COMPLAINT)


def test_thanks_do_not_soften_a_real_complaint(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Спасибо, конечно, но это безобразие: третий раз задержали поставку.", lexicon, FRIDAY)
    assert reading.has(ActKind.COMPLAINT)


def test_a_time_clause_is_not_a_question(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Когда у нас сломался сервер, вы за час всё подняли. Спасибо большое!", lexicon, FRIDAY)
    assert not reading.has(ActKind.QUESTION)
    assert read_message("Сколько стоит доставка до Казани, 20 т, тент", lexicon, FRIDAY).has(ActKind.QUESTION)


def test_asking_the_time_is_not_exasperation(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Сегодня забираем Камри после кузовного, во сколько можно подъехать?", lexicon, FRIDAY)
    assert reading.has(ActKind.QUESTION) and not reading.has(ActKind.COMPLAINT)
    assert read_message("Сколько можно ждать? Третий день без ответа!", lexicon, FRIDAY).has(ActKind.COMPLAINT)


def test_items_listed_after_nuzhno_are_requests(lexicon: SpeechActLexicon) -> None:
    reading = read_message(
        "Подтверждаю заявку на погрузчик с 14 по 18.12.\nНужно:\n1. Счет на предоплату 50%.\n"
        "2. Копия удостоверения оператора.\n3. Доставка трала включена в стоимость?",
        lexicon,
        FRIDAY,
    )
    requests = [c.text for c in reading.clauses if ActKind.REQUEST in c.kinds]
    assert any("Счет на предоплату 50%" in r for r in requests)
    assert any("Копия удостоверения оператора" in r for r in requests)


def test_good_news_about_a_court_is_neither_a_threat_nor_a_complaint(lexicon: SpeechActLexicon) -> None:
    reading = read_message(
        "Спасибо вам огромное!!! Суд сегодня полностью отказал истцу, я до сих пор не верю. Вы просто чудо.",
        lexicon,
        FRIDAY,
    )
    assert not reading.has(ActKind.THREAT) and not reading.has(ActKind.COMPLAINT)
    assert read_message("Дальше — претензия, жалоба в ЦБ и суд с неустойкой.", lexicon, FRIDAY).has(ActKind.THREAT)


def test_a_questions_header_asks_nothing_and_a_needed_thing_is_a_request(lexicon: SpeechActLexicon) -> None:
    reading = read_message(
        "Рассматриваем автокран. Вопросы:\n- минимальный аванс?\n- максимальный срок?", lexicon, FRIDAY
    )
    assert [c.text for c in reading.clauses if ActKind.QUESTION in c.kinds] == [
        "минимальный аванс?",
        "максимальный срок?",
    ]
    reading = read_message("Также нужен акт сверки с ООО «Профиль-М» за 2026 год.", lexicon, FRIDAY)
    assert reading.has(ActKind.REQUEST)


def test_a_demand_before_otherwise_is_asked_of_us(lexicon: SpeechActLexicon) -> None:
    reading = read_message("Отзовите счет до понедельника, иначе пишу претензию вашему руководству.", lexicon, FRIDAY)
    clause = reading.clauses[0]
    assert ActKind.REQUEST in clause.kinds and ActKind.THREAT in clause.kinds
    assert clause.body == "Отзовите счет до понедельника"


def test_an_acknowledgement_with_waiting_needs_no_reply(lexicon: SpeechActLexicon) -> None:
    assert read_message("Принято, ждем машину завтра к 7:30.", lexicon, FRIDAY).only_acknowledgement
    assert not read_message("Ждём машину завтра к 7:30, подтвердите.", lexicon, FRIDAY).only_acknowledgement
