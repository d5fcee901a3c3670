"""The review loop over real HTTP: a manager's suggestion goes to review with the card's button, reaches the
supervisor, gets its type corrected and its text edited, comes back to the manager with the final text, shows in
/stats as a PNG chart with the numbers, and the correction appears in the exported labels. Stale and repeated
presses are refused politely."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import SuggestionCb
from storage.models import Client, Suggestion
from tests.e2e.conftest import ADMIN, MANAGER, SUPERVISOR, Harness
from tests.fake_telegram import TgUser
from tests.fake_telegram.server import SentMessage

CLIENT_TEXT = (
    "Добрый день. Когда будет поставка? Нам нужны гарантии, что сроки не сорвутся, и письменное подтверждение."
)
DRAFT = "Здравствуйте! Поставка запланирована на четверг."
FINAL = "Здравствуйте! Поставка в четверг до 12:00; письменное подтверждение со сроками пришлём сегодня до 18:00."
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shared_models() -> dict[str, Any]:
    """The review loop uses neither the classifier nor the retrieval stack: stand-ins spare these tests the
    minutes of loading the real ones at the bot's start (the suggestion card's own tests load them)."""
    return {"classifier": object(), "retrieval": object()}


async def _suggestion(h: Harness, author: TgUser = MANAGER, text: str = DRAFT) -> int:
    """A suggestion stored the way the suggestion card stores it (the card itself is another feature)."""
    async with h.app.uow() as uow:
        if await uow.clients.get("c-vector") is None:
            uow.session.add(Client(id="c-vector", name="ООО Вектор", manager_id=MANAGER.id))
        row = await uow.suggestions.add(
            Suggestion(kind="reply", author_id=author.id, client_id="c-vector", input_text=CLIENT_TEXT,
                       behaviour_type="nonemotional_confident", type_confidence=0.58, situation="delay_notice",
                       cues=[{"text": "гарантии", "axis": "confidence", "direction": -1}], text=text)
        )  # fmt: skip
        return row.id


async def _card(h: Harness, sid: int, user: TgUser = MANAGER) -> SentMessage:
    """The manager's card with its "send to review" button, sent by the running bot."""
    button = InlineKeyboardButton(text="📤 На проверку", callback_data=SuggestionCb(action="review", id=sid).pack())
    sent = await h.runtime.bot.send_message(
        user.id, f"Черновик №{sid}", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]])
    )
    return h.tg.message(user.id, sent.message_id)


async def _press(h: Harness, user: TgUser, message: SentMessage, data: str) -> dict[str, Any]:
    """Press a button and return the bot's answer to the press (the pop-up text, if any)."""
    before = len(h.tg.callback_answers)
    h.tg.press(user, message, data)
    answers = await h.tg.wait_callback_answer(before + 1)
    return answers[before]


async def _wait_markup(h: Harness, message: SentMessage, present: bool) -> None:
    for _ in range(100):
        if bool(message.buttons()) == present:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"buttons {'missing' if present else 'still there'}: {message.buttons()}")


