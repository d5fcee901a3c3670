"""Chat backends: a LangChain chat model per provider behind the one small interface the gateway calls.

A backend makes one attempt and says what came back (`Completion`) or why nothing usable did (`BackendError`);
waiting, the one retry, the breaker, masking and checking are the gateway's. Providers (bot/llm/providers/):
any OpenAI-compatible endpoint through langchain-openai, GigaChat through langchain-gigachat, YandexGPT through
the LangChain chat model of Yandex's AI Studio SDK.

Structured output: each provider asks for JSON in the strongest way its API offers and steps down a ladder when
the server rejects that way (a 400 / INVALID_ARGUMENT), remembering the first rung that worked. The answer is
read from the raw message (its text, or the arguments of the tool call) and validated by our pydantic schemas
in checks.py: LangChain's own parsers are lenient (a half-finished JSON object parses "partially"), and the
checks must see exactly what the model wrote.
"""

from __future__ import annotations

import email.utils
import json
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from bot.llm.errors import LLMConfigError, Reason

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import Runnable


@dataclass(frozen=True, slots=True)
class Completion:
    content: str
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None


class BackendError(Exception):
    def __init__(
        self, reason: Reason, detail: str = "", retry_after: float | None = None, *, format_rejected: bool = False
    ) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after
        self.format_rejected = format_rejected  # the server refused the request's shape: a lower rung may work


class ChatBackend(Protocol):
    model: str

    @property
    def provider(self) -> str: ...

    async def complete(self, system: str, user: str, schema: dict[str, Any], schema_name: str) -> Completion: ...


def parse_retry_after(headers: Any) -> float | None:
    """Seconds from Retry-After / retry-after-ms (a number or an HTTP date); None when absent or unreadable."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else max(0.0, email.utils.mktime_tz(parsed) - time.time())


def message_completion(output: Any) -> Completion:
    """What the model wrote, from a chat model's AIMessage or from `with_structured_output(include_raw=True)`."""
    raw = output["raw"] if isinstance(output, dict) and "raw" in output else output
    tool_calls = getattr(raw, "tool_calls", None) or []
    if tool_calls:
        content = json.dumps(tool_calls[0].get("args", {}), ensure_ascii=False)
    elif isinstance(raw.content, str):
        content = raw.content
    else:  # a list of content blocks
        content = "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in raw.content)
    metadata = getattr(raw, "response_metadata", None) or {}
    usage = getattr(raw, "usage_metadata", None) or {}
    return Completion(
        content=content,
        finish_reason=metadata.get("finish_reason"),
        prompt_tokens=usage.get("input_tokens"),
        completion_tokens=usage.get("output_tokens"),
    )


class LangChainBackend(ABC):
    """One attempt through a LangChain chat model, stepping down the provider's ladder of JSON modes."""

    provider: ClassVar[str]
    modes: ClassVar[tuple[str, ...]]  # strongest first; "plain" = no format asked, the schema is in the prompt

    def __init__(self, model: str, max_output_tokens: int | None) -> None:
        self.model = model
        self._max_tokens = max_output_tokens
        self._mode = 0
        self._runnables: dict[tuple[str, str], Runnable[Any, Any]] = {}

    @property
    def mode(self) -> str:
        return self.modes[self._mode]

    @abstractmethod
    def _structured(self, mode: str, schema: dict[str, Any], schema_name: str) -> Runnable[Any, Any]:
        """The runnable asking for this schema in this mode."""

    @abstractmethod
    def _classify(self, exc: Exception) -> BackendError:
        """The provider's exception as a BackendError."""

    def _adapt(self, error: BackendError, exc: Exception) -> bool:
        """Change something after a refused request (default: the next rung); False when nothing is left."""
        if not error.format_rejected or self._mode + 1 >= len(self.modes):
            return False
        self._mode += 1
        return True

    def _state(self) -> tuple[Any, ...]:
        return (self._mode,)

    def _forget(self) -> None:
        self._runnables.clear()

    async def complete(self, system: str, user: str, schema: dict[str, Any], schema_name: str) -> Completion:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(user)]
        while True:
            used = self._state()
            key = (self.mode, schema_name)
            if key not in self._runnables:
                self._runnables[key] = self._structured(self.mode, schema, schema_name)
            try:
                output = await self._runnables[key].ainvoke(messages)
            except BackendError:
                raise
            except Exception as exc:
                error = self._classify(exc)
                if error.format_rejected and used != self._state():
                    continue  # a concurrent call already adapted: try again as it does now
                if self._adapt(error, exc):
                    continue
                raise error from exc
            return self._answer(output, schema)

    def _answer(self, output: Any, schema: dict[str, Any]) -> Completion:
        """What the model wrote; providers may fill in what their schema dialect could not say."""
        return message_completion(output)


def missing_extra(provider: str, extra: str) -> LLMConfigError:
    return LLMConfigError(
        f"Для LLM_PROVIDER={provider} нужен дополнительный пакет [{extra}]: его ставит `./dev run`, "
        f"а при установке вручную — `pip install -e '.[{extra}]'`. Или выберите LLM_PROVIDER=openai."
    )
