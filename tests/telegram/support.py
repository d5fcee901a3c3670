"""The production bot (build_bot: commit-before-reply and retry middlewares) pointed at the suite's Bot API server,
with the retry pauses recorded instead of waited out."""

from __future__ import annotations

from aiogram import Bot

from bot.config import Settings
from bot.telegram.factory import build_bot
from bot.telegram.retry import RetryMiddleware, RetryPolicy
from tests.fake_telegram import FakeTelegram


class RecordedSleeps:
    def __init__(self) -> None:
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


def production_bot(tg: FakeTelegram) -> Bot:
    class _App:
        settings = Settings(telegram_bot_token=tg.token, telegram_api_base=tg.base_url, _env_file=None)  # type: ignore[call-arg]

    return build_bot(_App())  # type: ignore[arg-type]


def record_sleeps(bot: Bot, policy: RetryPolicy | None = None) -> RecordedSleeps:
    """Swaps the production retry middleware's sleep (and policy) so a test does not wait in real time."""
    sleeps = RecordedSleeps()
    (retry,) = [m for m in bot.session.middleware._middlewares if isinstance(m, RetryMiddleware)]
    retry._sleep = sleeps
    if policy is not None:
        retry.policy = policy
    return sleeps
