"""Tokens, cost and the daily budget.

The budget is counted in memory per calendar day in the company's timezone (a restart forgets the day's spend;
`usage_sink` is the hook to persist usage if that matters). A limit of 0 means no limit: local models cost
nothing and should not need a made-up budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    estimated: bool = False  # the server sent no token counts; they were estimated from the text length

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost_usd + other.cost_usd,
            self.estimated or other.estimated,
        )

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One LLM call, for `usage_sink`: never holds any text of the conversation."""

    at: datetime
    task: str
    model: str
    usage: Usage
    latency_seconds: float
    outcome: str  # "ok" or an LLMUnavailable reason


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    day: date
    spent_usd: float
    limit_usd: float
    usage: Usage
    calls: int

    @property
    def exhausted(self) -> bool:
        return self.limit_usd > 0 and self.spent_usd >= self.limit_usd


def estimate_tokens(text: str) -> int:
    """Rough upper estimate for Russian text (~3 characters a token) when the server reports no usage."""
    return len(text) // 3 + 1


class DailyBudget:
    def __init__(
        self,
        limit_usd: float,
        price_input_per_1k: float,
        price_output_per_1k: float,
        tz: ZoneInfo,
        now: Callable[[], datetime] | None = None,  # e.g. App.clock.now; aware datetimes
    ) -> None:
        self.limit_usd = limit_usd
        self._price_in = price_input_per_1k
        self._price_out = price_output_per_1k
        self._tz = tz
        self._now = now or (lambda: datetime.now(tz))
        self._day = self._today()
        self._usage = Usage()
        self._calls = 0
        self._notified_day: date | None = None

    def _today(self) -> date:
        return self._now().astimezone(self._tz).date()

    def _roll(self) -> None:
        today = self._today()
        if today != self._day:
            self._day, self._usage, self._calls = today, Usage(), 0

    def usage(self, prompt_tokens: int, completion_tokens: int, estimated: bool = False) -> Usage:
        cost = prompt_tokens / 1000 * self._price_in + completion_tokens / 1000 * self._price_out
        return Usage(prompt_tokens, completion_tokens, cost, estimated)

    def add(self, usage: Usage) -> None:
        self._roll()
        self._usage += usage
        self._calls += 1

    def status(self) -> BudgetStatus:
        self._roll()
        return BudgetStatus(self._day, self._usage.cost_usd, self.limit_usd, self._usage, self._calls)

    def take_notification(self) -> BudgetStatus | None:
        """The status, once per day, when the budget is exhausted: admins are told once, not on every call."""
        status = self.status()
        if status.exhausted and self._notified_day != status.day:
            self._notified_day = status.day
            return status
        return None
