"""Notices for services in tests: rendered as the bot renders them, kept in an outbox instead of being sent."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.presenters.notices import RenderedNotices
from bot.services.common.notify import Notifier

MSK = ZoneInfo("Europe/Moscow")


def rendered(notifier: Notifier) -> RenderedNotices:
    return RenderedNotices(notifier, MSK)
