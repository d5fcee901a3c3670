"""Background jobs: review reminders, the weekly quality digest, the morning digest of promises, task follow-up.

Each loop only schedules; the work of one tick is a service method that tests call directly with a pinned clock. A
failing tick is logged and retried at the next one; it never stops the loop. A job gets the named services and the
notices of the running bot, and runs until cancelled (bot/telegram/runner.py starts them).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any

from bot.observability import metrics
from bot.services.catalog import Services
from bot.services.common.notify import Notices
from bot.services.tasks import followup

log = logging.getLogger(__name__)

Job = Callable[[Services, Notices], Coroutine[Any, Any, None]]
Tick = Callable[[datetime], Awaitable[int]]
FIRST_TICK_AFTER = 60.0  # seconds: the bot settles (and answers its first updates) before any job talks
TICK_EVERY = 300.0  # reminders are measured in hours and the digest in days: five minutes is precise enough
TASKS_FIRST_TICK_AFTER = 30.0


async def _every(services: Services, tick: Tick, name: str, first: float, every: float) -> None:
    await asyncio.sleep(first)
    while True:
        try:
            sent = await tick(services.clock.now())
            if sent:
                log.info("%s: %d message(s) sent", name, sent)
        except Exception:  # the next tick retries; a bad row must not silence the job for good
            log.exception("%s tick failed", name)
            metrics.ERRORS.labels("job").inc()
        await asyncio.sleep(every)


async def review_reminders(services: Services, notices: Notices) -> None:
    async def tick(now: datetime) -> int:
        return await services.reviews.remind_tick(services.uows, notices, now)

    await _every(services, tick, "review reminders", FIRST_TICK_AFTER, TICK_EVERY)


async def weekly_digest(services: Services, notices: Notices) -> None:
    async def tick(now: datetime) -> int:
        return await services.quality_stats.digest_tick(services.uows, notices, now)

    await _every(services, tick, "weekly digest", FIRST_TICK_AFTER, TICK_EVERY)


async def promise_digest(services: Services, notices: Notices) -> None:
    """The morning digest at DIGEST_HOUR."""
    await services.promise_digest.run_forever(notices)


async def task_followup(services: Services, notices: Notices) -> None:
    """Reminders before deadlines and the question about a missed one."""

    async def tick(now: datetime) -> int:
        report = await followup.run_tick(services.uows, notices, now)
        return report.reminders + report.overdue_questions

    await _every(services, tick, "task follow-up", TASKS_FIRST_TICK_AFTER, followup.TICK_SECONDS)


BACKGROUND_JOBS: list[Job] = [review_reminders, weekly_digest, promise_digest, task_followup]
