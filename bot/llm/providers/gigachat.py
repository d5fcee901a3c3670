"""GigaChat (Sber) through langchain-gigachat, an optional extra: `pip install -e '.[gigachat]'`.

The gigachat SDK under it trades the authorization key (OPENAI_API_KEY) for an access token at the OAuth endpoint
(GIGACHAT_AUTH_URL, scope GIGACHAT_SCOPE) and renews it before it expires. Ladder: function calling — GigaChat's
documented way to get a structured answer, a forced call of one function whose parameters are our schema — then
no format (the schema is in the prompt). The SDK's retries are off: ours are bounded.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import httpx
from langchain_core.runnables import Runnable
from langchain_core.utils.json_schema import dereference_refs

from bot.config import Settings
from bot.llm.backends import (
    BackendError,
    Completion,
    LangChainBackend,
    message_completion,
    missing_extra,
    parse_retry_after,
)
from bot.llm.errors import Reason

try:
    from gigachat import exceptions as giga_errors
    from langchain_gigachat.chat_models import GigaChat
except ImportError as exc:  # the optional extra is not installed
    raise missing_extra("gigachat", "gigachat") from exc

MAX_OUTPUT_TOKENS = 1500


def function_schema(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """Our wire schema as a GigaChat function. Its parameters take neither $ref nor anyOf: references are
    inlined, and a nullable field (`anyOf: [T, null]`) becomes an optional T — `nullable_fields` lists them."""
    parameters = _collapse_nullable(dereference_refs(schema))
    parameters.pop("$defs", None)
    return {"name": name, "description": "Ответ строго по схеме", "parameters": parameters}


def nullable_fields(schema: dict[str, Any]) -> list[str]:
    return [key for key, spec in schema.get("properties", {}).items() if _null_variant(spec) is not None]


def _null_variant(spec: Any) -> dict[str, Any] | None:
    variants = spec.get("anyOf") if isinstance(spec, dict) else None
    if not variants or len(variants) != 2 or {"type": "null"} not in variants:
        return None
    return next(v for v in variants if v != {"type": "null"})  # type: ignore[no-any-return]


def _collapse_nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_collapse_nullable(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _collapse_nullable(v) for k, v in node.items()}
    properties = out.get("properties")
    if isinstance(properties, dict):
        optional = set()
        for key, spec in list(properties.items()):
            variant = _null_variant(spec)
            if variant is not None:
                properties[key] = {**variant, **{k: v for k, v in spec.items() if k != "anyOf"}}
                optional.add(key)
        if optional and "required" in out:
            out["required"] = [k for k in out["required"] if k not in optional]
    return out


class GigaChatBackend(LangChainBackend):
    provider = "gigachat"
    modes = ("function_calling", "plain")

    def __init__(self, settings: Settings, max_output_tokens: int | None = MAX_OUTPUT_TOKENS) -> None:
        super().__init__(settings.llm_model, max_output_tokens)
        if settings.openai_api_key is None:
            raise missing_key()
        options: dict[str, Any] = {}
        if settings.openai_base_url:
            options["base_url"] = settings.openai_base_url
        if settings.gigachat_auth_url:
            options["auth_url"] = settings.gigachat_auth_url
        self._chat = GigaChat(
            credentials=settings.openai_api_key.get_secret_value(),
            scope=settings.gigachat_scope,
            model=settings.llm_model,
            timeout=settings.llm_timeout_seconds,
            verify_ssl_certs=settings.gigachat_verify_ssl_certs,
            max_retries=0,
            max_tokens=max_output_tokens,
            **options,
        )

    def _structured(self, mode: str, schema: dict[str, Any], schema_name: str) -> Runnable[Any, Any]:
        if mode == "plain":
            return self._chat
        return self._chat.with_structured_output(
            function_schema(schema, schema_name), method="function_calling", include_raw=True
        )

    def _answer(self, output: Any, schema: dict[str, Any]) -> Completion:
        """A nullable field the model left out is null: GigaChat could only be told it was optional."""
        completion = message_completion(output)
        try:
            data = json.loads(completion.content)
        except ValueError:
            return completion  # not bare JSON: the checks parse (or reject) it as any other answer
        if not isinstance(data, dict):
            return completion
        missing = {key: None for key in nullable_fields(schema) if key not in data}
        if not missing:
            return completion
        return replace(completion, content=json.dumps({**data, **missing}, ensure_ascii=False))

    def _classify(self, exc: Exception) -> BackendError:
        if isinstance(exc, giga_errors.RateLimitError):
            return BackendError(Reason.RATE_LIMITED, "429", parse_retry_after(exc.headers))
        if isinstance(exc, giga_errors.BadRequestError | giga_errors.UnprocessableEntityError):
            return BackendError(Reason.HTTP_ERROR, str(exc.status_code), format_rejected=True)
        if isinstance(exc, giga_errors.ResponseError):  # 401 (a bad key or token), 403, 404, 413, 5xx
            reason = Reason.SERVER_ERROR if exc.status_code >= 500 else Reason.HTTP_ERROR
            return BackendError(reason, str(exc.status_code))
        if isinstance(exc, giga_errors.LengthFinishReasonError):
            return BackendError(Reason.TRUNCATED, "finish_reason=length")
        if isinstance(exc, httpx.TimeoutException):
            return BackendError(Reason.TIMEOUT, "timeout")
        if isinstance(exc, httpx.TransportError):
            return BackendError(Reason.CONNECTION, type(exc).__name__)
        if isinstance(exc, ValueError):  # a body that is not the JSON the SDK expects
            return BackendError(Reason.MALFORMED_JSON, "response body")
        return BackendError(Reason.INTERNAL, type(exc).__name__)


def missing_key() -> Exception:
    from bot.llm.errors import LLMConfigError

    return LLMConfigError("Для GigaChat укажите ключ авторизации в OPENAI_API_KEY.")
