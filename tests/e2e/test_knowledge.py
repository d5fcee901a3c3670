"""/ask with sources, and an admin adding a script by sending a Markdown file — over real HTTP."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import PROJECT_ROOT
from bot.services.knowledge.stack import RetrievalStack
from tests.e2e.conftest import ADMIN, MANAGER, Harness, start_harness, stop_harness

SCRIPT = (PROJECT_ROOT / "scripts_library" / "renewal" / "nonemotional_confident.md").read_text(encoding="utf-8")


async def test_ask_answers_from_the_knowledge_base_naming_sources(harness: Harness) -> None:
    (reply,) = await harness.say(MANAGER, "/ask какие уровни клиентской базы бывают и что делать на каждом")
    assert "Источники:" in reply.text
    assert "ядр" in reply.text.lower()  # the core of the client base is one of the levels
    assert "офлайн" in reply.text  # the engine that answered is named
    (hint,) = await harness.say(MANAGER, "/ask")
    assert "Напишите вопрос" in hint.text


@pytest.fixture
async def own_library(tmp_path: Path, shared_models: dict[str, Any]) -> AsyncIterator[Harness]:
    """A harness whose scripts library is a copy: uploads write files, and the project's own must stay as they are."""
    root = tmp_path / "project"
    for folder in ("scripts_library", "knowledge", "models"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    stack = RetrievalStack.open(root, chroma_path=tmp_path / "chroma", embedder=shared_models["retrieval"].embedder)
    h, task = await start_harness(tmp_path, {**shared_models, "retrieval": stack})
    try:
        yield h
    finally:
        await stop_harness(h, task)


async def test_admin_replaces_a_script_by_file_and_a_broken_file_is_refused(own_library: Harness) -> None:
    harness = own_library
    changed = SCRIPT.replace("## Открытие\n", "## Открытие\nПроверочная фраза для продления договора.\n", 1)
    mark = harness.tg.mark()
    harness.tg.send_document(ADMIN, "renewal.md", changed.encode("utf-8"))
    (accepted,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert "renewal.nonemotional_confident" in accepted.text and "заменён" in accepted.text
    stack = await harness.app.retrieval()
    script = stack.library.by_id("renewal.nonemotional_confident")
    assert script is not None and "Проверочная фраза" in script.sections["Открытие"]
    assert (stack.project_root / "scripts_library" / "renewal" / "nonemotional_confident.md").read_text(
        encoding="utf-8"
    ) == changed

    broken = SCRIPT.replace("situation: renewal", "situation: teleportation")
    mark = harness.tg.mark()
    harness.tg.send_document(ADMIN, "broken.md", broken.encode("utf-8"))
    (refused,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert refused.text.startswith("Сценарий не принят:")

    mark = harness.tg.mark()
    harness.tg.send_document(MANAGER, "renewal.md", changed.encode("utf-8"))
    (not_admin,) = await harness.tg.wait_sent(MANAGER.id, after=mark)
    assert "администратор" in not_admin.text
