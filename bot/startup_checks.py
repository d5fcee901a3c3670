"""Before the bot starts: is every configured service reachable? If not, one clear line naming the setting.

Without these checks an unreachable PostgreSQL surfaced as 130 lines of traceback from inside Alembic. Each check
is short (a connection and a ping, a few seconds at most) and says which setting to look at; passwords in the
addresses it prints are masked.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from urllib.parse import urlsplit, urlunsplit

from bot.config import Settings

CONNECT_TIMEOUT = 5.0  # seconds: a server on the network answers a connection well within this


class StartupRefused(Exception):
    """The bot cannot start: the message is one line for the operator; the exit code is 2."""


class ServiceUnreachable(StartupRefused):
    pass


def mask_url(url: str) -> str:
    """The address with its password replaced by ***, to print and log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def reason(exc: BaseException) -> str:
    """A short cause in the words operators search for (connection refused, timeout, …), without a traceback."""
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    if isinstance(root, ConnectionRefusedError) or getattr(root, "errno", None) == errno.ECONNREFUSED:
        return "connection refused"
    if isinstance(root, TimeoutError | asyncio.TimeoutError):
        return f"нет ответа за {CONNECT_TIMEOUT:.0f} с (timeout)"
    if isinstance(root, socket.gaierror):
        return "неизвестное имя хоста"
    text = " ".join(str(root).split()) or type(root).__name__
    if "Connect call failed" in text or "Connection refused" in text:
        return "connection refused"
    return text.split("(Background on this error")[0].strip()[:200]


async def _check_database(settings: Settings) -> None:
    from sqlalchemy import text

    from storage.db import create_engine

    url = settings.resolved_database_url
    engine = create_engine(url)  # the bot's own engine settings (SQLite: the folder is created)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT + 1):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except Exception as exc:
        kind = "PostgreSQL" if url.startswith("postgresql") else "базе SQLite"
        raise ServiceUnreachable(
            f"Не удаётся подключиться к {kind} (DATABASE_URL={mask_url(url)}): {reason(exc)}. "
            "Проверьте, что сервер запущен и адрес верный."
        ) from exc
    finally:
        await engine.dispose()


async def _check_redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT, retry=None)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT + 1):
            await client.ping()
    except Exception as exc:
        raise ServiceUnreachable(
            f"Не удаётся подключиться к Redis (REDIS_URL={mask_url(url)}): {reason(exc)}. "
            "Проверьте, что Redis запущен и адрес верный, или уберите REDIS_URL."
        ) from exc
    finally:
        await client.aclose()


async def _check_chroma(url: str) -> None:
    import aiohttp

    try:
        timeout = aiohttp.ClientTimeout(total=CONNECT_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(f"{url}/api/v2/heartbeat") as answer:
            if answer.status != 200:
                raise ServiceUnreachable(
                    f"Сервер Chroma (CHROMA_URL={mask_url(url)}) ответил HTTP {answer.status}: "
                    "проверьте, что по этому адресу запущен `chroma run`."
                )
    except ServiceUnreachable:
        raise
    except Exception as exc:
        raise ServiceUnreachable(
            f"Не удаётся подключиться к серверу Chroma (CHROMA_URL={mask_url(url)}): {reason(exc)}. "
            "Проверьте, что `chroma run` запущен и адрес верный, или уберите CHROMA_URL."
        ) from exc


async def check_services(settings: Settings, *, database_only: bool = False) -> None:
    """Raise ServiceUnreachable naming the first configured service that does not answer (the bot needs all of
    them; a CLI command only the database, the rest loads when it is used)."""
    await _check_database(settings)
    if database_only:
        return
    if settings.redis_url:
        await _check_redis(settings.redis_url)
    if settings.chroma_url:
        await _check_chroma(settings.chroma_url)
