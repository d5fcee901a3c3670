"""LLMGateway: the one door to the model. Render, mask, call within bounds, check, unmask — or LLMUnavailable.

Bounds: each attempt is cut at `llm_timeout_seconds` (≤ 20 s); one retry at most, only for endpoint faults, and
only when the pause (Retry-After on 429) is short; so a call never takes longer than `deadline_seconds`
(2 × 20 + 4 = 44 s with the largest settings).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from bot.config import Settings
from bot.llm import guard
from bot.llm.backends import BackendError, ChatBackend, Completion
from bot.llm.breaker import CircuitBreaker
from bot.llm.budget import BudgetStatus, DailyBudget, Usage, UsageRecord, estimate_tokens
from bot.llm.checks import check_answer
from bot.llm.errors import ENDPOINT_FAULTS, TRANSIENT, LLMUnavailable, Reason
from bot.llm.privacy import Masker
from bot.llm.prompts import PROMPTS_DIR, RenderedPrompt, render_prompt
from bot.llm.providers import build_backend
from bot.llm.schemas import LLMOutput, wire_schema
from bot.observability import metrics

log = logging.getLogger(__name__)

T = TypeVar("T", bound=LLMOutput)
V = TypeVar("V")
U = TypeVar("U")
Hook = Callable[[Any], Awaitable[None] | None]

MAX_RETRY_WAIT = 4.0  # a longer Retry-After means no retry: the offline engine answers now instead
RETRY_PAUSE = 0.5


@dataclass(frozen=True, slots=True)
class LLMResult(Generic[V]):
    value: V
    usage: Usage
    latency_seconds: float
    model: str
    attempts: int
    warnings: tuple[str, ...] = ()

    def map(self, fn: Callable[[V], U]) -> LLMResult[U]:
        """The same result with the value converted (e.g. SuggestionOut → a domain object)."""
        return LLMResult(fn(self.value), self.usage, self.latency_seconds, self.model, self.attempts, self.warnings)


async def _call_hook(hook: Hook | None, payload: Any) -> None:
    if hook is None:
        return
    try:
        outcome = hook(payload)
        if inspect.isawaitable(outcome):
            await outcome
    except Exception:  # a broken hook must not break the answer
        log.exception("LLM hook %s failed", getattr(hook, "__name__", hook))


class LLMGateway:
    def __init__(
        self,
        settings: Settings,
        *,
        backend: ChatBackend | None = None,
        allowed_domains: Iterable[str] = (),
        on_budget_exhausted: Callable[[BudgetStatus], Awaitable[None] | None] | None = None,
        usage_sink: Callable[[UsageRecord], Awaitable[None] | None] | None = None,
        prompts_dir: Path = PROMPTS_DIR,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._settings = settings
        self._backend = backend or build_backend(settings)
        self._allowed = tuple(allowed_domains)
        self._on_budget_exhausted = on_budget_exhausted
        self._usage_sink = usage_sink
        self._prompts_dir = prompts_dir
        self._clock = clock
        self._now = now or (lambda: datetime.now(settings.tz))
        self._timeout = settings.llm_timeout_seconds
        self._retries = settings.llm_max_retries
        self.breaker = CircuitBreaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown_seconds, clock)
        self.budget = DailyBudget(
            settings.llm_daily_budget_usd,
            settings.llm_price_input_per_1k,
            settings.llm_price_output_per_1k,
            settings.tz,
            now,
        )

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> LLMGateway | None:
        """None when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set: the product runs on the offline engine."""
        return cls(settings, **kwargs) if settings.llm_enabled else None

    @property
    def model(self) -> str:
        return self._backend.model

    @property
    def deadline_seconds(self) -> float:
        return self._timeout * (1 + self._retries) + (MAX_RETRY_WAIT if self._retries else 0.0)

    async def run(
        self, task: str, variables: Mapping[str, Any], schema: type[T], *, known_names: Iterable[str] = ()
    ) -> LLMResult[T]:
        started = self._clock()
        masker = Masker()
        names = tuple(known_names)
        # Masking is CPU work (NER) and loads a model on first use: keep it off the event loop.
        clean, masked = await asyncio.to_thread(self._prepare, variables, masker, names)
        if self._settings.llm_block_personal_data and masker.issued:
            raise LLMUnavailable(Reason.PERSONAL_DATA_BLOCKED, f"{len(masker.issued)} items")
        if self.budget.status().exhausted:
            await self._notify_budget()
            raise LLMUnavailable(Reason.BUDGET_EXHAUSTED)
        canary = "K" + secrets.token_hex(6)  # a fresh secret per call: if it shows up in an answer, the prompt leaked
        wire = wire_schema(schema)
        prompt = render_prompt(
            task,
            masked,
            output_schema=json.dumps(wire, ensure_ascii=False),
            canary=canary,
            directory=self._prompts_dir,
        )
        if not self.breaker.allow():
            raise LLMUnavailable(Reason.BREAKER_OPEN)
        # The deadline covers the network part; masking before it takes milliseconds once the NER is loaded.
        completion, attempts = await self._complete(task, prompt, wire, schema.__name__, self._clock())
        usage = self._usage(completion, prompt)
        self.budget.add(usage)
        outcome = "ok"
        try:
            value, warnings = check_answer(
                completion, schema, prompt, canary, clean, masked, masker, allowed_domains=self._allowed
            )
        except LLMUnavailable as exc:
            outcome = exc.reason.value
            raise
        finally:
            latency = self._clock() - started
            log.info(
                "llm task=%s outcome=%s tokens=%d cost=%.5f latency=%.2fs",
                task,
                outcome,
                usage.total_tokens,
                usage.cost_usd,
                latency,
            )
            await self._record(task, usage, latency, outcome)
        return LLMResult(value, usage, latency, self.model, attempts, warnings)

    # Steps -----------------------------------------------------------------------------------------------------
    @staticmethod
    def _prepare(variables: Mapping[str, Any], masker: Masker, names: tuple[str, ...]) -> tuple[Any, Any]:
        # Invisible characters go before masking, so a zero-width space cannot split a phone number past it;
        # ⟦ ⟧ typed by the sender are not ours and must not pass for placeholders.
        clean = guard.map_strings(dict(variables), lambda s: guard.sanitize(s).replace("⟦", "[").replace("⟧", "]"))
        return clean, guard.map_strings(clean, lambda s: masker.mask(s, names))

    async def _complete(
        self, task: str, prompt: RenderedPrompt, wire: dict[str, Any], schema_name: str, began: float
    ) -> tuple[Completion, int]:
        deadline = began + self.deadline_seconds
        attempts = 0
        while True:
            attempts += 1
            timeout = max(0.1, min(self._timeout, deadline - self._clock()))
            try:
                async with asyncio.timeout(timeout):
                    completion = await self._backend.complete(prompt.system, prompt.user, wire, schema_name)
                self.breaker.record_success()
                return completion, attempts
            except (BackendError, TimeoutError) as exc:
                error = exc if isinstance(exc, BackendError) else BackendError(Reason.TIMEOUT, "attempt timeout")
            except Exception as exc:  # a bug or an unexpected client error: no retry, not the endpoint's fault
                error = BackendError(Reason.INTERNAL, type(exc).__name__)
            wait = RETRY_PAUSE if error.retry_after is None else error.retry_after
            if (
                error.reason in TRANSIENT
                and attempts <= self._retries
                and wait <= MAX_RETRY_WAIT
                and self._clock() + wait + 1.0 < deadline
            ):
                log.info("llm task=%s attempt=%d failed: %s; retrying in %.1fs", task, attempts, error.reason, wait)
                await asyncio.sleep(wait)
                continue
            if error.reason in ENDPOINT_FAULTS:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            log.warning("llm task=%s failed after %d attempt(s): %s", task, attempts, error.reason)
            await self._record(task, Usage(), self._clock() - began, error.reason.value)
            raise LLMUnavailable(error.reason, error.detail)

    def _usage(self, completion: Completion, prompt: RenderedPrompt) -> Usage:
        if completion.prompt_tokens is None or completion.completion_tokens is None:
            return self.budget.usage(
                estimate_tokens(prompt.system + prompt.user), estimate_tokens(completion.content), estimated=True
            )
        return self.budget.usage(completion.prompt_tokens, completion.completion_tokens)

    async def _record(self, task: str, usage: Usage, latency: float, outcome: str) -> None:
        record = UsageRecord(self._now(), task, self.model, usage, latency, outcome)
        metrics.llm_call(task, outcome, usage.cost_usd)
        await _call_hook(self._usage_sink, record)
        await self._notify_budget()

    async def _notify_budget(self) -> None:
        notice = self.budget.take_notification()
        if notice is not None:
            log.warning("llm daily budget exhausted: spent %.4f of %.4f USD", notice.spent_usd, notice.limit_usd)
            await _call_hook(self._on_budget_exhausted, notice)
