"""One instance answers: a lock that only one process of a bot holds at a time.

Two processes polling the same token would both receive updates (and Telegram answers one of them with 409
Conflict); two processes running the background jobs would send every digest twice. So the process that polls
and runs the jobs holds a lock first:

- PostgreSQL configured: a session advisory lock on a connection of its own (released by the server the moment
  the process dies, even on SIGKILL);
- else Redis configured: a key with a short expiry, renewed while the process lives;
- else (SQLite): a file lock under DATA_DIR (released by the kernel when the process dies).

A lease can be HELD, LOST (another process has it) or UNKNOWN (the service that keeps it is unreachable: nobody
can take it from us then, and the bot carries on telling people the service is briefly unavailable).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import IO, Any, Protocol

from bot.config import Settings
from bot.infra_faults import is_transient
from bot.startup_checks import StartupRefused

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 5.0  # seconds for one round trip to the lock's keeper


class LeaseState(enum.Enum):
    HELD = "held"
    LOST = "lost"
    UNKNOWN = "unknown"


class AnotherInstanceRunning(StartupRefused):
    """Another process holds the lock (or Telegram reports a competing getUpdates)."""


class Lease(Protocol):
    where: str  # where the lock lives, for the operator's message

    async def try_acquire(self) -> bool: ...

    async def check(self) -> LeaseState: ...

    async def release(self) -> None: ...


def _digest(*parts: object) -> bytes:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()


class PostgresLease:
    # The session holding our advisory lock, if any (a bigint key shows as classid = high, objid = low 32 bits).
    _HOLDER = """
    SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database
      WHERE datname = current_database()) AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
    """

    def __init__(self, database_url: str, bot_id: int, owner: str) -> None:
        self.dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        # Advisory locks live inside one database, so the bot's id is enough to tell bots apart.
        self.key = int.from_bytes(_digest("copilot-bot", bot_id)[:8], "big", signed=True)
        self.owner = owner
        self.where = "PostgreSQL (advisory lock)"
        self._conn: Any = None

    async def try_acquire(self) -> bool:
        import asyncpg

        if self._conn is not None:
            return True
        conn = await asyncpg.connect(self.dsn, timeout=CHECK_TIMEOUT, server_settings={"application_name": self.owner})
        try:
            got = await self._lock(conn)
            if not got and await self._end_own_stale_session(conn):
                got = await self._lock(conn)
        except BaseException:
            await _close_quietly(conn)
            raise
        if not got:
            await _close_quietly(conn)
            return False
        self._conn = conn
        return True

    async def _lock(self, conn: Any) -> bool:
        return bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", self.key, timeout=CHECK_TIMEOUT))

    async def _end_own_stale_session(self, conn: Any) -> bool:
        """After a network cut the server may keep our old session (and the lock) until it notices: a session
        of this very process is ended, so the lock comes back to us instead of to nobody."""
        unsigned = self.key & 0xFFFFFFFFFFFFFFFF
        row = await conn.fetchrow(self._HOLDER, unsigned >> 32, unsigned & 0xFFFFFFFF, timeout=CHECK_TIMEOUT)
        if row is None or row["application_name"] != self.owner:
            return False
        log.warning("ending this process's stale PostgreSQL session %s that still held the lock", row["pid"])
        await conn.fetchval("SELECT pg_terminate_backend($1)", row["pid"], timeout=CHECK_TIMEOUT)
        for _ in range(50):  # the lock goes when the session has ended
            if await conn.fetchrow(self._HOLDER, unsigned >> 32, unsigned & 0xFFFFFFFF) is None:
                break
            await asyncio.sleep(0.1)
        return True

    async def check(self) -> LeaseState:
        if self._conn is not None:
            try:
                await self._conn.fetchval("SELECT 1", timeout=CHECK_TIMEOUT)
                return LeaseState.HELD
            except Exception as exc:  # the connection (and with it the lock) is gone
                log.warning("the instance lock's connection to PostgreSQL broke: %s", type(exc).__name__)
                await _close_quietly(self._conn)
                self._conn = None
        return await _retake(self)

    async def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.fetchval("SELECT pg_advisory_unlock($1)", self.key, timeout=CHECK_TIMEOUT)
            await _close_quietly(self._conn)
            self._conn = None


class RedisLease:
    # Extend the key only while it is still ours; take it if it expired meanwhile.
    _RENEW = """
    local holder = redis.call('GET', KEYS[1])
    if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    if not holder then return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) and 1 or 0 end
    return 0
    """
    _RELEASE = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """

    def __init__(self, url: str, key: str, owner: str, ttl_seconds: float = 15.0) -> None:
        from redis.asyncio import Redis

        self.client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT)
        self.key = key
        self.owner = owner
        self.ttl_ms = int(ttl_seconds * 1000)
        self.where = "Redis"

    async def try_acquire(self) -> bool:
        return bool(await self.client.eval(self._RENEW, 1, self.key, self.owner, self.ttl_ms))  # type: ignore[misc]

    async def check(self) -> LeaseState:
        return await _retake(self)

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.eval(self._RELEASE, 1, self.key, self.owner)  # type: ignore[misc]
        await self.client.aclose()


class FileLease:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = f"файл {path}"
        self._file: IO[str] | None = None

    async def try_acquire(self) -> bool:
        return self._file is not None or await asyncio.to_thread(self._lock)

    def _lock(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the process's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            if holder:
                self.where = f"файл {self.path}, процесс {holder}"
            return False
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    async def check(self) -> LeaseState:
        return LeaseState.HELD if self._file is not None else await _retake(self)

    async def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


async def _retake(lease: Lease) -> LeaseState:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT * 2):
            return LeaseState.HELD if await lease.try_acquire() else LeaseState.LOST
    except Exception as exc:
        if is_transient(exc):
            return LeaseState.UNKNOWN
        raise


async def _close_quietly(conn: Any) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(conn.close(), CHECK_TIMEOUT)
    if not conn.is_closed():
        conn.terminate()


def build_lease(settings: Settings, bot_id: int, owner: str, namespace: str = "copilot") -> Lease:
    url = settings.resolved_database_url
    if url.startswith("postgresql"):
        return PostgresLease(url, bot_id, owner)
    if settings.redis_url:
        # Bots sharing one Redis but not one database are different deployments: the database is in the key.
        database = hashlib.sha256(url.encode()).hexdigest()[:12]
        return RedisLease(settings.redis_url, f"{namespace}:leader:{bot_id}:{database}", owner)
    return FileLease(settings.data_dir.resolve() / f"bot-{bot_id}.lock")


def refusal(bot_id: int, where: str) -> str:
    return (
        f"Бот {bot_id} уже запущен другим экземпляром (блокировка: {where}). Остановите тот экземпляр "
        "или запустите этот с флагом --standby: он будет ждать и подхватит работу, когда первый остановится."
    )


def conflict_refusal(bot_id: int) -> str:
    return (
        f"Telegram сообщает, что токен бота {bot_id} уже опрашивает другой процесс (409 Conflict). Остановите "
        "другой экземпляр (возможно, на другой машине) или запустите этот с флагом --standby."
    )
