"""Marks of background messages: claimed with an insert that a unique key lets only one writer win."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobMark
from storage.repositories.users import _insert_for
from storage.types import utcnow


class JobMarkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, job: str, person: int, period: str, at: datetime | None = None) -> bool:
        """True when this call wrote the mark; False when it was there already (sent, or being sent elsewhere)."""
        stmt = _insert_for(self.session)(JobMark).values(job=job, person=person, period=period, at=at or utcnow())
        result = await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["job", "person", "period"]))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, job: str, person: int, period: str) -> None:
        await self.session.execute(
            delete(JobMark).where(JobMark.job == job, JobMark.person == person, JobMark.period == period)
        )

    async def exists(self, job: str, person: int, period: str) -> bool:
        stmt = select(JobMark.job).where(JobMark.job == job, JobMark.person == person, JobMark.period == period)
        return (await self.session.scalar(stmt)) is not None
