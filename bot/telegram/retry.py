"""Retrying Bot API requests through flood control (429) and dropped connections, for replies and jobs alike.

aiogram raises `TelegramRetryAfter` on a 429 and `TelegramNetworkError` when the connection drops or times out, and
retries neither. Without this middleware both ended in the error handler's apology (or a job's failed tick) although
waiting a moment would have delivered the message. It sits on the bot's session, so every request passes through it:
a handler's reply, a button's answer and a digest sent by a background job.

Bounds: at most `attempts` tries and `max_wait` seconds of waiting in all; a 429 whose `retry_after` would pass the
budget is not waited for (the caller fails now rather than hold the update for minutes). Long polling is left to
aiogram's own back-off. A request that was sent but whose answer was lost may reach the chat twice when retried:
Telegram has no idempotency key, and a duplicate is the lesser harm next to a reply that never comes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.observability import metrics

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4  # the first try and three retries
    max_wait: float = 30.0  # seconds of waiting in all, per request
    backoff: float = 0.5  # first pause after a network fault; doubles each time
    max_backoff: float = 5.0

    def network_pause(self, retry_number: int) -> float:
        return min(self.max_backoff, self.backoff * 2 ** (retry_number - 1))


class RetryMiddleware(BaseRequestMiddleware):
    """Retries a request after `retry_after` (429) or a short back-off (network fault, 5xx), within the policy."""

    def __init__(self, policy: RetryPolicy | None = None, sleep: Sleep = asyncio.sleep) -> None:
        self.policy = policy or RetryPolicy()
        self._sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):  # the polling loop has its own back-off
            return await make_request(bot, method)  # type: ignore[arg-type]
        name = type(method).__name__
        waited = 0.0
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                reason, pause = "flood", float(exc.retry_after)
                error: Exception = exc
            except TelegramNetworkError as exc:
                reason, pause, error = "network", self.policy.network_pause(attempt), exc
            except TelegramServerError as exc:
                reason, pause, error = "server", self.policy.network_pause(attempt), exc
            if attempt >= self.policy.attempts or waited + pause > self.policy.max_wait:
                metrics.TELEGRAM_GAVE_UP.labels(name, reason).inc()
                log.warning("%s failed after %d attempt(s) (%s); not retrying", name, attempt, reason)
                raise error
            metrics.TELEGRAM_RETRIES.labels(name, reason).inc()
            log.info("%s: %s, retry %d in %.1f s", name, reason, attempt, pause)
            await self._sleep(pause)
            waited += pause
            attempt += 1
