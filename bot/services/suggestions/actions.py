"""What a manager does with a suggestion card after it is drawn: open it again (if they may), put their own wording,
save the reply to the client's history. Visibility is checked from the person, never from the button."""

from __future__ import annotations

from datetime import datetime

from bot.services.clients import lookup as clients
from bot.services.common.access import Principal
from storage.importer import natural_key
from storage.models import Interaction, Suggestion
from storage.uow import UnitOfWork

MAX_TEXT = 4000


async def visible_suggestion(uow: UnitOfWork, principal: Principal, suggestion_id: int) -> Suggestion | None:
    """The suggestion when the person may see it: its client is visible to them, or (no client) they wrote it."""
    row = await uow.suggestions.get(suggestion_id)
    if row is None or not principal.works_with_clients:
        return None
    if row.client_id:
        return row if await clients.visible(uow, principal, row.client_id) else None
    return row if row.author_id == principal.user_id or principal.scope is None else None


# A decided suggestion is a record of what a supervisor approved or rejected: it is never rewritten in place.
_DECIDED = ("approved", "edited", "rejected")


async def set_final_text(
    uow: UnitOfWork, principal: Principal, row: Suggestion, text: str, now: datetime | None = None
) -> Suggestion:
    """The author's wording. On a suggestion a supervisor already decided, the edit becomes a new revision that goes
    back to review (pending), and the decided one stays exactly as it was. Returns the row that holds the edit."""
    text = text.strip()[:MAX_TEXT]
    if row.status not in _DECIDED:
        row.final_text = text
        await uow.session.flush()
        await uow.audit.record(
            "edited_by_author", actor_id=principal.user_id, client_id=row.client_id, object_ref=f"suggestion:{row.id}"
        )
        return row
    revision = Suggestion(
        kind=row.kind,
        author_id=row.author_id,
        client_id=row.client_id,
        input_text=row.input_text,
        behaviour_type=row.behaviour_type,
        manual_type=row.manual_type,
        type_confidence=row.type_confidence,
        cues=list(row.cues or []),
        situation=row.situation,
        script_id=row.script_id,
        text=row.final_text or row.text,
        engine=row.engine,
        status="pending",
        final_text=text,
        submitted_at=now,
    )
    await uow.suggestions.add(revision)
    await uow.audit.record(
        "revised",
        actor_id=principal.user_id,
        client_id=row.client_id,
        object_ref=f"suggestion:{revision.id}",
        details={"revision_of": row.id, "was": row.status},
    )
    return revision


async def save_to_history(uow: UnitOfWork, principal: Principal, row: Suggestion, now: datetime) -> bool:
    """The reply (the manager's version if edited) becomes an outgoing interaction; False without a client."""
    if not row.client_id:
        return False
    text = row.final_text or row.text
    await uow.clients.add_interaction(
        Interaction(
            natural_key=natural_key("interaction", row.client_id, f"suggestion:{row.id}", "out", text),
            client_id=row.client_id,
            at=now,
            channel="telegram",
            direction="out",
            author=principal.name[:200],
            text=text,
            source="telegram",
            recorded_by=principal.user_id,
        )
    )
    if row.status == "new":  # a suggestion already in review keeps its review status
        row.status = "saved"
    await uow.audit.record(
        "saved", actor_id=principal.user_id, client_id=row.client_id, object_ref=f"suggestion:{row.id}"
    )
    return True
