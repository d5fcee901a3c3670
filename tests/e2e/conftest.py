"""End-to-end harness: the real bot, long-polling the test suite's own Bot API server over HTTP, real storage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, build_app
from bot.services.common.clock import Clock
from bot.telegram.factory import build_dispatcher, build_fsm_storage
from bot.telegram.runner import TelegramRuntime
from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram, TgUser

ADMIN = TgUser(1001, "Анна", "anna_admin")
SUPERVISOR = TgUser(1002, "Сергей", "sergey_lead")
MANAGER = TgUser(1003, "Мария", "maria_sales")
MANAGER_2 = TgUser(1005, "Олег", "oleg_sales")
STAFF = TgUser(1004, "Пётр", "petr_wh")
STRANGER = TgUser(9999, "Незнакомец", "stranger")

DEMO_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@dataclass
class Harness:
    tg: FakeTelegram
    app: App
    runtime: TelegramRuntime

    async def say(self, user: TgUser, text: str, count: int = 1, **kwargs: Any) -> list[Any]:
        """Send a message as `user` and wait for `count` replies to them."""
        mark = self.tg.mark()
        self.tg.send_text(user, text, **kwargs)
        return await self.tg.wait_sent(user.id, count, after=mark)

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait until the bot has finished every update it is handling: a reply is sent before the handler's unit
        of work commits, so a test that reads the database right after a reply must wait for this."""
        pending = self.runtime.in_flight()
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def press(self, user: TgUser, message: Any, button_text: str, count: int = 1) -> list[Any]:
        mark = self.tg.mark()
        self.tg.press(user, message, message.button(button_text)["callback_data"])
        return await self.tg.wait_sent(user.id, count, after=mark)


@pytest.fixture(scope="session")
def shared_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The classifier and the retrieval stack, loaded once per test session and handed to every harness app.

    Loading them is the same code the bot runs at start (App.classifier / App.retrieval); sharing them keeps each
    end-to-end test from re-embedding the knowledge base.
    """
    import asyncio as _asyncio

    async def load() -> dict[str, Any]:
        settings = make_settings(tmp_path_factory.mktemp("models"))
        app = await build_app(settings)
        try:
            return {"classifier": await app.classifier(), "retrieval": await app.retrieval()}
        finally:
            await app.close()

    return _asyncio.run(load())


async def start_harness(
    tmp_path: Path,
    models: dict[str, Any] | None = None,
    *,
    tg: FakeTelegram | None = None,
    namespace: str = "copilot",
    **overrides: Any,
) -> tuple[Harness, asyncio.Task[None]]:
    """The bot polling a fake Telegram (a started one may be given); `namespace` prefixes its Redis keys."""
    if tg is None:
        tg = FakeTelegram()
        await tg.start()
    base = tg.base_url
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_api_base": base,
        "bot_admins": [ADMIN.id],
        "bot_supervisors": [SUPERVISOR.id],
        "bot_managers": [MANAGER.id, MANAGER_2.id],
        "bot_staff": [STAFF.id],
    }
    values.update(overrides)
    settings = make_settings(tmp_path, **values)
    app = await build_app(settings, clock=Clock(settings.tz, DEMO_NOW))
    app._lazy.update(models or {})
    dp = build_dispatcher(app, storage=build_fsm_storage(app, namespace))
    runtime = TelegramRuntime(app, dp=dp, namespace=namespace)
    task = asyncio.create_task(runtime.poll(handle_signals=False))
    return Harness(tg, app, runtime), task


async def stop_harness(harness: Harness, task: asyncio.Task[None]) -> None:
    await harness.runtime.stop()
    try:
        await asyncio.wait_for(task, timeout=10)
    except (TimeoutError, RuntimeError):
        task.cancel()
    await harness.app.close()
    await harness.tg.stop()


@pytest.fixture
async def harness(tmp_path: Path, shared_models: dict[str, Any]) -> AsyncIterator[Harness]:
    h, task = await start_harness(tmp_path, shared_models)
    try:
        yield h
    finally:
        await stop_harness(h, task)
