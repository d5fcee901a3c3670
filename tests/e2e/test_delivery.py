"""Exactly one reply per update: repeated deliveries (polling and webhook), resumption after a crash, a bounded
number of attempts, and a second process polling the same token."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import build_app
from bot.telegram.inbox import GAVE_UP
from bot.telegram.leader import AnotherInstanceRunning
from bot.telegram.runner import TelegramRuntime
from storage.inbox import DONE, FAILED, UpdateInbox
from tests.conftest import make_settings
from tests.e2e.conftest import ADMIN, MANAGER, Harness, start_harness, stop_harness
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.server import SentMessage
from tests.support.waiting import eventually


async def settle(runtime: TelegramRuntime) -> None:
    if pending := runtime.in_flight():
        await asyncio.wait(pending, timeout=30)


def replies_to(tg: FakeTelegram, chat_id: int, after: int = 0) -> list[SentMessage]:
    return [m for m in tg.sent[after:] if m.chat_id == chat_id and m.method.startswith("send")]


async def test_an_update_delivered_again_over_polling_is_answered_once(harness: Harness) -> None:
    mark = harness.tg.mark()
    await harness.say(MANAGER, "/help")
    repeated = harness.tg.updates[-1]["update_id"]
    await harness.settled()

    harness.tg.deliver_again(repeated)  # Telegram never got the confirmation: the same update_id comes again
    await harness.say(MANAGER, "/help")  # read after the repeated one: its answer means the repeat was seen
    await harness.settled()

    assert len(replies_to(harness.tg, MANAGER.id, mark)) == 2  # two updates, two answers: not three
    entries = {e.update_id: e for e in await harness.runtime.inbox.entries()}
    assert entries[repeated].status == DONE and entries[repeated].attempts == 1


# Webhook ---------------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SECRET = "webhook-secret-1"


@dataclass
class WebhookInstance:
    runtime: TelegramRuntime
    task: asyncio.Task[None]
    url: str

    async def stop(self) -> None:
        await self.runtime.stop()
        await asyncio.wait_for(self.task, 30)
        await self.runtime.app.close()


async def start_webhook_instance(tmp_path: Path, tg: FakeTelegram, models: dict[str, Any]) -> WebhookInstance:
    """A webhook bot on its own port; instances started with the same tmp_path share DATA_DIR and database."""
    port = _free_port()
    settings = make_settings(
        tmp_path,
        telegram_bot_token=tg.token,
        telegram_api_base=tg.base_url,
        webhook_url="https://copilot.example/webhook",
        webhook_secret=SECRET,
        webhook_listen_host="127.0.0.1",
        webhook_listen_port=port,
        bot_admins=[ADMIN.id],
        bot_managers=[MANAGER.id],
    )
    app = await build_app(settings)
    app._lazy.update(models)
    runtime = TelegramRuntime(app)
    webhooks_set = sum(1 for method, _ in tg.calls if method == "setWebhook")
    task = asyncio.create_task(runtime.serve_webhook(handle_signals=False))
    await eventually(
        lambda: sum(1 for method, _ in tg.calls if method == "setWebhook") > webhooks_set, what="the webhook is set"
    )
    return WebhookInstance(runtime, task, f"http://127.0.0.1:{port}/webhook")


@pytest.fixture
async def webhook_bot(
    tmp_path: Path, shared_models: dict[str, Any]
) -> AsyncIterator[tuple[FakeTelegram, str, TelegramRuntime]]:
    tg = FakeTelegram()
    await tg.start()
    instance = await start_webhook_instance(tmp_path, tg, shared_models)
    try:
        yield tg, instance.url, instance.runtime
    finally:
        await instance.stop()
        await tg.stop()


async def _post(session: aiohttp.ClientSession, url: str, update: dict[str, Any], secret: str = SECRET) -> int:
    async with session.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}) as response:
        return response.status


async def test_an_update_delivered_twice_to_the_webhook_is_answered_once(
    webhook_bot: tuple[FakeTelegram, str, TelegramRuntime],
) -> None:
    tg, url, runtime = webhook_bot
    assert dict(next(params for method, params in tg.calls if method == "setWebhook"))["secret_token"] == SECRET
    tg.send_text(MANAGER, "/help")  # builds the update; the webhook bot never polls for it
    update = tg.updates[-1]
    tg.send_text(MANAGER, "/help")
    later = tg.updates[-1]

    async with aiohttp.ClientSession() as session:
        assert await _post(session, url, update, secret="wrong") == 401
        # Telegram retried before our first 200 reached it: both deliveries arrive at once.
        assert await asyncio.gather(_post(session, url, update), _post(session, url, update)) == [200, 200]
        await tg.wait_sent(MANAGER.id, 1)
        await settle(runtime)
        assert await _post(session, url, update) == 200  # and once more after it was answered
        assert await _post(session, url, later) == 200
        await tg.wait_sent(MANAGER.id, 2)
        await settle(runtime)

    assert len(replies_to(tg, MANAGER.id)) == 2
    entries = {e.update_id: e for e in await runtime.inbox.entries()}
    assert entries[update["update_id"]].status == DONE and entries[update["update_id"]].attempts == 1


async def test_two_webhook_instances_answer_an_update_once_and_only_one_runs_the_jobs(
    tmp_path: Path, shared_models: dict[str, Any]
) -> None:
    """Two instances behind one address share the database; Telegram's retry lands on the other instance."""
    tg = FakeTelegram()
    await tg.start()
    first = await start_webhook_instance(tmp_path, tg, shared_models)
    second = await start_webhook_instance(tmp_path, tg, shared_models)
    try:
        await eventually(lambda: first.runtime.runs_jobs or second.runtime.runs_jobs, what="a job runner")
        tg.send_text(MANAGER, "/help")
        update = tg.updates[-1]
        async with aiohttp.ClientSession() as session:
            statuses = await asyncio.gather(_post(session, first.url, update), _post(session, second.url, update))
            assert statuses == [200, 200]
            await tg.wait_sent(MANAGER.id, 1)
            for instance in (first, second):
                await settle(instance.runtime)
        assert len(replies_to(tg, MANAGER.id)) == 1
        assert [first.runtime.runs_jobs, second.runtime.runs_jobs].count(True) == 1
    finally:
        await first.stop()
        await second.stop()
        await tg.stop()


