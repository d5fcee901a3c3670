"""Many managers at once: every card arrives, on SQLite and on PostgreSQL.

Regression for the lost cards: the "typing…" indicator sends its requests from a background task that inherited
the update's unit of work, and the commit-before-reply middleware committed that session from the background
task while the handler was still flushing into it (`ResourceClosedError`, sessions left `prepared`). And a
manager whose first contact is a forward of several messages raced three inserts of the same user row.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Harness, start_harness, stop_harness
from tests.fake_telegram import TgUser

MANAGERS = [TgUser(50_000 + i, f"Менеджер{i}", f"mgr_{i}") for i in range(20)]
NEWCOMERS = [TgUser(60_000 + i, f"Новичок{i}", f"new_{i}") for i in range(10)]

PASTED = [
    "Добрый день. Пришлите, пожалуйста, счёт на 40 дверей и сравнение с прошлой поставкой.",
    "Здравствуйте! Мы очень переживаем, успеете ли к пятнице? Подтвердите, пожалуйста.",
    "Спасибо огромное за вчерашнюю встречу, всё супер! Давайте обсудим расширение.",
    "Когда будет отгрузка и какие документы нужны для приёмки?",
]


@pytest.fixture
async def crowd(db_url: str, tmp_path: Path, shared_models: dict[str, Any]) -> AsyncIterator[Harness]:
    """The bot on SQLite and on PostgreSQL (the `db_url` fixture's two params)."""
    overrides: dict[str, Any] = {"bot_managers": [u.id for u in MANAGERS + NEWCOMERS], "database_url": db_url}
    h, task = await start_harness(tmp_path, shared_models, **overrides)
    try:
        yield h
    finally:
        await stop_harness(h, task)


def _failures(h: Harness, chat_ids: set[int]) -> list[str]:
    return [m.text[:80] for m in h.tg.sent if m.chat_id in chat_ids and "ошибк" in m.text.lower()]


async def test_twenty_managers_pressing_no_client_at_once_all_get_their_card(crowd: Harness) -> None:
    mark = crowd.tg.mark()
    for i, user in enumerate(MANAGERS):
        crowd.tg.send_text(user, PASTED[i % len(PASTED)])
    questions = await asyncio.gather(*(crowd.tg.wait_sent(u.id, 1, after=mark, timeout=60) for u in MANAGERS))

    mark = crowd.tg.mark()
    for user, (question, *_) in zip(MANAGERS, questions, strict=True):
        crowd.tg.press(user, question, question.button("Без клиента")["callback_data"])
    cards = await asyncio.gather(*(crowd.tg.wait_sent(u.id, 1, after=mark, timeout=60) for u in MANAGERS))
    await crowd.settled(30)

    assert all("Тип:" in found[0].text for found in cards), [found[0].text[:80] for found in cards]
    assert not _failures(crowd, {u.id for u in MANAGERS})
    assert not crowd.tg.errors
    # Exactly one card each: nothing answered twice.
    for user in MANAGERS:
        assert len([m for m in crowd.tg.sent[mark:] if m.chat_id == user.id and m.method == "sendMessage"]) == 1


async def test_first_contact_as_a_forward_of_three_messages_is_one_card_without_errors(crowd: Harness) -> None:
    client = TgUser(70_001, "Клиент", "some_client_x")
    mark = crowd.tg.mark()
    for user in NEWCOMERS:
        for part in ("Добрый день!", "Когда ждать отгрузку?", "Нам важно не сорвать график."):
            crowd.tg.send_text(user, part, forward_from=client)
    answers = await asyncio.gather(*(crowd.tg.wait_sent(u.id, 1, after=mark, timeout=60) for u in NEWCOMERS))
    await asyncio.sleep(2.0)  # the batch window: nothing else may follow
    await crowd.settled(30)

    assert not _failures(crowd, {u.id for u in NEWCOMERS})
    assert not crowd.tg.errors
    for user, found in zip(NEWCOMERS, answers, strict=True):
        sent = [m for m in crowd.tg.sent[mark:] if m.chat_id == user.id and m.method == "sendMessage"]
        assert len(sent) == 1, [m.text[:80] for m in sent]
        assert "клиент" in found[0].text.lower()  # the bot asks which client the forward belongs to
    async with crowd.app.uow() as uow:
        for user in NEWCOMERS:
            assert await uow.users.get(user.id) is not None
