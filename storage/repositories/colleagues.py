"""The colleagues directory and internal tasks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Colleague, Task


class ColleagueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, colleague_id: str) -> Colleague | None:
        return await self.session.get(Colleague, colleague_id)

    async def all(self, *, active_only: bool = True) -> list[Colleague]:
        stmt = select(Colleague)
        if active_only:
            stmt = stmt.where(Colleague.active.is_(True))
        return list(await self.session.scalars(stmt.order_by(Colleague.department, Colleague.name)))

    async def by_department(self, department: str) -> list[Colleague]:
        stmt = select(Colleague).where(Colleague.department == department, Colleague.active.is_(True))
        return list(await self.session.scalars(stmt.order_by(Colleague.name)))

    async def add(self, colleague: Colleague) -> Colleague:
        self.session.add(colleague)
        await self.session.flush()
        return colleague


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, task_id: str) -> Task | None:
        return await self.session.get(Task, task_id)

    async def add(self, task: Task) -> Task:
        self.session.add(task)
        await self.session.flush()
        return task

    async def overdue_history(self, colleague_ids: list[str] | None = None) -> list[Task]:
        """Tasks that carry an overdue reason (finished late or still open past the deadline)."""
        stmt = select(Task).where(Task.overdue_reason.is_not(None))
        if colleague_ids is not None:
            stmt = stmt.where(Task.assignee_id.in_(colleague_ids))
        return list(await self.session.scalars(stmt.order_by(Task.deadline.desc().nulls_last())))

    async def open_with_deadline(self, until: date) -> list[Task]:
        stmt = select(Task).where(Task.done.is_(False), Task.deadline.is_not(None), Task.deadline <= until)
        return list(await self.session.scalars(stmt.order_by(Task.deadline)))

    async def by_requester(self, requester_id: int, limit: int = 20) -> list[Task]:
        stmt = select(Task).where(Task.requester_id == requester_id).order_by(Task.created.desc().nulls_last())
        return list(await self.session.scalars(stmt.limit(limit)))
