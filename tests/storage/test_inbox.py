"""The Telegram inbox on SQLite and PostgreSQL: an update_id is stored once, claimed once, resumed after a crash."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from storage.db import apply_migrations, create_engine
from storage.inbox import DONE, FAILED, PENDING, UpdateInbox

LEASE = timedelta(seconds=60)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[object]:
    engine = create_engine(db_url)
    await apply_migrations(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


def update(update_id: int, text: str = "Когда отгрузка?") -> tuple[int, dict[str, object]]:
    return update_id, {"update_id": update_id, "message": {"message_id": 1, "text": text}}


async def test_an_update_id_is_new_only_the_first_time(engine: object) -> None:
    inbox = UpdateInbox(engine, "a")  # type: ignore[arg-type]
    assert await inbox.accept([update(1), update(2)]) == {1, 2}
    assert await inbox.accept([update(2), update(3)]) == {3}  # 2 delivered again: not new
    assert [(e.update_id, e.status, e.attempts) for e in await inbox.entries()] == [
        (1, PENDING, 0),
        (2, PENDING, 0),
        (3, PENDING, 0),
    ]


async def test_two_instances_racing_for_one_update_only_one_claims_it(engine: object) -> None:
    instances = [UpdateInbox(engine, f"instance-{i}") for i in range(4)]  # type: ignore[arg-type]
    await instances[0].accept([update(7)])
    claims = await asyncio.gather(*(inbox.claim(7, lease=LEASE) for inbox in instances))
    (won,) = [c for c in claims if c is not None]
    assert won.attempts == 1
    assert won.payload["message"] == {"message_id": 1, "text": "Когда отгрузка?"}


async def test_an_update_stored_and_claimed_at_once_is_kept_from_other_instances(engine: object) -> None:
    mine, other = UpdateInbox(engine, "mine"), UpdateInbox(engine, "other")  # type: ignore[arg-type]
    assert await mine.accept([update(1)], claim_for=LEASE) == {1}
    assert await other.claim(1, lease=LEASE) is None
    assert await other.resumable() == []
    (entry,) = await mine.entries()
    assert entry.attempts == 1  # the first attempt is counted when it is claimed
    assert await mine.accept([update(1)], claim_for=LEASE) == set()  # a repeat is neither stored nor claimed


async def test_a_claim_counts_attempts_and_a_finished_update_is_never_claimed_again(engine: object) -> None:
    clock = Clock()
    inbox = UpdateInbox(engine, "a", clock=clock)  # type: ignore[arg-type]
    await inbox.accept([update(1)])
    first = await inbox.claim(1, lease=LEASE)
    assert first is not None and first.attempts == 1
    retry = await inbox.claim(1, lease=LEASE, count_attempt=False)  # after an outage: the handler never ran
    assert retry is not None and retry.attempts == 1
    await inbox.finish(1)
    assert await inbox.claim(1, lease=LEASE) is None
    (entry,) = await inbox.entries()
    assert entry.status == DONE and not entry.has_payload  # the client's text is not kept once answered


async def test_a_lease_keeps_others_off_until_it_runs_out_and_the_lock_holder_may_take_it(engine: object) -> None:
    clock = Clock()
    dead = UpdateInbox(engine, "dead", clock=clock)  # type: ignore[arg-type]
    alive = UpdateInbox(engine, "alive", clock=clock)  # type: ignore[arg-type]
    await dead.accept([update(1), update(2)])
    assert await dead.claim(1, lease=LEASE) is not None  # then the process dies

    assert await alive.resumable() == [2]
    assert await alive.claim(1, lease=LEASE) is None
    assert await alive.resumable(steal=True) == [1, 2]  # the polling instance holds the instance lock
    clock.now += LEASE + timedelta(seconds=1)
    assert await alive.resumable() == [1, 2]
    taken = await alive.claim(1, lease=LEASE)
    assert taken is not None and taken.attempts == 2


async def test_a_lease_is_renewed_while_the_update_is_handled(engine: object) -> None:
    clock = Clock()
    slow = UpdateInbox(engine, "slow", clock=clock)  # type: ignore[arg-type]
    other = UpdateInbox(engine, "other", clock=clock)  # type: ignore[arg-type]
    await slow.accept([update(1)])
    await slow.claim(1, lease=LEASE)
    clock.now += LEASE - timedelta(seconds=5)
    await slow.extend([1], LEASE)
    clock.now += timedelta(seconds=30)
    assert await other.claim(1, lease=LEASE) is None


async def test_finished_updates_are_forgotten_after_a_while_pending_ones_never(engine: object) -> None:
    clock = Clock()
    inbox = UpdateInbox(engine, "a", clock=clock)  # type: ignore[arg-type]
    await inbox.accept([update(1), update(2), update(3)])
    await inbox.finish(1, DONE)
    await inbox.finish(2, FAILED, "gave up")
    clock.now += timedelta(days=4)
    assert await inbox.prune(timedelta(days=3)) == 2
    assert [e.update_id for e in await inbox.entries()] == [3]
