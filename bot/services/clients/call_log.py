"""After the call: the outcome goes to the client's history, new promises get real due dates, kept ones are closed.

Due dates are read from the manager's Russian («до пятницы», «к 25 ноября», «через 3 дня») by bot.nlp.dates; a
promise with no date is stored without one and the manager is told, because an undated promise never reaches the
morning digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.nlp.dates import find_deadline
from bot.services.clients import lookup as clients
from bot.services.common.access import Principal
from storage.importer import natural_key
from storage.models import Client, Interaction, Promise
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

MAX_TEXT = 3000
NO_PROMISES = {"нет", "-", "—", "нет обещаний", "без обещаний", "ничего", "не обещал", "не обещала"}


@dataclass(frozen=True, slots=True)
class PromiseDraft:
    text: str
    due: date | None


def parse_promises(text: str, today: date) -> list[PromiseDraft]:
    """One promise per line (or per «;»); the date expression is read and kept in the wording."""
    if text.strip().lower().rstrip(".!") in NO_PROMISES:
        return []
    drafts = []
    for raw in text.replace(";", "\n").splitlines():
        line = raw.strip(" -•*\t")
        if not line:
            continue
        match = find_deadline(line, today)
        drafts.append(PromiseDraft(line[:MAX_TEXT], match.date if match else None))
    return drafts


async def log_outcome(app: App, uow: UnitOfWork, principal: Principal, client: Client, text: str) -> Interaction:
    now = app.clock.now()
    body = text.strip()[:MAX_TEXT]
    item = Interaction(
        natural_key=natural_key("interaction", client.id, now.isoformat(), "out", body),
        client_id=client.id,
        at=now,
        channel="call",
        direction="out",
        author=principal.name[:200],
        text=body,
        source="log",
        recorded_by=principal.user_id,
    )
    await uow.clients.add_interaction(item)
    await uow.audit.record("call_logged", actor_id=principal.user_id, client_id=client.id)
    return item


async def add_promises(
    app: App, uow: UnitOfWork, principal: Principal, client: Client, drafts: list[PromiseDraft]
) -> list[Promise]:
    now = app.clock.now()
    added = []
    for draft in drafts:
        promise = Promise(
            natural_key=natural_key("promise", client.id, draft.text, draft.due, now.isoformat()),
            client_id=client.id,
            text=draft.text,
            due=draft.due,
            kept=None,
            created_by=principal.user_id,
            created_at=now,
        )
        added.append(await uow.clients.add_promise(promise))
    if added:
        await uow.audit.record(
            "promises_added", actor_id=principal.user_id, client_id=client.id, details={"count": len(added)}
        )
    return added


async def visible_promise(uow: UnitOfWork, principal: Principal, promise_id: int) -> Promise | None:
    promise = await uow.clients.get_promise(promise_id)
    if promise is None or await clients.visible(uow, principal, promise.client_id) is None:
        return None
    return promise


async def mark_promise(uow: UnitOfWork, principal: Principal, promise: Promise, kept: bool) -> None:
    promise.kept = kept
    await uow.session.flush()
    await uow.audit.record(
        "promise_kept" if kept else "promise_broken",
        actor_id=principal.user_id,
        client_id=promise.client_id,
        object_ref=f"promise:{promise.id}",
    )
