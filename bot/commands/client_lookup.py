"""Finding the client named on the command line, for `suggest --client` and `brief`: one clear line when it fails."""

from __future__ import annotations

from bot.services.clients import lookup as clients
from bot.services.common.access import Principal
from storage.models import Client
from storage.uow import UnitOfWork


async def find_client(uow: UnitOfWork, principal: Principal, query: str) -> Client:
    from bot.cli import CommandError

    query = query.strip()
    if not query:
        raise CommandError("укажите клиента: название, компанию, имя контакта или id")
    client = await uow.clients.visible(query, principal.scope)  # an exact id first
    if client is not None:
        return client
    hits = await clients.resolve(uow, principal, query)
    if not hits:
        raise CommandError(f"клиент «{query}» не найден — проверьте написание или укажите id (например, cl01)")
    if len(hits) > 1:
        names = ", ".join(f"{h.client.name} ({h.client.id})" for h in hits)
        raise CommandError(f"под «{query}» подходят несколько клиентов: {names} — уточните запрос или укажите id")
    return hits[0].client
