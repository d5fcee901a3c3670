"""Chat endpoints: any OpenAI-compatible server, and GigaChat as an optional extra.

The openai client is used directly rather than ChatOpenAI.with_structured_output: we need the finish reason, the
token usage, the Retry-After header and control over retries, and we validate the JSON ourselves anyway. Servers
differ in what `response_format` they accept, so the backend walks down a ladder — strict json_schema (OpenAI,
vLLM, recent Ollama and LM Studio), then json_object, then no format (the schema is in the prompt in every case) —
and remembers the first rung the server accepted.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import Any, Protocol

import openai

from bot.config import Settings
from bot.llm.errors import LLMConfigError, Reason

MODES = ("json_schema", "json_object", "plain")


@dataclass(frozen=True, slots=True)
class Completion:
    content: str
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None


class BackendError(Exception):
    def __init__(self, reason: Reason, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after


class ChatBackend(Protocol):
    model: str

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


class OpenAICompatibleBackend:
    def __init__(self, settings: Settings, max_output_tokens: int | None = 1500) -> None:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
        self.model = settings.llm_model
        # Retries are ours (bounded, Retry-After aware): the client's own default is 2 retries and 10 minutes.
        self._client = openai.AsyncOpenAI(
            api_key=key, base_url=settings.openai_base_url, max_retries=0, timeout=settings.llm_timeout_seconds
        )
        self._mode = 0
        self._max_tokens = max_output_tokens
        self._tokens_param = "max_tokens"  # the widest-supported name; newer OpenAI models want the other one

    @property
    def mode(self) -> str:
        return MODES[self._mode]

    async def complete(self, system: str, user: str, schema: dict[str, Any], schema_name: str) -> Completion:
        while True:
            used = (self._mode, self._tokens_param)
            try:
                return await self._once(system, user, schema, schema_name)
            except openai.BadRequestError as exc:
                if not self._downgrade(used, str(exc)):
                    raise BackendError(Reason.HTTP_ERROR, "400 bad request") from exc
            except openai.RateLimitError as exc:
                raise BackendError(Reason.RATE_LIMITED, "429", parse_retry_after(exc.response.headers)) from exc
            except openai.APITimeoutError as exc:
                raise BackendError(Reason.TIMEOUT, "timeout") from exc
            except openai.APIConnectionError as exc:
                raise BackendError(Reason.CONNECTION, type(exc).__name__) from exc
            except openai.APIStatusError as exc:
                reason = Reason.SERVER_ERROR if exc.status_code >= 500 else Reason.HTTP_ERROR
                raise BackendError(reason, str(exc.status_code)) from exc
            except (openai.APIResponseValidationError, ValueError) as exc:  # a body that is not JSON at all
                raise BackendError(Reason.MALFORMED_JSON, "response body") from exc

    def _downgrade(self, used: tuple[int, str], message: str) -> bool:
        """Adapt to a 400 once per capability; False when there is nothing left to try."""
        if used != (self._mode, self._tokens_param):
            return True  # a concurrent call already adapted: try again as it does now
        if "context_length" in message or "context length" in message:
            return False  # the prompt is too long for the model: no format change will help
        if self._tokens_param == "max_tokens" and "max_tokens" in message and self._max_tokens:
            self._tokens_param = "max_completion_tokens"
            return True
        if self._mode + 1 < len(MODES):
            self._mode += 1
            return True
        return False

    async def _once(self, system: str, user: str, schema: dict[str, Any], schema_name: str) -> Completion:
        extra: dict[str, Any] = {}
        if self.mode == "json_schema":
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            }
        elif self.mode == "json_object":
            extra["response_format"] = {"type": "json_object"}
        if self._max_tokens:
            extra[self._tokens_param] = self._max_tokens
        response = await self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            **extra,
        )
        if not response.choices:
            raise BackendError(Reason.MALFORMED_JSON, "no choices")
        choice = response.choices[0]
        usage = response.usage
        return Completion(
            content=choice.message.content or "",
            finish_reason=choice.finish_reason,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
        )


class GigaChatBackend:
    """GigaChat through langchain-gigachat, imported only when chosen (an optional extra)."""

    def __init__(self, settings: Settings) -> None:
        try:
            from langchain_gigachat.chat_models import GigaChat
        except ImportError as exc:
            raise LLMConfigError(
                "Для LLM_PROVIDER=gigachat нужен дополнительный пакет: "
                "выполните `.venv/bin/pip install -e '.[gigachat]'` или выберите LLM_PROVIDER=openai."
            ) from exc
        if settings.openai_api_key is None:
            raise LLMConfigError("Для GigaChat укажите ключ авторизации в OPENAI_API_KEY.")
        self.model = settings.llm_model
        options: dict[str, Any] = {"credentials": settings.openai_api_key.get_secret_value(), "model": self.model}
        if settings.openai_base_url:
            options["base_url"] = settings.openai_base_url
        self._chat = GigaChat(timeout=settings.llm_timeout_seconds, **options)

    async def complete(self, system: str, user: str, schema: dict[str, Any], schema_name: str) -> Completion:
        from langchain_core.messages import HumanMessage, SystemMessage

        try:
            message = await self._chat.ainvoke([SystemMessage(system), HumanMessage(user)])
        except Exception as exc:  # the gigachat SDK has its own exception tree; classify by status code
            status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
            if status == 429:
                raise BackendError(Reason.RATE_LIMITED, "429") from exc
            if isinstance(status, int) and status >= 500:
                raise BackendError(Reason.SERVER_ERROR, str(status)) from exc
            raise BackendError(Reason.HTTP_ERROR, type(exc).__name__) from exc
        usage = getattr(message, "usage_metadata", None) or {}
        metadata = getattr(message, "response_metadata", None) or {}
        return Completion(
            content=message.content if isinstance(message.content, str) else str(message.content),
            finish_reason=metadata.get("finish_reason"),
            prompt_tokens=usage.get("input_tokens"),
            completion_tokens=usage.get("output_tokens"),
        )


def build_backend(settings: Settings) -> ChatBackend:
    if settings.llm_provider == "gigachat":
        return GigaChatBackend(settings)
    return OpenAICompatibleBackend(settings)
