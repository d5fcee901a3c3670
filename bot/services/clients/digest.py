"""The morning digest: each manager gets the promises due today and the overdue ones for their clients.

`run_tick` does one day's work and is safe to call again: each manager's digest of a day has its own job mark
(bot/services/common/once.py), claimed before it is sent, so a restart, a retry or a second instance never sends it
twice, and a manager whose digest fails does not stop the ones after. `run_forever` wakes at `digest_hour` in the
company's time zone; it fires only when that hour comes while it runs (a restart at noon does not send a late
digest), and tries the failed ones again a few minutes later.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import partial

from bot.services.common.clock import Clock
from bot.services.common.notify import Notices
from bot.services.common.once import Outcome, deliver_once
from storage.models import Client, Promise
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 60.0
DIGEST_SENT = "digest_sent"  # audit action that records one manager's digest of one day
DIGEST_JOB = "morning_digest"  # job mark: (job, manager, local day)
RETRY_FAILED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class DigestItem:
    promise: Promise
    client: Client
    today: date

    @property
    def overdue(self) -> bool:
        return self.promise.due is not None and self.promise.due < self.today


@dataclass(frozen=True, slots=True)
class MorningDigest:
    """Notice to a manager: their clients' promises due today and the overdue ones."""

    items: list[DigestItem]
    today: date


@dataclass
class DigestReport:
    sent: dict[int, int] = field(default_factory=dict)  # manager's Telegram id → promises in their digest
    skipped: list[int] = field(default_factory=list)  # already had today's digest
    undelivered: list[int] = field(default_factory=list)  # could not be reached (never started the bot)
    failed: list[int] = field(default_factory=list)  # Telegram failed even after its retries: tried again later
    unowned: list[str] = field(default_factory=list)  # clients whose manager is not bound to a Telegram user


async def _owner(uow: UnitOfWork, client: Client) -> int | None:
    if client.manager_id is not None:
        return client.manager_id
    if client.manager_key:
        user = await uow.users.by_crm_key(client.manager_key)
        return user.id if user else None
    return None


async def _already_sent(uow: UnitOfWork, user_id: int, day: date, now: datetime) -> bool:
    # Digests sent before job marks existed left only this audit entry (the day of the upgrade).
    # Only this manager's digest marks (a busy team's audit log would crowd them out of a generic window), from a
    # little before the local day in UTC terms; the stored local day decides.
    entries = await uow.audit.of(DIGEST_SENT, str(user_id), since=now - timedelta(days=2))
    return any(entry.details.get("day") == day.isoformat() for entry in entries)


async def collect(uow: UnitOfWork, today: date) -> tuple[dict[int, list[DigestItem]], list[str]]:
    by_owner: dict[int, list[DigestItem]] = {}
    unowned: list[str] = []
    for promise in await uow.clients.promises_due(today):
        client = await uow.clients.get(promise.client_id)
        if client is None:
            continue
        owner = await _owner(uow, client)
        if owner is None:
            unowned.append(client.id)
            continue
        by_owner.setdefault(owner, []).append(DigestItem(promise, client, today))
    return by_owner, sorted(set(unowned))


def next_run(now: datetime, hour: int) -> datetime:
    """The next moment the digest hour starts, strictly after `now` (in now's time zone)."""
    candidate = datetime.combine(now.date(), time(hour), tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


@dataclass
class PromiseDigest:
    """The morning digest job with its named dependencies: units of work, the company's time zone, the clock and
    the hour it goes out."""

    uows: UnitOfWorkFactory
    tz: tzinfo
    clock: Clock
    digest_hour: int

    async def run_tick(self, notices: Notices, now: datetime) -> DigestReport:
        today = now.astimezone(self.tz).date()
        report = DigestReport()
        async with self.uows() as uow:
            by_owner, report.unowned = await collect(uow, today)
            for user_id, items in sorted(by_owner.items()):
                if await _already_sent(uow, user_id, today, now):
                    report.skipped.append(user_id)
                    continue
                send = partial(notices.notify, user_id, MorningDigest(items, today))
                outcome = await deliver_once(uow, DIGEST_JOB, user_id, today.isoformat(), send)
                if outcome is not Outcome.SENT:
                    not_sent = {Outcome.ALREADY: report.skipped, Outcome.UNDELIVERED: report.undelivered}
                    not_sent.get(outcome, report.failed).append(user_id)
                    continue
                report.sent[user_id] = len(items)
                await uow.audit.record(
                    DIGEST_SENT,
                    actor_id=None,
                    object_ref=str(user_id),
                    details={"day": today.isoformat(), "count": len(items)},
                    at=now,  # the tick's clock, which _already_sent compares with
                )
        if report.unowned:
            log.info("digest: clients without a bound manager: %s", ", ".join(report.unowned))
        return report

    async def run_forever(self, notices: Notices) -> None:
        due = next_run(self.clock.now(), self.digest_hour)
        while True:
            now = self.clock.now()
            if now >= due:
                due = next_run(now, self.digest_hour)
                try:
                    report = await self.run_tick(notices, now)
                    log.info("digest sent to %d managers", len(report.sent))
                    if report.failed:  # the marks keep the others from a second copy
                        due = now + RETRY_FAILED_AFTER
                except Exception:  # one bad day must not stop tomorrow's digest
                    log.exception("digest tick failed")
            await asyncio.sleep(min(CHECK_EVERY_SECONDS, max(1.0, (due - now).total_seconds())))
