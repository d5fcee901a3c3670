"""YandexGPT through the AI Studio SDK's LangChain chat model against a local gRPC completion API.

The provider-neutral faults run for YandexGPT in test_faults.py; here is what only YandexGPT has: the model URI
with the folder, the API key in the call metadata, the completion API's JSON schema option and its ladder, the
alternative's status as the end of the answer, and the error without the extra.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.llm import LLMConfigError, LLMGateway, LLMUnavailable, Reason, SituationOut, SuggestionOut
from bot.llm.providers.yandexgpt import endpoint_options
from tests.conftest import make_settings
from tests.llm.conftest import CONTACT, SUGGESTION_VARS, assert_no_raw_pd, provider_settings, valid_answer
from tests.support.fake_openai import answer, bad_request
from tests.support.fake_yandexgpt import FakeYandexGPT

COMPLAINT = {"client_message": "Пишу жалобу, звоните +7 916 123-45-67", "history": []}


@pytest_asyncio.fixture
async def yandex() -> AsyncIterator[FakeYandexGPT]:
    async with FakeYandexGPT(responder=valid_answer) as server:
        yield server
        assert_no_raw_pd(server)


def _gateway(server: FakeYandexGPT, tmp_path: Path, **extra: Any) -> LLMGateway:
    values = {**provider_settings(server), "llm_timeout_seconds": 2, **extra}
    return LLMGateway(make_settings(tmp_path, **values))


def test_missing_extra_gives_a_clear_russian_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yandex_ai_studio_sdk", None)
    monkeypatch.delitem(sys.modules, "bot.llm.providers.yandexgpt", raising=False)
    settings = make_settings(
        tmp_path, llm_provider="yandexgpt", openai_api_key="k", yandex_folder_id="b1g", llm_model="yandexgpt"
    )
    with pytest.raises(LLMConfigError, match=r"LLM_PROVIDER=yandexgpt нужен дополнительный пакет.*\[yandex\]"):
        LLMGateway(settings)


def test_folder_is_required(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="YANDEX_FOLDER_ID"):
        make_settings(tmp_path, llm_provider="yandexgpt", openai_api_key="k")


def test_api_address_forms() -> None:
    assert endpoint_options(None) == {}  # the SDK discovers the public endpoints
    assert endpoint_options("https://llm.example.ru") == {
        "endpoint": None,
        "service_map": {"ai-foundation-models": "llm.example.ru:443"},
        "verify": True,
    }
    assert endpoint_options("http://127.0.0.1:5051")["verify"] is False


async def test_completion_request_and_answer(yandex: FakeYandexGPT, tmp_path: Path) -> None:
    gateway = _gateway(yandex, tmp_path)
    first = await gateway.run("situation", COMPLAINT, SituationOut)
    second = await gateway.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])

    assert first.value.situation == "delay_notice" and first.usage.prompt_tokens == 120
    assert second.value.reply.startswith("Добрый день, Иван Петров!")
    raw = yandex.raw_requests[1]
    assert raw["model_uri"] == f"gpt://{yandex.folder_id}/yandexgpt/latest"
    assert raw["completion_options"]["max_tokens"] == "1500"
    assert set(raw["json_schema"]["schema"]["required"]) >= {"reply", "script_id", "situation"}
    assert [m["role"] for m in raw["messages"]] == ["system", "user"]
    assert yandex.metadata[0]["authorization"] == f"Api-Key {yandex.api_key}"
    assert "⟦PHONE_1⟧" in yandex.messages(yandex.requests[0])["user"]


async def test_wrong_key_is_an_endpoint_fault(yandex: FakeYandexGPT, tmp_path: Path) -> None:
    gateway = _gateway(yandex, tmp_path, openai_api_key="wrong", llm_max_retries=0)
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("situation", COMPLAINT, SituationOut)
    assert caught.value.reason == Reason.HTTP_ERROR


async def test_model_without_json_schema_gets_json_object_then_plain(yandex: FakeYandexGPT, tmp_path: Path) -> None:
    gateway = _gateway(yandex, tmp_path)
    yandex.queue(bad_request(), bad_request())
    await gateway.run("situation", COMPLAINT, SituationOut)
    await gateway.run("situation", COMPLAINT, SituationOut)
    formats = [("json_schema" in r, bool(r.get("json_object"))) for r in yandex.raw_requests]
    assert formats == [(True, False), (False, True), (False, False), (False, False)]


async def test_invented_discount_is_refused(yandex: FakeYandexGPT, tmp_path: Path) -> None:
    yandex.queue(answer(lambda r: {**valid_answer(r), "reply": "Дарим скидку 15% на следующий заказ."}))
    with pytest.raises(LLMUnavailable) as caught:
        await _gateway(yandex, tmp_path).run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    assert caught.value.reason == Reason.UNAPPROVED_COMMITMENT


def test_settings_name_the_provider(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, llm_provider="yandexgpt", openai_api_key="k", yandex_folder_id="b1g")
    assert isinstance(settings, Settings) and settings.llm_enabled
