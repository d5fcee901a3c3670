"""Shared set-up of the client-flow service tests: an App with the demo company on a temporary database, the
clock pinned to Monday 23 November 2026, managers bound to the CRM keys m1 (user 3) and m2 (user 4), a supervisor
(user 2) leading the m1 manager, and an admin (user 1)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App, build_app
from bot.config import PROJECT_ROOT
from bot.domain import Role
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from bot.services.crm.importing import import_file
from bot.services.knowledge.script_tools import FileScriptTools
from tests.conftest import make_settings

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
ADMIN, LEAD, M1, M2, STAFF = 1, 2, 3, 4, 6
NAMES = {ADMIN: "Анна", LEAD: "Сергей", M1: "Мария", M2: "Олег", STAFF: "Пётр"}
_TOOLS: dict[str, FileScriptTools] = {}


async def demo_app(tmp_path: Path, **overrides: Any) -> App:
    values: dict[str, Any] = {"bot_admins": [ADMIN], "bot_supervisors": [LEAD], "bot_staff": [STAFF]}
    values.update(overrides)
    settings = make_settings(tmp_path, **values)
    app = await build_app(settings, clock=Clock(settings.tz, NOW))
    await import_file(app, PROJECT_ROOT / "datasets" / "demo_company.json")
    async with app.uow() as uow:
        admin = await app.access.identify(uow, ADMIN, None, NAMES[ADMIN])
        await app.access.grant(uow, admin, M1, Role.MANAGER, crm_key="m1", supervisor_id=LEAD)
        await app.access.grant(uow, admin, M2, Role.MANAGER, crm_key="m2")
        for user_id in (LEAD, M1, M2, STAFF):
            await uow.users.touch(user_id, None, NAMES[user_id])
    return app


async def principal(app: App, user_id: int) -> Principal:
    async with app.uow() as uow:
        return await app.access.identify(uow, user_id, None, NAMES[user_id])


def tools() -> FileScriptTools:
    """The scripts library and situation detector, read once per test session."""
    if "tools" not in _TOOLS:
        _TOOLS["tools"] = FileScriptTools.load(PROJECT_ROOT)
    return _TOOLS["tools"]
