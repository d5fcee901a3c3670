"""Telegram's flood control and dropped connections while the bot answers: the answer arrives, once, and no apology.

The real bot talks to the suite's Bot API server, which answers the chosen requests with 429 (`retry_after`) or
closes the connection without an answer (the request is not carried out, as when a connection dies on the way).
"""

from __future__ import annotations

from bot import texts
from tests.e2e.conftest import MANAGER, Harness

PASTED = "Добрый день. Когда будет отгрузка и какие документы нужны для приёмки?"


def _apologies(h: Harness) -> list[str]:
    return [m.text for m in h.tg.sent if m.text == texts.ERROR_GENERIC]


def _messages_to(h: Harness, chat_id: int, after: int) -> list[str]:
    return [m.text for m in h.tg.sent[after:] if m.chat_id == chat_id and m.method == "sendMessage"]


async def test_flood_control_on_the_reply_and_a_dropped_card_still_bring_the_card(harness: Harness) -> None:
    harness.tg.flood("sendMessage", chat_id=MANAGER.id, retry_after=1)
    mark = harness.tg.mark()
    (question,) = await harness.say(MANAGER, PASTED)
    assert "клиент" in question.text.lower()

    harness.tg.drop("sendMessage", chat_id=MANAGER.id)
    (card,) = await harness.press(MANAGER, question, "Без клиента")
    await harness.settled()

    assert "Тип:" in card.text
    assert [kind for kind, *_ in harness.tg.faults_served] == ["flood", "drop"]
    assert len(_messages_to(harness, MANAGER.id, mark)) == 2  # the question and the card, each once
    assert not _apologies(harness)


async def test_flood_control_on_a_button_answer_is_waited_out(harness: Harness) -> None:
    (question,) = await harness.say(MANAGER, PASTED)
    harness.tg.flood("answerCallbackQuery", retry_after=1)
    harness.tg.flood("sendMessage", chat_id=MANAGER.id, retry_after=1)
    (card,) = await harness.press(MANAGER, question, "Без клиента")
    await harness.settled()
    assert "Тип:" in card.text
    assert sorted(method for _, method, _ in harness.tg.faults_served) == ["answerCallbackQuery", "sendMessage"]
    assert not _apologies(harness)
