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
from bot.services.common.access import AccessService
from bot.services.common.clock import Clock
from storage.db import apply_migrations, create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.classifier.engine import OfflineClassifier
    from bot.llm.gateway import LLMGateway
    from bot.services.common.notify import Notifier
    from bot.services.knowledge.stack import RetrievalStack

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

    llm: LLMGateway | None = None
    notifier: Notifier | None = None  # set by the transport that runs (Telegram, or an outbox for the terminal)

    def loaded(self, name: str) -> Any | None:
        """A heavy component if something has already loaded it (no loading here)."""
        return self._lazy.get(name)

    async def once(self, name: str, load: Any) -> Any:
        """Load a heavy component once, in a worker thread, even if several updates ask at the same time."""
        if name in self._lazy:
            return self._lazy[name]
        lock = self._locks.setdefault(name, asyncio.Lock())
        async with lock:
            if name not in self._lazy:
                self._lazy[name] = await asyncio.to_thread(load)
        return self._lazy[name]

    async def classifier(self) -> OfflineClassifier:
        from bot.classifier.engine import OfflineClassifier

        return await self.once("classifier", lambda: OfflineClassifier.load(self.settings.project_root))  # type: ignore[no-any-return]

    async def retrieval(self) -> RetrievalStack:
        """Embedder, Chroma index (synced with the files at first use), scripts, knowledge, situations."""
        from bot.services.knowledge.stack import RetrievalStack

        settings = self.settings

        def load() -> RetrievalStack:
            stack = RetrievalStack.open(
                settings.project_root,
                chroma_path=None if settings.chroma_url else settings.resolved_chroma_path,
                chroma_url=settings.chroma_url,
            )
            if stack.last_report.changed:
                log.info("knowledge index updated: %s", stack.last_report.summary())
            return stack

        return await self.once("retrieval", load)  # type: ignore[no-any-return]

    async def warm_up(self) -> None:
        """Load the models before the first message, so nobody waits for them."""
        loads: list[Any] = [self.classifier(), self.retrieval()]
        if self.llm is not None:  # names are masked with natasha's NER before texts leave for the LLM
            from bot.llm.privacy import load_models

            loads.append(asyncio.to_thread(load_models))
        await asyncio.gather(*loads)

    async def close(self) -> None:
        await self.engine.dispose()


async def build_app(settings: Settings, *, clock: Clock | None = None) -> App:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    await apply_migrations(engine)
    app = App(
        settings=settings,
        engine=engine,
        uow=UnitOfWorkFactory(create_session_factory(engine)),
        access=AccessService(settings),
        clock=clock or Clock(settings.tz),
    )
    if settings.llm_enabled:
        from bot.llm.gateway import LLMGateway
        from bot.services.common.llm_usage import persist_usage, tell_admins_budget_is_spent

        app.llm = LLMGateway.from_settings(
            settings,
            usage_sink=lambda record: persist_usage(app, record),
            on_budget_exhausted=lambda status: tell_admins_budget_is_spent(app, status),
        )
    return app