async def test_manager_suggestion_is_edited_by_the_supervisor_and_comes_back(harness: Harness, tmp_path: Path) -> None:
    h = harness
    await h.say(MANAGER, "/start")
    await h.say(SUPERVISOR, "/start")
    sid = await _suggestion(h)
    card = await _card(h, sid)

    mark = h.tg.mark()
    answer = await _press(h, MANAGER, card, card.button("На проверку")["callback_data"])
    assert "Отправлено на проверку" in answer.get("text", "")
    (confirm,) = await h.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert f"№{sid}" in confirm.text and "Сергей" in confirm.text
    (review_card,) = await h.tg.wait_sent(SUPERVISOR.id, 1, after=mark)
    assert "ООО Вектор" in review_card.text and DRAFT in review_card.text and "Мария" in review_card.text
    approve_data = review_card.button("Одобрить")["callback_data"]

    # A second press on "send to review" is harmless.
    again = await _press(h, MANAGER, card, card.button("На проверку")["callback_data"])
    assert "Уже на проверке" in again.get("text", "")

    # The supervisor corrects the client's type first: the buttons turn into the type list and back.
    await _press(h, SUPERVISOR, review_card, review_card.button("Уточнить тип")["callback_data"])
    await _wait_markup(h, review_card, True)
    mark = h.tg.mark()
    picked = await _press(
        h, SUPERVISOR, review_card, review_card.button("Неэмоциональный неуверенный")["callback_data"]
    )
    assert "Неэмоциональный неуверенный" in picked.get("text", "")
    (typed,) = await h.tg.wait_sent(SUPERVISOR.id, 1, after=mark)
    assert "метка сохранена" in typed.text
    (told_type,) = await h.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert "уточнил" in told_type.text

    # Edit: the button asks for the text, the supervisor sends it, the manager gets the final text.
    mark = h.tg.mark()
    h.tg.press(SUPERVISOR, review_card, review_card.button("Изменить")["callback_data"])
    (prompt,) = await h.tg.wait_sent(SUPERVISOR.id, 1, after=mark)
    assert "исправленный текст" in prompt.text and DRAFT in prompt.text
    mark = h.tg.mark()
    h.tg.send_text(SUPERVISOR, FINAL)
    (done,) = await h.tg.wait_sent(SUPERVISOR.id, 1, after=mark)
    assert "одобрено с правками" in done.text and "автор получил итоговый текст" in done.text
    (result,) = await h.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert "с правками" in result.text and FINAL in result.text and "Сергей" in result.text
    await _wait_markup(h, review_card, False)  # the decided card loses its buttons

    # Stale and repeated presses: the old approve button, the admin's view, the manager's "send" again.
    stale = await _press(h, SUPERVISOR, review_card, approve_data)
    assert stale.get("show_alert") and "уже принято" in stale["text"] and "Сергей" in stale["text"]
    admin_stale = await _press(h, ADMIN, review_card, approve_data)
    assert "уже принято" in admin_stale["text"]
    resubmit = await _press(h, MANAGER, card, card.button("На проверку")["callback_data"])
    assert "уже принято" in resubmit["text"]

    # /stats: a PNG chart and the numbers beside it.
    mark = h.tg.mark()
    h.tg.send_text(SUPERVISOR, "/stats week")
    photo, numbers = await h.tg.wait_sent(SUPERVISOR.id, 2, after=mark)
    assert photo.method == "sendPhoto" and photo.raw["photo_bytes"].startswith(b"\x89PNG")
    assert "принято 100%" in photo.text
    assert "с правками 1" in numbers.text and "Мария: решено 1 из 1" in numbers.text
    assert "Неэмоциональный уверенный" in numbers.text and "Уточнений типа клиента: 1" in numbers.text

    # The correction is in the exported labels (the real command, on the bot's database).
    out = tmp_path / "labels.jsonl"
    env = {**os.environ, "DATA_DIR": str(h.app.settings.data_dir)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "labels", "export", "--out", str(out), cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, stderr.decode()
    assert "Выгружено меток: 1" in stdout.decode()
    (label,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert label["text"] == CLIENT_TEXT and label["label"] == "nonemotional_unconfident"
    assert label["domain"] == "corrections"


async def test_queue_pages_reject_with_a_reason_and_cancel(harness: Harness) -> None:
    h = harness
    await h.say(MANAGER, "/start")
    ids = [await _suggestion(h, text=f"Черновик ответа номер {i}") for i in range(7)]
    for sid in ids:  # every one sent to review through its card
        card = await _card(h, sid)
        await _press(h, MANAGER, card, card.button("На проверку")["callback_data"])

    (not_allowed,) = await h.say(MANAGER, "/review")
    assert "руководитель" in not_allowed.text

    (page,) = await h.say(SUPERVISOR, "/review")
    assert "На проверке: 7" in page.text and "страница 1 из 2" in page.text
    assert [b["text"] for b in page.buttons()][:5] == [f"Открыть №{i}" for i in ids[:5]]  # oldest first
    await _press(h, SUPERVISOR, page, page.button("Далее")["callback_data"])
    for _ in range(100):
        if "страница 2 из 2" in page.text:
            break
        await asyncio.sleep(0.05)
    assert f"№{ids[6]}" in page.text and f"№{ids[0]} " not in page.text

    (opened,) = await h.press(SUPERVISOR, page, f"Открыть №{ids[6]}")
    assert "Черновик ответа номер 6" in opened.text
    (prompt,) = await h.press(SUPERVISOR, opened, "Отклонить")
    assert "причину отказа" in prompt.text
    (cancelled,) = await h.say(SUPERVISOR, "/cancel")
    assert "остаётся в очереди" in cancelled.text

    await h.press(SUPERVISOR, opened, "Отклонить")
    (sticker,) = await h.say(SUPERVISOR, "/review abc")  # commands still work while the bot waits
    assert "номер" in sticker.text
    mark = h.tg.mark()
    h.tg.send_text(SUPERVISOR, "Клиенту нельзя обещать срок без подтверждения склада.")
    (done,) = await h.tg.wait_sent(SUPERVISOR.id, 1, after=mark)
    assert "отклонено" in done.text
    (told,) = await h.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert "отклонил" in told.text and "подтверждения склада" in told.text

    (page,) = await h.say(SUPERVISOR, "/review")
    assert "На проверке: 6" in page.text
    (missing,) = await h.say(SUPERVISOR, "/review 9999")
    assert "нет среди тех" in missing.text
