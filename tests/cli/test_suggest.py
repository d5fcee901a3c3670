"""`python -m bot suggest` as a CRM integration calls it: the PRODUCT.md JSON contract, stdin, and one-line errors."""

from __future__ import annotations

import json

from tests.cli.conftest import RunBot

MESSAGE = "Добрый день. Где отгрузка по кровле? Обещали вчера, а машины так и нет. Прошу подтвердить новую дату."


def test_suggest_json_contract_with_the_clients_history(run_bot: RunBot) -> None:
    assert run_bot("demo").returncode == 0
    result = run_bot("suggest", MESSAGE, "--client", "Стройдом", "--json")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    card = json.loads(line)
    assert {"text", "type", "confidence", "cues", "situation", "script", "reply", "engine"} <= set(card)
    assert card["engine"] == "offline" and card["situation"] == "delay_notice"
    assert card["script"]["id"].startswith("delay_notice.") and card["script"]["title"]
    assert card["type"] in {
        "emotional_confident",
        "nonemotional_confident",
        "nonemotional_unconfident",
        "emotional_unconfident",
        "undetermined",
    }
    assert 0 <= card["confidence"] <= 1
    assert all({"text", "axis", "direction"} <= set(c) and c["text"] in MESSAGE for c in card["cues"])
    assert card["reply"].startswith("Добрый день, Игорь Валентинович!")
    assert card["client"] == {"id": "cl01", "name": "Стройдом"}
    assert "Клиент:" in card["text"] and "<b>" not in card["text"], "text is what a person reads, without tags"

    plain = run_bot("suggest", "--client", "cl01", stdin=MESSAGE)
    assert plain.returncode == 0 and "Предлагаемый ответ" in plain.stdout and "Стройдом" in plain.stdout

    anonymous = run_bot("suggest", "Добрый день.")
    assert anonymous.returncode == 0 and "Клиент не выбран" in anonymous.stdout
    assert "Недостаточно признаков" in anonymous.stdout and "Вопросы" in anonymous.stdout


def test_suggest_errors_are_one_clear_line(run_bot: RunBot) -> None:
    assert run_bot("demo").returncode == 0
    unknown = run_bot("suggest", MESSAGE, "--client", "Рога и копыта")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.strip().splitlines() == [
        "Ошибка: клиент «Рога и копыта» не найден — проверьте написание или укажите id (например, cl01)"
    ]
    empty = run_bot("suggest", stdin="   \n")
    assert empty.returncode == 2 and len(empty.stderr.strip().splitlines()) == 1
    assert "пустое сообщение" in empty.stderr
