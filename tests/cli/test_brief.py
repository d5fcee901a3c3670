"""`python -m bot brief` and the piped terminal chat: the brief, a pasted message attached to a client, the card's
commands — the same flow as in Telegram, without it."""

from __future__ import annotations

import json

from tests.cli.conftest import RunBot


def test_brief_json_contract(run_bot: RunBot) -> None:
    assert run_bot("demo").returncode == 0
    result = run_bot("brief", "ладыгину", "--json")  # a contact's surname in the dative finds the client
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert {"text", "client", "type", "level", "promises", "incidents"} <= set(brief)
    assert brief["client"]["id"] == "cl01" and brief["level"] == "core"
    assert brief["type"] == "nonemotional_confident"
    texts = [p["text"] for p in brief["promises"]]
    assert "Предложение на I квартал 2027: фиксированная цена, два варианта оплаты, таблица экономии" in texts
    assert all({"text", "due", "kept"} <= set(p) for p in brief["promises"])
    assert {i["kind"] for i in brief["incidents"]} == {"delay", "billing"}
    assert "Перед звонком: Стройдом" in brief["text"] and "Цель звонка" in brief["text"]

    missing = run_bot("brief", "Рога и копыта")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "не найден" in missing.stderr


def test_terminal_chat_brief_then_a_pasted_message_then_the_card(run_bot: RunBot) -> None:
    assert run_bot("demo").returncode == 0
    lines = [
        "/brief Стройдом",
        # Piped input cannot answer "whose message is this?": the client opened last (/brief) is used.
        "Где отгрузка по кровле? Обещали вчера, а машины так и нет. Прошу подтвердить новую дату.",
        "/type emotional_unconfident",
        "/save",
    ]
    # The chat warms up the knowledge index at start: the first run of a test session embeds it (minutes).
    result = run_bot("chat", stdin="\n".join(lines) + "\n", timeout=900)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Перед звонком: Стройдом" in out and "Была задержка поставки" in out
    assert "Чьё это сообщение" not in out
    assert "Клиент: Стройдом — Игорь Валентинович Ладыгин" in out and "Предлагаемый ответ" in out
    assert "выбран вручную" in out and "Задержка или проблема — эмоциональный неуверенный" in out
    assert "Ответ сохранён в историю клиента" in out
    assert "Traceback" not in out + result.stderr


def test_piped_chat_without_a_client_gives_the_card_at_once(run_bot: RunBot) -> None:
    result = run_bot("chat", stdin="Это безобразие!!! Машина стоит четвёртый час, разберитесь немедленно.\n")
    assert result.returncode == 0, result.stderr
    assert "Клиент не выбран" in result.stdout and "Предлагаемый ответ" in result.stdout
    assert "Эмоциональный уверенный" in result.stdout
