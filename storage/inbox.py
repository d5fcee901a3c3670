"""The Telegram inbox: updates stored before they are confirmed, claimed for handling, marked done afterwards.

Every method is its own short transaction on the engine (not the update's unit of work): the inbox must record
that an update arrived or finished whatever happens to the handler's transaction. The claim is the one guard
against handling an update twice: a conditional UPDATE that only one instance (and one task) can win.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import InboxUpdate
from storage.types import utcnow

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True)
class Claim:
    update_id: int
    payload: dict[str, Any]
    attempts: int  # counting this one


@dataclass(frozen=True)
class Entry:
    update_id: int
    status: str
    attempts: int
    has_payload: bool
    error: str | None


class UpdateInbox:
    def __init__(self, engine: AsyncEngine, owner: str, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.owner = owner  # this process: a lease taken by it can be renewed or re-taken by it
        self.clock = clock

    def _insert(self) -> Any:
        return postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert

    async def accept(
        self, updates: Iterable[tuple[int, dict[str, Any]]], *, claim_for: timedelta | None = None
    ) -> set[int]:
        """Store the updates not seen before; the ids that are new (a repeated update_id is not).

        With `claim_for` the new ones are claimed by this process in the same statement (their first attempt
        counted), so handling them needs no second round trip before it starts.
        """
        rows = [{"update_id": uid, "payload": json.dumps(raw, ensure_ascii=False)} for uid, raw in updates]
        if not rows:
            return set()
        now = self.clock()
        state: dict[str, Any] = {"status": PENDING, "attempts": 0, "received_at": now}
        if claim_for is not None:
            state.update(attempts=1, claimed_by=self.owner, claimed_until=now + claim_for)
        stmt = (
            self._insert()(InboxUpdate)
            .values([{**row, **state} for row in rows])
            .on_conflict_do_nothing(index_elements=[InboxUpdate.update_id])
            .returning(InboxUpdate.update_id)
        )
        async with self.engine.begin() as conn:
            return set((await conn.execute(stmt)).scalars())

    async def claim(
        self, update_id: int, *, lease: timedelta, count_attempt: bool = True, steal: bool = False
    ) -> Claim | None:
        """Take a pending update for handling, or None when it is done or someone else's lease runs.

        `count_attempt` is False when the same process retries after an outage (the handler never got to run);
        `steal` ignores other leases (the polling instance holds the instance lock: nobody else handles updates).
        """
        now = self.clock()
        free = or_(
            InboxUpdate.claimed_until.is_(None),
            InboxUpdate.claimed_until < now,
            InboxUpdate.claimed_by == self.owner,
        )
        stmt = (
            update(InboxUpdate)
            .where(InboxUpdate.update_id == update_id, InboxUpdate.status == PENDING)
            .values(
                attempts=InboxUpdate.attempts + (1 if count_attempt else 0),
                claimed_by=self.owner,
                claimed_until=now + lease,
            )
            .returning(InboxUpdate.attempts, InboxUpdate.payload)
        )
        if not steal:
            stmt = stmt.where(free)
        async with self.engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
        if row is None or row.payload is None:
            return None
        return Claim(update_id, json.loads(row.payload), int(row.attempts))

    async def extend(self, update_ids: Iterable[int], lease: timedelta) -> None:
        """Renew this process's leases on the updates it is still handling."""
        ids = list(update_ids)
        if not ids:
            return
        stmt = (
            update(InboxUpdate)
            .where(InboxUpdate.update_id.in_(ids), InboxUpdate.claimed_by == self.owner)
            .values(claimed_until=self.clock() + lease)
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def finish(self, update_id: int, status: str = DONE, error: str | None = None) -> None:
        stmt = (
            update(InboxUpdate)
            .where(InboxUpdate.update_id == update_id)
            .values(status=status, error=error, payload=None, finished_at=self.clock(), claimed_until=None)
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def resumable(self, *, steal: bool = False, limit: int = 100) -> list[int]:
        """Pending updates nobody is handling (a crash, a restart, an outage), oldest first."""
        stmt = select(InboxUpdate.update_id).where(InboxUpdate.status == PENDING)
        if not steal:
            stmt = stmt.where(or_(InboxUpdate.claimed_until.is_(None), InboxUpdate.claimed_until < self.clock()))
        async with self.engine.connect() as conn:
            return list((await conn.execute(stmt.order_by(InboxUpdate.update_id).limit(limit))).scalars())

    async def prune(self, older_than: timedelta) -> int:
        """Forget finished updates: Telegram redelivers an update for a day at most, so a few days suffice."""
        stmt = delete(InboxUpdate).where(
            InboxUpdate.status != PENDING, InboxUpdate.finished_at < self.clock() - older_than
        )
        async with self.engine.begin() as conn:
            return int((await conn.execute(stmt)).rowcount or 0)  # type: ignore[attr-defined]

    async def entries(self) -> list[Entry]:
        """Every stored update (tests and diagnostics)."""
        stmt = select(
            InboxUpdate.update_id,
            InboxUpdate.status,
            InboxUpdate.attempts,
            InboxUpdate.payload.is_not(None),
            InboxUpdate.error,
        ).order_by(InboxUpdate.update_id)
        async with self.engine.connect() as conn:
            return [Entry(r[0], r[1], int(r[2]), bool(r[3]), r[4]) for r in await conn.execute(stmt)]
