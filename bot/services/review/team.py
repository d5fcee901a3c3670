"""Who reviews whose suggestions — one rule for the notifications, the /review queue, every decision and /stats.

- Admins may decide any suggestion.
- A supervisor decides for the authors of their team (the author's `users.supervisor_id` is them) and for authors
  who belong to no team (no supervisor set, or the person set there no longer holds the supervisor role). So a
  company that has not configured teams shares one queue among all supervisors, and one that has keeps each
  team's work with its lead.
- Nobody but an admin decides their own suggestion: a second pair of eyes is the point of the review.

Review requests go to the author's team lead; when there is none, to every supervisor; with no supervisors at all,
to the admins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain import Role
from bot.presenters.review import SuggestionView
from bot.services.common.access import LOCAL_OPERATOR_ID, Principal
from storage.models import Suggestion, User
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App


class ReviewError(Exception):
    """The request cannot be done; the message is polite and safe to show."""


class AlreadyDecided(ReviewError):
    """A decision on a suggestion that no longer waits for one (stale or repeated button press)."""


async def role_holders(app: App, uow: UnitOfWork, role: Role) -> list[int]:
    env = {
        Role.ADMIN: app.settings.bot_admins,
        Role.SUPERVISOR: app.settings.bot_supervisors,
        Role.MANAGER: app.settings.bot_managers,
        Role.STAFF: app.settings.bot_staff,
    }[role]
    # The terminal operator (id 0) has no Telegram chat to notify.
    return sorted({*env, *await uow.review.role_holders(role.value)} - {LOCAL_OPERATOR_ID})


@dataclass
class Team:
    """Memoised look-ups for one unit of work (a queue page asks about many authors)."""

    app: App
    uow: UnitOfWork
    _users: dict[int, User | None] = field(default_factory=dict)
    _leads: dict[int, bool] = field(default_factory=dict)

    async def user(self, user_id: int | None) -> User | None:
        if user_id is None:
            return None
        if user_id not in self._users:
            self._users[user_id] = await self.uow.users.get(user_id)
        return self._users[user_id]

    async def name(self, user_id: int | None) -> str:
        user = await self.user(user_id)
        if user is None:
            return "неизвестный автор" if user_id is None else f"пользователь {user_id}"
        return user.full_name or (f"@{user.username}" if user.username else str(user.id))

    async def lead_of(self, author_id: int | None) -> int | None:
        """The author's team lead if that person still holds the supervisor role."""
        user = await self.user(author_id)
        lead = user.supervisor_id if user else None
        if lead is None:
            return None
        if lead not in self._leads:
            self._leads[lead] = Role.SUPERVISOR in await self.app.access.roles_of(self.uow, lead)
        return lead if self._leads[lead] else None

    async def covers(self, principal: Principal, author_id: int | None) -> bool:
        """True when `principal` may see and judge the work of `author_id` (own work included)."""
        if principal.has(Role.ADMIN):
            return True
        if not principal.has(Role.SUPERVISOR):
            return False
        if author_id == principal.user_id:
            return True
        lead = await self.lead_of(author_id)
        return lead is None or lead == principal.user_id

    async def may_decide(self, principal: Principal, suggestion: Suggestion) -> bool:
        if principal.has(Role.ADMIN):
            return True
        if suggestion.author_id == principal.user_id:
            return False
        return await self.covers(principal, suggestion.author_id)

    async def reviewers_for(self, suggestion: Suggestion) -> list[int]:
        lead = await self.lead_of(suggestion.author_id)
        ids = [lead] if lead is not None else await role_holders(self.app, self.uow, Role.SUPERVISOR)
        ids = [i for i in ids if i != suggestion.author_id]
        if not ids:
            ids = [i for i in await role_holders(self.app, self.uow, Role.ADMIN) if i != suggestion.author_id]
        return ids

    async def view(self, suggestion: Suggestion) -> SuggestionView:
        client_name = None
        if suggestion.client_id:
            client = await self.uow.clients.get(suggestion.client_id)
            client_name = client.name if client else suggestion.client_id
        return SuggestionView(suggestion, await self.name(suggestion.author_id), client_name)
