"""A local OpenAI-compatible chat server for tests: scriptable faults, every request recorded.

The openai 3.x client talks through its own HTTP stack, so mocking httpx would not intercept it; a real server on
127.0.0.1 does, and it exercises the same code path as vLLM, Ollama or LM Studio would.

Usage (any test suite):

    server = FakeOpenAI(responder=lambda req: {"reply": "Добрый день"})
    async with server:
        settings = Settings(openai_base_url=server.base_url, openai_api_key="test")
        ...
        server.queue(rate_limited(retry_after=1), server_error())   # the next two requests fail
        assert "+7 916" not in server.sent_text()

A fixture, `fake_openai`, is defined at the bottom; import it into a conftest.py to use it.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest_asyncio
from aiohttp import web

Request = dict[str, Any]
Responder = Callable[[Request], Any]  # request body → the answer object (dumped to JSON) or a raw string


@dataclass
class Behaviour:
    """What the server does with one request."""

    status: int = 200
    content: str | Responder | None = None  # None → the server's default responder
    finish_reason: str = "stop"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    usage: tuple[int, int] | None = (120, 40)  # (prompt, completion) tokens; None → no usage block
    body: str | None = None  # a raw HTTP body instead of a chat completion (error pages, broken bodies)


def answer(content: str | Responder | None = None, **kwargs: Any) -> Behaviour:
    return Behaviour(content=content, **kwargs)


def slow(seconds: float, then: Behaviour | None = None) -> Behaviour:
    base = then or Behaviour()
    return Behaviour(**{**base.__dict__, "delay": seconds})


def rate_limited(retry_after: float | None = 1) -> Behaviour:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    body = json.dumps({"error": {"message": "Rate limit reached", "type": "rate_limit_error"}})
    return Behaviour(status=429, headers=headers, body=body)


def server_error(status: int = 500) -> Behaviour:
    return Behaviour(status=status, body=json.dumps({"error": {"message": "boom", "type": "server_error"}}))


def bad_request(message: str = "response_format is not supported") -> Behaviour:
    return Behaviour(status=400, body=json.dumps({"error": {"message": message, "type": "invalid_request"}}))


def malformed_json() -> Behaviour:
    return Behaviour(content='{"reply": "Добрый день", "notes": ')


def cut_off() -> Behaviour:
    return Behaviour(content='{"reply": "Добрый день! Мы подготовили для вас', finish_reason="length")


def unknown_placeholder(responder: Responder) -> Behaviour:
    """The normal answer with a placeholder the gateway never issued spliced into its longest text value."""

    def spliced(request: Request) -> Any:
        obj = responder(request)
        key = max((k for k, v in obj.items() if isinstance(v, str)), key=lambda k: len(obj[k]))
        obj[key] += " Передайте привет ⟦PERSON_97⟧."
        return obj

    return Behaviour(content=spliced)


class FakeOpenAI:
    """POST /v1/chat/completions and /chat/completions on 127.0.0.1, random port."""

    def __init__(self, responder: Responder | None = None, model: str = "fake-model") -> None:
        self.responder: Responder = responder or (lambda _req: {"reply": "Добрый день!", "notes": None})
        self.model = model
        self.requests: list[Request] = []
        self._queue: deque[Behaviour] = deque()
        self.default = Behaviour()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._gate: asyncio.Event | None = None  # closed: requests wait (a model that stalls)
        self._arrived = asyncio.Event()

    # Scripting -------------------------------------------------------------------------------------------
    def queue(self, *behaviours: Behaviour) -> None:
        """The next requests get these behaviours, in order; then the default applies again."""
        self._queue.extend(behaviours)

    def hold(self) -> None:
        """From now on every request waits until release(): the bot is caught in the middle of its work."""
        self._gate = asyncio.Event()

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()
        self._gate = None

    async def wait_for_requests(self, count: int = 1, timeout: float = 60.0) -> None:
        """Until `count` requests have arrived (held ones included)."""
        async with asyncio.timeout(timeout):
            while len(self.requests) < count:
                self._arrived.clear()
                await self._arrived.wait()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # What the model received ---------------------------------------------------------------------------
    @staticmethod
    def messages(request: Request) -> dict[str, str]:
        """role → content of one request (the last message of each role wins)."""
        return {m["role"]: m["content"] for m in request.get("messages", [])}

    def sent_text(self) -> str:
        """Everything every request carried, as one string, for 'was X ever sent' assertions."""
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in self.requests)

    # Lifecycle ------------------------------------------------------------------------------------------
    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self._handle)
        app.router.add_post("/chat/completions", self._handle)

    async def start(self) -> str:
        app = web.Application()
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self.base_url

    async def stop(self) -> None:
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # The endpoint --------------------------------------------------------------------------------------
    async def _handle(self, http_request: web.Request) -> web.StreamResponse:
        body = await http_request.json()
        self.requests.append(body)
        self._arrived.set()
        if self._gate is not None:
            await self._gate.wait()
        behaviour = self._queue.popleft() if self._queue else self.default
        if behaviour.delay:
            await asyncio.sleep(behaviour.delay)
        if behaviour.body is not None or behaviour.status != 200:
            return web.Response(
                status=behaviour.status,
                text=behaviour.body or "",
                headers=behaviour.headers,
                content_type="application/json",
            )
        source = behaviour.content if behaviour.content is not None else self.responder
        produced = source(body) if callable(source) else source
        return web.json_response(self._completion(body, produced, behaviour), headers=behaviour.headers)

    def _completion(self, request: Request, produced: Any, behaviour: Behaviour) -> dict[str, Any]:
        """The provider's response body for what the responder produced (an object, or raw text)."""
        content = produced if isinstance(produced, str) else json.dumps(produced, ensure_ascii=False)
        payload: dict[str, Any] = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": request.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": behaviour.finish_reason,
                }
            ],
        }
        if behaviour.usage is not None:
            prompt, completion = behaviour.usage
            payload["usage"] = {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }
        return payload


def data_block(text: str, tag: str) -> str | None:
    """The content between <tag> and </tag> in a prompt (None when absent), for assertions on delimiting."""
    match = re.search(rf"<{tag}>\n?(.*?)\n?</{tag}>", text, flags=re.S)
    return match.group(1) if match else None


@pytest_asyncio.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    """A started FakeOpenAI; import this name into a conftest.py to share it."""
    async with FakeOpenAI() as server:
        yield server
