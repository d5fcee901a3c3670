"""Logs never hold client text or personal data: a card and a task run through the bot with logging at DEBUG (the
product's own `-v` configuration), an LLM configured, and the captured log holds none of the client's words, names
or phones."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli import configure_logging
from bot.config import PROJECT_ROOT
from bot.observability.logs import PAYLOAD_LOGGERS
from bot.services.crm.importing import import_file
from tests.conftest import make_settings
from tests.e2e.conftest import MANAGER, Harness, start_harness, stop_harness
from tests.fake_telegram import TgUser
from tests.support.fake_openai import FakeOpenAI

CLIENT = TgUser(77_001, "Евгения", "evg_cherkasova", last_name="Черкасова")
PHONE = "+7 916 555-12-34"
EMAIL = "e.cherkasova@romashka-stroy.ru"
CLIENT_TEXT = (
    f"Евгения Черкасова, ООО «Ромашка-Строй». Мой телефон {PHONE}, почта {EMAIL}. "
    "Переживаем за сроки монтажа витражей на Садовой, подтвердите, пожалуйста, дату."
)
TASK = f"/task Анна, позвоните Черкасовой по номеру {PHONE} и подтвердите монтаж витражей до среды 17:00"
SECRETS = [
    "Черкасов",  # the client's surname in any case form
    "Евгени",
    "555-12-34",
    "916 555",
    "romashka",
    "Ромашка",
    "витраж",
    "Садовой",
    "Переживаем",
]


@pytest.fixture
def debug_logging(tmp_path: Path) -> Iterator[None]:
    """The product's DEBUG configuration (`python -m bot -v`), undone afterwards."""
    names = ["", *PAYLOAD_LOGGERS, "aiogram.event", "alembic", "chromadb", "httpx", "aiohttp.access", "pymorphy3"]
    saved = {name: logging.getLogger(name).level for name in names}
    configure_logging(make_settings(tmp_path), verbose=True)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
async def bot_with_llm(tmp_path: Path, shared_models: dict[str, Any]) -> AsyncIterator[tuple[Harness, FakeOpenAI]]:
    async with FakeOpenAI() as llm:  # its default answer fits no schema: the offline engine answers, after a call
        h, task = await start_harness(
            tmp_path, shared_models, openai_base_url=llm.base_url, openai_api_key="test", llm_max_retries=0
        )
        try:
            yield h, llm
        finally:
            await stop_harness(h, task)


async def test_a_card_and_a_task_leave_no_client_data_in_a_debug_log(
    debug_logging: None, bot_with_llm: tuple[Harness, FakeOpenAI], caplog: pytest.LogCaptureFixture
) -> None:
    harness, llm = bot_with_llm
    await import_file(harness.app.uow, PROJECT_ROOT / "datasets" / "demo_company.json")  # colleagues for the task
    caplog.set_level(logging.DEBUG)
    (question,) = await harness.say(MANAGER, CLIENT_TEXT, forward_from=CLIENT)
    (card,) = await harness.press(MANAGER, question, "Без клиента")
    assert "Тип:" in card.text
    (draft,) = await harness.say(MANAGER, TASK)
    assert "Черновик задачи" in draft.text
    await harness.settled()

    assert llm.requests, "the LLM path ran (and its client logged at DEBUG if allowed)"
    logged = "\n".join(f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in caplog.records)
    assert len(caplog.records) > 10 and any(r.levelno == logging.DEBUG for r in caplog.records)
    leaks = [s for s in SECRETS if s.lower() in logged.lower()]
    assert not leaks, [line for line in logged.splitlines() if any(s.lower() in line.lower() for s in leaks)][:10]
