"""Clients for a person: visible lookup, fuzzy search, attaching a forwarded message to its client, new clients,
the base level and the segment strategy.

Visibility is decided here on every call from the caller's Principal (never from what a button carries): a manager
sees their own clients, a supervisor their team's, an admin everyone.

Base level rule (thresholds in knowledge/client_base.yaml): by the number of won deals — 0 → lead, 1 → first
purchase, 2–4 → repeat, 5 and more → core; a client with at least 2 won deals whose share of the company's won
revenue is 15 % or more is core too (a large client buying rarely still carries the profit).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.domain import BASE_LEVEL_NAMES_RU, BaseLevel
from bot.nlp.text import morph
from bot.services.clients import search as client_search
from bot.services.clients.playbook import ClientKnowledge, LevelRule, Segment
from bot.services.clients.search import ClientHit
from bot.services.common.access import Principal
from storage.importer import natural_key
from storage.models import Client, Contact, Deal, Interaction
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ForwardOrigin:
    """Who wrote a forwarded message, as far as Telegram tells (transport-neutral)."""

    user_id: int | None = None
    username: str | None = None
    name: str | None = None  # the sender's full name, or the hidden user's display name
    hidden: bool = False  # the sender hides their account: only a display name is known
    date: datetime | None = None

    @property
    def empty(self) -> bool:
        return self.user_id is None and not self.username and not self.name


@dataclass(frozen=True, slots=True)
class LevelInfo:
    level: BaseLevel
    won: int
    share: float  # of the company's won revenue, 0..1
    task: str
    reason: str

    @property
    def name(self) -> str:
        return BASE_LEVEL_NAMES_RU[self.level]


# Lookup ---------------------------------------------------------------------------------------------------------
async def visible(uow: UnitOfWork, principal: Principal, client_id: str) -> Client | None:
    """The client when it exists and the person may see it; None otherwise (never says which)."""
    if not principal.works_with_clients or not client_id:
        return None
    return await uow.clients.visible(client_id, principal.scope)


async def search(uow: UnitOfWork, principal: Principal, query: str, limit: int = 5) -> list[ClientHit]:
    if not principal.works_with_clients:
        return []
    return client_search.search(await uow.clients.all(principal.scope), query, limit)


async def resolve(uow: UnitOfWork, principal: Principal, query: str) -> list[ClientHit]:
    """Search narrowed to the clear winner: one hit when the best is an exact id/name or well ahead of the rest."""
    hits = await search(uow, principal, query)
    if len(hits) > 1 and (hits[0].score >= 100 > hits[1].score or hits[0].score - hits[1].score >= 10):
        return hits[:1]
    return hits


async def recent(uow: UnitOfWork, principal: Principal, limit: int = 5) -> list[Client]:
    if not principal.works_with_clients:
        return []
    found = await uow.clients.recent(principal.scope, limit)
    if len(found) < limit:  # clients with no interactions yet still deserve a button
        known = {c.id for c in found}
        found += [c for c in await uow.clients.all(principal.scope) if c.id not in known][: limit - len(found)]
    return found


def same_person(a: str, b: str) -> bool:
    """ "Игорь Ладыгин" is the contact "Игорь Валентинович Ладыгин": every word of the shorter name is in the longer.
    A first name alone ("Вера") is too common to attach a message by."""
    short, long_ = sorted((a, b), key=len)
    short_words = client_search.words(short)
    return len(short_words) >= 2 and client_search.field_score(short_words, long_) >= 95


async def by_origin(uow: UnitOfWork, principal: Principal, origin: ForwardOrigin) -> list[tuple[Client, Contact]]:
    """Visible clients whose contact wrote the forwarded message: by Telegram id, then username, then name."""
    if origin.empty or not principal.works_with_clients:
        return []
    clients = await uow.clients.all(principal.scope)
    for test in (
        lambda c: origin.user_id is not None and c.telegram_user_id == origin.user_id,
        lambda c: bool(origin.username and (c.telegram_username or "").lower() == origin.username.lower()),
        lambda c: bool(origin.name and c.name and same_person(origin.name, c.name)),
    ):
        found = [(client, contact) for client in clients for contact in client.contacts if test(contact)]
        if found:
            return found
    return []


def remember_telegram_id(contact: Contact, origin: ForwardOrigin) -> None:
    """Matched by username or name: keep the Telegram id, so the next forward matches even after a rename."""
    if origin.user_id is not None and contact.telegram_user_id is None:
        contact.telegram_user_id = origin.user_id


async def create(uow: UnitOfWork, principal: Principal, name: str, origin: ForwardOrigin | None = None) -> Client:
    """A new client owned by the person creating it; the forward's sender becomes its first contact."""
    user = await uow.users.get(principal.user_id)
    client = Client(
        id=f"tg-{uuid.uuid4().hex[:10]}",
        name=name.strip()[:200],
        company="",
        manager_id=principal.user_id,
        manager_key=user.crm_key if user else None,
    )
    if origin is not None and not origin.empty:
        client.contacts = [
            Contact(name=origin.name or "", telegram_username=origin.username, telegram_user_id=origin.user_id)
        ]
    else:
        client.contacts = []
    await uow.clients.add(client)
    await uow.audit.record("client_created", actor_id=principal.user_id, client_id=client.id)
    return client


