"""PostgreSQL or Redis unreachable while the bot runs: the person hears once that the service is briefly
unavailable, nothing they sent is lost, and the bot answers by itself when the service is back.

A TCP proxy in the test process stands between the bot and the shared server; the test cuts and restores it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot import texts
from bot.telegram.inbox import UNAVAILABLE
from storage.inbox import DONE, PENDING
from tests.conftest import PG_HOST, PG_PORT
from tests.e2e.conftest import MANAGER, Harness, start_harness, stop_harness
from tests.fake_telegram.server import SentMessage
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually

PASTED = "Добрый день. Пришлите, пожалуйста, счёт на 40 дверей и сравнение с прошлой поставкой."


def to_manager(h: Harness, after: int) -> list[SentMessage]:
    return [m for m in h.tg.sent[after:] if m.chat_id == MANAGER.id and m.method.startswith("send")]


async def polls_since(h: Harness, calls_before: int, count: int) -> None:
    """Until the bot has asked Telegram for updates `count` more times (it does so after each failed store)."""
    await eventually(
        lambda: sum(1 for method, _ in h.tg.calls[calls_before:] if method == "getUpdates") >= count,
        what=f"{count} more getUpdates",
    )


async def test_postgresql_cut_while_running_one_notice_nothing_lost_answers_after_it_returns(
    tmp_path: Path, shared_models: dict[str, Any], pg_url: str
) -> None:
    async with TcpProxy(PG_HOST, PG_PORT) as proxy:
        h, task = await start_harness(tmp_path, shared_models, database_url=proxy.url_for(pg_url))
        try:
            await h.say(MANAGER, "/help")
            await h.settled()

            proxy.cut()
            mark = h.tg.mark()
            h.tg.send_text(MANAGER, "/help")
            (notice,) = await h.tg.wait_sent(MANAGER.id, 1, after=mark, timeout=60)
            assert notice.text == UNAVAILABLE
            calls = len(h.tg.calls)
            h.tg.send_text(MANAGER, PASTED)
            await polls_since(h, calls, 2)  # the second message was fetched, could not be stored, fetched again
            assert len(to_manager(h, mark)) == 1  # still the one notice: no second one, no apology
            assert h.tg.confirmed <= h.tg.updates[-2]["update_id"]  # nothing confirmed that is not stored

            proxy.restore()
            sent = await h.tg.wait_sent(MANAGER.id, 3, after=mark, timeout=90)
            await h.settled(30)
        finally:
            await stop_harness(h, task)

    texts_sent = [m.text for m in to_manager(h, mark)]
    assert texts_sent.count(UNAVAILABLE) == 1, texts_sent
    assert not any(texts.ERROR_GENERIC in t for t in texts_sent)
    assert len(texts_sent) == 3, texts_sent  # the notice, the help, the question about the pasted message
    assert any("/help" in m.text or "/start" in m.text for m in sent[1:])
    assert any(m.button("Без клиента") for m in sent[1:] if m.reply_markup)


async def test_redis_cut_while_running_the_update_waits_in_the_inbox_and_is_answered_after_it_returns(
    tmp_path: Path, shared_models: dict[str, Any], redis_namespace: tuple[str, str]
) -> None:
    url, prefix = redis_namespace
    async with TcpProxy("127.0.0.1", 6379) as proxy:
        h, task = await start_harness(tmp_path, shared_models, redis_url=proxy.url_for(url), namespace=prefix)
        try:
            (question,) = await h.say(MANAGER, PASTED)  # the pasted text waits for its client in Redis
            await h.settled()

            proxy.cut()
            mark = h.tg.mark()
            answers = len(h.tg.callback_answers)
            h.tg.press(MANAGER, question, question.button("Без клиента")["callback_data"])
            pressed = h.tg.updates[-1]["update_id"]
            (notice,) = await h.tg.wait_sent(MANAGER.id, 1, after=mark, timeout=60)
            assert notice.text == UNAVAILABLE
            (spinner,) = (await h.tg.wait_callback_answer(answers + 1))[answers:]  # the button does not spin on
            entries = {e.update_id: e for e in await h.runtime.inbox.entries()}
            assert entries[pressed].status == PENDING and entries[pressed].has_payload  # kept, not lost

            proxy.restore()
            sent = await h.tg.wait_sent(MANAGER.id, 2, after=mark, timeout=90)
            await h.settled(30)
            entries = {e.update_id: e for e in await h.runtime.inbox.entries()}
        finally:
            await stop_harness(h, task)

    assert "Тип:" in sent[1].text  # the card for the message pasted before the outage
    assert len(to_manager(h, mark)) == 2
    assert entries[pressed].status == DONE
    assert entries[pressed].attempts == 1  # waiting for Redis is not a failed attempt
    assert spinner.get("text")
