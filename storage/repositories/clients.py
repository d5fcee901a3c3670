"""Clients and everything that hangs off them: contacts, deals, interactions, promises, incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Client, Deal, Incident, Interaction, Promise


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose clients a person may see: their own (by Telegram id or CRM key) and their team's."""

    manager_ids: frozenset[int] = frozenset()
    manager_keys: frozenset[str] = frozenset()


class ClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Clients ------------------------------------------------------------------------------------------------
    async def get(self, client_id: str) -> Client | None:
        return await self.session.get(Client, client_id, options=[selectinload(Client.contacts)])

    def _visible(self, stmt: Select[Client], scope: Scope | None) -> Select[Client]:
        """`scope=None` means no restriction (admins)."""
        if scope is None:
            return stmt
        return stmt.where(
            or_(Client.manager_id.in_(list(scope.manager_ids)), Client.manager_key.in_(list(scope.manager_keys)))
        )

    async def visible(self, client_id: str, scope: Scope | None) -> Client | None:
        """The client if it exists and the scope may see it."""
        stmt = self._visible(select(Client).where(Client.id == client_id), scope)
        return (await self.session.scalars(stmt.options(selectinload(Client.contacts)))).first()

    async def all(self, scope: Scope | None = None) -> list[Client]:
        stmt = self._visible(select(Client).options(selectinload(Client.contacts)), scope)
        return list(await self.session.scalars(stmt.order_by(Client.name)))

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Client)) or 0)

    async def recent(self, scope: Scope | None, limit: int = 5) -> list[Client]:
        """Clients with the latest interactions first."""
        last = (
            select(Interaction.client_id, func.max(Interaction.at).label("last_at"))
            .group_by(Interaction.client_id)
            .subquery()
        )
        stmt = select(Client).join(last, last.c.client_id == Client.id).order_by(last.c.last_at.desc())
        stmt = self._visible(stmt, scope).limit(limit)
        return list(await self.session.scalars(stmt))

    async def add(self, client: Client) -> Client:
        self.session.add(client)
        await self.session.flush()
        return client

    # History ------------------------------------------------------------------------------------------------
    async def interactions(
        self, client_id: str, *, direction: str | None = None, limit: int | None = None
    ) -> list[Interaction]:
        stmt = select(Interaction).where(Interaction.client_id == client_id)
        if direction:
            stmt = stmt.where(Interaction.direction == direction)
        stmt = stmt.order_by(Interaction.at.desc())
        if limit:
            stmt = stmt.limit(limit)
        return list(await self.session.scalars(stmt))

    async def add_interaction(self, interaction: Interaction) -> bool:
        """False when the same message (same natural key) is already stored."""
        exists = await self.session.scalar(
            select(Interaction.id).where(Interaction.natural_key == interaction.natural_key)
        )
        if exists:
            return False
        self.session.add(interaction)
        await self.session.flush()
        return True

    async def deals(self, client_id: str) -> list[Deal]:
        stmt = select(Deal).where(Deal.client_id == client_id).order_by(Deal.created.desc().nulls_last())
        return list(await self.session.scalars(stmt))

    async def promises(self, client_id: str) -> list[Promise]:
        stmt = select(Promise).where(Promise.client_id == client_id).order_by(Promise.due.desc().nulls_last())
        return list(await self.session.scalars(stmt))

    async def add_promise(self, promise: Promise) -> Promise:
        self.session.add(promise)
        await self.session.flush()
        return promise

    async def get_promise(self, promise_id: int) -> Promise | None:
        return await self.session.get(Promise, promise_id)

    async def promises_due(self, until: date) -> list[Promise]:
        """Open promises due on or before `until` (today's and overdue ones)."""
        stmt = (
            select(Promise)
            .join(Client, Client.id == Promise.client_id)
            .where(Promise.kept.is_(None), Promise.due.is_not(None), Promise.due <= until)
        )
        return list(await self.session.scalars(stmt.order_by(Promise.due)))

    async def won_amount_total(self) -> Decimal:
        """The company's revenue over all won deals: the base of a client's share (base level "core")."""
        total = await self.session.scalar(select(func.coalesce(func.sum(Deal.amount), 0)).where(Deal.status == "won"))
        return Decimal(total or 0)

    async def incidents(self, client_id: str) -> list[Incident]:
        stmt = select(Incident).where(Incident.client_id == client_id).order_by(Incident.at.desc())
        return list(await self.session.scalars(stmt))

    async def last_contact_at(self, client_id: str) -> datetime | None:
        return await self.session.scalar(select(func.max(Interaction.at)).where(Interaction.client_id == client_id))

    async def deal_titles(self) -> list[tuple[str, str]]:
        """(client id, deal title) of every deal: project names in titles («ЖК «Заречный»») point to clients."""
        rows = await self.session.execute(select(Deal.client_id, Deal.title))
        return [(client_id, title) for client_id, title in rows.all()]
