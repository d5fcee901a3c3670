"""Models, migrations and repositories on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from storage.db import apply_migrations, create_engine
from storage.models import Client, Contact, Interaction, Promise, Suggestion
from storage.repositories.clients import Scope
from storage.uow import UnitOfWorkFactory

MSK = timezone(timedelta(hours=3))


async def test_migrations_create_every_table_and_are_idempotent(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await apply_migrations(engine)
        await apply_migrations(engine)  # a second start changes nothing
        async with engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    expected = {
        "users",
        "role_grants",
        "clients",
        "contacts",
        "deals",
        "interactions",
        "promises",
        "incidents",
        "colleagues",
        "tasks",
        "suggestions",
        "reviews",
        "audit_log",
        "type_corrections",
    }
    assert expected <= tables


async def test_roles_and_audit(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.users.touch(7, "anna", "Анна")
        assert await uow.users.grant(7, "manager", granted_by=1)
        assert not await uow.users.grant(7, "manager", granted_by=1)
        await uow.audit.record("viewed", actor_id=7, client_id="c1", details={"what": "brief"})
    async with uow_factory() as uow:
        assert await uow.users.stored_roles(7) == {"manager"}
        assert await uow.users.revoke(7, "manager")
        now = datetime.now(UTC)
        entries = await uow.audit.between(now - timedelta(minutes=5), now + timedelta(minutes=5))
        assert [(e.action, e.client_id, e.details) for e in entries] == [("viewed", "c1", {"what": "brief"})]
    async with uow_factory() as uow:
        assert await uow.users.stored_roles(7) == set()


async def test_a_failed_unit_of_work_writes_nothing(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.clients.add(Client(id="c1", name="Вектор"))
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.clients.get("c1") is None


async def test_times_keep_their_moment_and_visibility_scopes(uow_factory: UnitOfWorkFactory) -> None:
    moment = datetime(2026, 11, 20, 10, 30, tzinfo=MSK)
    async with uow_factory() as uow:
        await uow.clients.add(
            Client(
                id="c1",
                name="Вектор",
                manager_id=11,
                contacts=[Contact(name="Ирина Петрова", telegram_username="irina")],
            )
        )
        await uow.clients.add(Client(id="c2", name="Стройдом", manager_key="m2"))
        await uow.clients.add_interaction(
            Interaction(natural_key="k1", client_id="c1", at=moment, direction="in", text="Добрый день")
        )
        assert not await uow.clients.add_interaction(
            Interaction(natural_key="k1", client_id="c1", at=moment, direction="in", text="Добрый день")
        )
        await uow.clients.add_promise(
            Promise(natural_key="p1", client_id="c1", text="Отправить КП", due=date(2026, 11, 22))
        )
    async with uow_factory() as uow:
        (stored,) = await uow.clients.interactions("c1")
        assert stored.at == moment and stored.at.tzinfo is not None
        assert [c.id for c in await uow.clients.all(Scope(frozenset({11})))] == ["c1"]
        assert [c.id for c in await uow.clients.all(Scope(manager_keys=frozenset({"m2"})))] == ["c2"]
        assert len(await uow.clients.all(None)) == 2
        assert await uow.clients.visible("c2", Scope(frozenset({11}))) is None
        assert [p.text for p in await uow.clients.promises_due(date(2026, 11, 23))] == ["Отправить КП"]
        assert [c.id for c in await uow.clients.recent(None)] == ["c1"]


async def test_suggestion_queue_is_oldest_first(uow_factory: UnitOfWorkFactory) -> None:
    base = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    async with uow_factory() as uow:
        for i in range(3):
            await uow.suggestions.add(
                Suggestion(kind="reply", text=f"ответ {i}", status="pending", submitted_at=base - timedelta(hours=i))
            )
    async with uow_factory() as uow:
        assert [s.text for s in await uow.suggestions.pending()] == ["ответ 2", "ответ 1", "ответ 0"]
