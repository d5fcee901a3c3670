"""Shared fixtures: settings on temporary folders, a PostgreSQL database and a Redis namespace of this run's own.

PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379) are used for real when they run; every test
run creates its own database and key prefix and removes them at the end. Without them those tests skip with the
reason, and everything else still runs.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Settings

# gRPC's C core logs a notice when a fake server closes its connections (tests/support/fake_yandexgpt.py).
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

PG_HOST, PG_PORT = os.environ.get("TEST_PG_HOST", "127.0.0.1"), int(os.environ.get("TEST_PG_PORT", "5432"))
PG_ADMIN_DB = os.environ.get("TEST_PG_DB", "test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_ID = uuid.uuid4().hex[:10]
SETTING_PREFIXES = (
    "TELEGRAM_",
    "BOT_",
    "OPENAI_",
    "LLM_",
    "DATABASE_URL",
    "REDIS_URL",
    "CHROMA_",
    "WEBHOOK_",
    "METRICS_",
)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's .env or environment settings."""
    for key in list(os.environ):
        if key.startswith(SETTING_PREFIXES):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path / "var", "_env_file": None}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


# PostgreSQL ------------------------------------------------------------------------------------------------------
@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pg_server_url() -> AsyncIterator[str]:
    """A database of this test run's own on the local PostgreSQL server, dropped at the end."""
    if not _port_open(PG_HOST, PG_PORT):
        pytest.skip(f"PostgreSQL is not running at {PG_HOST}:{PG_PORT}; start it to run the PostgreSQL tests")
    import asyncpg

    name = f"copilot_test_{RUN_ID}"
    admin_dsn = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/{PG_ADMIN_DB}"

    async def _admin(sql: str) -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        await _admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # server up but refusing us: skip with the reason
        pytest.skip(f"cannot create a test database on PostgreSQL: {exc}")
    try:
        yield f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def pg_url(pg_server_url: str) -> AsyncIterator[str]:
    """The run's database, emptied before each test (schema dropped; migrations recreate it)."""
    import asyncpg

    dsn = pg_server_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()
    yield pg_server_url


# Redis -----------------------------------------------------------------------------------------------------------
@pytest.fixture
async def redis_namespace() -> AsyncIterator[tuple[str, str]]:
    """(url, prefix): a key prefix of this test's own, with its keys deleted afterwards."""
    if not _port_open("127.0.0.1", 6379):
        pytest.skip("Redis is not running at 127.0.0.1:6379; start it to run the Redis tests")
    from redis.asyncio import Redis

    prefix = f"copilot_test_{RUN_ID}_{uuid.uuid4().hex[:6]}"
    yield REDIS_URL, prefix
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url
