"""A forwarded or pasted client message → the suggestion card, over real HTTP against the fake Bot API.

The demo company is loaded; MANAGER owns Стройдом (m1). The card must fit the client's history: Стройдом had a
late delivery, so the card carries the delay precautions and greets the contact by name and patronymic.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.telegram.keyboards import SuggestionCb
from storage.models import AuditEntry, Client, Contact, Interaction, Suggestion
from tests.e2e import demo_support
from tests.e2e.conftest import MANAGER, STAFF, Harness
from tests.e2e.demo_support import LADYGIN, press_edit, settled
from tests.fake_telegram import TgUser

DELAY_WORRY = (
    "Добрый день. Где отгрузка по кровле? Обещали вчера, а машины так и нет, бригада простаивает. "
    "Прошу подтвердить новую дату и время."
)

demo = demo_support.demo  # the fixture: the demo company in the harness, managers bound to m1 and m2


async def test_forward_from_a_known_contact_gives_a_card_that_fits_the_history(demo: Harness) -> None:
    (card,) = await demo.say(MANAGER, DELAY_WORRY, forward_from=LADYGIN)
    text = card.text
    assert "Стройдом" in text and "Игорь Валентинович Ладыгин" in text
    assert "Тип:" in text and "Признаки в словах клиента" in text
    assert "Ситуация:</b> Задержка или проблема" in text
    assert "Скрипт:" in text
    assert "Добрый день, Игорь Валентинович!" in text  # greeting by first name and patronymic
    # The history: the late delivery of March calls for the precautions of the method.
    assert "Была задержка поставки" in text and "приоритетн" in text
    assert "Предложение на I квартал 2027" in text  # an open promise of this client
    assert "офлайн-движок" in text
    assert {"chat_id": str(MANAGER.id), "action": "typing"}.items() <= demo.tg.chat_actions[-1].items()
    assert {b["text"] for b in card.buttons()} >= {
        "🧭 Другой тип",
        "📄 Другой скрипт",
        "✏️ Изменить",
        "📤 На проверку",
        "💾 Сохранить в историю",
    }

    await settled(demo)
    async with demo.app.uow() as uow:
        row = (await uow.session.scalars(select(Suggestion).where(Suggestion.kind == "reply"))).one()
        assert row.client_id == "cl01" and row.author_id == MANAGER.id and row.engine == "offline"
        assert row.input_text == DELAY_WORRY and row.situation == "delay_notice" and row.script_id
        assert row.cues, "the evidence is stored with the suggestion"
        stored = await uow.clients.interactions("cl01", direction="in", limit=1)
        assert stored[0].text == DELAY_WORRY and stored[0].source == "telegram"
        contact = (await uow.clients.get("cl01")).contacts[0]  # type: ignore[union-attr]
        assert contact.telegram_user_id == LADYGIN.id, "matched by username, the Telegram id is remembered"
        audit = await uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_ref == f"suggestion:{row.id}")
        )
        assert "generated" in list(audit)


async def test_card_buttons_change_type_and_script_edit_and_save(demo: Harness) -> None:
    (card,) = await demo.say(MANAGER, DELAY_WORRY, forward_from=LADYGIN)

    picker = await press_edit(demo, MANAGER, card, "Другой тип")
    assert "Выберите тип" in picker.text
    edited = await press_edit(demo, MANAGER, card, "Эмоциональный неуверенный")
    assert "Эмоциональный неуверенный</b>" not in edited.text  # the name is in the type line, not bold
    assert "выбран вручную" in edited.text and "Эмоциональный неуверенный" in edited.text
    assert "Задержка или проблема — эмоциональный неуверенный" in edited.text  # that type's script

    await press_edit(demo, MANAGER, card, "Другой скрипт")
    edited = await press_edit(demo, MANAGER, card, "Поздравление")
    assert "Ситуация:</b> Поздравление" in edited.text

    (ask,) = await demo.press(MANAGER, card, "Изменить")
    assert "исправленный текст" in ask.text
    replies = await demo.say(MANAGER, "Игорь Валентинович, отгрузка 25 ноября, машина будет к 9:00.", count=2)
    assert "сохранён" in replies[0].text
    assert "Ваш вариант ответа" in replies[1].text and "машина будет к 9:00" in replies[1].text

    answers = len(demo.tg.callback_answers)
    demo.tg.press(MANAGER, replies[1], replies[1].button("Сохранить")["callback_data"])
    answer = (await demo.tg.wait_callback_answer(answers + 1))[answers]
    assert "сохранён" in answer["text"]

    await settled(demo)
    async with demo.app.uow() as uow:
        row = (await uow.session.scalars(select(Suggestion).where(Suggestion.kind == "reply"))).one()
        assert row.manual_type == "emotional_unconfident" and row.behaviour_type != row.manual_type
        assert row.situation == "congratulation" and row.status == "saved"
        assert row.final_text and "к 9:00" in row.final_text
        out = await uow.clients.interactions("cl01", direction="out", limit=1)
        assert out[0].text == row.final_text and out[0].recorded_by == MANAGER.id


async def test_hidden_user_forward_is_matched_by_the_contact_name(demo: Harness) -> None:
    (card,) = await demo.say(
        MANAGER,
        "Вера на связи. Машину на Московское шоссе ждём к восьми, подтвердите, пожалуйста.",
        forward_sender_name="Вера Кочеткова",
    )
    assert "Стройдом" in card.text and "Добрый день, Вера!" in card.text


async def test_batch_of_forwarded_messages_is_one_card(demo: Harness) -> None:
    parts = ["Добрый день!", "Когда будет отгрузка утеплителя?", "Нам важно не сорвать график монтажа."]
    mark = demo.tg.mark()
    for part in parts:
        demo.tg.send_text(MANAGER, part, forward_from=LADYGIN)
    (card,) = await demo.tg.wait_sent(MANAGER.id, 1, after=mark)
    import asyncio

    await asyncio.sleep(2.0)  # nothing else may follow: the three messages were one batch
    assert len([m for m in demo.tg.sent[mark:] if m.chat_id == MANAGER.id]) == 1
    await settled(demo)
    async with demo.app.uow() as uow:
        row = (await uow.session.scalars(select(Suggestion).where(Suggestion.kind == "reply"))).one()
    assert row.input_text == "\n\n".join(parts)
    assert "Стройдом" in card.text


async def test_pasted_text_asks_which_client_then_gives_the_card(demo: Harness) -> None:
    (question,) = await demo.say(MANAGER, "Здравствуйте! Сколько будет стоить партия дверей, если возьмём 120 штук?")
    assert "Чьё это сообщение" in question.text
    labels = [b["text"] for b in question.buttons()]
    assert "🔎 Найти клиента" in labels and "➕ Новый клиент" in labels and "Без клиента" in labels
    assert "Вектор" not in labels, "only the manager's own clients are offered"

    (prompt,) = await demo.press(MANAGER, question, "Найти клиента")
    assert "Напишите название" in prompt.text
    (found,) = await demo.say(MANAGER, "альфа логистик")
    assert "Альфа-Логистик" in found.text
    (card,) = await demo.press(MANAGER, found, "Альфа-Логистик")
    assert "Клиент:</b> Альфа-Логистик" in card.text


async def test_new_client_from_an_unknown_forward(demo: Harness) -> None:
    stranger = TgUser(700099, "Марина", "marina_new", "Белова")
    (question,) = await demo.say(MANAGER, "Добрый день! Интересуют входные двери для коттеджа.", forward_from=stranger)
    assert "Марина Белова" in question.text
    await demo.press(MANAGER, question, "Новый клиент")
    replies = await demo.say(MANAGER, "Коттедж Беловой", count=2)
    assert "создан" in replies[0].text and "Коттедж Беловой" in replies[1].text
    await settled(demo)
    async with demo.app.uow() as uow:
        client = (await uow.session.scalars(select(Client).where(Client.name == "Коттедж Беловой"))).one()
        assert client.manager_id == MANAGER.id and client.manager_key == "m1"
        contact = (await uow.session.scalars(select(Contact).where(Contact.client_id == client.id))).one()
        assert contact.telegram_user_id == stranger.id and contact.name == "Марина Белова"
        assert len(list(await uow.session.scalars(select(Interaction).where(Interaction.client_id == client.id)))) == 1


async def test_staff_and_bad_input_get_polite_answers(demo: Harness) -> None:
    (reply,) = await demo.say(STAFF, "Клиент пишет, что недоволен сроками")
    assert "/task" in reply.text
    # A button with a made-up suggestion id: a refusal, not a traceback.
    answers = len(demo.tg.callback_answers)
    (card,) = await demo.say(MANAGER, DELAY_WORRY, forward_from=LADYGIN)
    demo.tg.press(MANAGER, card, SuggestionCb(action="type", id=99999).pack())
    answer = (await demo.tg.wait_callback_answer(answers + 1))[answers]
    assert "недоступна" in answer["text"]
    assert not demo.tg.errors
