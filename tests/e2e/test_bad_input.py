"""What people actually send: every kind of message gets a short polite answer, nothing is shown in a group, an
edited message gets a clear note, a forged or outdated button stops its spinner, invisible characters change
nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MANAGER, Harness
from tests.fake_telegram.server import SentMessage

CONTENT = {
    "sticker": {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]},
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3}},
    "video_note": {"video_note": {"file_id": "n1", "file_unique_id": "n1", "length": 240, "duration": 5}},
    "location": {"location": {"latitude": 55.75, "longitude": 37.61}},
    "document": {"document": {"file_id": "d1", "file_unique_id": "d1", "file_name": "photo.heic"}},
}
EXPECTED = {
    "sticker": "работаю с текстом",
    "photo": "Фото без подписи",
    "voice": "не расшифровываю",
    "video_note": "не расшифровываю",
    "location": "Геопозицию",
    "document": "Этот файл я не обрабатываю",
}


@pytest.mark.parametrize("kind", list(CONTENT))
async def test_media_gets_a_short_polite_answer(harness: Harness, kind: str) -> None:
    mark = harness.tg.mark()
    harness.tg.send_content(MANAGER, CONTENT[kind])
    (answer,) = await harness.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert EXPECTED[kind] in answer.text
    assert "ошибк" not in answer.text.lower() and not harness.tg.errors


async def test_an_edited_message_gets_a_clear_note(harness: Harness) -> None:
    mark = harness.tg.mark()
    message_id = harness.tg.send_text(MANAGER, "Добрый день! Когда будет отгрузка?")
    await harness.tg.wait_sent(MANAGER.id, 1, after=mark)  # the bot asks which client
    mark = harness.tg.mark()
    harness.tg.edit_text(MANAGER, message_id, "Добрый день! Когда будет отгрузка кровли?")
    (note,) = await harness.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert "изменено" in note.text and "ещё раз" in note.text


@pytest.mark.parametrize(
    "data",
    [
        "sg:edit:99999999999999999999999999",  # an id past any database integer: used to overflow the driver
        "sg:edit:-5",
        "garbage-from-an-old-client",
        "x" * 64,
    ],
)
async def test_a_forged_or_outdated_button_is_answered(harness: Harness, data: str) -> None:
    mark = harness.tg.mark()
    harness.tg.send_text(MANAGER, "/help")
    (help_message,) = await harness.tg.wait_sent(MANAGER.id, 1, after=mark)
    answers = len(harness.tg.callback_answers)
    harness.tg.press_raw(MANAGER, help_message, data)
    (answer,) = (await harness.tg.wait_callback_answer(answers + 1))[answers:]
    assert "устарела" in answer["text"]
    await harness.settled()
    assert not harness.tg.errors
    assert not [m for m in harness.tg.sent if m.chat_id == MANAGER.id and "ошибк" in m.text.lower()]


async def test_in_a_group_the_bot_says_once_where_to_write(harness: Harness) -> None:
    group = -100_500
    mark = harness.tg.mark()
    harness.tg.send_text(MANAGER, "Клиент пишет: когда отгрузка? Очень переживаю!", group_id=group)
    (notice,) = await harness.tg.wait_sent(group, 1, after=mark)
    assert "личные сообщения" in notice.text
    harness.tg.send_text(MANAGER, "И ещё один клиент: пришлите счёт", group_id=group)
    harness.tg.send_content(MANAGER, CONTENT["sticker"], group_id=group)
    await harness.settled()
    sent_to_group: list[SentMessage] = [m for m in harness.tg.sent[mark:] if m.chat_id == group]
    assert len(sent_to_group) == 1, "said once, and no card, type or client in the group"


async def test_invisible_characters_do_not_change_the_reading(harness: Harness) -> None:
    clean = "Это безобразие!!! СРОЧНО пришлите новую дату отгрузки."
    dirty = "Это без\u200bобразие!!! СРО\u00adЧНО при\u2066шлите\u2069 новую дату отгрузки.\ufeff"
    cards = []
    for text in (clean, dirty):
        mark = harness.tg.mark()
        harness.tg.send_text(MANAGER, text)
        (question,) = await harness.tg.wait_sent(MANAGER.id, 1, after=mark)
        mark = harness.tg.mark()
        harness.tg.press(MANAGER, question, question.button("Без клиента")["callback_data"])
        (card,) = await harness.tg.wait_sent(MANAGER.id, 1, after=mark)
        cards.append(card.text)
    type_line = [line for line in cards[0].splitlines() if "Тип:" in line]
    assert type_line and type_line[0] in cards[1], "the same type with the invisible characters in"
    assert "Недостаточно признаков" not in cards[1]
