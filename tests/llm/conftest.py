"""Fixtures of the LLM suite: a local OpenAI-compatible server answering schema-valid JSON, and gateways on it.

Every test that uses `fake_llm` is also checked afterwards: none of the personal data the suite uses may appear
in anything the server received.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.llm import LLMGateway
from tests.conftest import make_settings
from tests.support.fake_gigachat import FakeGigaChat
from tests.support.fake_openai import FakeOpenAI, Request, data_block, fake_openai
from tests.support.fake_yandexgpt import FakeYandexGPT

# Personal data used across the suite; the autouse check below proves none of it reaches the server raw.
PHONE = "+7 (916) 123-45-67"
EMAIL = "ivan.petrov@example.ru"
NAME = "Иван Петров"
CONTACT = "Кузнецова Алла"  # a known contact name from our DB
RAW_PD = (PHONE, "9161234567", EMAIL, NAME, "Петров", "Кузнецова", "Алла")

CLIENT_MESSAGE = (
    f"Здравствуйте! Меня зовут {NAME}, мой телефон {PHONE}, почта {EMAIL}. "
    "Когда будет поставка? Нам важно получить гарантии, что сроки не сорвутся."
)

SCRIPTS = [
    {
        "id": "delay_notice/nonemotional_unconfident",
        "situation": "delay_notice",
        "type": "nonemotional_unconfident",
        "title": "Задержка: подтверждаем контроль",
        "text": "Сообщаем новый срок, подтверждаем, что заказ под контролем, обещаем еженедельный статус.",
    }
]

SUGGESTION_VARS: dict[str, Any] = {
    "client_message": CLIENT_MESSAGE,
    "history": ["Добрый день, отправили заявку на 40 паллет."],
    "client_profile": f"Контакт: {CONTACT}. Уровень: повторный клиент. Скидка по договору: 5%.",
    "scripts": SCRIPTS,
}


def schema_of(request: Request) -> dict[str, Any]:
    """The JSON schema the gateway asked for: from response_format or a function, else from the system prompt."""
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]  # type: ignore[no-any-return]
    if request.get("functions"):  # GigaChat: the schema is the parameters of the one function offered
        return request["functions"][0]["parameters"]  # type: ignore[no-any-return]
    system = FakeOpenAI.messages(request)["system"]
    return json.loads(system[system.index("без Markdown:\n") + len("без Markdown:\n") :])  # type: ignore[no-any-return]


def first_placeholder(text: str, kind: str) -> str | None:
    match = re.search(rf"⟦{kind}_\d+⟧", text)
    return match.group(0) if match else None


def valid_answer(request: Request) -> dict[str, Any]:
    """A schema-valid answer for whatever task the request is, greeting the client's masked name if present."""
    user = FakeOpenAI.messages(request)["user"]
    props = set(schema_of(request)["properties"])
    person = first_placeholder(user, "PERSON") or "клиент"
    classification = {
        "type": "nonemotional_unconfident",
        "emotionality": -0.4,
        "confidence_axis": -0.6,
        "confidence": 0.7,
        "cues": [{"quote": "Нам важно получить гарантии", "axis": "confidence", "direction": -1}],
        "questions": [],
    }
    reply = f"Добрый день, {person}! Заказ под контролем, новый срок подтвердим сегодня."
    if "reply" in props and "type" in props:
        message = data_block(user, "client_message") or ""
        script = re.search(r'<script id="([^"]+)"', user)
        return {
            **classification,
            "cues": [c for c in classification["cues"] if c["quote"] in message],
            "situation": "delay_notice",
            "situation_confidence": 0.8,
            "script_id": script.group(1) if script else None,
            "reply": reply,
            "notes": None,
        }
    if "type" in props:
        return classification
    if "situation" in props:
        return {"situation": "delay_notice", "confidence": 0.8}
    if "reply" in props:
        return {"reply": reply, "notes": "Уточните дату отгрузки на складе."}
    if "goal" in props:
        return {"goal": "Подтвердить срок", "opening_line": f"{person}, добрый день!", "precautions": ["Была задержка"]}
    if "deliverable" in props:
        return {
            "text": "Прошу подготовить отгрузку.",
            "deliverable": "Отгрузка",
            "definition_of_done": "Груз у клиента",
        }
    if "used_sources" in props:
        source = re.search(r'<source id="([^"]+)"', user)
        return {"text": "Ответ по базе знаний.", "used_sources": [source.group(1)] if source else []}
    raise AssertionError(f"unexpected schema {sorted(props)}")


