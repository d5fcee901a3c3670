"""The bot's Prometheus metrics, in the default registry (so the process and platform collectors come along).

Metrics are module-level, as prometheus-client intends: several dispatchers in one process (tests) add to the same
counters, so tests compare values before and after. Labels are small closed sets (update kinds, LLM tasks and
outcomes, Bot API method names): never a person, a chat or a text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from prometheus_client import Counter, Histogram

UPDATES = Counter("copilot_updates", "Telegram updates handled", ["kind", "outcome"])
UPDATE_SECONDS = Histogram(
    "copilot_update_seconds",
    "Time to handle one Telegram update, from arrival to the handler's end",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30),
)
CARD_SECONDS = Histogram(
    "copilot_card_seconds",
    "From the update that asked for a suggestion card (a message or a button press) to the card sent",
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30),
)
ERRORS = Counter("copilot_errors", "Failures that reached a last line of defence", ["where"])
LLM_CALLS = Counter("copilot_llm_calls", "Calls to the external LLM by task and outcome", ["task", "outcome"])
LLM_COST = Counter("copilot_llm_cost_usd", "Estimated LLM spend in US dollars", ["task"])
LLM_FALLBACKS = Counter("copilot_llm_fallbacks", "Answers given by the offline engine instead of the LLM", ["reason"])
TELEGRAM_RETRIES = Counter(
    "copilot_telegram_retries", "Bot API requests retried after a 429 or a network fault", ["method", "reason"]
)
TELEGRAM_GAVE_UP = Counter(
    "copilot_telegram_gave_up", "Bot API requests that failed after their retries", ["method", "reason"]
)
JOB_MESSAGES = Counter(
    "copilot_job_messages", "Messages of background jobs (digests, reminders) by outcome", ["job", "outcome"]
)

# When the update being handled arrived (set by the metrics middleware), so a handler deep inside can tell how long
# the person has waited without passing timestamps around.
_update_started: ContextVar[float | None] = ContextVar("update_started", default=None)


@contextmanager
def update_clock() -> Iterator[None]:
    token = _update_started.set(time.perf_counter())
    try:
        yield
    finally:
        _update_started.reset(token)


def since_update() -> float | None:
    started = _update_started.get()
    return None if started is None else time.perf_counter() - started


def llm_call(task: str, outcome: str, cost_usd: float) -> None:
    LLM_CALLS.labels(task, outcome).inc()
    if cost_usd > 0:
        LLM_COST.labels(task).inc(cost_usd)


def card_delivered() -> None:
    """A suggestion card has just been sent for the current update."""
    waited = since_update()
    if waited is not None:
        CARD_SECONDS.observe(waited)
