"""Composition root: builds engines, stores and services from Settings, once per process.

Nothing here is global: the entry point builds an App and hands it to the transport (Telegram, terminal chat,
CLI). Heavy parts (the embedding model, the vector index) load lazily, so that `import` or `classify` do not pay
for what they do not use.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.services.access import AccessService
from bot.services.clock import Clock
from storage.db import apply_migrations, create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    access: AccessService
    clock: Clock
    _lazy: dict[str, Any] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def close(self) -> None:
        await self.engine.dispose()


async def build_app(settings: Settings, *, clock: Clock | None = None) -> App:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    await apply_migrations(engine)
    return App(
        settings=settings,
        engine=engine,
        uow=UnitOfWorkFactory(create_session_factory(engine)),
        access=AccessService(settings),
        clock=clock or Clock(settings.tz),
    )
