"""A service that does not answer at start: one line naming the setting (password masked), exit code 2, no
traceback."""

from __future__ import annotations

import socket

import pytest

from tests.cli.conftest import RunBot


def _closed_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("setting", "value", "shown"),
    [
        (
            "DATABASE_URL",
            "postgresql://copilot:s3cret-pw@127.0.0.1:{port}/copilot",
            "Не удаётся подключиться к PostgreSQL (DATABASE_URL=postgresql+asyncpg://copilot:***@127.0.0.1:{port}"
            "/copilot): connection refused",
        ),
        (
            "REDIS_URL",
            "redis://:s3cret-pw@127.0.0.1:{port}/0",
            "Не удаётся подключиться к Redis (REDIS_URL=redis://:***@127.0.0.1:{port}/0): connection refused",
        ),
        (
            "CHROMA_URL",
            "http://127.0.0.1:{port}",
            "Не удаётся подключиться к серверу Chroma (CHROMA_URL=http://127.0.0.1:{port}): connection refused",
        ),
    ],
    ids=["postgresql", "redis", "chroma"],
)
def test_an_unreachable_service_at_start_is_one_line_naming_the_setting(
    run_bot: RunBot, setting: str, value: str, shown: str
) -> None:
    port = _closed_port()
    result = run_bot("run", env={"TELEGRAM_BOT_TOKEN": "123456:TEST-token", setting: value.format(port=port)})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(shown.format(port=port)), lines[0]
    assert "s3cret-pw" not in result.stderr + result.stdout


def test_a_command_that_needs_the_database_says_so_in_one_line_too(run_bot: RunBot) -> None:
    """`./dev run` without a token loads the demo company first: that step must not end in a traceback either."""
    port = _closed_port()
    url = f"postgresql://copilot:s3cret-pw@127.0.0.1:{port}/copilot"
    result = run_bot("demo", "--if-empty", env={"DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL=postgresql+asyncpg://copilot:***@" in lines[0], result.stderr
