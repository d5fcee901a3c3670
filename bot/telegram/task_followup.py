"""The background job of task follow-through: reminders before deadlines and the question about a missed one.
The work of one tick is bot.services.tasks.followup.run_tick (tests call it with a pinned clock)."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot

from bot.app import App
from bot.services.tasks.followup import TICK_SECONDS, run_tick
from bot.telegram.notifier import TelegramNotifier

log = logging.getLogger(__name__)
FIRST_TICK_AFTER = 30.0  # seconds: the bot answers its first updates before the job starts talking


async def task_followup(app: App, bot: Bot) -> None:
    notifier = TelegramNotifier(bot)
    await asyncio.sleep(FIRST_TICK_AFTER)
    while True:
        try:
            await run_tick(app, notifier, app.clock.now())
        except Exception:  # one bad row must not stop the reminders for good: the next tick retries
            log.exception("task follow-up tick failed")
        await asyncio.sleep(TICK_SECONDS)
