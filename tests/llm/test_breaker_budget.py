"""Circuit breaker, daily budget, usage accounting and the personal-data switch."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.llm import BudgetStatus, LLMUnavailable, Reason, SuggestionOut, UsageRecord, answer_with_fallback
from bot.llm.breaker import CircuitBreaker
from tests.llm.conftest import CONTACT, RAW_PD, SUGGESTION_VARS, GatewayFactory
from tests.support.fake_openai import Behaviour, FakeOpenAI, malformed_json, server_error

MSK = ZoneInfo("Europe/Moscow")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_half_opens_and_closes() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failures=2, cooldown_seconds=10, clock=clock)
    breaker.record_failure()
    assert breaker.state == "closed" and breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()
    clock.now += 10
    assert breaker.state == "half_open"
    assert breaker.allow() and not breaker.allow()  # one probe at a time
    breaker.record_failure()  # the probe failed: open again for a full cooldown
    assert breaker.state == "open"
    clock.now += 10
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow()


async def test_gateway_breaker_skips_the_endpoint_then_recovers(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    gateway = make_gateway(llm_breaker_failures=2, llm_breaker_cooldown_seconds=0.3, llm_max_retries=0)
    fake_llm.default = server_error()
    for _ in range(2):
        with pytest.raises(LLMUnavailable, match="server_error"):
            await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert gateway.breaker.state == "open"
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert caught.value.reason == Reason.BREAKER_OPEN
    assert len(fake_llm.requests) == 2  # nobody waited on a dead endpoint

    await asyncio.sleep(0.35)
    fake_llm.default = Behaviour()
    result = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert result.value.reply and gateway.breaker.state == "closed"


async def test_content_faults_do_not_open_the_breaker(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    gateway = make_gateway(llm_breaker_failures=2)
    fake_llm.default = malformed_json()
    for _ in range(4):
        with pytest.raises(LLMUnavailable, match="malformed_json"):
            await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert gateway.breaker.state == "closed"


async def test_budget_exhaustion_tells_admins_once_and_falls_back(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    now = [datetime(2026, 11, 23, 23, 0, tzinfo=MSK)]
    notices: list[BudgetStatus] = []
    records: list[UsageRecord] = []

    async def tell_admins(status: BudgetStatus) -> None:
        notices.append(status)

    # 120 + 40 tokens at $1 per 1k tokens = $0.16 a call; $0.30 a day lasts two calls.
    gateway = make_gateway(
        llm_daily_budget_usd=0.3,
        llm_price_input_per_1k=1.0,
        llm_price_output_per_1k=1.0,
        gateway_options={"on_budget_exhausted": tell_admins, "usage_sink": records.append, "now": lambda: now[0]},
    )
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert notices == []
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert len(notices) == 1 and notices[0].spent_usd == pytest.approx(0.32) and notices[0].calls == 2

    answered = await answer_with_fallback(
        lambda: gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut), lambda: "офлайн"
    )
    assert (answered.engine, answered.reason_code) == ("offline", "budget_exhausted")
    assert answered.fallback_reason == "Дневной бюджет LLM исчерпан — ответил офлайн-движок"
    assert len(fake_llm.requests) == 2 and len(notices) == 1  # no call made, admins not told twice

    assert [r.outcome for r in records] == ["ok", "ok"]
    assert records[0].usage.total_tokens == 160 and records[0].task == "suggestion"
    assert not any(pd in repr(records) for pd in RAW_PD)

    now[0] += timedelta(hours=2)  # a new day in Moscow
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert gateway.budget.status().calls == 1 and len(fake_llm.requests) == 3


async def test_zero_budget_means_no_limit(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    gateway = make_gateway(llm_daily_budget_usd=0, llm_price_input_per_1k=100.0)
    for _ in range(2):
        await gateway.run("situation", {"client_message": "Когда поставка?", "history": []}, _situation())
    assert gateway.budget.status().spent_usd > 20 and not gateway.budget.status().exhausted


def _situation() -> type:
    from bot.llm import SituationOut

    return SituationOut


async def test_personal_data_switch_keeps_texts_with_pd_local(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    gateway = make_gateway(llm_block_personal_data=True)
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert caught.value.reason == Reason.PERSONAL_DATA_BLOCKED
    assert fake_llm.requests == []
    result = await gateway.run("situation", {"client_message": "Когда будет поставка?", "history": []}, _situation())
    assert result.value.situation == "delay_notice" and len(fake_llm.requests) == 1


async def test_logs_hold_no_personal_data(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway = make_gateway()
    fake_llm.queue(server_error(), server_error())
    with pytest.raises(LLMUnavailable):
        await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert "llm task=suggestion outcome=ok" in caplog.text
    assert not any(pd in caplog.text for pd in RAW_PD)
