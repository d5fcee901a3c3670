"""Any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, LM Studio, Russian clouds) through langchain-openai.

Ladder: strict `json_schema` (OpenAI, vLLM, recent Ollama and LM Studio) → `json_object` → no format. ChatOpenAI
sends the output limit as `max_completion_tokens`; a server that rejects that name gets `max_tokens` instead.
ChatOpenAI's own retries are off (ours are bounded and Retry-After aware) and its timeout is our attempt's.
"""

from __future__ import annotations

from typing import Any

import openai
from langchain_core.runnables import Runnable
from langchain_openai import ChatOpenAI

from bot.config import Settings
from bot.llm.backends import BackendError, LangChainBackend, parse_retry_after
from bot.llm.errors import Reason

MAX_OUTPUT_TOKENS = 1500


class OpenAICompatibleBackend(LangChainBackend):
    provider = "openai"
    modes = ("json_schema", "json_mode", "plain")

    def __init__(self, settings: Settings, max_output_tokens: int | None = MAX_OUTPUT_TOKENS) -> None:
        super().__init__(settings.llm_model, max_output_tokens)
        self._settings = settings
        self._legacy_tokens = False  # True: the server wants the older `max_tokens` name
        self._chat = self._build()

    def _build(self) -> ChatOpenAI:
        settings = self._settings
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
        limit: dict[str, Any] = {}
        if self._max_tokens and self._legacy_tokens:
            limit["extra_body"] = {"max_tokens": self._max_tokens}  # passed as is, past ChatOpenAI's renaming
        elif self._max_tokens:
            limit["max_tokens"] = self._max_tokens  # sent as max_completion_tokens
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            api_key=key,  # type: ignore[arg-type]
            timeout=settings.llm_timeout_seconds,
            max_retries=0,
            use_responses_api=False,  # the chat completions API is the one every compatible server speaks
            **limit,
        )

    def _structured(self, mode: str, schema: dict[str, Any], schema_name: str) -> Runnable[Any, Any]:
        if mode == "plain":
            return self._chat
        if mode == "json_mode":
            return self._chat.with_structured_output(method="json_mode", include_raw=True)
        # A dict schema keeps our wire form (strict-mode keywords removed) and the request on the plain
        # completions path; a pydantic class would make ChatOpenAI validate before our checks see the text.
        wire = {"name": schema_name, "schema": schema, "strict": True}
        return self._chat.with_structured_output(wire, method="json_schema", include_raw=True)

    def _state(self) -> tuple[Any, ...]:
        return (self._mode, self._legacy_tokens)

    def _adapt(self, error: BackendError, exc: Exception) -> bool:
        renamed = "max_completion_tokens" in str(exc)
        if error.format_rejected and renamed and not self._legacy_tokens and self._max_tokens:
            self._legacy_tokens = True
            self._chat = self._build()
            self._forget()
            return True
        return super()._adapt(error, exc)

    def _classify(self, exc: Exception) -> BackendError:
        if isinstance(exc, openai.BadRequestError):
            message = str(exc)
            too_long = "context_length" in message or "context length" in message
            return BackendError(Reason.HTTP_ERROR, "400 bad request", format_rejected=not too_long)
        if isinstance(exc, openai.RateLimitError):
            return BackendError(Reason.RATE_LIMITED, "429", parse_retry_after(exc.response.headers))
        if isinstance(exc, openai.APITimeoutError):
            return BackendError(Reason.TIMEOUT, "timeout")
        if isinstance(exc, openai.APIConnectionError):
            return BackendError(Reason.CONNECTION, type(exc).__name__)
        if isinstance(exc, openai.APIStatusError):
            reason = Reason.SERVER_ERROR if exc.status_code >= 500 else Reason.HTTP_ERROR
            return BackendError(reason, str(exc.status_code))
        if isinstance(exc, openai.LengthFinishReasonError):
            return BackendError(Reason.TRUNCATED, "finish_reason=length")
        if isinstance(exc, openai.ContentFilterFinishReasonError):
            return BackendError(Reason.REFUSED, "content filter")
        if isinstance(exc, openai.APIResponseValidationError | ValueError):  # a body that is not JSON at all
            return BackendError(Reason.MALFORMED_JSON, "response body")
        return BackendError(Reason.INTERNAL, type(exc).__name__)
