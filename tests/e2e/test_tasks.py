"""Task briefs end to end over HTTP: a curt request becomes a polite brief with a real date, reaches the colleague
(a person who started the bot, linked by username), the status buttons reach the requester, a reminder tick with a
pinned clock, the overdue reason recorded — and it shapes the next brief to that department."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import PROJECT_ROOT
from bot.presenters.notices import RenderedNotices
from bot.services.crm.importing import import_file
from bot.services.tasks.followup import run_tick
from bot.telegram.notifier import TelegramNotifier
from tests.e2e.conftest import ADMIN, MANAGER, STAFF, Harness

MSK = ZoneInfo("Europe/Moscow")
CURT = "/task Анна, ну хоть в этот раз не проспите: подтверждение отгрузки для Кедра отправьте им до среды 17:00"


async def _demo(harness: Harness) -> None:
    await import_file(harness.app.uow, PROJECT_ROOT / "datasets" / "demo_company.json")


async def _press_and_wait(harness: Harness, presser: object, message: object, label: str, waiter: int) -> list:  # type: ignore[type-arg]
    mark = harness.tg.mark()
    harness.tg.press(presser, message, message.button(label)["callback_data"])  # type: ignore[arg-type, attr-defined]
    return await harness.tg.wait_sent(waiter, 1, after=mark)


async def _alert(harness: Harness, text: str, timeout: float = 10.0) -> None:
    """Wait for a button's answer (a pop-up) containing `text`."""
    for _ in range(int(timeout / 0.05)):
        if any(text in (a.get("text") or "") for a in harness.tg.callback_answers):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer with {text!r}: {harness.tg.callback_answers}")


async def test_a_curt_request_is_delivered_followed_through_and_shapes_the_next_brief(harness: Harness) -> None:
    await _demo(harness)
    await harness.say(STAFF, "/start")  # the colleague has started the bot
    (linked,) = await harness.say(ADMIN, "/colleague set c03 tg @petr_wh")
    assert "обновлён" in linked.text and "@petr_wh" in linked.text
    (directory,) = await harness.say(ADMIN, "/colleagues")
    assert "Анна Гончарова" in directory.text and "✅" in directory.text

    # 1. The curt request becomes a polite brief with a real date.
    (draft,) = await harness.say(MANAGER, CURT)
    assert "Здравствуйте, Анна!" in draft.text
    assert "25 ноября 2026 (среда), до 17:00" in draft.text
    assert "«Кедр" in draft.text and "спасибо" in draft.text.lower()
    for rude in ("проспите", "хоть в этот раз", "ну "):
        assert rude not in draft.text.split("Черновик задачи")[-1].lower()
    assert {b["text"] for b in draft.buttons()} >= {"📨 Отправить коллеге", "✏️ Изменить", "✖️ Отмена"}

    # 2. It reaches the colleague, with the status buttons.
    mark = harness.tg.mark()
    (sent,) = await harness.press(MANAGER, draft, "Отправить коллеге")
    assert "Задача отправлена" in sent.text
    (brief,) = await harness.tg.wait_sent(STAFF.id, 1, after=mark)
    assert "Задача от Мария" in brief.text and "Здравствуйте, Анна!" in brief.text
    assert {b["text"] for b in brief.buttons()} == {"👍 Принято", "❓ Нужно уточнить", "✅ Готово"}

    # 3. «Принято» reaches the requester; /tasks shows the status.
    (accepted,) = await _press_and_wait(harness, STAFF, brief, "Принято", MANAGER.id)
    assert "принята в работу" in accepted.text
    (listing,) = await harness.say(MANAGER, "/tasks")
    assert "принята в работу" in listing.text

    # 4. A reminder before the deadline (a tick with a pinned clock).
    notices = RenderedNotices(TelegramNotifier(harness.runtime.bot), MSK)  # what the running bot's job uses
    mark = harness.tg.mark()
    report = await run_tick(harness.app.uow, notices, datetime(2026, 11, 25, 14, 5, tzinfo=MSK))
    assert report.reminders == 1
    (reminder,) = await harness.tg.wait_sent(STAFF.id, 1, after=mark)
    assert "Напоминание" in reminder.text and "25 ноября 2026 (среда), до 17:00" in reminder.text

    # 5. The deadline passes: the colleague is asked why; the reason is stored and reaches the requester.
    mark = harness.tg.mark()
    report = await run_tick(harness.app.uow, notices, datetime(2026, 11, 25, 17, 30, tzinfo=MSK))
    assert report.overdue_questions == 1
    (question,) = await harness.tg.wait_sent(STAFF.id, 1, after=mark)
    assert "что помешало" in question.text
    (ask_text,) = await _press_and_wait(harness, STAFF, question, "Другая причина", STAFF.id)
    assert "своими словами" in ask_text.text
    mark = harness.tg.mark()
    (thanks,) = await harness.say(STAFF, "не прислали схему проезда к складу клиента")
    assert "записал" in thanks.text
    (told,) = await harness.tg.wait_sent(MANAGER.id, 1, after=mark)
    assert "схему проезда" in told.text
    await harness.settled()
    async with harness.app.uow() as uow:
        tasks = [t for t in await uow.tasks.by_requester(MANAGER.id) if t.status != "draft"]
        assert tasks[0].overdue_reason == "не прислали схему проезда к складу клиента"

    # 6. The next brief to the department prepares for that cause, without blame.
    (next_draft,) = await harness.say(MANAGER, "/task логистам: до пятницы подтвердить отгрузку для Вектора")
    assert "Здравствуйте, коллеги!" in next_draft.text
    assert "схема проезда к складу клиента" in next_draft.text
    assert "не прислали" not in next_draft.text


