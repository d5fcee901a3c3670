"""Shared set-up of the review-loop service tests: an App on a temporary database with a pinned clock, people
with roles, and suggestions made the way the suggestion service stores them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App, build_app
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from storage.models import Client, Suggestion
from tests.conftest import make_settings

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=MSK)  # a Monday
ADMIN, LEAD, LEAD_2, MANAGER, MANAGER_2, STAFF = 1, 2, 5, 3, 4, 6
NAMES = {ADMIN: "Анна", LEAD: "Сергей", LEAD_2: "Ольга", MANAGER: "Мария", MANAGER_2: "Олег", STAFF: "Пётр"}
CLIENT_TEXT = (
    "Добрый день. Когда будет поставка? Нам нужны гарантии, что сроки не сорвутся, и письменное подтверждение."
)
REPLY = "Здравствуйте! Поставка запланирована на четверг, подтвердим письмом до конца дня."


async def make_app(tmp_path: Path, **overrides: Any) -> App:
    values: dict[str, Any] = {
        "bot_admins": [ADMIN],
        "bot_supervisors": [LEAD, LEAD_2],
        "bot_managers": [MANAGER, MANAGER_2],
        "bot_staff": [STAFF],
    }
    values.update(overrides)
    settings = make_settings(tmp_path, **values)
    app = await build_app(settings, clock=Clock(settings.tz, NOW))
    async with app.uow() as uow:
        for user_id, name in NAMES.items():
            await uow.users.touch(user_id, None, name)
        uow.session.add(Client(id="c1", name="ООО Вектор", manager_id=MANAGER))
    return app


async def principal(app: App, user_id: int) -> Principal:
    async with app.uow() as uow:
        return await app.access.identify(uow, user_id, None, NAMES[user_id])


async def add_suggestion(app: App, author_id: int = MANAGER, **fields: Any) -> int:
    values: dict[str, Any] = {
        "kind": "reply",
        "author_id": author_id,
        "client_id": "c1",
        "input_text": CLIENT_TEXT,
        "behaviour_type": "nonemotional_confident",
        "type_confidence": 0.61,
        "cues": [{"text": "гарантии", "axis": "confidence", "direction": -1, "weight": 1.0, "label": "гарантии"}],
        "situation": "delay_notice",
        "script_id": "delay_notice/nonemotional_unconfident",
        "text": REPLY,
        "engine": "offline",
    }
    values.update(fields)
    async with app.uow() as uow:
        row = await uow.suggestions.add(Suggestion(**values))
        return row.id


async def set_lead(app: App, user_id: int, lead_id: int | None) -> None:
    async with app.uow() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        user.supervisor_id = lead_id
