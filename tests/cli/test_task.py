"""`python -m bot task` (PRODUCT.md contract) and `python -m bot eval-tasks`, run as a user would."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.cli.conftest import RunBot

CURT = "опять логистика тормозит, пусть завтра до 12 пришлют план отгрузок по Заречному"


def _tomorrow() -> str:
    return (datetime.now(ZoneInfo("Europe/Moscow")).date() + timedelta(days=1)).isoformat()


def test_task_json_follows_the_contract(run_bot: RunBot) -> None:
    assert run_bot("demo").returncode == 0
    result = run_bot("task", "--to", "Мельникову", "--request", CURT, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"text", "assignee", "deadline", "client"} <= set(data)
    assert data["assignee"] == "Сергей Мельников" and data["assignee_id"] == "c02"
    assert data["deadline"] == _tomorrow() and data["deadline_time"] == "12:00"
    assert data["client"] == "Гранит-Строй"
    text = data["text"]
    assert text.startswith("Здравствуйте, Сергей!") and "план отгрузок" in text
    assert "опять" not in text.lower() and "тормоз" not in text.lower()

    plain = run_bot("task", "--to", "бухгалтерия", "--request", "акт сверки", "--deadline", "2030-01-15",
                    "--client", "вектор")  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert "Здравствуйте, коллеги!" in plain.stdout and "15 января 2030 (вторник)" in plain.stdout
    assert "«Вектор»" in plain.stdout


def test_task_errors_are_one_clear_line(run_bot: RunBot) -> None:
    empty = run_bot("task", "--to", "Мельникову", "--request", "план отгрузок")
    assert empty.returncode == 2 and "справочник коллег пуст" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1
    assert run_bot("demo").returncode == 0
    cases = {
        ("--to", "Пупкину", "--request", "план"): "не найден в справочнике",
        ("--to", "Мельникову", "--request", "план", "--deadline", "вчерашний день"): "не понял срок",
        ("--to", "Мельникову", "--request", "план", "--deadline", "2020-01-01"): "уже прошёл",
        ("--to", "Мельникову", "--request", "план", "--client", "Рога и копыта"): "клиент «Рога и копыта» не найден",
        ("--to", "Мельникову", "--request", "   "): "текст просьбы пуст",
    }
    for args, message in cases.items():
        result = run_bot("task", *args)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_eval_tasks_reports_the_share(run_bot: RunBot) -> None:
    result = run_bot("eval-tasks", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"] == 41 and data["share"] >= 0.9
    assert set(data["accuracy"]) == {"assignee", "department", "deadline", "client"}
    strict = run_bot("eval-tasks", "--min-share", "1.01")
    assert strict.returncode == 1 and "Полных и чистых текстов" in strict.stdout
