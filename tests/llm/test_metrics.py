"""The LLM's Prometheus metrics: calls by task and outcome, the spend, and the answers the offline engine gave."""

from __future__ import annotations

from typing import Any

from bot.llm import SuggestionOut, answer_with_fallback
from bot.observability import metrics
from tests.llm.conftest import SUGGESTION_VARS, GatewayFactory
from tests.support.fake_openai import FakeOpenAI, server_error


def _value(counter: Any, *labels: str) -> float:
    return float(counter.labels(*labels)._value.get())


async def test_calls_cost_and_fallbacks_are_counted(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    gateway = make_gateway(llm_max_retries=0)
    ok_before = _value(metrics.LLM_CALLS, "suggestion", "ok")
    cost_before = _value(metrics.LLM_COST, "suggestion")
    failed_before = _value(metrics.LLM_CALLS, "suggestion", "server_error")
    fallbacks_before = _value(metrics.LLM_FALLBACKS, "server_error")

    result = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert _value(metrics.LLM_CALLS, "suggestion", "ok") == ok_before + 1
    assert _value(metrics.LLM_COST, "suggestion") == cost_before + result.usage.cost_usd > cost_before

    fake_llm.queue(server_error())
    answered = await answer_with_fallback(
        lambda: gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut), lambda: "офлайн"
    )
    assert answered.engine == "offline"
    assert _value(metrics.LLM_CALLS, "suggestion", "server_error") == failed_before + 1
    assert _value(metrics.LLM_FALLBACKS, "server_error") == fallbacks_before + 1
