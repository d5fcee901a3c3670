"""The command line as a newcomer meets it: --help, import, demo, and the piped terminal chat."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import RunBot


def test_help_lists_the_contract_commands(run_bot: RunBot) -> None:
    result = run_bot("--help")
    assert result.returncode == 0
    for command in ("run", "chat", "import", "demo"):
        assert f"    {command} " in result.stdout


def test_import_refuses_a_bad_file_with_one_line_and_writes_nothing(run_bot: RunBot, tmp_path: Path) -> None:
    good = {"clients": [{"id": "c1", "name": "Вектор", "contacts": []}]}
    bad = {"clients": [{"id": "c2", "name": "Стройдом"}], "deals": [{"id": "d1", "client_id": "nope", "title": "x"}]}
    (tmp_path / "good.json").write_text(json.dumps(good), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")

    refused = run_bot("import", "bad.json")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "Ошибка: файл не загружен, ничего не изменено — deals[0] (id=d1): клиент «nope» не найден ни в файле, ни в базе"
    ]
    assert run_bot("import", "good.json").returncode == 0
    again = run_bot("import", "good.json")
    assert "клиенты (clients): новых 0, обновлено 0, без изменений 1" in again.stdout

    missing = run_bot("import", "missing.json")
    assert missing.returncode == 2 and "файл не найден" in missing.stderr


def test_demo_loads_once_when_asked_if_empty(run_bot: RunBot) -> None:
    first = run_bot("demo", "--if-empty")
    assert first.returncode == 0 and "clients: +16" in first.stdout
    second = run_bot("demo", "--if-empty")
    assert "уже есть клиенты" in second.stdout


def test_piped_chat_answers_each_line_and_exits_at_the_end(run_bot: RunBot) -> None:
    result = run_bot("chat", stdin="/help\n/nosuch\n")
    assert result.returncode == 0, result.stderr
    assert "/help" in result.stdout and "Команда /nosuch мне незнакома" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
