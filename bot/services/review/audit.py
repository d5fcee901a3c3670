"""Reading the audit log: who viewed, generated, submitted, approved, edited or rejected what, for which client.

Supervisors and admins read the whole log for a period (it is the company's record of the work, and a
supervisor answering for quality needs to see it across teams); everyone else is refused. Reading the log is
itself logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.services.common.access import AccessError, Principal
from bot.services.common.periods import Period
from bot.services.review.team import Team
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

DEFAULT_LIMIT = 200


@dataclass(frozen=True, slots=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    client: str | None
    object_ref: str | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditReport:
    period: Period
    lines: list[AuditLine]  # newest first
    truncated: bool  # more entries than `limit` in the period


async def read_audit(
    app: App, uow: UnitOfWork, principal: Principal, period: Period, limit: int = DEFAULT_LIMIT
) -> AuditReport:
    if not principal.can_review:
        raise AccessError("Журнал действий доступен руководителям и администраторам.")
    start, end = period.bounds(app.settings.tz)
    entries = await uow.audit.between(start, end, limit=limit + 1)
    team = Team(app, uow)
    clients: dict[str, str] = {}
    lines = []
    for e in entries[:limit]:
        client = None
        if e.client_id:
            if e.client_id not in clients:
                found = await uow.clients.get(e.client_id)
                clients[e.client_id] = found.name if found else e.client_id
            client = clients[e.client_id]
        actor = "система" if e.actor_id is None else await team.name(e.actor_id)
        lines.append(AuditLine(e.at, actor, e.action, client, e.object_ref, dict(e.details or {})))
    await uow.audit.record(
        "audit_viewed", actor_id=principal.user_id, details={"period": period.label, "entries": len(lines)}
    )
    return AuditReport(period, lines, len(entries) > limit)
