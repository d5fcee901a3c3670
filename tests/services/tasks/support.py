"""Shared set-up of the task-brief service tests: the demo company on a temporary database, a pinned clock
(Monday 23 November 2026, 10:00 Moscow), and the directory built the way the bot builds it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App, build_app
from bot.config import PROJECT_ROOT
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from bot.services.crm.importing import import_file
from bot.services.tasks.directory import Directory, load_directory
from bot.services.tasks.drafting import TaskDraft, draft_brief
from bot.services.tasks.extraction import Extraction, extract
from tests.conftest import make_settings

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=MSK)
TODAY = date(2026, 11, 23)
REQUESTER = 1003


async def demo_app(tmp_path: Path, now: datetime = NOW, **overrides: Any) -> App:
    settings = make_settings(tmp_path, bot_managers=[REQUESTER], **overrides)
    app = await build_app(settings, clock=Clock(settings.tz, now))
    await import_file(app, PROJECT_ROOT / "datasets" / "demo_company.json")
    async with app.uow() as uow:
        await uow.users.touch(REQUESTER, "maria_sales", "Мария")
    return app


async def requester(app: App, user_id: int = REQUESTER, name: str = "Мария") -> Principal:
    async with app.uow() as uow:
        return await app.access.identify(uow, user_id, None, name)


async def directory_of(app: App) -> Directory:
    async with app.uow() as uow:
        return await load_directory(uow)


async def draft_for(app: App, request: str, now: datetime = NOW) -> tuple[Extraction, TaskDraft]:
    async with app.uow() as uow:
        directory = await load_directory(uow)
        e = extract(request, directory, now.date())
        return e, await draft_brief(app, uow, e, directory, now=now)