async def test_the_guided_dialogue_asks_only_for_what_is_missing(harness: Harness) -> None:
    await _demo(harness)
    (who,) = await harness.say(MANAGER, "/task подготовить акт сверки по Вектору")
    assert "Кому адресована задача" in who.text
    assert any(b["text"] == "Бухгалтерия" for b in who.buttons())
    (when,) = await harness.press(MANAGER, who, "Бухгалтерия")
    assert "К какому сроку" in when.text and any(b["text"] == "До пятницы" for b in when.buttons())
    (again,) = await harness.say(MANAGER, "когда-нибудь потом")
    assert "Не понял срок" in again.text
    (draft,) = await harness.say(MANAGER, "к 25-му")
    assert "Здравствуйте, коллеги!" in draft.text and "25 ноября 2026 (среда)" in draft.text
    assert "акт сверки по «Вектору»" in draft.text

    # A department's draft: choose the person; Марина has not started the bot, so the requester is told.
    (choose,) = await harness.press(MANAGER, draft, "Отправить коллеге")
    assert "выберите, кому" in choose.text
    mark = harness.tg.mark()
    harness.tg.press(MANAGER, choose, choose.button("Марина Орлова")["callback_data"])
    replies = await harness.tg.wait_sent(MANAGER.id, 2, after=mark)
    assert "Здравствуйте, Марина!" in replies[0].text
    assert "ещё не начинал(а) диалог с ботом" in replies[1].text

    # Edit, a refusal to anyone but the author, cancel; an admin-only command refused politely.
    (draft,) = await harness.say(MANAGER, "/task Мельникову: план отгрузок по Заречному до пятницы")
    (prompt,) = await harness.press(MANAGER, draft, "Изменить")
    assert "Что поправить" in prompt.text
    (edited,) = await harness.say(MANAGER, "срок — до четверга 12:00")
    assert "26 ноября 2026 (четверг), до 12:00" in edited.text
    mark = harness.tg.mark()
    harness.tg.press(STAFF, edited, edited.button("Отправить коллеге")["callback_data"])
    await _alert(harness, "другим сотрудником")
    harness.tg.press(MANAGER, edited, edited.button("Отмена")["callback_data"])
    await _alert(harness, "Черновик отменён")
    assert not [m for m in harness.tg.sent[mark:] if m.chat_id == STAFF.id and m.method.startswith("send")]
    (refused,) = await harness.say(MANAGER, "/colleague add Иван Петров; склад")
    assert "администратор" in refused.text


async def test_a_request_with_no_action_gets_one_question_and_the_answer_makes_the_brief(harness: Harness) -> None:
    await _demo(harness)
    (question,) = await harness.say(MANAGER, "/task Мельникову передай, пусть глянет, что там с машиной на Заречный")
    assert "уточните, пожалуйста: что именно нужно сделать с машиной на Заречный" in question.text
    assert "Здравствуйте" not in question.text  # no brief made of noise
    (draft,) = await harness.say(MANAGER, "выяснить, когда машина с плиткой выйдет на Заречный, до пятницы")
    assert "Здравствуйте, Сергей!" in draft.text
    assert "выяснить, когда машина с плиткой выйдет на «Заречный»" in draft.text or (
        "выяснить, когда машина с плиткой выйдет на Заречный" in draft.text
    )
    assert "27 ноября 2026 (пятница)" in draft.text
