"""Where the LLM's spending goes: every call is persisted (tokens and cost per day and task, never the text), and
admins hear about it when the daily budget runs out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from bot.domain import Role
from bot.services.common.access import AccessService
from bot.services.common.notify import Notices
from storage.models import LlmUsage
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.llm.budget import BudgetStatus, UsageRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BudgetSpent:
    """Notice to an admin: the LLM's daily budget is spent; the offline engine answers until tomorrow."""

    spent_usd: float
    limit_usd: float

    @property
    def text(self) -> str:
        return (
            f"Дневной бюджет LLM исчерпан: потрачено {self.spent_usd:.2f} из {self.limit_usd:.2f} USD. "
            "До завтра все ответы готовит офлайн-движок. Лимит задаётся настройкой LLM_DAILY_BUDGET_USD."
        )


@dataclass
class LlmSpending:
    """The LLM gateway's two hooks: persist each call's usage, tell the admins when the budget runs out.

    `notices` is read at the moment of telling: the transport that runs (Telegram, the terminal) sets it after the
    composition root is built, and there is nobody to tell before that."""

    uows: UnitOfWorkFactory
    tz: tzinfo
    access: AccessService
    notices: Callable[[], Notices | None]

    async def persist_usage(self, record: UsageRecord) -> None:
        async with self.uows() as uow:
            await uow.usage.add(
                LlmUsage(
                    day=record.at.astimezone(self.tz).date(),
                    task=record.task,
                    prompt_tokens=record.usage.prompt_tokens,
                    completion_tokens=record.usage.completion_tokens,
                    cost_usd=record.usage.cost_usd,
                )
            )

    async def tell_admins_budget_is_spent(self, status: BudgetStatus) -> None:
        notice = BudgetSpent(status.spent_usd, status.limit_usd)
        notices = self.notices()
        if notices is None:
            log.warning("%s", notice.text)
            return
        admins = self.access.configured(Role.ADMIN)
        async with self.uows() as uow:
            admins |= {g.user_id for g in await uow.users.all_grants() if g.role == Role.ADMIN.value}
        for admin_id in sorted(admins):
            await notices.notify(admin_id, notice)
