"""Unit of work: one session, every repository on it, and one commit at the end.

Handlers and services get a UnitOfWork; repositories only flush. A Telegram update, a CLI command or a line of
the terminal chat is one unit: it commits when it finishes and rolls back if it fails, so a failed step never
leaves half its changes behind.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.clients import ClientRepository
from storage.repositories.colleagues import ColleagueRepository, TaskRepository
from storage.repositories.job_marks import JobMarkRepository
from storage.repositories.review import ReviewRepository
from storage.repositories.suggestions import SuggestionRepository, SurveyRepository, UsageRepository
from storage.repositories.users import AuditRepository, UserRepository


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.audit = AuditRepository(session)
        self.clients = ClientRepository(session)
        self.colleagues = ColleagueRepository(session)
        self.tasks = TaskRepository(session)
        self.suggestions = SuggestionRepository(session)
        self.surveys = SurveyRepository(session)
        self.usage = UsageRepository(session)
        self.review = ReviewRepository(session)
        self.job_marks = JobMarkRepository(session)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class UnitOfWorkFactory:
    """`async with uow_factory() as uow:` — commits on success, rolls back on error."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    def __call__(self) -> _UowContext:
        return _UowContext(self._session_factory)


class _UowContext:
    def __init__(self, session_factory: Callable[[], AsyncSession]) -> None:
        self._session_factory = session_factory
        self._uow: UnitOfWork | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._uow = UnitOfWork(self._session_factory())
        return self._uow

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._uow is not None
        try:
            if exc_type is None:
                await self._uow.commit()
            else:
                await self._uow.rollback()
        finally:
            await self._uow.session.close()
