"""GigaChat provider: a clear Russian error without the extra; with it, the same gateway path (a stand-in module)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from bot.llm import LLMConfigError, LLMGateway, LLMUnavailable, Reason, SituationOut
from bot.llm.backends import GigaChatBackend
from tests.conftest import make_settings


def _settings(tmp_path: Path, **extra: Any) -> Any:
    return make_settings(tmp_path, llm_provider="gigachat", openai_api_key="giga-key", llm_model="GigaChat", **extra)


def test_missing_extra_gives_a_clear_russian_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_gigachat", None)
    monkeypatch.setitem(sys.modules, "langchain_gigachat.chat_models", None)
    with pytest.raises(LLMConfigError, match=r"LLM_PROVIDER=gigachat нужен дополнительный пакет.*\[gigachat\]"):
        LLMGateway(_settings(tmp_path))


class _Reply:
    def __init__(self, content: str) -> None:
        self.content = content
        self.usage_metadata = {"input_tokens": 300, "output_tokens": 20}
        self.response_metadata = {"finish_reason": "stop"}


class _StandInGigaChat:
    """Records what it was built with and what it was asked; answers like langchain's AIMessage does."""

    instances: list[_StandInGigaChat] = []

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.asked: list[Any] = []
        self.fail_with: Exception | None = None
        _StandInGigaChat.instances.append(self)

    async def ainvoke(self, messages: list[Any]) -> _Reply:
        self.asked.append(messages)
        if self.fail_with:
            raise self.fail_with
        return _Reply(json.dumps({"situation": "complaint", "confidence": 0.9}))


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> type[_StandInGigaChat]:
    package = types.ModuleType("langchain_gigachat")
    module = types.ModuleType("langchain_gigachat.chat_models")
    module.GigaChat = _StandInGigaChat  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "langchain_gigachat", package)
    monkeypatch.setitem(sys.modules, "langchain_gigachat.chat_models", module)
    _StandInGigaChat.instances.clear()
    return _StandInGigaChat


async def test_gigachat_goes_through_the_same_checks(tmp_path: Path, stand_in: type[_StandInGigaChat]) -> None:
    gateway = LLMGateway(_settings(tmp_path, llm_timeout_seconds=5))
    result = await gateway.run(
        "situation", {"client_message": "Пишу жалобу, звоните +7 916 123-45-67", "history": []}, SituationOut
    )
    assert result.value.situation == "complaint" and result.usage.prompt_tokens == 300
    chat = stand_in.instances[0]
    assert chat.options == {"credentials": "giga-key", "model": "GigaChat", "timeout": 5}
    sent = "\n".join(m.content for m in chat.asked[0])
    assert "⟦PHONE_1⟧" in sent and "916" not in sent


async def test_gigachat_rate_limit_maps_to_llm_unavailable(tmp_path: Path, stand_in: type[_StandInGigaChat]) -> None:
    gateway = LLMGateway(_settings(tmp_path, llm_max_retries=0))
    error = RuntimeError("too many requests")
    error.status_code = 429  # type: ignore[attr-defined]
    assert isinstance(gateway._backend, GigaChatBackend)
    stand_in.instances[0].fail_with = error
    with pytest.raises(LLMUnavailable) as caught:
        await gateway.run("situation", {"client_message": "Жалоба", "history": []}, SituationOut)
    assert caught.value.reason == Reason.RATE_LIMITED