async def record_incoming(
    uow: UnitOfWork, principal: Principal, client: Client, text: str, at: datetime, *, author: str, source: str
) -> bool:
    """The client's message goes to their history (once: the same message forwarded again is not duplicated)."""
    key = natural_key("interaction", client.id, at.isoformat(), "in", text)
    return await uow.clients.add_interaction(
        Interaction(
            natural_key=key,
            client_id=client.id,
            at=at,
            channel="telegram",
            direction="in",
            author=author[:200],
            text=text,
            source=source,
            recorded_by=principal.user_id,
        )
    )


# Who to greet ---------------------------------------------------------------------------------------------------
def greeting_name(full_name: str) -> str:
    """How to address a contact politely: first name and patronymic when known ("Игорь Валентинович")."""
    first = patronymic = ""
    for word in full_name.split():
        tags = {str(p.tag) for p in morph().parse(word)[:5]} if word[:1].isupper() else set()
        if not first and any("Name" in t for t in tags):
            first = word
        elif first and not patronymic and any("Patr" in t for t in tags):
            patronymic = word
    if first:
        return f"{first} {patronymic}".strip()
    return full_name.split()[0] if full_name.split() else ""


def main_contact(client: Client, preferred: Contact | None = None) -> Contact | None:
    if preferred is not None:
        return preferred
    return client.contacts[0] if client.contacts else None


# Level and segment ----------------------------------------------------------------------------------------------
def base_level(deals: list[Deal], company_won_total: Decimal, knowledge: ClientKnowledge) -> LevelInfo:
    rule: LevelRule = knowledge.level_rule
    won = [d for d in deals if d.status == "won"]
    revenue = sum((d.amount or Decimal(0) for d in won), Decimal(0))
    share = float(revenue / company_won_total) if company_won_total else 0.0
    if len(won) >= rule.core_min:
        level, reason = BaseLevel.CORE, f"{len(won)} выигранных сделок"
    elif len(won) >= rule.repeat_min and share >= rule.core_share:
        level, reason = BaseLevel.CORE, f"{len(won)} сделки и {share:.0%} выручки компании"
    elif len(won) >= rule.repeat_min:
        level, reason = BaseLevel.REPEAT, f"{len(won)} выигранные сделки"
    elif len(won) == 1:
        level, reason = BaseLevel.FIRST_PURCHASE, "одна выигранная сделка"
    else:
        level, reason = BaseLevel.LEAD, "выигранных сделок пока нет"
    return LevelInfo(level, len(won), share, knowledge.level_tasks.get(level, ""), reason)


def segment(client: Client, knowledge: ClientKnowledge) -> Segment | None:
    return knowledge.segments.get(client.segment or "")


async def level_of(uow: UnitOfWork, client: Client, knowledge: ClientKnowledge) -> LevelInfo:
    return base_level(await uow.clients.deals(client.id), await uow.clients.won_amount_total(), knowledge)