def assert_no_raw_pd(server: FakeOpenAI) -> None:
    sent = server.sent_text()
    squeezed = re.sub(r"(?<=\d)[\s\-()]+(?=\d)", "", sent)
    for value in RAW_PD:
        assert value not in sent and value not in squeezed, f"raw personal data reached the LLM: {value!r}"


@pytest_asyncio.fixture
async def fake_llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(responder=valid_answer) as server:
        yield server
        assert_no_raw_pd(server)


GatewayFactory = Callable[..., LLMGateway]

PROVIDERS = ("openai", "gigachat", "yandexgpt")
FAKES: dict[str, type[FakeOpenAI]] = {"openai": FakeOpenAI, "gigachat": FakeGigaChat, "yandexgpt": FakeYandexGPT}


def provider_settings(server: FakeOpenAI) -> dict[str, Any]:
    """Settings that point a provider's LangChain model at its fake server."""
    if isinstance(server, FakeGigaChat):
        return {
            "llm_provider": "gigachat",
            "openai_base_url": server.base_url,
            "gigachat_auth_url": server.auth_url,
            "openai_api_key": server.credentials,
            "llm_model": "GigaChat",
        }
    if isinstance(server, FakeYandexGPT):
        return {
            "llm_provider": "yandexgpt",
            "openai_base_url": server.base_url,
            "yandex_folder_id": server.folder_id,
            "openai_api_key": server.api_key,
            "llm_model": "yandexgpt",
        }
    return {"openai_base_url": server.base_url, "openai_api_key": "test-key", "llm_model": "fake-model"}


@pytest_asyncio.fixture(params=PROVIDERS)
async def any_llm(request: pytest.FixtureRequest) -> AsyncIterator[FakeOpenAI]:
    """The fake server of each provider in turn (OpenAI-compatible, GigaChat, YandexGPT)."""
    async with FAKES[request.param](responder=valid_answer) as server:
        yield server
        assert_no_raw_pd(server)


@pytest.fixture
def make_any_gateway(any_llm: FakeOpenAI, tmp_path: Path) -> GatewayFactory:
    """Like `make_gateway`, on the provider of `any_llm`."""

    def build(*, gateway_options: dict[str, Any] | None = None, **settings: Any) -> LLMGateway:
        values = {"llm_timeout_seconds": 1, "llm_max_retries": 1, **provider_settings(any_llm), **settings}
        return LLMGateway(make_settings(tmp_path, **values), **(gateway_options or {}))

    return build


@pytest.fixture
def make_gateway(fake_llm: FakeOpenAI, tmp_path: Path) -> GatewayFactory:
    """Gateways on the fake server with 1 s attempts; settings and gateway options can be overridden."""

    def build(*, gateway_options: dict[str, Any] | None = None, **settings: Any) -> LLMGateway:
        values: dict[str, Any] = {
            "openai_base_url": fake_llm.base_url,
            "openai_api_key": "test-key",
            "llm_model": "fake-model",
            "llm_timeout_seconds": 1,
            "llm_max_retries": 1,
            **settings,
        }
        return LLMGateway(make_settings(tmp_path, **values), **(gateway_options or {}))

    return build


__all__ = ["fake_openai"]  # the shared fixture of tests/support, re-exported for this suite's own test of it
