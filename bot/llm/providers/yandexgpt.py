"""YandexGPT through the LangChain chat model of Yandex's AI Studio SDK, an optional extra:
`pip install -e '.[yandex]'`.

The SDK (`yandex-ai-studio-sdk`) calls the foundation models' completion API over gRPC
(TextGenerationService.Completion) with `Authorization: Api-Key …` (or a Bearer IAM token) and the folder in the
model URI `gpt://<YANDEX_FOLDER_ID>/<LLM_MODEL>/latest`. `model.langchain()` gives a LangChain chat model; it has
no tool binding, so `with_structured_output` is not available on it: structured output is the completion API's
own JSON schema option, set on the model (`configure(response_format=…)`). Ladder: JSON schema → JSON object →
no format. The SDK's retries are off: ours are bounded.

OPENAI_BASE_URL, when set, is the gRPC address of the API: `https://host:port` over TLS, `http://host:port`
without (a local stand-in); unset, the SDK finds the public endpoints itself.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from langchain_core.runnables import Runnable

from bot.config import Settings
from bot.llm.backends import BackendError, Completion, LangChainBackend, missing_extra
from bot.llm.errors import LLMConfigError, Reason

try:
    import grpc
    from yandex_ai_studio_sdk import AsyncAIStudio
    from yandex_ai_studio_sdk.retry import NoRetryPolicy
except ImportError as exc:  # the optional extra is not installed
    raise missing_extra("yandexgpt", "yandex") from exc

MAX_OUTPUT_TOKENS = 1500
COMPLETIONS_SERVICE = "ai-foundation-models"  # the SDK's name for the service that serves TextGenerationService

_STATUS_REASONS = {
    grpc.StatusCode.DEADLINE_EXCEEDED: Reason.TIMEOUT,
    grpc.StatusCode.UNAVAILABLE: Reason.CONNECTION,
    grpc.StatusCode.RESOURCE_EXHAUSTED: Reason.RATE_LIMITED,
    grpc.StatusCode.INTERNAL: Reason.SERVER_ERROR,
    grpc.StatusCode.UNKNOWN: Reason.SERVER_ERROR,
    grpc.StatusCode.DATA_LOSS: Reason.SERVER_ERROR,
}


def endpoint_options(base_url: str | None) -> dict[str, Any]:
    """SDK options for an explicit API address, or none to let the SDK discover the public endpoints."""
    if not base_url:
        return {}
    parts = urlsplit(base_url)
    secure = parts.scheme == "https"
    address = f"{parts.hostname}:{parts.port or (443 if secure else 80)}"
    return {"endpoint": None, "service_map": {COMPLETIONS_SERVICE: address}, "verify": secure}


class YandexGPTBackend(LangChainBackend):
    provider = "yandexgpt"
    modes = ("json_schema", "json_object", "plain")

    def __init__(self, settings: Settings, max_output_tokens: int | None = MAX_OUTPUT_TOKENS) -> None:
        super().__init__(settings.llm_model, max_output_tokens)
        if settings.openai_api_key is None or not settings.yandex_folder_id:
            raise LLMConfigError("Для YandexGPT укажите API-ключ в OPENAI_API_KEY и каталог в YANDEX_FOLDER_ID.")
        self._sdk = AsyncAIStudio(
            folder_id=settings.yandex_folder_id,
            auth=settings.openai_api_key.get_secret_value(),
            retry_policy=NoRetryPolicy(),
            **endpoint_options(settings.openai_base_url),
        )
        self._timeout = math.ceil(settings.llm_timeout_seconds)  # the SDK takes whole seconds; ours cuts sooner

    def _structured(self, mode: str, schema: dict[str, Any], schema_name: str) -> Runnable[Any, Any]:
        options: dict[str, Any] = {}
        if self._max_tokens:
            options["max_tokens"] = self._max_tokens
        if mode == "json_schema":
            options["response_format"] = {"name": schema_name, "json_schema": schema}
        elif mode == "json_object":
            options["response_format"] = "json"
        model = self._sdk.models.completions(self.model).configure(**options)
        return model.langchain(timeout=self._timeout)  # type: ignore[no-any-return]

    def _answer(self, output: Any, schema: dict[str, Any]) -> Completion:
        """The completion API reports the end of an answer as the alternative's status, not a finish reason."""
        completion = super()._answer(output, schema)
        status = (getattr(output, "response_metadata", None) or {}).get("status")
        if status == "TRUNCATED_FINAL":
            return replace(completion, finish_reason="length")
        if status == "CONTENT_FILTER":
            raise BackendError(Reason.REFUSED, "content filter")
        return completion

    def _classify(self, exc: Exception) -> BackendError:
        if isinstance(exc, grpc.aio.AioRpcError):
            code = exc.code()
            if code == grpc.StatusCode.INVALID_ARGUMENT:
                return BackendError(Reason.HTTP_ERROR, code.name, format_rejected=True)
            return BackendError(_STATUS_REASONS.get(code, Reason.HTTP_ERROR), code.name)
        if isinstance(exc, TimeoutError):
            return BackendError(Reason.TIMEOUT, "timeout")
        return BackendError(Reason.INTERNAL, type(exc).__name__)
