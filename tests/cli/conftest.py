"""Running `python -m bot …` as a user would: a subprocess in a temporary folder with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

RunBot = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def shared_chroma(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Chroma folder for every CLI run of the session: the knowledge base is embedded once, not per command."""
    return tmp_path_factory.mktemp("chroma")


@pytest.fixture
def run_bot(tmp_path: Path, shared_chroma: Path) -> RunBot:
    def run(
        *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "DATA_DIR": str(tmp_path / "var"),
            "CHROMA_PATH": str(shared_chroma),
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env=environment,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
