"""Queries of the review loop beyond the basic suggestion repository: atomic state changes, the suggestions of a
period, one type correction per suggestion, and reviewed replies filed under their (corrected) type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Review, RoleGrant, Suggestion, TypeCorrection, User

DECIDED = ("approved", "edited", "rejected")


class ReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def transition(self, suggestion_id: int, from_statuses: Iterable[str], **values: Any) -> bool:
        """Change a suggestion only if it is still in one of `from_statuses`; False when it was not.

        A conditional UPDATE rather than read-then-write: two reviewers pressing at the same moment (or one
        pressing twice) cannot both win, on SQLite and PostgreSQL alike.
        """
        stmt = (
            update(Suggestion)
            .where(Suggestion.id == suggestion_id, Suggestion.status.in_(list(from_statuses)))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(stmt)
        changed = bool(getattr(result, "rowcount", 0))
        if changed:
            # The object in the session still has the old values; reload it so callers see the new state.
            suggestion = await self.session.get(Suggestion, suggestion_id)
            if suggestion is not None:
                await self.session.refresh(suggestion)
        return changed

    async def pending(self, limit: int = 1000) -> list[Suggestion]:
        """Everything waiting for a decision, oldest submission first (the queue is filtered per reviewer)."""
        stmt = (
            select(Suggestion)
            .where(Suggestion.status == "pending")
            .order_by(Suggestion.submitted_at, Suggestion.id)
            .limit(limit)
        )
        return list(await self.session.scalars(stmt))

    async def in_period(self, start: datetime, end: datetime) -> list[Suggestion]:
        """Suggestions submitted in [start, end); those never submitted count by their creation time."""
        moment = func.coalesce(Suggestion.submitted_at, Suggestion.created_at)
        stmt = select(Suggestion).where(moment >= start, moment < end).order_by(Suggestion.id)
        return list(await self.session.scalars(stmt))

    async def latest_review(self, suggestion_id: int) -> Review | None:
        stmt = (
            select(Review)
            .where(Review.suggestion_id == suggestion_id)
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()

    async def correction_for(self, suggestion_id: int) -> TypeCorrection | None:
        stmt = select(TypeCorrection).where(TypeCorrection.suggestion_id == suggestion_id).order_by(TypeCorrection.id)
        return (await self.session.scalars(stmt)).first()

    async def corrections_of(self, suggestion_ids: Iterable[int]) -> list[TypeCorrection]:
        ids = sorted(set(suggestion_ids))
        if not ids:
            return []
        stmt = select(TypeCorrection).where(TypeCorrection.suggestion_id.in_(ids)).order_by(TypeCorrection.id)
        return list(await self.session.scalars(stmt))

    async def marker_exists(self, action: str, object_ref: str) -> bool:
        """Whether the audit log holds `action` for `object_ref` (e.g. the weekly digest of one ISO week)."""
        stmt = select(AuditEntry.id).where(AuditEntry.action == action, AuditEntry.object_ref == object_ref).limit(1)
        return (await self.session.scalar(stmt)) is not None

    async def examples(self, behaviour_type: str, situation: str | None, limit: int = 3) -> list[Suggestion]:
        """Approved or edited replies for this type and situation, newest first.

        A reply whose type a supervisor corrected is filed under the corrected type: the reviewed text was
        judged for the client as the supervisor saw them.
        """
        effective = func.coalesce(TypeCorrection.corrected_type, Suggestion.behaviour_type)
        stmt = (
            select(Suggestion)
            .outerjoin(TypeCorrection, TypeCorrection.suggestion_id == Suggestion.id)
            .where(
                Suggestion.kind == "reply", Suggestion.status.in_(("approved", "edited")), effective == behaviour_type
            )
        )
        if situation is not None:
            stmt = stmt.where(Suggestion.situation == situation)
        stmt = stmt.order_by(Suggestion.reviewed_at.desc(), Suggestion.id.desc()).limit(limit)
        return list(await self.session.scalars(stmt))

    async def users(self, ids: Iterable[int | None]) -> dict[int, User]:
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return {}
        rows = await self.session.scalars(select(User).where(User.id.in_(wanted)))
        return {u.id: u for u in rows}

    async def role_holders(self, role: str) -> list[int]:
        """Users holding `role` in the database (roles from the environment are added by the caller)."""
        rows = await self.session.scalars(select(RoleGrant.user_id).where(RoleGrant.role == role))
        return sorted(set(rows))
