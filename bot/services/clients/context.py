"""What the bot knows about a client before a contact: deals, promises, incidents, and the precautions they call
for. Shared by the suggestion card and the pre-call brief, so both say the same thing about the same history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.services.clients.lookup import greeting_name, main_contact
from bot.services.clients.playbook import ClientKnowledge, IncidentRule
from storage.models import Client, Contact, Deal, Incident, Interaction, Promise
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Precaution:
    rule: IncidentRule
    incidents: tuple[Incident, ...]  # the incidents behind it, newest first

    @property
    def latest(self) -> Incident:
        return self.incidents[0]


@dataclass
class ClientContext:
    client: Client
    contact: Contact | None
    deals: list[Deal]
    promises: list[Promise]
    incidents: list[Incident]
    today: date
    precautions: list[Precaution] = field(default_factory=list)
    sent: list[Interaction] = field(default_factory=list)  # what we told the client, newest first

    @property
    def greeting_name(self) -> str:
        return greeting_name(self.contact.name) if self.contact and self.contact.name else ""

    @property
    def open_deals(self) -> list[Deal]:
        return [d for d in self.deals if d.status == "open"]

    @property
    def current_deal(self) -> str | None:
        """The deal a reply talks about: the newest open one, else the newest of all."""
        deals = self.open_deals or self.deals
        return deals[0].title if deals else None

    @property
    def open_promises(self) -> list[Promise]:
        """Not yet kept and not yet due, soonest first."""
        found = [p for p in self.promises if p.kept is None and (p.due is None or p.due >= self.today)]
        return sorted(found, key=lambda p: p.due or date.max)

    @property
    def overdue_promises(self) -> list[Promise]:
        found = [p for p in self.promises if p.kept is None and p.due is not None and p.due < self.today]
        return sorted(found, key=lambda p: p.due or date.min)

    @property
    def broken_promises(self) -> list[Promise]:
        return [p for p in self.promises if p.kept is False]

    def reply_lines(self, situation: str) -> list[str]:
        """What to tell the client after earlier incidents, one line per kind that fits this situation's reply."""
        return [p.rule.reply_line for p in self.precautions if p.rule.fits(situation)]


def next_working_day(today: date) -> date:
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def precautions_for(incidents: list[Incident], knowledge: ClientKnowledge, now: datetime) -> list[Precaution]:
    """One precaution per incident kind within the look-back window, the most recent kind first."""
    since = now - timedelta(days=knowledge.lookback_days)
    by_kind: dict[str, list[Incident]] = {}
    for incident in sorted(incidents, key=lambda i: i.at, reverse=True):
        if incident.at >= since:
            by_kind.setdefault(incident.kind, []).append(incident)
    return [Precaution(knowledge.incident(kind), tuple(found)) for kind, found in by_kind.items()]


SENT_ON_RECORD = 20  # the latest messages we sent: enough for the questions of this round, not the whole history


async def load_context(
    uow: UnitOfWork,
    client: Client,
    knowledge: ClientKnowledge,
    now: datetime,
    contact: Contact | None = None,
) -> ClientContext:
    incidents = await uow.clients.incidents(client.id)
    return ClientContext(
        client=client,
        contact=main_contact(client, contact),
        deals=await uow.clients.deals(client.id),
        promises=await uow.clients.promises(client.id),
        incidents=incidents,
        today=now.date(),
        precautions=precautions_for(incidents, knowledge, now),
        sent=await uow.clients.interactions(client.id, direction="out", limit=SENT_ON_RECORD),
    )
