"""Every fault of the endpoint ends in LLMUnavailable within the bounds, and then in the offline answer."""

from __future__ import annotations

import time

import pytest
from langchain_openai import ChatOpenAI

from bot.llm import LLMUnavailable, Reason, SuggestionOut, answer_with_fallback
from bot.llm.gateway import LLMGateway
from bot.llm.providers.openai_compatible import OpenAICompatibleBackend
from tests.conftest import make_settings
from tests.llm.conftest import CONTACT, SUGGESTION_VARS, GatewayFactory, valid_answer
from tests.support.fake_gigachat import FakeGigaChat
from tests.support.fake_openai import (
    Behaviour,
    FakeOpenAI,
    answer,
    bad_request,
    cut_off,
    malformed_json,
    rate_limited,
    server_error,
    slow,
    unknown_placeholder,
)
from tests.support.fake_yandexgpt import FakeYandexGPT

# name → (what the server does, the reason, how many requests it takes, the most seconds it may take)
# Attempts are cut at 1 s in these tests; a retry pause is 0.5 s unless Retry-After says otherwise.
FAULTS = {
    "slow": ([slow(1.5), slow(1.5)], Reason.TIMEOUT, 2, 3.0),
    "429_long_retry_after": ([rate_limited(retry_after=30)], Reason.RATE_LIMITED, 1, 0.8),
    "429_twice": ([rate_limited(retry_after=0.2), rate_limited(retry_after=0.2)], Reason.RATE_LIMITED, 2, 1.0),
    "500_twice": ([server_error(), server_error()], Reason.SERVER_ERROR, 2, 1.5),
    "503_twice": ([server_error(503), server_error(503)], Reason.SERVER_ERROR, 2, 1.5),
    "context_too_long": (
        [bad_request("This model's maximum context length is 8192 tokens; your messages resulted in 9000")],
        Reason.HTTP_ERROR,
        1,
        0.8,
    ),
    "401": ([Behaviour(status=401, body='{"error": {"message": "bad key"}}')], Reason.HTTP_ERROR, 1, 0.8),
    "malformed_json": ([malformed_json()], Reason.MALFORMED_JSON, 1, 0.8),
    "not_json_at_all": ([answer("Конечно! Вот ответ: всё будет хорошо.")], Reason.MALFORMED_JSON, 1, 0.8),
    "length_cut_off": ([cut_off()], Reason.TRUNCATED, 1, 0.8),
    "unknown_placeholder": ([unknown_placeholder(valid_answer)], Reason.UNKNOWN_PLACEHOLDER, 1, 0.8),
    "schema_mismatch": ([answer({"reply": 42})], Reason.SCHEMA_MISMATCH, 1, 0.8),
    "out_of_range": ([answer(lambda r: {**valid_answer(r), "confidence": 7})], Reason.SCHEMA_MISMATCH, 1, 0.8),
    "broken_body": ([Behaviour(body="<html>gateway</html>")], Reason.MALFORMED_JSON, 1, 0.8),
}


# Where a provider's protocol makes the same fault look different. None: the fault has no form there.
PROVIDER_FAULTS: dict[tuple[str, str], tuple[list[Behaviour], Reason, int, float] | None] = {
    # gRPC carries no Retry-After: the usual short pause, then the one retry.
    ("yandexgpt", "429_long_retry_after"): ([rate_limited(30), rate_limited(30)], Reason.RATE_LIMITED, 2, 1.5),
    # 503 over gRPC is UNAVAILABLE, the same status a dead connection gives.
    ("yandexgpt", "503_twice"): ([server_error(503), server_error(503)], Reason.CONNECTION, 2, 1.5),
    # GigaChat says 413 for a prompt too long; a 400 there means "not in this form", and the ladder steps down.
    ("gigachat", "context_too_long"): ([Behaviour(status=413, body="{}")], Reason.HTTP_ERROR, 1, 0.8),
    ("yandexgpt", "context_too_long"): None,
    # The gigachat SDK answers a 401 on chat by fetching a new token once (tested in test_gigachat.py).
    ("gigachat", "401"): None,
    ("yandexgpt", "broken_body"): None,  # protobuf over gRPC has no HTML error pages
}


def _fault(provider: str, name: str) -> tuple[list[Behaviour], Reason, int, float]:
    fault = PROVIDER_FAULTS.get((provider, name), FAULTS[name])
    if fault is None:
        pytest.skip(f"{name} has no form in the {provider} protocol")
    return fault


def _provider(server: FakeOpenAI) -> str:
    return {FakeGigaChat: "gigachat", FakeYandexGPT: "yandexgpt"}.get(type(server), "openai")


async def _warm(gateway: LLMGateway) -> None:
    """One good call first, so model loading (NER) does not count against the fault's time bound."""
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])


@pytest.mark.parametrize("name", FAULTS)
async def test_fault_ends_in_llm_unavailable_within_bounds(
    name: str, make_any_gateway: GatewayFactory, any_llm: FakeOpenAI
) -> None:
    # The bound is the gateway's own: a timeout per request and at most one retry, so the number of requests the
    # server saw and the reason prove it. Wall-clock assertions flaked on a loaded machine and are not used.
    behaviours, reason, requests, _bound = _fault(_provider(any_llm), name)
    gateway = make_any_gateway()
    await _warm(gateway)
    any_llm.queue(*behaviours)
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert caught.value.reason == reason
    assert len(any_llm.requests) == 1 + requests


