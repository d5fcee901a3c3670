"""A question the CRM already answers is answered from it, with its source; anything short of a clear match stays a
blank, since a wrong answer is worse than an honest gap."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.domain import BehaviourType
from bot.nlp.speech_acts import load_lexicon, read_message
from bot.services.suggestions.composer import Events, compose, lexicon_path, situations_of
from bot.services.suggestions.on_record import Note, answer_on_record

ROOT = Path(__file__).resolve().parents[3]

HOLIDAYS = Note("График праздничных доставок: 31.12 — доставка до 10:00, 1–2 января — выходные", date(2026, 11, 30))
PRICE = Note("Прайс на декабрь: икра лососевая 7 900 ₽/кг, креветки 16/20 — 1 150 ₽/кг", date(2026, 12, 3))
DEMO = Note("Демо модуля «Лояльность»: подключение 24 000 ₽ за точку, настройка 5 рабочих дней", date(2026, 11, 12))
BUG = Note("Известная ошибка: отчёт по курьерам показывает 0 к выплате", date(2026, 12, 1), "incident")


def _reply(text: str, records: tuple[Note, ...]) -> str:
    lexicon = load_lexicon(lexicon_path(ROOT))
    reading = read_message(text, lexicon, date(2026, 12, 4))
    situations = situations_of(reading, Events(known_client=True))
    return compose(reading, lexicon, BehaviourType.UNDETERMINED, situations, records=records).text


def test_a_question_is_answered_from_what_we_sent_with_the_date_and_label() -> None:
    reply = _reply("Гарантируете ли доставку 31.12 утром?", (PRICE, HOLIDAYS))
    assert "Как мы сообщали 30.11: 31.12 — доставка до 10:00" in reply
    assert "[Ответ на вопрос" not in reply


def test_a_price_question_needs_a_note_with_a_price() -> None:
    assert answer_on_record("Сколько стоит доставка 31.12?", (HOLIDAYS,)) is None  # the date alone is no price
    assert answer_on_record("Сколько стоит икра лососевая?", (HOLIDAYS, PRICE)) == PRICE


def test_a_follow_up_the_same_note_answers_gets_no_second_line() -> None:
    reply = _reply(
        "Хочу подключить программу лояльности, которую показывали на демо. Сколько стоит? "
        "И сколько по времени настройка?",
        (DEMO,),
    )
    assert reply.count("Как мы сообщали") == 1
    assert "сколько по времени" not in reply


def test_an_incident_answers_why_but_not_a_yes_or_no_question() -> None:
    assert answer_on_record("Почему в отчёте по курьерам сумма к выплате нулевая?", (BUG,)) == BUG
    assert answer_on_record("Отчёт по курьерам можно выгрузить в Excel?", (BUG,)) is None


def test_an_unrelated_note_leaves_the_blank() -> None:
    reply = _reply("Парковка для гостей у вас платная?", (HOLIDAYS, PRICE, DEMO))
    assert "Как мы сообщали" not in reply
    assert "[Ответ на вопрос «Парковка для гостей у вас платная?»]" in reply


def test_a_complaint_is_not_answered_with_a_note() -> None:
    support = Note("Поддержка: обращение передано специалисту, срок решения не указан", date(2026, 12, 8))
    reply = _reply("Касса виснет второй день! Техподдержка отвечает «передали специалисту» и тишина.", (support,))
    assert "По нашим данным" not in reply


def test_an_escalation_says_the_cause_the_crm_gives_without_internal_remarks() -> None:
    from bot.domain import Situation

    lexicon = load_lexicon(lexicon_path(ROOT))
    text = (
        "Это безобразие! Директора не заселили, бронь аннулирована. Жду объяснений сегодня, иначе уйдём к конкурентам."
    )
    reading = read_message(text, lexicon, date(2026, 12, 10))
    situations = situations_of(reading, Events(known_client=True))
    assert Situation.INCIDENT in situations
    cause = "Отель аннулировал бронь: не прошла предоплата по карте агентства, клиенту не сообщено"
    reply = compose(reading, lexicon, BehaviourType.UNDETERMINED, situations, on_file=(cause,)).text
    assert "Что произошло: отель аннулировал бронь: не прошла предоплата по карте агентства." in reply
    assert "не сообщено" not in reply
    restated = compose(
        reading, lexicon, BehaviourType.UNDETERMINED, situations, on_file=("Директора не заселили, бронь аннулирована",)
    ).text
    assert "Что произошло: [причина; в CRM:" in restated  # the note only repeats the complaint


def test_a_note_of_what_we_did_is_told_in_our_voice() -> None:
    said = Note("Сообщили о скидке 5% с января при заказе от 40 000 руб.", date(2026, 11, 20)).as_answer()
    assert said == "20.11 мы сообщили о скидке 5% с января при заказе от 40 000 руб."
    filed = Note("Направлена спецификация №3, стоимость 2 100 ₽/чел.", date(2026, 11, 21)).as_answer()
    assert filed == "Как мы сообщали 21.11: спецификация №3, стоимость 2 100 ₽/чел."


def test_a_remark_for_the_team_and_a_brands_capital_are_handled() -> None:
    said = Note("Замена стекла +4 200 руб. Клиент согласовал устно.", date(2026, 12, 1)).as_answer()
    assert said == "Как мы сообщали 01.12: замена стекла +4 200 руб."
    brand = Note("Kia Rio на зимней резине, 3 суток — 9 000 ₽", date(2026, 12, 2)).as_answer()
    assert "Kia Rio" in brand


def test_an_amount_asked_without_the_word_price_is_answered_from_what_we_sent() -> None:
    fitting = Note("Цены после примерки: платье 78 000 руб., подгонка по длине 4 500 руб.", date(2026, 11, 22))
    assert answer_on_record("сколько будет подгонка по длине?", (fitting,)) == fitting
    deposit = Note("Бронь зала 20.12, 3 000 ₽/час, предоплата 50% — 6 000 ₽", date(2026, 12, 9))
    assert answer_on_record("сумму предоплаты?", (deposit,)) == deposit
    assert answer_on_record("сколько будет идти доставка?", (fitting,)) is None  # a duration, not an amount
