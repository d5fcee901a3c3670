"""A local GigaChat API for tests: the OAuth token endpoint and the chat endpoint, with scriptable faults.

It speaks what the gigachat SDK (under langchain-gigachat) sends and expects:
- POST /api/v2/oauth — `Authorization: Basic <authorization key>`, an `RqUID` header and a form field `scope`;
  answers `{"access_token", "expires_at"}` (milliseconds since the epoch), or 401 for a wrong key;
- POST /api/v1/chat/completions — `Authorization: Bearer <access token>`; a body with `messages` and, for a
  structured answer, `functions` plus `function_call: {"name"}`; answers with `choices[].message` holding either
  `content` or `function_call: {"name", "arguments": {...}}` (arguments are an object, not a string), and `usage`.

Faults are the same `Behaviour`s as the OpenAI fake (tests/support/fake_openai.py): slow answers, 429 with
Retry-After, 5xx, 400, broken bodies, `finish_reason: length`. `revoke_tokens()` makes every issued token
invalid, as when the server restarts or a token is withdrawn.

    server = FakeGigaChat(responder=lambda req: {...})
    async with server:
        settings = Settings(llm_provider="gigachat", openai_base_url=server.base_url,
                            gigachat_auth_url=server.auth_url, openai_api_key=server.credentials)
"""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any

from aiohttp import web

from tests.support.fake_openai import Behaviour, FakeOpenAI, Request, Responder


class FakeGigaChat(FakeOpenAI):
    def __init__(
        self,
        responder: Responder | None = None,
        model: str = "GigaChat",
        *,
        token_lifetime_seconds: float = 1800,
        scope: str = "GIGACHAT_API_PERS",
    ) -> None:
        super().__init__(responder, model)
        self.credentials = base64.b64encode(b"client-id:client-secret").decode()
        self.scope = scope
        self.token_lifetime_seconds = token_lifetime_seconds
        self.token_requests: list[dict[str, str]] = []  # headers and form of every OAuth request
        self.rejected_tokens = 0  # chat requests refused with 401
        self._tokens: set[str] = set()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def auth_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v2/oauth"

    def revoke_tokens(self) -> None:
        self._tokens.clear()

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/api/v2/oauth", self._oauth)
        app.router.add_post("/api/v1/chat/completions", self._chat)

    async def _oauth(self, http_request: web.Request) -> web.StreamResponse:
        form = await http_request.post()
        record = {
            "authorization": http_request.headers.get("Authorization", ""),
            "rquid": http_request.headers.get("RqUID", ""),
            "scope": str(form.get("scope", "")),
        }
        self.token_requests.append(record)
        if record["authorization"] != f"Basic {self.credentials}" or not record["rquid"]:
            return web.json_response({"code": 6, "message": "credentials doesn't match db data"}, status=401)
        if record["scope"] != self.scope:
            return web.json_response({"code": 7, "message": "scope from db not fully includes consumed scope"}, 400)
        token = "giga-" + secrets.token_hex(8)
        self._tokens.add(token)
        expires_at = int((time.time() + self.token_lifetime_seconds) * 1000)
        return web.json_response({"access_token": token, "expires_at": expires_at})

    async def _chat(self, http_request: web.Request) -> web.StreamResponse:
        token = http_request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            self.rejected_tokens += 1
            return web.json_response({"status": 401, "message": "Unauthorized"}, status=401)
        return await self._handle(http_request)

    def _completion(self, request: Request, produced: Any, behaviour: Behaviour) -> dict[str, Any]:
        payload = super()._completion(request, produced, behaviour)
        choice = payload["choices"][0]
        functions = request.get("functions") or []
        if functions and not isinstance(produced, str):  # a structured answer comes as a function call
            name = (request.get("function_call") or {}).get("name") or functions[0]["name"]
            choice["message"] = {
                "role": "assistant",
                "content": "",
                "function_call": {"name": name, "arguments": produced},
                "functions_state_id": "00000000-0000-0000-0000-000000000000",
            }
            if behaviour.finish_reason == "stop":
                choice["finish_reason"] = "function_call"
        payload["model"] = f"{self.model}:2.0.28.2"
        return payload


def function_of(request: Request) -> dict[str, Any] | None:
    """The function a GigaChat request offered (its schema is in `parameters`), if any."""
    functions = request.get("functions") or []
    return functions[0] if functions else None