@pytest.mark.parametrize("name", FAULTS)
async def test_fault_falls_back_to_the_offline_engine(
    name: str, make_any_gateway: GatewayFactory, any_llm: FakeOpenAI
) -> None:
    behaviours, reason, _, _ = _fault(_provider(any_llm), name)
    gateway = make_any_gateway()
    any_llm.queue(*behaviours)
    answered = await answer_with_fallback(
        lambda: gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT]),
        lambda: "офлайн-черновик",
    )
    assert answered.value == "офлайн-черновик"
    assert answered.engine == "offline"
    assert answered.reason_code == reason.value
    assert answered.fallback_reason and answered.fallback_reason.endswith("ответил офлайн-движок")
    assert answered.engine_note == answered.fallback_reason


@pytest.mark.parametrize(
    ("first", "pause"),
    [(slow(1.5), 0.0), (server_error(), 0.5), (rate_limited(retry_after=1), 1.0)],
    ids=["slow", "500", "429"],
)
async def test_one_retry_recovers(
    first: Behaviour, pause: float, make_any_gateway: GatewayFactory, any_llm: FakeOpenAI
) -> None:
    if _provider(any_llm) == "yandexgpt":
        pause = min(pause, 0.5)  # no Retry-After over gRPC: the usual pause
    gateway = make_any_gateway()
    await _warm(gateway)
    any_llm.queue(first)
    started = time.monotonic()
    result = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert result.attempts == 2
    assert time.monotonic() - started >= pause  # Retry-After was respected
    assert result.value.reply.startswith("Добрый день")


async def test_no_retry_when_retries_are_off(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    gateway = make_gateway(llm_max_retries=0)
    fake_llm.queue(server_error())
    with pytest.raises(LLMUnavailable):
        await gateway.run("situation", {"client_message": "Когда поставка?", "history": []}, _situation())
    assert len(fake_llm.requests) == 1


def _situation() -> type:
    from bot.llm import SituationOut

    return SituationOut


async def test_normal_answer_is_unmasked_and_accounted(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    gateway = make_gateway(llm_price_input_per_1k=0.001, llm_price_output_per_1k=0.002)
    result = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert result.value.reply.startswith("Добрый день, Иван Петров!")  # the placeholder came back as the name
    assert result.value.script_id == "delay_notice/nonemotional_unconfident"
    assert [c.quote for c in result.value.cues] == ["Нам важно получить гарантии"]
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (120, 40)
    assert result.usage.cost_usd == pytest.approx(0.12 * 0.001 + 0.04 * 0.002)
    assert result.model == "fake-model" and result.attempts == 1
    request = fake_llm.requests[0]
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["name"] == "SuggestionOut"
    assert request["max_completion_tokens"] == 1500
    assert isinstance(gateway._backend, OpenAICompatibleBackend)  # the call went through langchain-openai
    assert isinstance(gateway._backend._chat, ChatOpenAI)


async def test_invented_evidence_and_ids_are_dropped(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    def invent(request: dict) -> dict:
        good = valid_answer(request)
        cue = {"quote": "я требую немедленно", "axis": "confidence", "direction": 1}
        return {**good, "cues": [*good["cues"], cue], "script_id": "no/such-script"}

    fake_llm.responder = invent
    result = await make_gateway().run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert [c.quote for c in result.value.cues] == ["Нам важно получить гарантии"]
    assert result.value.script_id is None


async def test_server_without_json_schema_support_is_used_in_json_mode(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    gateway = make_gateway()
    fake_llm.queue(bad_request(), bad_request())
    first = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    second = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    formats = [r.get("response_format", {}).get("type") for r in fake_llm.requests]
    assert formats == ["json_schema", "json_object", None, None]  # the working rung is remembered
    assert first.attempts == second.attempts == 1


async def test_max_tokens_renamed_when_the_server_asks(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    fake_llm.queue(bad_request("Unrecognized request argument supplied: max_completion_tokens"))
    gateway = make_gateway()
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert fake_llm.requests[0]["max_completion_tokens"] == 1500 and "max_tokens" not in fake_llm.requests[0]
    for later in fake_llm.requests[1:]:  # the older name from then on, and the format is kept
        assert later["max_tokens"] == 1500 and "max_completion_tokens" not in later
        assert later["response_format"]["type"] == "json_schema"


async def test_fenced_json_and_missing_usage_are_tolerated(make_gateway: GatewayFactory, fake_llm: FakeOpenAI) -> None:
    import json

    fake_llm.queue(
        answer(lambda r: "```json\n" + json.dumps(valid_answer(r), ensure_ascii=False) + "\n```", usage=None)
    )
    result = await make_gateway().run("suggestion", SUGGESTION_VARS, SuggestionOut)
    assert result.usage.estimated and result.usage.prompt_tokens > 100 and result.usage.cost_usd > 0


async def test_production_bounds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, openai_api_key="k", llm_timeout_seconds=20, llm_max_retries=1)
    assert LLMGateway(settings).deadline_seconds <= 45
    assert LLMGateway.from_settings(make_settings(tmp_path)) is None  # neither key nor URL: offline only


async def test_unbacked_discount_without_numbers_is_a_warning(
    make_gateway: GatewayFactory, fake_llm: FakeOpenAI
) -> None:
    fake_llm.responder = lambda req: {**valid_answer(req), "reply": "Давайте обсудим скидку на звонке."}
    gateway = make_gateway()
    backed = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut)  # the profile has a 5% discount
    unbacked = await gateway.run("suggestion", {**SUGGESTION_VARS, "client_profile": "Уровень: лид."}, SuggestionOut)
    assert backed.warnings == ()
    assert unbacked.warnings and "скидка" in unbacked.warnings[0]
    assert unbacked.value.reply == "Давайте обсудим скидку на звонке."
