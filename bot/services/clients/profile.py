"""The client card behind /client: who they are, who owns them, where they stand, what is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.clients import lookup as clients
from bot.services.clients.context import ClientContext, load_context
from bot.services.clients.lookup import LevelInfo
from bot.services.clients.playbook import Segment, load_client_knowledge
from storage.models import Client
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App


@dataclass
class ClientProfile:
    context: ClientContext
    level: LevelInfo
    segment: Segment | None
    last_contact: datetime | None
    manager: str  # the owner as people know them: their name, else the CRM key

    @property
    def client(self) -> Client:
        return self.context.client


async def owner_name(uow: UnitOfWork, client: Client) -> str:
    if client.manager_id is not None:
        user = await uow.users.get(client.manager_id)
        if user and user.full_name:
            return user.full_name
    if client.manager_key:
        user = await uow.users.by_crm_key(client.manager_key)
        if user and user.full_name:
            return f"{user.full_name} ({client.manager_key})"
        return client.manager_key
    return "не назначен"


async def client_profile(app: App, uow: UnitOfWork, client: Client) -> ClientProfile:
    knowledge = load_client_knowledge(app.settings.project_root)
    return ClientProfile(
        context=await load_context(uow, client, knowledge, app.clock.now()),
        level=await clients.level_of(uow, client, knowledge),
        segment=clients.segment(client, knowledge),
        last_contact=await uow.clients.last_contact_at(client.id),
        manager=await owner_name(uow, client),
    )
