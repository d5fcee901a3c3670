"""answer_with_fallback: the LLM when it can, the offline engine otherwise — and the user is told which answered."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from bot.llm.budget import Usage
from bot.llm.errors import LLMUnavailable, Reason, reason_text_ru
from bot.llm.gateway import LLMResult
from bot.observability import metrics

log = logging.getLogger(__name__)

V = TypeVar("V")

# The gateway stops itself within 44 s (two 20 s attempts and a pause); this outer bound also covers whatever
# the caller does around the gateway, such as building variables or converting the answer.
DEFAULT_DEADLINE_SECONDS = 45.0

Engine = Literal["llm", "offline"]


@dataclass(frozen=True, slots=True)
class Answered(Generic[V]):
    value: V
    engine: Engine
    fallback_reason: str | None = None  # Russian, for the user; None when the LLM answered or is not configured
    reason_code: str | None = None  # the LLMUnavailable reason, for logs and statistics
    usage: Usage | None = None
    warnings: tuple[str, ...] = ()

    @property
    def engine_note(self) -> str:
        """One Russian line naming the engine, to show under the answer."""
        if self.engine == "llm":
            return "Черновик подготовила LLM."
        return self.fallback_reason or "Черновик подготовил офлайн-движок."


async def answer_with_fallback(
    llm_call: Callable[[], Awaitable[LLMResult[V]]] | None,
    offline_call: Callable[[], V | Awaitable[V]],
    *,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
) -> Answered[V]:
    """Try `llm_call` (None when no LLM is configured) within the deadline, else return `offline_call()`.

    Any failure of the LLM path ends offline, including a bug in the caller's conversion: the manager must get
    an answer either way. Cancellation is not swallowed.
    """
    reason: Reason | None = None
    if llm_call is not None:
        try:
            async with asyncio.timeout(deadline_seconds):
                result = await llm_call()
            return Answered(result.value, "llm", usage=result.usage, warnings=result.warnings)
        except LLMUnavailable as exc:
            reason = exc.reason
        except TimeoutError:
            reason = Reason.DEADLINE
        except Exception as exc:
            # The type only: an exception message may quote the client's text.
            log.error("LLM path failed with %s; answering offline", type(exc).__name__)
            reason = Reason.INTERNAL
    if reason is not None:
        metrics.LLM_FALLBACKS.labels(reason.value).inc()
    value = offline_call()
    if inspect.isawaitable(value):
        value = await value
    return Answered(
        value,  # type: ignore[arg-type]
        "offline",
        fallback_reason=reason_text_ru(reason) if reason else None,
        reason_code=reason.value if reason else None,
    )
