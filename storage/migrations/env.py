"""Alembic environment: runs on the connection handed over by storage.db.apply_migrations.

For `alembic revision --autogenerate` from the command line, set DATABASE_URL (async URL) and run
`alembic -c storage/migrations/alembic.ini revision --autogenerate -m "..."`.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import create_engine

    url = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///var/copilot.db")

    async def _main() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(_run)
        await engine.dispose()

    asyncio.run(_main())


run_migrations_online()
