"""Background jobs of the review loop: reminders about reviews waiting too long, and the weekly digest.

Each loop only schedules; the work of one tick is a service function (`remind_tick`, `digest_tick`) that tests
call directly with a pinned clock. A failing tick is logged and retried at the next one; it never stops the loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiogram import Bot

from bot.app import App
from bot.services.common.notify import Notifier
from bot.services.review.decisions import remind_tick
from bot.services.review.stats import digest_tick
from bot.telegram.notifier import TelegramNotifier

log = logging.getLogger(__name__)

Tick = Callable[[App, Notifier, datetime], Awaitable[int]]
FIRST_TICK_AFTER = 60.0  # seconds: the bot settles (and answers its first updates) before any job talks
TICK_EVERY = 300.0  # reminders are measured in hours and the digest in days: five minutes is precise enough


async def _every(app: App, bot: Bot, tick: Tick, name: str) -> None:
    notifier = TelegramNotifier(bot)
    await asyncio.sleep(FIRST_TICK_AFTER)
    while True:
        try:
            sent = await tick(app, notifier, app.clock.now())
            if sent:
                log.info("%s: %d message(s) sent", name, sent)
        except Exception:  # the next tick retries; a bad row must not silence the job for good
            log.exception("%s tick failed", name)
        await asyncio.sleep(TICK_EVERY)


async def review_reminders(app: App, bot: Bot) -> None:
    await _every(app, bot, remind_tick, "review reminders")


async def weekly_digest(app: App, bot: Bot) -> None:
    await _every(app, bot, digest_tick, "weekly digest")
