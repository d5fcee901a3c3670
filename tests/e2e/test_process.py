"""The real process: killed with SIGKILL in the middle of building a card, it answers after a restart, exactly
once; a second process for the same token stops with one clear line (exit code 2) or waits as a standby.

`python -m bot run` runs as a subprocess against the suite's fake Bot API server and a fake LLM that stalls on
request, so the bot is caught mid-handling.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.services.crm.importing import import_file
from storage.inbox import DONE, PENDING, Entry, UpdateInbox
from tests.conftest import make_settings
from tests.e2e.conftest import ADMIN, MANAGER, start_harness, stop_harness
from tests.e2e.demo_support import DEMO_FILE, LADYGIN
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.server import SentMessage
from tests.llm.conftest import valid_answer
from tests.support.bot_process import BotProcess
from tests.support.fake_openai import FakeOpenAI
from tests.support.waiting import eventually

DELAY_WORRY = (
    "Добрый день. Когда отгрузка по кровле? В прошлый раз машина опоздала на день, бригада простаивала. "
    "Прошу подтвердить дату и время заранее."
)


@pytest.fixture(scope="module")
def chroma_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Chroma folder for the module's processes: the knowledge base is indexed once."""
    return tmp_path_factory.mktemp("chroma")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(responder=valid_answer) as server:
        yield server


def bot_env(chroma_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "CHROMA_PATH": str(chroma_dir),
        "BOT_ADMINS": str(ADMIN.id),
        "BOT_MANAGERS": str(MANAGER.id),
        "LOG_LEVEL": "INFO",
        **extra,
    }


def to_manager(tg: FakeTelegram, after: int = 0) -> list[SentMessage]:
    return [m for m in tg.sent[after:] if m.chat_id == MANAGER.id and m.method.startswith("send")]


async def inbox_drained(data_dir: Path, timeout: float = 120) -> list[Entry]:
    """Every stored update finished (read from the bot's own database file)."""
    settings = make_settings(data_dir.parent, data_dir=data_dir)
    app = await build_app(settings)
    try:
        inbox = UpdateInbox(app.engine, "test")

        async def drained() -> bool:
            return all(e.status != PENDING for e in await inbox.entries())

        await eventually(drained, timeout, "every stored update finished")
        return await inbox.entries()
    finally:
        await app.close()


async def test_killed_mid_card_the_bot_answers_after_restart_exactly_once(
    tmp_path: Path, tg: FakeTelegram, llm: FakeOpenAI, chroma_dir: Path
) -> None:
    data_dir = tmp_path / "var"
    seed = await build_app(make_settings(tmp_path, data_dir=data_dir))
    try:  # the demo company; the manager owns Стройдом (contact Ладыгин) under the CRM key m1
        await import_file(seed.uow, DEMO_FILE)
        async with seed.uow() as uow:
            (await uow.users.touch(MANAGER.id, MANAGER.username, MANAGER.first_name)).crm_key = "m1"
    finally:
        await seed.close()
    env = bot_env(chroma_dir, OPENAI_BASE_URL=llm.base_url, OPENAI_API_KEY="test-key", LLM_MODEL="fake-model")

    first = await BotProcess(tg, tmp_path, env, name="first").start()
    try:
        await first.ready()
        llm.hold()  # the model stalls: the bot will be building the card when it dies
        mark = tg.mark()
        tg.send_text(MANAGER, DELAY_WORRY, forward_from=LADYGIN)
        forwarded = tg.updates[-1]["update_id"]
        await llm.wait_for_requests(1)  # the forward is being handled: its card waits for the model
        # Telegram has been told the update arrived: it will not hand it out again.
        await eventually(lambda: tg.confirmed > forwarded, what="the forward is confirmed")
        await first.kill()
    finally:
        await first.stop()
    assert to_manager(tg, mark) == []  # died before answering
    llm.release()

    second = await BotProcess(tg, tmp_path, env, name="second").start()
    try:
        sent = await tg.wait_sent(MANAGER.id, 1, after=mark, timeout=180)
        entries = await inbox_drained(data_dir)
        assert await second.stop() == 0  # SIGTERM: a clean stop
    finally:
        await second.stop()

    assert len(to_manager(tg, mark)) == 1, [m.text[:80] for m in to_manager(tg, mark)]
    assert "Тип:" in sent[0].text and "Стройдом" in sent[0].text
    (entry,) = [e for e in entries if e.update_id == forwarded]
    assert entry.status == DONE and entry.attempts == 2
    assert "Traceback" not in second.output()


async def test_a_second_process_for_the_same_token_stops_with_one_line_or_waits_as_a_standby(
    tmp_path: Path, chroma_dir: Path, shared_models: dict[str, Any]
) -> None:
    """The first instance is the in-process harness (it holds the lock under DATA_DIR); the others are processes
    started as an operator would, on the same DATA_DIR."""
    h, task = await start_harness(tmp_path, shared_models, bot_admins=[ADMIN.id], bot_managers=[MANAGER.id])
    env = bot_env(chroma_dir, DATA_DIR=str(h.app.settings.data_dir))
    standby: BotProcess | None = None
    try:
        await h.say(MANAGER, "/help")

        second = await BotProcess(h.tg, tmp_path, env, name="second").start()
        assert await second.wait() == 2
        lines = second.output().strip().splitlines()
        assert len(lines) == 1 and "уже запущен" in lines[0] and "--standby" in lines[0], lines

        standby = await BotProcess(h.tg, tmp_path, env, name="standby").start("--standby")
        await eventually(lambda: "waiting as a standby" in standby.output(), 120, "the standby waits")
        mark = h.tg.mark()
        await h.say(MANAGER, "/help")  # answered by the first instance only

        await h.runtime.stop()  # the first instance stops (Telegram stays): the standby takes over
        await asyncio.wait_for(task, 30)
        await standby.ready()
        h.tg.send_text(MANAGER, "/help")
        await h.tg.wait_sent(MANAGER.id, 2, after=mark, timeout=60)
        await inbox_drained(h.app.settings.data_dir)
        assert len(to_manager(h.tg, mark)) == 2  # one answer each
    finally:
        if standby is not None:
            assert await standby.stop() == 0
        await stop_harness(h, task)
    assert "Traceback" not in second.output() + standby.output()


async def test_a_token_telegram_refuses_is_one_line_not_a_traceback(tmp_path: Path, tg: FakeTelegram) -> None:
    bot = await BotProcess(tg, tmp_path, {"TELEGRAM_BOT_TOKEN": "777:REVOKED-token"}, name="revoked").start()
    assert await bot.wait() == 2
    lines = bot.output().strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0] and "401" in lines[0], lines
