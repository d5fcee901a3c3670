"""Background messages sent once per (job, person, period), and one person's failure never stops the others.

A tick of a job (the morning digest, a review reminder, a task reminder) used to send inside one transaction and
write its marks at the end: a failure half-way rolled every mark back, so the next tick sent the first people their
message again, and the people after the failure got nothing that tick. Now each message has its own mark in
`job_marks` (unique per job, person and period), claimed and committed before the message leaves:

- a second tick, a retry or another instance finds the mark and sends nothing (`ALREADY`);
- a message that cannot go (Telegram still refusing after its retries, a blocked bot) gives its mark back, so a
  later tick tries again, and the loop goes on with the next person (`FAILED`, `UNDELIVERED`).

If the process dies between the commit and the send, that message is not sent at all: at most once, never twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum

from bot.observability import metrics
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY = "already"  # the mark was there: sent before (or being sent by another instance)
    UNDELIVERED = "undelivered"  # the person cannot be reached (never started the bot, blocked it)
    FAILED = "failed"  # an error while building or sending: the next tick tries again


Send = Callable[[], Awaitable[bool]]


async def deliver_once(uow: UnitOfWork, job: str, person: int, period: str, send: Send) -> Outcome:
    """Claim the mark, commit it, then `send()`; give the mark back if the message did not go.

    The commit also makes whatever the tick changed so far durable: callers change their rows (reminded_at…)
    before calling, and undo that themselves when the outcome is not SENT.
    """
    if not await uow.job_marks.claim(job, person, period):
        metrics.JOB_MESSAGES.labels(job, Outcome.ALREADY.value).inc()
        return Outcome.ALREADY
    await uow.commit()
    try:
        delivered = await send()
    except Exception as exc:
        # The type only: an error's text can quote the message. The retry middleware has already waited.
        log.warning("%s for %s (%s) failed with %s; the next tick retries", job, person, period, type(exc).__name__)
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.SENT if delivered else Outcome.UNDELIVERED
    if outcome is not Outcome.SENT:
        await uow.job_marks.release(job, person, period)
        await uow.commit()
    metrics.JOB_MESSAGES.labels(job, outcome.value).inc()
    return outcome