# After a crash -----------------------------------------------------------------------------------------------
async def test_updates_left_by_a_crash_are_resumed_and_one_that_keeps_failing_is_given_up_once(
    tmp_path: Path, shared_models: dict[str, Any]
) -> None:
    """A previous process died while handling two updates: one it had tried once, one it had tried three times
    (it killed the process each time). The new process answers the first and gives up the second with one
    apology, and neither is handled again when Telegram delivers them again."""
    tg = FakeTelegram()
    await tg.start()
    tg.send_text(MANAGER, "/help")
    crashed_once = tg.updates[-1]
    tg.send_text(MANAGER, "Когда будет отгрузка?")
    poisonous = tg.updates[-1]
    seed = await build_app(make_settings(tmp_path))
    try:
        dead = UpdateInbox(seed.engine, "dead-process")
        await dead.accept([(u["update_id"], u) for u in (crashed_once, poisonous)])
        from bot.telegram.inbox import LEASE, MAX_ATTEMPTS

        await dead.claim(crashed_once["update_id"], lease=LEASE)
        for _ in range(MAX_ATTEMPTS):
            await dead.claim(poisonous["update_id"], lease=LEASE)
    finally:
        await seed.close()

    h, task = await start_harness(tmp_path, shared_models, tg=tg)
    try:
        await tg.wait_sent(MANAGER.id, 2, timeout=60)
        await h.say(MANAGER, "/help")  # a fresh update read after the redelivered ones
        await h.settled()
        sent = replies_to(tg, MANAGER.id)
        assert [m.text for m in sent].count(GAVE_UP) == 1
        assert len(sent) == 3, [m.text[:60] for m in sent]  # help (resumed), the apology, help (fresh)
        entries = {e.update_id: e for e in await h.runtime.inbox.entries()}
        assert entries[crashed_once["update_id"]].status == DONE
        assert entries[crashed_once["update_id"]].attempts == 2
        assert entries[poisonous["update_id"]].status == FAILED
    finally:
        await stop_harness(h, task)


# A second process polling the same token ---------------------------------------------------------------------
async def test_a_competing_poller_of_the_same_token_stops_the_bot_with_one_clear_line(
    tmp_path: Path, shared_models: dict[str, Any]
) -> None:
    """Another process (on another machine: no shared lock) polls the token too; Telegram answers 409."""
    h, task = await start_harness(tmp_path, shared_models)

    async def rogue() -> None:
        url = f"{h.tg.base_url}/bot{h.tg.token}/getUpdates"
        async with aiohttp.ClientSession() as session:
            while True:
                async with session.post(url, data={"timeout": "1"}) as response:
                    await response.read()

    try:
        await h.say(MANAGER, "/help")
        competitor = asyncio.create_task(rogue())
        try:
            with pytest.raises(AnotherInstanceRunning) as refused:
                await asyncio.wait_for(task, 60)
        finally:
            competitor.cancel()
            await asyncio.gather(competitor, return_exceptions=True)
    finally:
        await h.app.close()
        await h.tg.stop()
    assert "409" in str(refused.value) and "другой" in str(refused.value)
    assert "\n" not in str(refused.value)
