"""Which client a pasted or forwarded message belongs to: one transport-neutral step, used by Telegram (buttons) and
the terminal chat (numbered options) alike.

`start` settles the client by the forward's origin (the contact's Telegram id, username or name) when exactly one
visible client matches; otherwise it names the candidates to choose from and why the person is asked. The choice
comes back as `pick` (a client id), `create` (a new client's name) or `without_client`. The message waits in the
transport's own state meanwhile (`PendingMessage.to_dict`), so it survives a restart with Redis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.services.clients import lookup
from bot.services.clients.lookup import ForwardOrigin
from bot.services.common.access import Principal
from storage.models import Client, Contact
from storage.uow import UnitOfWork

MAX_CANDIDATES = 6


@dataclass(frozen=True, slots=True)
class PendingMessage:
    """A client's message waiting for its client."""

    text: str
    at: datetime
    origin: ForwardOrigin | None = None

    def to_dict(self) -> dict[str, Any]:
        o = self.origin
        origin = (
            None if o is None else {"user_id": o.user_id, "username": o.username, "name": o.name, "hidden": o.hidden}
        )
        return {"text": self.text, "at": self.at.isoformat(), "origin": origin}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingMessage:
        raw = data.get("origin") or {}
        origin = (
            ForwardOrigin(raw.get("user_id"), raw.get("username"), raw.get("name"), bool(raw.get("hidden")))
            if raw
            else None
        )
        return cls(str(data["text"]), datetime.fromisoformat(data["at"]), origin)


@dataclass
class AttachStep:
    message: PendingMessage
    settled: bool = False  # True: the card can be made now (with `client`, or without one)
    client: Client | None = None
    contact: Contact | None = None
    candidates: list[Client] = field(default_factory=list)  # to choose from while not settled
    reason: str = ""  # why the person is asked: "several" (one contact, several clients), "named", "unknown"


async def start(uow: UnitOfWork, principal: Principal, message: PendingMessage) -> AttachStep:
    origin = message.origin
    matches = await lookup.by_origin(uow, principal, origin) if origin else []
    distinct = list({c.id: c for c, _ in matches}.values())
    if len(distinct) == 1 and origin is not None:
        client, contact = matches[0]
        lookup.remember_telegram_id(contact, origin)
        return AttachStep(message, settled=True, client=client, contact=contact)
    if len(distinct) > 1:
        return AttachStep(message, candidates=distinct[:MAX_CANDIDATES], reason="several")
    recent = await lookup.recent(uow, principal)
    reason = "named" if origin is not None and origin.name else "unknown"
    return AttachStep(message, candidates=recent[:MAX_CANDIDATES], reason=reason)


async def pick(uow: UnitOfWork, principal: Principal, message: PendingMessage, client_id: str) -> AttachStep | None:
    """The client chosen by hand; None when the person may not see it."""
    client = await lookup.visible(uow, principal, client_id)
    if client is None:
        return None
    return AttachStep(message, settled=True, client=client, contact=_contact_from(client, message.origin))


async def create(uow: UnitOfWork, principal: Principal, message: PendingMessage, name: str) -> AttachStep:
    """A new client named by the person; the forward's sender becomes its first contact."""
    client = await lookup.create(uow, principal, name, message.origin)
    contact = client.contacts[0] if client.contacts else None
    return AttachStep(message, settled=True, client=client, contact=contact)


def without_client(message: PendingMessage) -> AttachStep:
    return AttachStep(message, settled=True)


def _contact_from(client: Client, origin: ForwardOrigin | None) -> Contact | None:
    """The contact the forward came from, when the client was picked by hand (e.g. a hidden account)."""
    name = origin.name if origin else ""
    return next((c for c in client.contacts if name and c.name and lookup.same_person(name, c.name)), None)
