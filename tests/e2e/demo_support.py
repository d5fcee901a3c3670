"""The demo company inside the e2e harness, managers bound to their CRM keys, and waiting for edits and alerts.

MANAGER is bound to "m1" (Стройдом, Альфа-Логистик, …) and MANAGER_2 to "m2" (Вектор, Кедр, …) through the
admin's /grant command, the way a real admin does it. The models come from the harness's session-wide
`shared_models`; test modules import the `demo` fixture from here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import PROJECT_ROOT
from bot.services.crm.importing import import_file
from tests.e2e.conftest import ADMIN, MANAGER, MANAGER_2, Harness, start_harness, stop_harness
from tests.fake_telegram import TgUser
from tests.fake_telegram.server import SentMessage

DEMO_FILE = PROJECT_ROOT / "datasets" / "demo_company.json"
# Contacts of the demo company as Telegram users (ids are made up; usernames are the CRM's).
LADYGIN = TgUser(700001, "Игорь", "ladygin_sd", "Ладыгин")  # Стройдом (cl01, manager m1)
RYABOVA = TgUser(700002, "Татьяна", "t_ryabova_vektor", "Рябова")  # Вектор (cl02, manager m2)


async def load_demo(h: Harness) -> None:
    await import_file(h.app, DEMO_FILE)
    (first,) = await h.say(ADMIN, f"/grant {MANAGER.id} manager m1")
    (second,) = await h.say(ADMIN, f"/grant {MANAGER_2.id} manager m2")
    assert "выдана" in first.text and "выдана" in second.text


@pytest.fixture
async def demo(tmp_path: Path, shared_models: dict[str, Any]) -> AsyncIterator[Harness]:
    h, task = await start_harness(tmp_path, shared_models)
    try:
        await load_demo(h)
        yield h
    finally:
        await stop_harness(h, task)


async def settled(h: Harness, timeout: float = 10.0) -> None:
    await h.settled(timeout)


async def wait_edit(h: Harness, chat_id: int, after: int, timeout: float = 15.0) -> SentMessage:
    """The next edit of a message in the chat (button presses edit the card in place)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        for m in h.tg.sent[after:]:
            if m.chat_id == chat_id and m.method.startswith("edit"):
                return m
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no edit in chat {chat_id}; errors={h.tg.errors}")
        await asyncio.sleep(0.05)


def button_data(message: Any, label: str) -> str:
    """The button with exactly this label, else the first containing it ("Эмоциональный неуверенный" is also a part
    of "Неэмоциональный неуверенный")."""
    exact = [b for b in message.buttons() if b.get("text") == label]
    return str((exact[0] if exact else message.button(label))["callback_data"])


async def press_edit(h: Harness, user: TgUser, message: Any, button_text: str) -> SentMessage:
    mark = h.tg.mark()
    h.tg.press(user, message, button_data(message, button_text))
    return await wait_edit(h, user.id, mark)


async def replay(h: Harness, user: TgUser, message: Any, callback_data: str) -> tuple[list[Any], dict[str, Any]]:
    """Press a button drawn for someone else (a replayed callback): the replies and the callback's answer."""
    answers = len(h.tg.callback_answers)
    mark = h.tg.mark()
    h.tg.press(user, message, callback_data)
    (answer,) = (await h.tg.wait_callback_answer(answers + 1))[answers:]
    await asyncio.sleep(0.3)  # let any (wrong) extra message arrive before the test looks
    sent = [m for m in h.tg.sent[mark:] if m.chat_id == user.id]
    return sent, answer
