from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.db import apply_migrations, create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory


@pytest.fixture
async def uow_factory(db_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    """Migrated storage on SQLite and on PostgreSQL (the `db_url` fixture is parametrised over both)."""
    engine = create_engine(db_url)
    await apply_migrations(engine)
    try:
        yield UnitOfWorkFactory(create_session_factory(engine))
    finally:
        await engine.dispose()
