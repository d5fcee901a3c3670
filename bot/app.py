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
from bot.presenters.notices import RenderedNotices
from bot.services.catalog import Services
from bot.services.clients.call_brief import CallBriefs
from bot.services.clients.digest import PromiseDigest
from bot.services.clients.profile import ClientProfiles
from bot.services.common.access import AccessService
from bot.services.common.clock import Clock
from bot.services.common.notify import Notices, Notifier
from bot.services.crm.importing import CrmImport
from bot.services.knowledge.ask import Knowledge
from bot.services.knowledge.script_tools import FileScriptTools, ScriptTools
from bot.services.review.audit import AuditLog
from bot.services.review.decisions import Reviews
from bot.services.review.stats import QualityStats
from bot.services.review.survey import Surveys
from bot.services.suggestions.service import Suggestions
from bot.services.tasks.colleagues import ColleagueDirectory
from bot.services.tasks.delivery import TaskDelivery
from bot.services.tasks.department_editing import DepartmentEditor
from bot.services.tasks.drafting import TaskDrafter
from bot.services.tasks.flow import TaskFlow
from storage.db import apply_migrations, create_engine, create_session_factory
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.classifier.engine import OfflineClassifier
    from bot.llm.gateway import LLMGateway
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
    services: Services = field(init=False)

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

    async def script_tools(self) -> ScriptTools:
        """The scripts library and the situation detector; see bot/services/knowledge/script_tools.py."""
        stack = self.loaded("retrieval")  # already opened by another feature: it keeps uploaded scripts live
        if stack is not None:
            return stack  # type: ignore[no-any-return]
        root = self.settings.project_root
        return await self.once("script_tools", lambda: FileScriptTools.load(root))  # type: ignore[no-any-return]

    def notices(self) -> Notices | None:
        """Notices rendered for the transport that runs; None before one has started."""
        return RenderedNotices(self.notifier, self.clock.tz) if self.notifier is not None else None

    async def warm_up(self) -> None:
        """Load the models before the first message, so nobody waits for them."""
        from bot.nlp import syntax

        # natasha's parser reads every client message (and its NER masks names before an LLM call): one load
        loads: list[Any] = [self.classifier(), self.retrieval(), asyncio.to_thread(syntax.load)]
        await asyncio.gather(*loads)

    async def close(self) -> None:
        await self.engine.dispose()


def build_services(app: App) -> Services:
    """Every service with the named parts it needs, and nothing else."""
    settings, clock, root = app.settings, app.clock, app.settings.project_root
    drafter = TaskDrafter(root, app.llm)
    return Services(
        uows=app.uow,
        clock=clock,
        access=app.access,
        profiles=ClientProfiles(root, clock),
        briefs=CallBriefs(root, clock, app.classifier, app.script_tools, app.llm),
        promise_digest=PromiseDigest(app.uow, settings.tz, clock, settings.digest_hour),
        suggestions=Suggestions(root, clock, app.classifier, app.script_tools, app.llm),
        knowledge=Knowledge(app.retrieval, app.llm),
        task_drafter=drafter,
        task_flow=TaskFlow(clock, drafter),
        task_delivery=TaskDelivery(app.access),
        colleague_directory=ColleagueDirectory(app.classifier),
        reviews=Reviews(app.access, settings.tz, settings.review_reminder_hours),
        quality_stats=QualityStats(app.access, settings.tz, settings.digest_hour),
        audit_log=AuditLog(app.access, settings.tz),
        surveys=Surveys(root, settings.data_dir),
        crm_import=CrmImport(app.uow, settings.tz, root, settings.data_dir),
        departments=DepartmentEditor(root),
    )


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
        from bot.services.common.llm_usage import LlmSpending

        spending = LlmSpending(app.uow, settings.tz, app.access, app.notices)
        app.llm = LLMGateway.from_settings(
            settings, usage_sink=spending.persist_usage, on_budget_exhausted=spending.tell_admins_budget_is_spent
        )
    app.services = build_services(app)
    return app
