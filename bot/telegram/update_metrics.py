"""Counts every update the dispatcher handles and times it; marks when it arrived, for the card latency metric."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.observability import metrics

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateMetricsMiddleware(BaseMiddleware):
    """The outermost middleware of our own on updates: it sees the error before aiogram's error handler answers it."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        started = time.perf_counter()
        with metrics.update_clock():
            try:
                result = await handler(event, data)
            except Exception:
                metrics.UPDATES.labels(kind, "error").inc()
                metrics.ERRORS.labels("update").inc()
                raise
            finally:
                metrics.UPDATE_SECONDS.observe(time.perf_counter() - started)
        metrics.UPDATES.labels(kind, "ok").inc()
        return result
