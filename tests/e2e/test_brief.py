"""/client and /brief, the folded parts of the brief, the call log with new promises — over real HTTP.

Стройдом (cl01, manager m1 = MANAGER) had a one-day delivery delay in March and a billing error in October, has an
open promise due 27 November and an open deal; the clock is pinned to 23 November 2026.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.presenters import html_to_plain
from storage.models import Interaction, Promise
from tests.e2e import demo_support
from tests.e2e.conftest import MANAGER, Harness
from tests.e2e.demo_support import settled

demo = demo_support.demo  # the fixture: the demo company in the harness, managers bound to m1 and m2


async def test_brief_shows_promises_incidents_precautions_goal_and_opening(demo: Harness) -> None:
    (brief,) = await demo.say(MANAGER, "/brief Стройдом")
    text = brief.text
    assert "Перед звонком: Стройдом" in text
    assert "Тип:</b> Неэмоциональный уверенный" in text and "Как говорить" in text
    assert "Ядро клиентской базы" in text and "задача:" in text
    assert "Стратегия сегмента: Повышение лояльности" in text
    assert "Рамочная поставка на I квартал 2027" in text  # the open deal
    assert "Предложение на I квартал 2027" in text and "до 27 ноября" in text  # the open promise
    # The March delay calls for the method's precautions; the October billing error for its own.
    assert "Была задержка поставки (26 марта)" in text
    assert "подтвердите дату заранее" in text and "приоритетным" in text and "всё идёт по графику" in text
    assert "Была ошибка в счёте или документах" in text
    assert "Последние контакты" in text and "Цель звонка" in text
    assert "Начните так:</b> «Добрый день, Игорь Валентинович!" in text
    # One phone screen: the long parts are folded behind buttons.
    plain = html_to_plain(text)
    assert len(plain) < 2000 and plain.count("\n") < 40
    labels = {b["text"] for b in brief.buttons()}
    assert {"🕑 Вся история", "🤝 Все обещания", "📝 Итог звонка", "📤 На проверку"} <= labels

    (history,) = await demo.press(MANAGER, brief, "Вся история")
    assert "История: Стройдом" in history.text and history.text.count("•") >= 5

    (promises,) = await demo.press(MANAGER, brief, "Все обещания")
    assert "✅ выполнено" in promises.text and "⏳ открыто" in promises.text
    answers = len(demo.tg.callback_answers)
    demo.tg.press(MANAGER, promises, promises.button("✅")["callback_data"])
    answer = (await demo.tg.wait_callback_answer(answers + 1))[answers]
    assert "выполнено" in answer["text"]
    await settled(demo)
    async with demo.app.uow() as uow:
        kept = await uow.session.scalars(
            select(Promise.text).where(Promise.client_id == "cl01", Promise.kept.is_(True))
        )
        assert "Предложение на I квартал 2027: фиксированная цена, два варианта оплаты, таблица экономии" in list(kept)

    (why,) = await demo.press(MANAGER, brief, "Почему такой тип")
    assert "Признаки" in why.text and "не оценка человека" in why.text


async def test_client_search_by_any_form_of_a_name_and_the_card(demo: Harness) -> None:
    (card,) = await demo.say(MANAGER, "/client ладыгину")
    assert "Стройдом" in card.text and "@ladygin_sd" in card.text and "Ядро клиентской базы" in card.text
    assert "Ответственный" in card.text

    (several,) = await demo.say(MANAGER, "/client Архиграф")
    assert "Архиграф" in several.text

    (nothing,) = await demo.say(MANAGER, "/client Рога и копыта")
    assert "никого не нашлось" in nothing.text

    (menu,) = await demo.say(MANAGER, "/brief")
    assert menu.buttons(), "recent clients to choose from"
    (brief,) = await demo.press(MANAGER, menu, menu.buttons()[0]["text"])
    assert "Перед звонком" in brief.text


async def test_call_log_after_the_brief_records_outcome_and_promises_with_real_dates(demo: Harness) -> None:
    (brief,) = await demo.say(MANAGER, "/brief Альфа-Логистик")
    (ask,) = await demo.press(MANAGER, brief, "Итог звонка")
    assert "итог звонка" in ask.text
    (ask_promises,) = await demo.say(MANAGER, "Обсудили протокол разногласий, юрист клиента ждёт наш ответ.")
    assert "Что Вы пообещали" in ask_promises.text
    (done,) = await demo.say(MANAGER, "Ответ юриста по протоколу до пятницы\nПозвонить после совещания через 3 дня")
    assert "27 ноября (пятница)" in done.text and "26 ноября (четверг)" in done.text

    await settled(demo)
    async with demo.app.uow() as uow:
        logged = (
            await uow.session.scalars(
                select(Interaction).where(Interaction.client_id == "cl03", Interaction.source == "log")
            )
        ).one()
        assert logged.direction == "out" and "протокол" in logged.text and logged.recorded_by == MANAGER.id
        new = {
            p.text: p.due for p in await uow.session.scalars(select(Promise).where(Promise.created_by == MANAGER.id))
        }
    assert new == {
        "Ответ юриста по протоколу до пятницы": date(2026, 11, 27),
        "Позвонить после совещания через 3 дня": date(2026, 11, 26),
    }

    (again,) = await demo.say(MANAGER, "/log Альфа-Логистик")
    assert "итог звонка" in again.text
    (ask_again,) = await demo.say(MANAGER, "Клиент не ответил, перезвоню.")
    (none,) = await demo.press(MANAGER, ask_again, "Обещаний нет")
    assert "Новых обещаний нет" in none.text
