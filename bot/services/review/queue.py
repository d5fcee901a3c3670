"""The /review queue: what waits for this reviewer, oldest submission first, page by page; and one card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.presenters.review import SuggestionView
from bot.services.common.access import Principal
from bot.services.review.team import ReviewError, Team
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

PAGE_SIZE = 5


@dataclass(frozen=True, slots=True)
class QueuePage:
    views: list[SuggestionView]
    page: int  # 0-based, clamped to the pages that exist
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class Card:
    view: SuggestionView
    can_decide: bool


async def queue(app: App, uow: UnitOfWork, principal: Principal, page: int = 0, size: int = PAGE_SIZE) -> QueuePage:
    if not principal.can_review:
        raise ReviewError("Очередь проверки доступна руководителям и администраторам.")
    team = Team(app, uow)
    # The queue is short in practice (it is worked through daily), so the per-reviewer rule is applied here
    # rather than re-expressed in SQL.
    mine = [s for s in await uow.review.pending() if await team.may_decide(principal, s)]
    pages = max(1, -(-len(mine) // size))
    page = min(max(page, 0), pages - 1)  # a stale "next" button after the queue shrank lands on the last page
    chunk = mine[page * size : (page + 1) * size]
    return QueuePage([await team.view(s) for s in chunk], page, pages, len(mine))


async def card(app: App, uow: UnitOfWork, principal: Principal, suggestion_id: int) -> Card:
    if not principal.can_review:
        raise ReviewError("Карточки на проверке доступны руководителям и администраторам.")
    suggestion = await uow.suggestions.get(suggestion_id)
    team = Team(app, uow)
    if suggestion is None or not await team.covers(principal, suggestion.author_id):
        raise ReviewError(f"Предложения №{suggestion_id} нет среди тех, что Вы проверяете.")
    await uow.audit.record(
        "viewed", actor_id=principal.user_id, client_id=suggestion.client_id, object_ref=f"suggestion:{suggestion.id}"
    )
    can_decide = suggestion.status == "pending" and await team.may_decide(principal, suggestion)
    return Card(await team.view(suggestion), can_decide)
