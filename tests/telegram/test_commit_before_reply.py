"""An update's work is committed before the bot says anything about it, and a failed commit sends nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram.methods import SendChatAction, SendMessage

from bot.telegram.middlewares import CommitBeforeReplyMiddleware, update_work


class _Session:
    def __init__(self, open_transaction: bool) -> None:
        self.open = open_transaction

    def in_transaction(self) -> bool:
        return self.open


class _Uow:
    def __init__(self, journal: list[str], open_transaction: bool = True, commit_fails: bool = False) -> None:
        self.journal, self.commit_fails = journal, commit_fails
        self.session = _Session(open_transaction)

    async def commit(self) -> None:
        self.journal.append("commit")
        if self.commit_fails:
            raise RuntimeError("database went away")
        self.session.open = False

    async def rollback(self) -> None:
        self.journal.append("rollback")
        self.session.open = False


def _request(journal: list[str]) -> Any:
    async def make_request(bot: Any, method: Any) -> str:
        journal.append("request")
        return "sent"

    return make_request


async def _call(journal: list[str], method: Any = None) -> Any:
    method = method or SendMessage(chat_id=1, text="Сохранено")
    return await CommitBeforeReplyMiddleware()(_request(journal), None, method)  # type: ignore[arg-type]


async def _send(uow: _Uow | None, journal: list[str]) -> Any:
    if uow is None:
        return await _call(journal)
    with update_work(uow):  # type: ignore[arg-type]
        return await _call(journal)


async def test_the_commit_comes_before_the_request() -> None:
    journal: list[str] = []
    assert await _send(_Uow(journal), journal) == "sent"
    assert journal == ["commit", "request"]


async def test_nothing_to_commit_and_no_update_send_straight_away() -> None:
    journal: list[str] = []
    await _send(_Uow(journal, open_transaction=False), journal)
    await _send(None, journal)  # a background job: no unit of work in this task
    assert journal == ["request", "request"]


async def test_a_failed_commit_sends_nothing_and_leaves_the_session_usable() -> None:
    journal: list[str] = []
    with pytest.raises(RuntimeError, match="went away"):
        await _send(_Uow(journal, commit_fails=True), journal)
    assert journal == ["commit", "rollback"]


async def test_a_task_started_by_the_handler_never_commits_its_session() -> None:
    """The "typing…" indicator runs in a task of its own that inherits the handler's context: committing the
    session from there closed the transaction under the handler (the lost cards)."""
    journal: list[str] = []
    uow = _Uow(journal)
    with update_work(uow):  # type: ignore[arg-type]
        await asyncio.create_task(_call(journal))
    assert journal == ["request"] and uow.session.open


async def test_a_chat_action_commits_nothing() -> None:
    journal: list[str] = []
    uow = _Uow(journal)
    with update_work(uow):  # type: ignore[arg-type]
        await _call(journal, SendChatAction(chat_id=1, action="typing"))
    assert journal == ["request"] and uow.session.open


def test_the_production_bot_has_the_middleware() -> None:
    from bot.config import Settings
    from bot.telegram.factory import build_bot

    class _App:
        settings = Settings(telegram_bot_token="123456:TEST", _env_file=None)  # type: ignore[call-arg]

    bot = build_bot(_App())  # type: ignore[arg-type]
    assert any(isinstance(m, CommitBeforeReplyMiddleware) for m in bot.session.middleware._middlewares)
