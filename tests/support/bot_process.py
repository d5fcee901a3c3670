"""`python -m bot run` as a real process, pointed at the test's fake Telegram (and fake LLM), that a test can
start, kill -9 and start again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from tests.fake_telegram import FakeTelegram
from tests.support.waiting import eventually


class BotProcess:
    def __init__(self, tg: FakeTelegram, workdir: Path, env: dict[str, str], name: str = "bot") -> None:
        self.tg = tg
        self.workdir = workdir
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "PYTHONPATH": str(PROJECT_ROOT),
            "DATA_DIR": str(workdir / "var"),
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE": tg.base_url,
            **env,
        }
        self.log = workdir / f"{name}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, *args: str) -> BotProcess:
        log = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", *args, cwd=self.workdir, env=self.env, stdout=log, stderr=log
            )
        finally:
            os.close(log)  # the child has its own copy
        return self

    async def ready(self, timeout: float = 180) -> None:
        """Until the process asks Telegram for updates (models loaded, the inbox resumed)."""
        calls = len(self.tg.calls)

        def polling() -> bool:
            assert self.proc is not None
            if self.proc.returncode is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}:\n{self.output()}")
            return any(method == "getUpdates" for method, _ in self.tg.calls[calls:])

        await eventually(polling, timeout, "the bot polls")

    async def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a service manager stops it; kill -9 if it does not end in time."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            return await self.proc.wait()

    async def wait(self, timeout: float = 120) -> int:
        assert self.proc is not None
        return await asyncio.wait_for(self.proc.wait(), timeout)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
