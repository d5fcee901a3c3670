"""GigaChat through langchain-gigachat against a local GigaChat API (OAuth token endpoint and chat endpoint).

The provider-neutral faults run for GigaChat in test_faults.py; here is what only GigaChat has: the OAuth token,
its renewal, function calling as the structured output, and the error without the extra.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.llm import LLMConfigError, LLMGateway, LLMUnavailable, Reason, SituationOut, SuggestionOut
from tests.conftest import make_settings
from tests.llm.conftest import CONTACT, SUGGESTION_VARS, assert_no_raw_pd, provider_settings, valid_answer
from tests.support.fake_gigachat import FakeGigaChat, function_of
from tests.support.fake_openai import answer, bad_request

COMPLAINT = {"client_message": "Пишу жалобу, звоните +7 916 123-45-67", "history": []}


@pytest_asyncio.fixture
async def giga() -> AsyncIterator[FakeGigaChat]:
    async with FakeGigaChat(responder=valid_answer) as server:
        yield server
        assert_no_raw_pd(server)


def _gateway(server: FakeGigaChat, tmp_path: Path, **extra: Any) -> LLMGateway:
    values = {**provider_settings(server), "llm_timeout_seconds": 2, **extra}
    return LLMGateway(make_settings(tmp_path, **values))


def test_missing_extra_gives_a_clear_russian_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_gigachat", None)
    monkeypatch.setitem(sys.modules, "langchain_gigachat.chat_models", None)
    monkeypatch.delitem(sys.modules, "bot.llm.providers.gigachat", raising=False)
    settings = make_settings(tmp_path, llm_provider="gigachat", openai_api_key="giga-key", llm_model="GigaChat")
    with pytest.raises(LLMConfigError, match=r"LLM_PROVIDER=gigachat нужен дополнительный пакет.*\[gigachat\]"):
        LLMGateway(settings)


async def test_token_is_fetched_once_and_the_answer_is_a_function_call(giga: FakeGigaChat, tmp_path: Path) -> None:
    gateway = _gateway(giga, tmp_path)
    first = await gateway.run("situation", COMPLAINT, SituationOut)
    second = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])

    assert first.value.situation == "delay_notice" and first.usage.prompt_tokens == 120
    assert second.value.reply.startswith("Добрый день, Иван Петров!")  # unmasked after the checks
    assert second.value.notes is None  # left out by GigaChat's optional field, null for our schema
    assert len(giga.token_requests) == 1  # one token serves both calls
    token_request = giga.token_requests[0]
    assert token_request["authorization"] == f"Basic {giga.credentials}"
    assert token_request["scope"] == "GIGACHAT_API_PERS" and token_request["rquid"]
    request = giga.requests[1]
    function = function_of(request)
    assert function is not None and function["name"] == "SuggestionOut"
    assert request["function_call"] == {"name": "SuggestionOut"}
    assert "$ref" not in str(function["parameters"]) and "anyOf" not in str(function["parameters"])
    assert "⟦PHONE_1⟧" in giga.messages(giga.requests[0])["user"]


async def test_expired_token_is_renewed(giga: FakeGigaChat, tmp_path: Path) -> None:
    giga.token_lifetime_seconds = 1  # within the SDK's renewal margin: a fresh token for every call
    gateway = _gateway(giga, tmp_path)
    for _ in range(2):
        await gateway.run("situation", COMPLAINT, SituationOut)
    assert len(giga.token_requests) == 2 and giga.rejected_tokens == 0


async def test_revoked_token_is_replaced_once(giga: FakeGigaChat, tmp_path: Path) -> None:
    gateway = _gateway(giga, tmp_path)
    await gateway.run("situation", COMPLAINT, SituationOut)
    giga.revoke_tokens()
    result = await gateway.run("situation", COMPLAINT, SituationOut)
    assert result.value.situation == "delay_notice"
    assert giga.rejected_tokens == 1 and len(giga.token_requests) == 2


async def test_wrong_authorization_key_ends_offline_without_a_chat_request(giga: FakeGigaChat, tmp_path: Path) -> None:
    gateway = _gateway(giga, tmp_path, openai_api_key="d3Jvbmc6a2V5", llm_max_retries=0)
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("situation", COMPLAINT, SituationOut)
    assert caught.value.reason == Reason.HTTP_ERROR
    assert giga.requests == [] and len(giga.token_requests) == 1


async def test_server_without_functions_is_asked_for_plain_json(giga: FakeGigaChat, tmp_path: Path) -> None:
    gateway = _gateway(giga, tmp_path)
    giga.queue(bad_request("functions are not supported by this model"))
    giga.responder = lambda request: valid_answer(request) if function_of(request) else _as_text(request)
    await gateway.run("situation", COMPLAINT, SituationOut)
    await gateway.run("situation", COMPLAINT, SituationOut)
    assert [bool(function_of(r)) for r in giga.requests] == [True, False, False]  # the working rung is kept


def _as_text(request: dict[str, Any]) -> str:
    import json

    return json.dumps({"situation": "complaint", "confidence": 0.9})


async def test_invented_discount_in_a_function_call_is_refused(giga: FakeGigaChat, tmp_path: Path) -> None:
    giga.queue(answer(lambda r: {**valid_answer(r), "reply": "Дарим скидку 15% на следующий заказ."}))
    with pytest.raises(LLMUnavailable) as caught:
        await _gateway(giga, tmp_path).run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert caught.value.reason == Reason.UNAPPROVED_COMMITMENT
