"""The offline reply follows the message: an escalation gets its substance, a deadline a blank, the closing fits the
situation, and nothing the client only said in passing («Смотрите.», «Это вообще как?») becomes a line of ours."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from bot.domain import BehaviourType
from bot.nlp.speech_acts import load_lexicon, read_message
from bot.services.clients.context import ClientContext
from bot.services.clients.playbook import load_client_knowledge
from bot.services.suggestions.composer import (
    Events,
    closing_for,
    compose,
    lexicon_path,
    on_file_lines,
    situations_of,
)
from storage.models import Client, Incident

ROOT = Path(__file__).resolve().parents[3]
NC = BehaviourType.NONEMOTIONAL_CONFIDENT
EC = BehaviourType.EMOTIONAL_CONFIDENT


def _reply(text: str, type_: BehaviourType = NC, on_file: tuple[str, ...] = ()) -> str:
    lexicon = load_lexicon(lexicon_path(ROOT))
    reading = read_message(text, lexicon, date(2026, 12, 4))
    situations = situations_of(reading, Events())
    closing = closing_for(load_client_knowledge(ROOT).advice(type_), situations)
    return compose(reading, lexicon, type_, situations, closing=closing, on_file=on_file).text


ESCALATION = (
    "Это уже ни в какие ворота. Выручка за 1 и 2 декабря до сих пор не пришла на счёт, а это почти 640 тысяч. "
    "Если до конца дня денег не будет, переводим терминалы в другой банк."
)


def test_an_escalation_is_answered_with_its_substance_and_no_promise() -> None:
    reply = _reply(ESCALATION, EC)
    assert reply.count("извинения") == 1
    assert "Что выяснили по Вашему обращению (1 и 2 декабря, 640 тысяч): [" in reply
    assert "Что делаем: [" in reply
    assert "[когда]" in reply  # when we write back is the manager's to fill
    assert "оценк" not in reply  # an angry client is not asked for a rating


def test_the_clients_deadline_is_noted_as_a_blank_not_accepted() -> None:
    reply = _reply(ESCALATION)
    assert "до конца дня: [успеваем" in reply
    assert "учитываем" not in reply


def test_a_demand_inside_a_complaint_is_not_our_promise() -> None:
    reply = _reply("В квитанции за ноябрь начислено 412 кубов вместо 7, это ошибка. Прошу сделать перерасчёт.")
    assert "Сделаем перерасчёт — [подтверждаем" in reply


def test_what_the_crm_knows_goes_into_the_reply_with_its_source() -> None:
    incident = Incident(at=datetime(2026, 12, 3, 10), kind="delay", text="Обращение передано в процессинг")
    context = ClientContext(Client(name="Пекарня"), None, [], [], [incident], today=date(2026, 12, 4))
    lines = on_file_lines(context)
    assert lines == ("По нашим данным (CRM), 03.12: обращение передано в процессинг.",)
    assert lines[0] in _reply(ESCALATION, on_file=lines)
    old = ClientContext(Client(name="Пекарня"), None, [], [], [incident], today=date(2027, 3, 1))
    assert on_file_lines(old) == ()


def test_the_closing_follows_the_situation() -> None:
    routine = _reply("Пришлите, пожалуйста, счёт на оплату за декабрь и акт сверки.")
    assert "сравнение с цифрами" not in routine
    offer = _reply("Рассматриваем вас как поставщика. Пришлите коммерческое предложение на 40 станков.")
    assert "сравнение с цифрами" in offer


def test_calls_for_attention_and_reproaches_get_no_line() -> None:
    reply = _reply("Смотрите. Счёт за поставку от 27 ноября так и не пришёл. Это вообще как? Пришлите счёт.")
    assert "Смотрим" not in reply and "Смотрите" not in reply
    assert "вообще как" not in reply


def test_a_wrong_delivery_is_not_a_change_we_accept() -> None:
    reply = _reply("Третий раз за месяц. Сегодня привезли лосось 12 кг вместо 20. Срочно довезите 8 кг до 15:00.")
    assert "Приняли" not in reply
    assert "довезём недостающие" in reply.lower() or "довезём 8 кг" in reply.lower()


def test_the_clients_sentence_is_quoted_as_theirs_not_pasted_as_ours() -> None:
    reply = _reply("Здравствуйте! Можно всё сделать онлайн? И какие документы нужны, кроме паспорта?")
    assert "Документы нужны, кроме паспорта — [ответ]" not in reply
    assert "[Ответ на вопрос «И какие документы нужны, кроме паспорта?»]" in reply
    # what was asked, named as a thing, keeps its short line
    assert "ОСАГО на автопарк — [ответ]." in _reply("Нужно ОСАГО на автопарк: 14 машин. Сколько будет стоить?")


def test_a_wish_followed_by_its_question_is_context_and_thanks_is_not_a_request() -> None:
    reply = _reply(
        "Во-первых, хочу сказать спасибо Ирине за помощь. В январе хотим отправить вторую группу. Какие есть даты?"
    )
    assert "хотите отправить" not in reply and "хотим отправить" not in reply
    assert "Во-первых" not in reply
    assert "Какие есть даты?" in reply


def test_a_date_the_client_sets_for_themselves_is_not_a_deadline_for_us() -> None:
    reply = _reply("Счёт 4471 от 01.12 — 86 400. Сегодня платим 50 000, остаток 36 400 до 15.12. Ок?")
    assert "Срок, который Вы назвали" not in reply and "учитываем" not in reply


def test_a_refund_is_the_managers_decision_not_our_promise() -> None:
    reply = _reply("С карты списали дважды по 3 450 ₽. Прошу вернуть лишнее списание.")
    assert "Возврат денег — [вернём / предложим другое решение]." in reply
    assert "Вернём лишнее" not in reply
