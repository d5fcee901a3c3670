"""The suggestion card as a service: offline type, situation, script and a reply built from the client's history;
abstention with questions; another type or script; edit and save; visibility; the LLM path and its fallback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.domain import BehaviourType, Situation
from bot.services.suggestions import actions as suggestion_actions
from bot.services.suggestions import service as suggestions
from storage.models import AuditEntry, Interaction, Suggestion
from tests.services.clients.support import M1, M2, demo_app, principal, tools
from tests.support.fake_openai import FakeOpenAI, Request, data_block, server_error

DELAY_WORRY = (
    "Добрый день. Когда отгрузка по кровле? В прошлый раз машина опоздала на день, бригада простаивала. "
    "Прошу подтвердить дату и время заранее."
)


async def test_offline_card_fits_the_clients_history(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            client = await uow.clients.get("cl01")
            card = await suggestions.suggest(app, uow, tools(), m1, DELAY_WORRY, client=client)
        assert card.type in set(BehaviourType) - {BehaviourType.UNDETERMINED}
        assert card.behaviour.cues and all(c.text in DELAY_WORRY for c in card.behaviour.cues)
        assert card.situation is Situation.DELAY_NOTICE and card.script is not None
        assert card.script.id == f"delay_notice.{card.type.value}"
        reply = card.reply
        assert reply.startswith("Добрый день, Игорь Валентинович!")
        assert "«Рамочная поставка на I квартал 2027»" in reply  # the open deal fills the template
        assert "24 ноября" in reply  # the next working day after Monday 23 November
        assert reply.rstrip().endswith(card.advice.closing)
        assert card.context is not None and [p.rule.kind for p in card.context.precautions] == ["billing", "delay"]
        assert card.engine == "offline" and "офлайн" in card.engine_note

        async with app.uow() as uow:
            row = await uow.suggestions.get(card.id)
            assert row is not None and row.kind == "reply" and row.client_id == "cl01" and row.author_id == M1
            assert row.text == reply and row.script_id == card.script.id and row.behaviour_type == card.type.value
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


async def test_thin_message_abstains_with_the_neutral_script_and_questions(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            card = await suggestions.suggest(app, uow, tools(), m1, "Добрый день.", client=None)
        assert card.type is BehaviourType.UNDETERMINED
        assert card.behaviour.questions, "the classifier's questions that would reveal the type"
        assert card.script is not None and card.script.type is BehaviourType.UNDETERMINED
        assert card.reply.startswith("Добрый день!") and card.context is None
    finally:
        await app.close()


async def test_another_type_and_script_edit_save_and_visibility(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1, m2 = await principal(app, M1), await principal(app, M2)
        async with app.uow() as uow:
            card = await suggestions.suggest(app, uow, tools(), m1, DELAY_WORRY, client=await uow.clients.get("cl01"))
        async with app.uow() as uow:
            assert await suggestion_actions.visible_suggestion(uow, m2, card.id) is None
            row = await suggestion_actions.visible_suggestion(uow, m1, card.id)
            assert row is not None
            changed = await suggestions.rerender(app, uow, tools(), m1, row, type_=BehaviourType.EMOTIONAL_CONFIDENT)
            assert changed.type is BehaviourType.EMOTIONAL_CONFIDENT and changed.manual_type is not None
            assert changed.script is not None and changed.script.id == "delay_notice.emotional_confident"
            assert changed.reply.startswith("Добрый день, Игорь Валентинович!")
            moved = await suggestions.rerender(app, uow, tools(), m1, row, situation=Situation.PAYMENT_REMINDER)
            assert moved.script is not None and moved.script.id == "payment_reminder.emotional_confident"
            await suggestion_actions.set_final_text(uow, m1, row, "Игорь Валентинович, счёт пришлём сегодня.")
            assert await suggestion_actions.save_to_history(app, uow, m1, row)
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
        "reply": "Добрый день! Дату отгрузки подтвердим письменно сегодня до 17:00.",
        "notes": None,
    }


async def test_llm_answers_when_configured_and_the_offline_engine_when_it_fails(tmp_path: Path) -> None:
    async with FakeOpenAI(responder=suggestion_answer) as server:
        app = await demo_app(
            tmp_path,
            openai_base_url=server.base_url,
            openai_api_key="test",
            llm_timeout_seconds=2,
            llm_max_retries=0,
        )
        try:
            m1 = await principal(app, M1)
            async with app.uow() as uow:
                client = await uow.clients.get("cl01")
                card = await suggestions.suggest(app, uow, tools(), m1, DELAY_WORRY, client=client)
            assert card.engine == "llm" and "LLM" in card.engine_note
            assert card.reply == "Добрый день! Дату отгрузки подтвердим письменно сегодня до 17:00."
            assert card.type is BehaviourType.NONEMOTIONAL_UNCONFIDENT
            assert [c.text for c in card.behaviour.cues] == ["Прошу подтвердить"]
            assert "Ладыгин" not in server.sent_text(), "the contact's name is masked before it leaves"

            server.queue(server_error())
            async with app.uow() as uow:
                fallback = await suggestions.suggest(
                    app, uow, tools(), m1, DELAY_WORRY + " Ждём ответа.", client=client
                )
            assert fallback.engine == "offline" and fallback.engine_note != "Черновик подготовил офлайн-движок."
            assert fallback.reply.startswith("Добрый день, Игорь Валентинович!")
            async with app.uow() as uow:
                rows = list(await uow.session.scalars(select(Suggestion).order_by(Suggestion.id)))
                assert [r.engine for r in rows] == ["llm", "offline"] and rows[0].llm_tokens > 0
        finally:
            await app.close()


async def test_a_card_that_admits_a_delay_warns_the_manager_to_check_it(tmp_path: Path) -> None:
    from bot.presenters import card as present

    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            client = await uow.clients.get("cl01")
            delay = await suggestions.suggest(app, uow, tools(), m1, DELAY_WORRY, client=client)
            offer = await suggestions.suggest(
                app, uow, tools(), m1, "Пришлите, пожалуйста, коммерческое предложение и спецификацию.", client=client
            )
        assert delay.situation is Situation.DELAY_NOTICE
        assert "отправляйте, только если это действительно так" in present.render(delay, app.settings.tz)
        assert offer.situation is not Situation.DELAY_NOTICE
        assert "действительно так" not in present.render(offer, app.settings.tz)
    finally:
        await app.close()


async def test_without_a_deal_on_file_the_reply_reads_naturally(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            card = await suggestions.suggest(
                app, uow, tools(), m1, "Пришлите, пожалуйста, коммерческое предложение, сравните варианты."
            )
        assert card.situation is Situation.PROPOSAL and card.script is not None
        assert "{{ deal }}" in card.script.reply_template
        assert "по Вашему заказу" in card.reply or "Ваш заказ" in card.reply
        assert "«Ваш заказ»" not in card.reply and "\x00" not in card.reply
    finally:
        await app.close()
