"""/task in the terminal chat: the same questions as in Telegram, then the draft; the directory and overdue views."""

from __future__ import annotations

from pathlib import Path

from bot.chat.dialogue import Dialogue
from bot.chat.tasks import register
from bot.presenters import html_to_plain
from bot.services.common.notify import OutboxNotifier
from tests.services.tasks.support import demo_app
from tests.support.notices import rendered


async def test_the_terminal_dialogue_asks_for_what_is_missing_then_drafts(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        dialogue = Dialogue(app.services, rendered(OutboxNotifier()), tmp_path / "charts")
        register(dialogue)
        async with app.uow() as uow:
            me = await app.access.local_operator(uow)
        (ask,) = await dialogue.handle(me, "/task")
        assert "Опишите задачу" in html_to_plain(ask.html)
        (question,) = await dialogue.handle(me, "Мельникову к пятнице")
        assert "что именно нужно сделать" in html_to_plain(question.html).lower()
        draft, hint = await dialogue.handle(me, "план отгрузок по Кедру")
        text = html_to_plain(draft.html)
        assert "Здравствуйте, Сергей!" in text and "27 ноября 2026 (пятница)" in text
        assert "/task_edit" in hint.html
        (edited, _) = await dialogue.handle(me, "/task_edit срок — 30.11")
        assert "30 ноября 2026 (понедельник)" in html_to_plain(edited.html)
        (directory,) = await dialogue.handle(me, "/colleagues")
        assert "Сергей Мельников" in html_to_plain(directory.html)
        (added,) = await dialogue.handle(me, "/colleague add Иван Петров; склад; @ivan_petrov; nu")
        assert "c12" in html_to_plain(added.html) and "Неэмоциональный неуверенный" in html_to_plain(added.html)
        (bad,) = await dialogue.handle(me, "/colleague add Иван; космос")
        assert "Не знаю отдел" in html_to_plain(bad.html)
        (read,) = await dialogue.handle(
            me,
            "/colleague read c12 Коллеги, прошу прислать точный регламент и письменное подтверждение. "
            "Боюсь ошибиться, нужны гарантии и образец заполнения, пожалуйста, проверьте ещё раз.",
        )
        assert "Иван Петров" in html_to_plain(read.html)
        async with app.uow() as uow:
            ivan = await uow.colleagues.get("c12")
            assert ivan is not None and ivan.type_source in ("messages", "manual")
        (causes,) = await dialogue.handle(me, "/overdue")
        assert "Частые причины просрочек" in html_to_plain(causes.html)
    finally:
        await app.close()
