"""Settings: defaults, parsing of the contract's variables, and one clear line for a wrong setting."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import PROJECT_ROOT, Settings, describe_error


def test_defaults_run_on_embedded_storage(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.telegram_bot_token is None
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{(tmp_path / 'copilot.db').resolve()}"
    assert settings.resolved_chroma_path == tmp_path / "chroma"
    assert not settings.llm_enabled
    assert settings.llm_timeout_seconds <= 20 and settings.llm_max_retries <= 1


def test_contract_variables_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_ADMINS", "1, 2;3")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.bot_admins == [1, 2, 3]
    assert settings.telegram_bot_token is not None and settings.telegram_bot_token.get_secret_value() == "123456:TEST"
    assert settings.resolved_database_url == "postgresql+asyncpg://u@h/db"
    assert settings.openai_base_url == "http://127.0.0.1:8000/v1"
    assert settings.llm_enabled
    assert "TEST" not in repr(settings)  # secrets never print


def test_a_copied_env_example_means_defaults(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    shutil.copy(PROJECT_ROOT / ".env.example", env)
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert settings.telegram_bot_token is None and not settings.llm_enabled
    assert settings.chroma_path is None and settings.bot_admins == []


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("bot_admins", "12,abc", "BOT_ADMINS"),
        ("telegram_bot_token", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("database_url", "mysql://x", "DATABASE_URL"),
        ("llm_timeout_seconds", "120", "LLM_TIMEOUT_SECONDS"),
        ("timezone", "Mars/Olympus", "TIMEZONE"),
    ],
)
def test_a_wrong_setting_is_named_in_one_line(variable: str, value: str, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(_env_file=None, **{variable: value})  # type: ignore[call-arg, arg-type]
    line = describe_error(info.value)
    assert line.startswith(f"Неверная настройка {expected}:")
    assert "\n" not in line


def test_start_stops_with_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "BOT_MANAGERS": "x", "DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Неверная настройка BOT_MANAGERS: ожидаются числовые Telegram id через запятую"
    ]
