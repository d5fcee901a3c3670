"""/healthz: is each thing the bot needs reachable right now — the database, Redis (when used), the knowledge index.

Every check is bounded by a short timeout, so a hung dependency turns into "down" instead of a hung probe. A
check reports the failure's type only: an exception message can quote a URL with a password in it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings


class App(Protocol):
    """What the checks need of the running application (bot.app.App has it; this package does not import it)."""

    settings: Settings
    engine: AsyncEngine

    def loaded(self, name: str) -> Any | None: ...


CHECK_TIMEOUT = 3.0  # seconds per check
OK = "ok"
NOT_USED = "not used"


@dataclass(frozen=True, slots=True)
class Health:
    checks: dict[str, str] = field(default_factory=dict)  # name → "ok", "not used" or what went wrong

    @property
    def down(self) -> list[str]:
        return [name for name, state in self.checks.items() if state not in (OK, NOT_USED)]

    @property
    def healthy(self) -> bool:
        return not self.down

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.healthy else "down", "down": self.down, "checks": self.checks}


async def _database(app: App) -> str:
    async with app.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return OK


async def _redis(app: App) -> str:
    if not app.settings.redis_url:
        return NOT_USED
    from redis.asyncio import Redis

    client = Redis.from_url(app.settings.redis_url, socket_connect_timeout=CHECK_TIMEOUT)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return OK


async def _index(app: App) -> str:
    stack = app.loaded("retrieval")
    if stack is None:
        return "not loaded yet"  # the bot loads it at start, before it takes updates
    await asyncio.to_thread(stack.store.client.heartbeat)  # a Chroma server, or the embedded folder's client
    return OK


CHECKS: dict[str, Callable[[App], Awaitable[str]]] = {"database": _database, "redis": _redis, "index": _index}


async def _run(check: Callable[[App], Awaitable[str]], app: App) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            return await check(app)
    except TimeoutError:
        return f"no answer in {CHECK_TIMEOUT:.0f} s"
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"


async def check_health(app: App) -> Health:
    names = list(CHECKS)
    results = await asyncio.gather(*(_run(CHECKS[name], app) for name in names))
    return Health(dict(zip(names, results, strict=True)))
