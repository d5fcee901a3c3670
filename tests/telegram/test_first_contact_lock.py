"""A first contact does not hold SQLite's one write lock while its update is handled.

The person's row is an upsert (a write). Written inside the update's transaction, it held the write lock until the
reply was sent, so fifty first contacts at once queued behind each other (bench/load_bench.py). The access
middleware now commits the row before anything else; another writer gets through at once during the handler.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from aiogram.types import Chat, Message, User

from bot.app import build_app
from bot.telegram.middlewares import AccessMiddleware
from tests.conftest import make_settings

NEWCOMER = User(id=4242, is_bot=False, first_name="Новенький")


async def test_another_writer_gets_through_while_a_first_contact_is_handled(tmp_path: Path) -> None:
    app = await build_app(make_settings(tmp_path, bot_managers=[NEWCOMER.id]))
    database = app.settings.resolved_database_url.split(":///", 1)[1]
    seen: dict[str, Any] = {}

    async def handler(event: Any, data: dict[str, Any]) -> None:
        other = sqlite3.connect(database, timeout=0)  # no waiting: a held write lock fails at once
        try:
            other.execute("INSERT INTO audit_log (at, action, details) VALUES ('2026-01-01', 'probe', '{}')")
            other.commit()
            seen["wrote"] = True
        except sqlite3.OperationalError as exc:
            seen["wrote"] = str(exc)
        finally:
            other.close()
        seen["principal"] = data["principal"]

    message = Message(message_id=1, date=0, chat=Chat(id=NEWCOMER.id, type="private"), from_user=NEWCOMER, text="x")
    try:
        async with app.uow() as uow:
            await AccessMiddleware(app.access)(handler, message, {"uow": uow, "event_from_user": NEWCOMER})
        async with app.uow() as uow:
            assert await uow.users.get(NEWCOMER.id) is not None  # the first contact is recorded
    finally:
        await app.close()
    assert seen["wrote"] is True
    assert seen["principal"].known
