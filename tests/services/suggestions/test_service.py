"""The suggestion card as a service: offline type, situation, script and a reply built from the client's history;
abstention with questions; another type or script; edit and save; visibility; the LLM path and its fallback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.domain import BehaviourType, Situation
from bot.services.suggestions import actions as suggestion_actions
from storage.models import AuditEntry, Interaction, Suggestion
from tests.services.clients.support import M1, M2, demo_app, principal
from tests.support.fake_openai import FakeOpenAI, Request, data_block, server_error

DELAY_WORRY = (
    "Добрый день. Когда отгрузка по кровле? В прошлый раз машина опоздала на день, бригада простаивала. "
    "Прошу подтвердить дату и время заранее."
)


async def test_offline_card_answers_what_the_client_asked_and_keeps_the_history(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            client = await uow.clients.get("cl01")
            card = await app.services.suggestions.suggest(uow, m1, DELAY_WORRY, client=client)
        assert card.type in set(BehaviourType) - {BehaviourType.UNDETERMINED}
        assert card.behaviour.cues and all(c.text in DELAY_WORRY for c in card.behaviour.cues)
        # A question with a worry about the past is a question, not a delay notice: nothing is late today.
        assert card.situation is Situation.QUESTION and Situation.DELAY_NOTICE not in card.situations
        reply = card.reply
        assert reply.startswith("Добрый день, Игорь Валентинович!")
        assert "Отгрузка по кровле — [дата]." in reply  # the question, with a visible blank for the date
        # the request for a confirmation, with the date itself left for the manager
        assert "Подтверждаем дату и время заранее: [дата и время]." in reply
        assert card.blanks >= 2  # and any the script's move leaves for the manager
        # a question outside a sales talk ends with the type's offer to clarify, not its sales move
        assert reply.rstrip().endswith(card.advice.closing_question)
        assert card.context is not None and [p.rule.kind for p in card.context.precautions] == ["billing", "delay"]
        assert card.engine == "offline" and "офлайн" in card.engine_note

        async with app.uow() as uow:
            row = await uow.suggestions.get(card.id)
            assert row is not None and row.kind == "reply" and row.client_id == "cl01" and row.author_id == M1
            assert row.text == reply and row.situation == "question" and row.behaviour_type == card.type.value
            incoming = await uow.clients.interactions("cl01", direction="in", limit=1)
            assert incoming[0].text == DELAY_WORRY and incoming[0].recorded_by == M1
            actions = list(
                await uow.session.scalars(
                    select(AuditEntry.action).where(AuditEntry.object_ref == f"suggestion:{card.id}")
                )
            )
            assert actions == ["generated"]
    finally:
        await app.close()


async def test_a_greeting_or_an_acknowledgement_needs_no_reply(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            thin = await app.services.suggestions.suggest(uow, m1, "Добрый день.", client=None)
            thanks = await app.services.suggestions.suggest(uow, m1, "Получила, спасибо!", client=None)
        assert thin.type is BehaviourType.UNDETERMINED
        assert thin.behaviour.questions, "the classifier's questions that would reveal the type"
        for card in (thin, thanks):
            assert card.situation is Situation.NO_REPLY and card.blanks == 0 and card.context is None
            assert len(card.reply) < 40
    finally:
        await app.close()


async def test_another_type_and_script_edit_save_and_visibility(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1, m2 = await principal(app, M1), await principal(app, M2)
        async with app.uow() as uow:
            card = await app.services.suggestions.suggest(uow, m1, DELAY_WORRY, client=await uow.clients.get("cl01"))
        async with app.uow() as uow:
            assert await suggestion_actions.visible_suggestion(uow, m2, card.id) is None
            row = await suggestion_actions.visible_suggestion(uow, m1, card.id)
            assert row is not None
            changed = await app.services.suggestions.rerender(uow, m1, row, type_=BehaviourType.EMOTIONAL_CONFIDENT)
            assert changed.type is BehaviourType.EMOTIONAL_CONFIDENT and changed.manual_type is not None
            assert changed.situation is Situation.QUESTION
            assert changed.reply.startswith("Добрый день, Игорь Валентинович!")
            assert "Отгрузка по кровле — [дата]." in changed.reply, "another type keeps the answers"
            moved = await app.services.suggestions.rerender(uow, m1, row, situation=Situation.PAYMENT_REMINDER)
            assert moved.script is not None and moved.script.id == "payment_reminder.emotional_confident"
            assert moved.situation is Situation.PAYMENT_REMINDER
            await suggestion_actions.set_final_text(uow, m1, row, "Игорь Валентинович, счёт пришлём сегодня.")
            assert await suggestion_actions.save_to_history(uow, m1, row, app.clock.now())
        async with app.uow() as uow:
            stored = await uow.suggestions.get(card.id)
            assert stored is not None and stored.status == "saved" and stored.manual_type == "emotional_confident"
            assert stored.behaviour_type == card.type.value, "the classifier's own type is kept"
            out = (
                await uow.session.scalars(
                    select(Interaction).where(Interaction.direction == "out", Interaction.source == "telegram")
                )
            ).one()
            assert out.text == "Игорь Валентинович, счёт пришлём сегодня." and out.client_id == "cl01"
    finally:
        await app.close()


def suggestion_answer(request: Request) -> dict[str, Any]:
    """A schema-valid answer of the suggestion task: quotes the client, picks an offered script."""
    user = FakeOpenAI.messages(request)["user"]
    message = data_block(user, "client_message") or ""
    script = re.search(r'<script id="([^"]+)"', user)
    return {
        "type": "nonemotional_unconfident",
        "emotionality": -0.5,
        "confidence_axis": -0.6,
        "confidence": 0.8,
        "cues": [{"quote": "Прошу подтвердить", "axis": "confidence", "direction": -1}]
        if "Прошу подтвердить" in message
        else [],
        "questions": [],
        "situation": "delay_notice",
        "situation_confidence": 0.9,
        "script_id": script.group(1) if script else None,
        "reply": "Добрый день! Дату отгрузки подтвердим письменно сегодня.",
        "notes": None,
    }


async def test_llm_answers_when_configured_and_the_offline_engine_when_it_fails(tmp_path: Path) -> None:
    async with FakeOpenAI(responder=suggestion_answer) as server:
        app = await demo_app(
            tmp_path,
            openai_base_url=server.base_url,
            openai_api_key="test",
            llm_timeout_seconds=10,
            llm_max_retries=0,
        )
        try:
            m1 = await principal(app, M1)
            async with app.uow() as uow:
                client = await uow.clients.get("cl01")
                card = await app.services.suggestions.suggest(uow, m1, DELAY_WORRY, client=client)
            assert card.engine == "llm" and "LLM" in card.engine_note
            assert card.reply == "Добрый день! Дату отгрузки подтвердим письменно сегодня."
            assert card.type is BehaviourType.NONEMOTIONAL_UNCONFIDENT
            # the type is read by both engines: the classifier's cues first, then the LLM's new quotes
            assert card.behaviour.engine == "llm+offline" and "Прошу подтвердить" in [
                c.text for c in card.behaviour.cues
            ]
            assert card.behaviour.cues[0].label != "по оценке LLM"
            assert "Ладыгин" not in server.sent_text(), "the contact's name is masked before it leaves"

            server.queue(server_error())
            async with app.uow() as uow:
                fallback = await app.services.suggestions.suggest(uow, m1, DELAY_WORRY + " Ждём ответа.", client=client)
            assert fallback.engine == "offline" and fallback.engine_note != "Черновик подготовил офлайн-движок."
            assert fallback.reply.startswith("Добрый день, Игорь Валентинович!")
            async with app.uow() as uow:
                rows = list(await uow.session.scalars(select(Suggestion).order_by(Suggestion.id)))
                assert [r.engine for r in rows] == ["llm", "offline"] and rows[0].llm_tokens > 0
        finally:
            await app.close()


async def test_a_card_that_announces_a_delay_warns_the_manager_to_check_it(tmp_path: Path) -> None:
    from bot.presenters import card as present

    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            client = await uow.clients.get("cl01")  # a late delivery is on file for this client
            delay = await app.services.suggestions.suggest(
                uow, m1, "Опять задержка с кровлей, обещали вчера. Где машина?", client=client
            )
            offer = await app.services.suggestions.suggest(
                uow, m1, "Пришлите, пожалуйста, коммерческое предложение и спецификацию.", client=client
            )
        assert delay.situation is Situation.DELAY_NOTICE
        assert "отправляйте, только если это действительно так" in present.render(delay, app.settings.tz)
        assert Situation.DELAY_NOTICE not in offer.situations
        assert "действительно так" not in present.render(offer, app.settings.tz)
    finally:
        await app.close()


# Messages that name no date, amount, attachment, meeting or order: the reply may not name one either.
PLAIN_MESSAGES = [
    "Подскажите, пожалуйста, как у вас устроена гарантия и что делать, если что-то сломается?",
    "Спасибо большое, всё понравилось! Ребята молодцы.",
    "Это безобразие, никто не отвечает, сколько можно ждать ответа!",
    "Пришлите, пожалуйста, коммерческое предложение, сравните варианты.",
    "Хотим начать работать с вами, расскажите, с чего начать?",
]
_DATE_OR_FIGURE = re.compile(r"\d|январ|феврал|март|апрел|\bма[яй]\b|июн|июл|август|сентябр|октябр|ноябр|декабр")
_INVENTED = re.compile(r"приложени|прилага|во вложении|в таблице ниже|встреч|по Вашему заказу|заказ", re.IGNORECASE)


async def test_a_reply_never_states_a_date_figure_or_attachment_nobody_gave(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            for text in PLAIN_MESSAGES:
                card = await app.services.suggestions.suggest(uow, m1, text, client=None)
                row = await uow.suggestions.get(card.id)
                assert row is not None
                for type_ in BehaviourType:  # every type's script and closing, not only the one the classifier chose
                    other = await app.services.suggestions.rerender(uow, m1, row, type_=type_)
                    outside_blanks = re.sub(r"\[[^\]]*\]|^\d+\. ", "", other.reply, flags=re.MULTILINE)
                    assert not _DATE_OR_FIGURE.search(outside_blanks), (text, type_, other.reply)
                    assert not _INVENTED.search(outside_blanks), (text, type_, other.reply)
    finally:
        await app.close()


async def test_without_a_deal_on_file_the_deal_part_of_a_script_drops_out_whole(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            card = await app.services.suggestions.suggest(
                uow, m1, "Пришлите, пожалуйста, коммерческое предложение, сравните варианты."
            )
        assert card.situation is Situation.PROPOSAL
        async with app.uow() as uow:
            row = await suggestion_actions.visible_suggestion(uow, m1, card.id)
            assert row is not None
            card = await app.services.suggestions.rerender(uow, m1, row, type_=BehaviourType.NONEMOTIONAL_CONFIDENT)
        assert card.script is not None and "{% if deal %}" in card.script.reply_template
        # No guessed noun («Ваш заказ»), no blank, no stray quotes.
        assert "по сделке" not in card.reply and "[сделка]" not in card.reply and "«»" not in card.reply
        assert "Ваш заказ" not in card.reply and "\x00" not in card.reply
    finally:
        await app.close()


async def test_an_approved_suggestion_is_never_changed_silently(tmp_path: Path) -> None:
    """An edit after approval is a new revision that goes back to review; the approved one stays as it was."""
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            card = await app.services.suggestions.suggest(uow, m1, "Пришлите счёт за декабрь.", client=None)
            row = await uow.suggestions.get(card.id)
            assert row is not None
            row.status, row.final_text = "approved", "Счёт пришлём сегодня."
            holder = await suggestion_actions.set_final_text(uow, m1, row, "Счёт пришлём завтра.", app.clock.now())
            assert holder is not row and holder.id != row.id
        async with app.uow() as uow:
            approved = await uow.suggestions.get(card.id)
            revision = await uow.suggestions.get(holder.id)
            assert approved is not None and approved.status == "approved"
            assert approved.final_text == "Счёт пришлём сегодня.", "what the supervisor approved is untouched"
            assert (
                revision is not None and revision.status == "pending" and revision.final_text == "Счёт пришлём завтра."
            )
            assert revision.text == "Счёт пришлём сегодня." and revision.input_text == approved.input_text
            details = (
                await uow.session.scalars(
                    select(AuditEntry.details).where(AuditEntry.object_ref == f"suggestion:{revision.id}")
                )
            ).all()
            assert {"revision_of": card.id, "was": "approved"} in details
    finally:
        await app.close()
