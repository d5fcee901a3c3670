"""Users, stored roles and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, RoleGrant, User
from storage.types import utcnow

# How stale a user's last-seen time may get before an update writes it again.
LAST_SEEN_PRECISION = timedelta(minutes=5)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _insert_for(session: AsyncSession) -> Any:
    """The dialect's INSERT, which has ON CONFLICT (SQLite and PostgreSQL spell it the same way)."""
    name = session.get_bind().dialect.name
    return postgresql_insert if name == "postgresql" else sqlite_insert


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def touch(self, user_id: int, username: str | None, full_name: str) -> User:
        """Create the user on first contact, refresh the name and last-seen time after that.

        One upsert, not get-then-add: a forward of three messages arrives as three updates handled at once, and
        three inserts of a new user raced for the primary key. And no write at all while nothing changed and the
        person was seen a moment ago: on SQLite every write takes the database's one write lock until the
        update commits, so a write per update serialised busy managers behind each other.
        """
        now = utcnow()
        user = await self.session.get(User, user_id)
        if (
            user is not None
            and user.username == username
            and (user.full_name == full_name or not full_name)
            and user.last_seen_at is not None
            and now - _aware(user.last_seen_at) < LAST_SEEN_PRECISION
        ):
            return user
        values = {"id": user_id, "username": username, "full_name": full_name, "last_seen_at": now}
        stmt = _insert_for(self.session)(User).values(created_at=now, locale="ru", **values)
        refreshed = {"username": stmt.excluded.username, "last_seen_at": stmt.excluded.last_seen_at}
        if full_name:
            refreshed["full_name"] = stmt.excluded.full_name
        await self.session.execute(stmt.on_conflict_do_update(index_elements=[User.id], set_=refreshed))
        fresh = await self.session.get(User, user_id, populate_existing=True)
        assert fresh is not None
        return fresh

    async def by_username(self, username: str) -> User | None:
        stmt = select(User).where(User.username.ilike(username.lstrip("@")))
        return (await self.session.scalars(stmt)).first()

    async def stored_roles(self, user_id: int) -> set[str]:
        rows = await self.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == user_id))
        return set(rows)

    async def grant(self, user_id: int, role: str, granted_by: int | None) -> bool:
        """True when the role is new for this user."""
        if role in await self.stored_roles(user_id):
            return False
        self.session.add(RoleGrant(user_id=user_id, role=role, granted_by=granted_by))
        await self.session.flush()
        return True

    async def revoke(self, user_id: int, role: str) -> bool:
        result = await self.session.execute(
            delete(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.role == role)
        )
        return bool(getattr(result, "rowcount", 0))

    async def all_grants(self) -> list[RoleGrant]:
        return list(await self.session.scalars(select(RoleGrant).order_by(RoleGrant.user_id, RoleGrant.role)))

    async def team_of(self, supervisor_id: int) -> list[int]:
        rows = await self.session.scalars(select(User.id).where(User.supervisor_id == supervisor_id))
        return list(rows)

    async def by_crm_key(self, key: str) -> User | None:
        return (await self.session.scalars(select(User).where(User.crm_key == key))).first()


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        action: str,
        *,
        actor_id: int | None,
        client_id: str | None = None,
        object_ref: str | None = None,
        details: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        """`at`: the caller's clock when it decides by time (a scheduled job); otherwise now."""
        entry = AuditEntry(
            action=action, actor_id=actor_id, client_id=client_id, object_ref=object_ref, details=details or {}
        )
        if at is not None:
            entry.at = at
        self.session.add(entry)
        await self.session.flush()

    async def of(self, action: str, object_ref: str, since: datetime) -> list[AuditEntry]:
        """Entries of one action about one object since a moment, newest first (no upper bound: a job's clock
        and the database's need not agree to the minute)."""
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.object_ref == object_ref, AuditEntry.at >= since)
            .order_by(AuditEntry.at.desc())
        )
        return list(await self.session.scalars(stmt))

    async def between(self, start: datetime, end: datetime, limit: int = 500) -> list[AuditEntry]:
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.at >= start, AuditEntry.at < end)
            .order_by(AuditEntry.at.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(stmt))
