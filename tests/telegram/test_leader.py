"""The instance lock: one holder at a time, in PostgreSQL, Redis or a file; it comes back after a network cut."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from bot.telegram.leader import FileLease, LeaseState, PostgresLease, RedisLease, build_lease
from tests.conftest import make_settings
from tests.support.tcp_proxy import TcpProxy

BOT_ID = 123456


async def test_a_file_lock_has_one_holder_until_it_is_released(tmp_path: Path) -> None:
    first, second = FileLease(tmp_path / "bot.lock"), FileLease(tmp_path / "bot.lock")
    assert await first.try_acquire()
    assert not await second.try_acquire()
    assert "процесс" in second.where  # the refusal names the holder's process id
    assert await first.check() is LeaseState.HELD
    await first.release()
    assert await second.try_acquire()
    await second.release()


async def test_a_postgresql_lock_has_one_holder_and_is_freed_when_its_session_ends(pg_url: str) -> None:
    first, second = PostgresLease(pg_url, BOT_ID, "first"), PostgresLease(pg_url, BOT_ID, "second")
    other_bot = PostgresLease(pg_url, BOT_ID + 1, "other-bot")
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await other_bot.try_acquire()  # another bot in the same database has a lock of its own
        assert await first.check() is LeaseState.HELD
        # The holder dies (SIGKILL closes its connection): the server frees the lock at once.
        await first._conn.close()
        assert await second.check() is LeaseState.HELD
        assert await first.check() is LeaseState.LOST
    finally:
        for lease in (first, second, other_bot):
            await lease.release()


async def test_after_a_network_cut_the_postgresql_lock_comes_back_to_its_holder(pg_url: str) -> None:
    async with TcpProxy("127.0.0.1", 5432) as proxy:
        lease = PostgresLease(proxy.url_for(pg_url), BOT_ID, "holder")
        rival = PostgresLease(pg_url, BOT_ID, "rival")
        try:
            assert await lease.try_acquire()
            proxy.cut()
            assert await lease.check() is LeaseState.UNKNOWN  # nobody can take it from us while we cannot see
            proxy.restore()
            assert await lease.check() is LeaseState.HELD
            assert not await rival.try_acquire()
        finally:
            await lease.release()
            await rival.release()


async def test_the_lock_left_by_this_process_s_own_stale_session_is_taken_back(pg_url: str) -> None:
    """The server has not noticed the cut yet: the old session of this very process still holds the lock."""
    dsn = pg_url.replace("postgresql+asyncpg://", "postgresql://")
    lease = PostgresLease(pg_url, BOT_ID, "holder-1")
    stale = await asyncpg.connect(dsn, server_settings={"application_name": "holder-1"})
    try:
        assert await stale.fetchval("SELECT pg_try_advisory_lock($1)", lease.key)
        assert await lease.try_acquire()
        assert stale.is_closed() or not await _alive(stale)
    finally:
        await lease.release()
        if not stale.is_closed():
            stale.terminate()


async def _alive(conn: asyncpg.Connection) -> bool:
    try:
        await conn.fetchval("SELECT 1")
    except Exception:
        return False
    return True


async def test_a_redis_lock_has_one_holder_and_survives_a_cut(redis_namespace: tuple[str, str]) -> None:
    url, prefix = redis_namespace
    async with TcpProxy("127.0.0.1", 6379) as proxy:
        first = RedisLease(proxy.url_for(url), f"{prefix}:leader", "first")
        second = RedisLease(url, f"{prefix}:leader", "second")
        try:
            assert await first.try_acquire()
            assert not await second.try_acquire()
            proxy.cut()
            assert await first.check() is LeaseState.UNKNOWN
            proxy.restore()
            assert await first.check() is LeaseState.HELD
            assert await second.check() is LeaseState.LOST
        finally:
            await first.release()
        assert await second.try_acquire()
        await second.release()


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [({}, FileLease), ({"redis_url": "redis://127.0.0.1:6379/0"}, RedisLease)],
    ids=["sqlite", "sqlite+redis"],
)
def test_the_lock_lives_where_the_deployment_keeps_its_state(
    tmp_path: Path, overrides: dict[str, str], kind: type
) -> None:
    settings = make_settings(tmp_path, **overrides)
    assert isinstance(build_lease(settings, BOT_ID, "me"), kind)
    postgres = make_settings(tmp_path, database_url="postgresql://postgres@127.0.0.1:5432/x", **overrides)
    assert isinstance(build_lease(postgres, BOT_ID, "me"), PostgresLease)
