"""Which errors are an outage (kept and retried) and which are bugs (apologised for once)."""

from __future__ import annotations

import sqlite3

import pytest
from aiogram.types import ErrorEvent, Update
from redis import exceptions as redis_exc
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from bot.infra_faults import is_transient
from bot.telegram.handlers.errors import not_an_outage
from storage.db import create_engine
from tests.support.tcp_proxy import TcpProxy


def _raised_from(outer: Exception, cause: BaseException) -> Exception:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise outer from inner
    except Exception as chained:
        return chained


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(),
        TimeoutError(),
        redis_exc.ConnectionError("Error 111 connecting to 127.0.0.1:6379"),
        redis_exc.TimeoutError("Timeout reading from socket"),
        sa_exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked")),
        _raised_from(RuntimeError("the handler gave up"), ConnectionResetError()),
    ],
    ids=["refused", "reset", "timeout", "redis-down", "redis-timeout", "sqlite-locked", "chained"],
)
def test_an_unreachable_service_is_an_outage(error: Exception) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad input"),
        FileNotFoundError(2, "No such file or directory"),
        sa_exc.OperationalError("SELECT x", {}, sqlite3.OperationalError("no such table: x")),
        sa_exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed: users.id")),
        redis_exc.ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value"),
    ],
    ids=["value", "missing-file", "missing-table", "unique", "redis-wrongtype"],
)
def test_a_bug_is_not_an_outage(error: Exception) -> None:
    assert not is_transient(error)


async def test_postgresql_gone_mid_run_is_an_outage(pg_url: str) -> None:
    """The real error SQLAlchemy raises when the connection to PostgreSQL is cut (through a proxy)."""
    async with TcpProxy("127.0.0.1", 5432) as proxy:
        engine = create_engine(proxy.url_for(pg_url))
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            proxy.cut()
            with pytest.raises(Exception) as caught:
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()
    assert is_transient(caught.value), repr(caught.value)


def test_the_error_handler_leaves_outages_to_the_inbox() -> None:
    update = Update(update_id=1)
    assert not not_an_outage(ErrorEvent(update=update, exception=ConnectionRefusedError()))
    assert not_an_outage(ErrorEvent(update=update, exception=KeyError("x")))
