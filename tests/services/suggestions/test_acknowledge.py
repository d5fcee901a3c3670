"""What the client handed over is thanked for in our words, with the blank for whether it arrived."""

from __future__ import annotations

from bot.services.suggestions.acknowledge import PAID_BLANK, SENT_BLANK, acknowledgement


def test_a_payment_is_thanked_for_with_what_was_paid() -> None:
    said = acknowledgement(["Счёт за аренду стенда оплатили вчера"])
    assert said == f"Спасибо за оплату счёта за аренду стенда — {PAID_BLANK}."


def test_the_sum_and_the_payment_order_said_beside_it_are_kept() -> None:
    said = acknowledgement(["Предоплату за декабрь перевели сегодня, 14 300 ₽, п/п № 55"])
    assert said is not None
    assert said.startswith("Спасибо за предоплату за декабрь 14 300 ₽ (п/п № 55)")
    assert said.endswith(f"— {PAID_BLANK}.")


def test_a_document_sent_is_told_back_with_the_verb_first_and_without_the_clients_i() -> None:
    said = acknowledgement(["Акт сверки я вчера отправила вам на почту"])
    assert said == f"Спасибо, что отправили акт сверки на почту — {SENT_BLANK}."


def test_what_the_client_will_send_is_awaited_not_acknowledged() -> None:
    assert acknowledgement(["доверенность пришлю завтра"]) == "Спасибо, ждём доверенность."
    said = acknowledgement(["Договор подписали, оригинал отправим курьером"])
    assert said == f"Спасибо, что подписали договор — {SENT_BLANK}; ждём оригинал."


def test_several_things_handed_over_make_one_line() -> None:
    said = acknowledgement(["Оплатили февраль", "чек скинула в общий чат 👍"])
    assert said == f"Спасибо за оплату февраля и за то, что скинули чек в общий чат — {SENT_BLANK}."


def test_a_clause_with_nothing_handed_over_gives_no_line() -> None:
    assert acknowledgement(["Реквизиты у нас не менялись"]) is None
    assert acknowledgement(["👍"]) is None


def test_what_is_attached_is_thanked_for_by_name() -> None:
    assert acknowledgement(["новые реквизиты во вложении"]) == f"Спасибо за новые реквизиты — {SENT_BLANK}."
    assert acknowledgement(["Выписка из ЕГРЮЛ во вложении"]) == f"Спасибо за выписку из ЕГРЮЛ — {SENT_BLANK}."
