"""Which errors mean "a service we depend on is unreachable for now" (and pass once it is back), not a bug.

PostgreSQL, Redis or a Chroma server going away mid-run must not turn into a generic apology and a lost message:
the update is kept and retried when the service returns. Only connection-level failures count: a wrong query or
a missing table is a bug and must not be retried forever.
"""

from __future__ import annotations

import asyncio
import errno
import socket

# Network errors outside ConnectionError's family (a file that is missing is not one of them).
_NETWORK_ERRNOS = {errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}

# Messages of SQLite errors that pass by themselves (another writer holds the lock).
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "disk i/o error", "unable to open database")


def _is_connection_level(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError | TimeoutError | asyncio.TimeoutError):
        return True
    if isinstance(exc, socket.gaierror) or (isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS):
        return True
    try:
        from sqlalchemy import exc as sa_exc
    except ImportError:  # pragma: no cover - SQLAlchemy is a core dependency
        sa_exc = None  # type: ignore[assignment]
    if sa_exc is not None:
        if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, sa_exc.TimeoutError):  # the pool waited too long for a connection
            return True
        if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
            text = str(exc.orig).lower()
            if any(part in text for part in _SQLITE_TRANSIENT):
                return True
            if "connection" in text or "closed" in text or "terminat" in text:
                return True
    try:
        import asyncpg
    except ImportError:  # pragma: no cover
        asyncpg = None
    if asyncpg is not None and isinstance(
        exc,
        asyncpg.exceptions.ConnectionDoesNotExistError
        | asyncpg.exceptions.CannotConnectNowError
        | asyncpg.exceptions.ConnectionFailureError
        | asyncpg.exceptions.TooManyConnectionsError
        | asyncpg.exceptions.AdminShutdownError
        | asyncpg.exceptions.InterfaceError,
    ):
        return "another operation is in progress" not in str(exc)  # misuse of a connection is a bug
    try:
        from redis import exceptions as redis_exc
    except ImportError:  # pragma: no cover
        redis_exc = None  # type: ignore[assignment]
    if redis_exc is not None and isinstance(
        exc, redis_exc.ConnectionError | redis_exc.TimeoutError | redis_exc.BusyLoadingError
    ):
        return not isinstance(exc, redis_exc.AuthenticationError)
    try:
        import httpx  # the Chroma server's client
    except ImportError:  # pragma: no cover
        httpx = None  # type: ignore[assignment]
    return httpx is not None and isinstance(exc, httpx.TransportError)


def is_transient(exc: BaseException) -> bool:
    """True when `exc`, or an error it was raised from, is a dependency being unreachable."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_connection_level(current):
            return True
        if isinstance(current, BaseExceptionGroup) and any(is_transient(e) for e in current.exceptions):
            return True
        current = current.__cause__ or current.__context__
    return False
