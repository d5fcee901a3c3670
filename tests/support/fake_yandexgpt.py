"""A local YandexGPT completion API for tests: gRPC TextGenerationService.Completion on 127.0.0.1.

It speaks what Yandex's AI Studio SDK sends (the SDK under the LangChain chat model): a `CompletionRequest` with
`model_uri` (`gpt://<folder>/<model>/latest`), `completion_options` (`max_tokens`, …), `messages` of
`{role, text}` and, for a structured answer, `json_schema.schema` or `json_object`; call metadata
`authorization: Api-Key <key>`. It answers with a stream of `CompletionResponse` — here one message:
`alternatives[{message: {role: assistant, text}, status}]`, `usage` and `model_version`.

Faults are the same `Behaviour`s as the OpenAI fake, in gRPC terms: 429 → RESOURCE_EXHAUSTED, 5xx → INTERNAL
(503 → UNAVAILABLE), 400 → INVALID_ARGUMENT, 401 → UNAUTHENTICATED; `finish_reason="length"` → the alternative's
status TRUNCATED_FINAL; `delay` holds the answer back.

For the responders shared with the other fakes, every request is also recorded in the OpenAI-like shape
(`messages` with `role`/`content`, `response_format`), so `FakeOpenAI.messages(request)` works on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import grpc
from google.protobuf.json_format import MessageToDict
from yandex.cloud.ai.foundation_models.v1 import text_common_pb2 as common
from yandex.cloud.ai.foundation_models.v1.text_generation import text_generation_service_pb2 as service
from yandex.cloud.ai.foundation_models.v1.text_generation import text_generation_service_pb2_grpc as service_grpc

from tests.support.fake_openai import Behaviour, FakeOpenAI, Request, Responder

_STATUS_CODES = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    503: grpc.StatusCode.UNAVAILABLE,
}


class FakeYandexGPT(FakeOpenAI, service_grpc.TextGenerationServiceServicer):
    def __init__(
        self, responder: Responder | None = None, model: str = "yandexgpt", *, api_key: str = "yc-api-key"
    ) -> None:
        super().__init__(responder, model)
        self.api_key = api_key
        self.folder_id = "b1gfolder"
        self.raw_requests: list[dict[str, Any]] = []  # each CompletionRequest as a dict, field names as in proto
        self.metadata: list[dict[str, str]] = []
        self._server: grpc.aio.Server | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> str:
        self._server = grpc.aio.server()
        service_grpc.add_TextGenerationServiceServicer_to_server(self, self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        await self._server.start()
        return self.base_url

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.stop(grace=None)
            self._server = None

    async def Completion(
        self, request: service.CompletionRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[service.CompletionResponse]:
        raw = MessageToDict(request, preserving_proto_field_name=True)
        self.raw_requests.append(raw)
        self.metadata.append({k: str(v) for k, v in context.invocation_metadata() or ()})
        chat_like = _chat_like(raw)
        self.requests.append(chat_like)
        behaviour = self._queue.popleft() if self._queue else self.default
        if self.metadata[-1].get("authorization") != f"Api-Key {self.api_key}":
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "The token is invalid")
        if behaviour.delay:
            await asyncio.sleep(behaviour.delay)
        if behaviour.status != 200:
            code = _STATUS_CODES.get(behaviour.status, grpc.StatusCode.INTERNAL)
            await context.abort(code, f"fake fault {behaviour.status}")
        yield self._response(chat_like, behaviour)

    def _response(self, request: Request, behaviour: Behaviour) -> service.CompletionResponse:
        source = behaviour.content if behaviour.content is not None else self.responder
        produced = source(request) if callable(source) else source
        text = produced if isinstance(produced, str) else _dumps(produced)
        status = (
            common.Alternative.ALTERNATIVE_STATUS_TRUNCATED_FINAL
            if behaviour.finish_reason == "length"
            else common.Alternative.ALTERNATIVE_STATUS_FINAL
        )
        response = service.CompletionResponse(
            alternatives=[common.Alternative(message=common.Message(role="assistant", text=text), status=status)],
            model_version="23.10.2024",
        )
        if behaviour.usage is not None:
            prompt, completion = behaviour.usage
            response.usage.CopyFrom(
                common.ContentUsage(
                    input_text_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
                )
            )
        return response


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _chat_like(raw: dict[str, Any]) -> Request:
    """A CompletionRequest in the OpenAI-like shape the shared responders read."""
    request: Request = {
        "model": raw.get("model_uri", ""),
        "messages": [{"role": m.get("role", ""), "content": m.get("text", "")} for m in raw.get("messages", [])],
        "max_tokens": int(raw.get("completion_options", {}).get("max_tokens", 0)) or None,
    }
    if "json_schema" in raw:
        request["response_format"] = {"type": "json_schema", "json_schema": {"schema": raw["json_schema"]["schema"]}}
    elif raw.get("json_object"):
        request["response_format"] = {"type": "json_object"}
    return request
