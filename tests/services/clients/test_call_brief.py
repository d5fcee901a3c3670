"""The pre-call brief as a service: aggregated type, base level, promises, incidents → precautions, the goal of
the call and the opening line; the supervisor's type correction; the call log and its dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.domain import BaseLevel, BehaviourType
from bot.services.clients import call_log
from bot.services.clients.call_log import PromiseDraft, parse_promises
from storage.models import Interaction, Promise, Suggestion
from tests.services.clients.support import M1, M2, NOW, demo_app, principal
from tests.support.fake_openai import FakeOpenAI, Request, server_error


async def test_brief_of_a_core_client_after_a_late_delivery(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            brief = await app.services.briefs.build_brief(uow, m1, await uow.clients.get("cl01"))
        assert brief.type is BehaviourType.NONEMOTIONAL_CONFIDENT and not brief.type_overridden
        assert brief.history.result.messages_used >= 5 and brief.history.result.cues
        assert brief.level.level is BaseLevel.CORE and brief.level.won == 6
        assert brief.segment is not None and brief.segment.strategy == "Повышение лояльности"
        kinds = [p.rule.kind for p in brief.context.precautions]
        assert kinds == ["billing", "delay"]  # newest first: October's invoice, March's late delivery
        delay = brief.context.precautions[1].rule
        assert any("приоритетн" in a for a in delay.actions) and any("заранее" in a.lower() for a in delay.actions)
        assert [p.text for p in brief.context.open_promises] == [
            "Предложение на I квартал 2027: фиксированная цена, два варианта оплаты, таблица экономии"
        ]
        assert brief.goal.startswith("Продвинуть сделку «Рамочная поставка на I квартал 2027»")
        assert brief.opening.startswith("Добрый день, Игорь Валентинович!") and len(brief.opening) > 30
        assert brief.script is not None and brief.script.type is BehaviourType.NONEMOTIONAL_CONFIDENT
        assert len(brief.interactions) == 10 and brief.interactions[0].at >= brief.interactions[-1].at

        contract = brief.as_contract("текст")
        assert {"text", "client", "type", "level", "promises", "incidents"} <= set(contract)
        assert contract["level"] == "core" and contract["type"] == "nonemotional_confident"
        assert {i["kind"] for i in contract["incidents"]} == {"delay", "billing"}  # type: ignore[union-attr]

        async with app.uow() as uow:
            row = (await uow.session.scalars(select(Suggestion).where(Suggestion.kind == "brief"))).one()
            assert row.id == brief.suggestion_id and "Цель звонка" in row.text and row.client_id == "cl01"
    finally:
        await app.close()


async def test_overdue_promise_becomes_the_goal_and_a_correction_wins_over_the_history(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m2 = await principal(app, M2)
        async with app.uow() as uow:
            vektor = await uow.clients.get("cl02")
            assert vektor is not None
            vektor.type_override = "emotional_confident"
            brief = await app.services.briefs.build_brief(uow, m2, vektor)
        assert [p.text for p in brief.context.overdue_promises] == [
            "Письмо о фиксации цен прайса от 1 ноября до 31 декабря"
        ]
        assert brief.goal.startswith("Закрыть просроченное обещание «Письмо о фиксации цен")
        assert brief.type is BehaviourType.EMOTIONAL_CONFIDENT and brief.type_overridden
        assert brief.context.broken_promises, "Вектор has a promise we did not keep"
    finally:
        await app.close()


def test_promises_are_read_with_real_dates() -> None:
    today = NOW.date()  # Monday 23 November 2026
    text = "Отправить КП до пятницы\n- Акт сверки к 25 ноября; позвонить завтра\nуточнить у склада"
    assert parse_promises(text, today) == [
        PromiseDraft("Отправить КП до пятницы", date(2026, 11, 27)),
        PromiseDraft("Акт сверки к 25 ноября", date(2026, 11, 25)),
        PromiseDraft("позвонить завтра", date(2026, 11, 24)),
        PromiseDraft("уточнить у склада", None),
    ]
    assert parse_promises("нет", today) == [] and parse_promises("Нет.", today) == []


async def test_call_log_stores_the_outcome_and_promises(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        async with app.uow() as uow:
            client = await uow.clients.get("cl03")
            assert client is not None
            await call_log.log_outcome(uow, m1, client, "Договорились о встрече с юристом.", app.clock.now())
            drafts = parse_promises("Ответ по протоколу до среды", NOW.date())
            added = await call_log.add_promises(uow, m1, client, drafts, app.clock.now())
            assert [(p.text, p.due) for p in added] == [("Ответ по протоколу до среды", date(2026, 11, 25))]
        async with app.uow() as uow:
            logged = (await uow.session.scalars(select(Interaction).where(Interaction.source == "log"))).one()
            assert logged.direction == "out" and logged.channel == "call" and logged.client_id == "cl03"
            promise = (await uow.session.scalars(select(Promise).where(Promise.created_by == M1))).one()
            assert await call_log.visible_promise(uow, await principal(app, M2), promise.id) is None
            visible = await call_log.visible_promise(uow, m1, promise.id)
            assert visible is not None
            await call_log.mark_promise(uow, m1, visible, True)
        async with app.uow() as uow:
            assert (await uow.clients.get_promise(promise.id)).kept is True  # type: ignore[union-attr]
    finally:
        await app.close()


def _brief_answer(request: Request) -> dict[str, Any]:
    user = FakeOpenAI.messages(request)["user"]
    assert "<client_profile>" in user and "Рамочная поставка на I квартал 2027" in user
    return {
        "goal": "Согласовать рамочную поставку на I квартал 2027 и назначить следующий шаг.",
        "opening_line": "Добрый день! Подготовили для вас сравнение двух вариантов оплаты.",
        "precautions": ["Была задержка поставки"],
    }


async def test_llm_writes_the_goal_and_the_opening_and_the_offline_engine_stands_in(tmp_path: Path) -> None:
    from bot.presenters import brief as present

    async with FakeOpenAI(responder=_brief_answer) as server:
        app = await demo_app(
            tmp_path, openai_base_url=server.base_url, openai_api_key="t", llm_timeout_seconds=10, llm_max_retries=0
        )
        try:
            m1 = await principal(app, M1)
            async with app.uow() as uow:
                brief = await app.services.briefs.build_brief(uow, m1, await uow.clients.get("cl01"))
            assert brief.engine == "llm" and brief.goal.startswith("Согласовать рамочную поставку")
            assert brief.opening == "Добрый день! Подготовили для вас сравнение двух вариантов оплаты."
            assert "предложила LLM" in present.render(brief, app.settings.tz)
            assert brief.as_contract("т")["engine"] == "llm"
            assert "Ладыгин" not in server.sent_text(), "the contact's name is masked before it leaves"

            server.queue(server_error())
            async with app.uow() as uow:
                offline = await app.services.briefs.build_brief(uow, m1, await uow.clients.get("cl01"))
            assert offline.engine == "offline"
            assert offline.goal.startswith("Продвинуть сделку «Рамочная поставка на I квартал 2027»")
            assert offline.engine_note.endswith("ответил офлайн-движок")
            async with app.uow() as uow:
                rows = list(await uow.session.scalars(select(Suggestion).where(Suggestion.kind == "brief")))
                assert [r.engine for r in rows] == ["llm", "offline"]
        finally:
            await app.close()
