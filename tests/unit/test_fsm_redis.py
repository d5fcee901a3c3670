"""FSM state lives in Redis when REDIS_URL is set, under a key prefix, so several bot instances share it."""

from __future__ import annotations

from pathlib import Path

from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from redis.asyncio import Redis

from bot.app import build_app
from bot.telegram.factory import build_fsm_storage
from tests.conftest import make_settings


async def test_fsm_state_is_shared_through_redis(tmp_path: Path, redis_namespace: tuple[str, str]) -> None:
    url, prefix = redis_namespace
    app = await build_app(make_settings(tmp_path, redis_url=url))
    try:
        first = build_fsm_storage(app, namespace=prefix)
        second = build_fsm_storage(app, namespace=prefix)  # another bot instance
        key = StorageKey(bot_id=1, chat_id=42, user_id=42)
        await first.set_state(key, "TaskForm:deadline")
        await first.set_data(key, {"request": "подтвердить отгрузку"})
        assert await second.get_state(key) == "TaskForm:deadline"
        assert await second.get_data(key) == {"request": "подтвердить отгрузку"}
        client = Redis.from_url(url)
        keys = [k.decode() async for k in client.scan_iter(match=f"{prefix}*")]
        await client.aclose()
        assert keys and all(k.startswith(f"{prefix}:fsm") for k in keys)
        await first.close()
        await second.close()
    finally:
        await app.close()


async def test_without_redis_the_state_stays_in_memory(tmp_path: Path) -> None:
    app = await build_app(make_settings(tmp_path))
    try:
        assert isinstance(build_fsm_storage(app), MemoryStorage)
    finally:
        await app.close()
