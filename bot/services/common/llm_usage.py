"""Where the LLM's spending goes: every call is persisted (tokens and cost per day and task, never the text), and
admins hear about it when the daily budget runs out."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.domain import Role
from bot.presenters import esc
from storage.models import LlmUsage

if TYPE_CHECKING:
    from bot.app import App
    from bot.llm.budget import BudgetStatus, UsageRecord

log = logging.getLogger(__name__)


async def persist_usage(app: App, record: UsageRecord) -> None:
    async with app.uow() as uow:
        await uow.usage.add(
            LlmUsage(
                day=record.at.astimezone(app.settings.tz).date(),
                task=record.task,
                prompt_tokens=record.usage.prompt_tokens,
                completion_tokens=record.usage.completion_tokens,
                cost_usd=record.usage.cost_usd,
            )
        )


async def tell_admins_budget_is_spent(app: App, status: BudgetStatus) -> None:
    text = (
        f"Дневной бюджет LLM исчерпан: потрачено {status.spent_usd:.2f} из {status.limit_usd:.2f} USD. "
        "До завтра все ответы готовит офлайн-движок. Лимит задаётся настройкой LLM_DAILY_BUDGET_USD."
    )
    if app.notifier is None:
        log.warning("%s", text)
        return
    admins = set(app.settings.bot_admins)
    async with app.uow() as uow:
        admins |= {g.user_id for g in await uow.users.all_grants() if g.role == Role.ADMIN.value}
    for admin_id in sorted(admins):
        await app.notifier.send(admin_id, esc(text))
