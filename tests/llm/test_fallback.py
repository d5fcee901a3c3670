"""answer_with_fallback: which engine answered, why, and within what time."""

from __future__ import annotations

import asyncio

import pytest

from bot.llm import LLMResult, LLMUnavailable, Reason, Usage, answer_with_fallback


def _result(value: str) -> LLMResult[str]:
    return LLMResult(value, Usage(10, 5, 0.001), 0.2, "m", 1, ("проверьте скидку",))


async def test_no_llm_configured_answers_offline_without_a_complaint() -> None:
    answered = await answer_with_fallback(None, lambda: "офлайн")
    assert (answered.value, answered.engine, answered.fallback_reason) == ("офлайн", "offline", None)
    assert answered.engine_note == "Черновик подготовил офлайн-движок."


async def test_llm_answer_carries_usage_and_warnings() -> None:
    async def llm() -> LLMResult[str]:
        return _result("от LLM")

    answered = await answer_with_fallback(llm, lambda: "офлайн")
    assert (answered.value, answered.engine) == ("от LLM", "llm")
    assert answered.usage == Usage(10, 5, 0.001) and answered.warnings == ("проверьте скидку",)
    assert answered.engine_note == "Черновик подготовила LLM."


async def test_result_map_converts_the_value() -> None:
    async def llm() -> LLMResult[int]:
        return _result("абв").map(len)

    assert (await answer_with_fallback(llm, lambda: 0)).value == 3


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (Reason.TIMEOUT, "LLM не ответила вовремя — ответил офлайн-движок"),
        (Reason.SERVER_ERROR, "LLM недоступна — ответил офлайн-движок"),
        (Reason.BREAKER_OPEN, "LLM временно отключена после серии сбоев — ответил офлайн-движок"),
        (Reason.PROMPT_LEAK, "Ответ LLM не прошёл проверку — ответил офлайн-движок"),
        (
            Reason.PERSONAL_DATA_BLOCKED,
            "В тексте есть персональные данные, а отправлять их во внешнюю LLM запрещено — ответил офлайн-движок",
        ),
    ],
)
async def test_failure_reason_is_told_in_russian(reason: Reason, text: str) -> None:
    async def llm() -> LLMResult[str]:
        raise LLMUnavailable(reason)

    answered = await answer_with_fallback(llm, lambda: "офлайн")
    assert (answered.engine, answered.fallback_reason, answered.reason_code) == ("offline", text, reason.value)


async def test_overall_deadline_bounds_any_llm_path() -> None:
    async def hangs() -> LLMResult[str]:
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    answered = await answer_with_fallback(hangs, lambda: "офлайн", deadline_seconds=0.2)
    # a 30-second hang ends in the offline answer by the deadline (the reason says so; no wall-clock assertion)
    assert (answered.engine, answered.reason_code) == ("offline", "deadline")


async def test_a_bug_in_the_llm_path_still_gets_an_answer() -> None:
    async def broken() -> LLMResult[str]:
        raise KeyError("client said: +7 916 123-45-67")

    async def offline() -> str:
        return "офлайн"

    answered = await answer_with_fallback(broken, offline)
    assert (answered.value, answered.reason_code) == ("офлайн", "internal")


async def test_cancellation_is_not_swallowed() -> None:
    started = asyncio.Event()

    async def llm() -> LLMResult[str]:
        started.set()
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    task = asyncio.create_task(answer_with_fallback(llm, lambda: "офлайн"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
