"""The CRM import: validated whole, one transaction, idempotent by id, the first bad record named."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import PROJECT_ROOT
from storage.importer import ImportError_, parse_import, write_import
from storage.models import Client, Interaction, Task
from storage.uow import UnitOfWorkFactory

SMALL: dict[str, Any] = {
    "clients": [
        {
            "id": "c1",
            "name": "Ирина Петрова",
            "company": "ООО Вектор",
            "crm_extra": "ignored",
            "contacts": [{"name": "Ирина", "telegram_username": "@irina", "phone": "+7 900 000-00-00", "email": None}],
        },
    ],
    "deals": [
        {
            "id": "d1",
            "client_id": "c1",
            "title": "Поставка дверей",
            "amount": 150000,
            "currency": "RUB",
            "status": "won",
            "created": "2026-10-01",
            "closed": "2026-10-20",
        }
    ],
    "interactions": [
        {
            "client_id": "c1",
            "at": "2026-11-20T10:00:00+03:00",
            "channel": "telegram",
            "direction": "in",
            "author": "Ирина",
            "text": "Когда отгрузка?",
        }
    ],
    "promises": [{"client_id": "c1", "text": "Подтвердить дату отгрузки", "due": "2026-11-24", "kept": None}],
    "incidents": [
        {
            "client_id": "c1",
            "at": "2026-10-15T12:00:00+03:00",
            "kind": "delay",
            "text": "Поставка задержалась на 1 день",
        }
    ],
    "colleagues": [
        {
            "id": "e1",
            "name": "Павел Логинов",
            "department": "logistics",
            "telegram_username": "pavel",
            "type": "nonemotional_confident",
            "motivation": "ценит точные заявки",
        }
    ],
    "tasks": [
        {
            "id": "t1",
            "assignee_id": "e1",
            "co_executor_ids": [],
            "title": "Подтвердить отгрузку",
            "created": "2026-11-01",
            "deadline": "2026-11-03",
            "done": True,
            "overdue_reason": "заявка пришла после 15:00",
        }
    ],
}


async def _counts(uow_factory: UnitOfWorkFactory) -> tuple[int, int, int]:
    async with uow_factory() as uow:
        s = uow.session
        return (
            int(await s.scalar(select(func.count()).select_from(Client)) or 0),
            int(await s.scalar(select(func.count()).select_from(Interaction)) or 0),
            int(await s.scalar(select(func.count()).select_from(Task)) or 0),
        )


async def test_import_is_idempotent_and_updates_by_id(uow_factory: UnitOfWorkFactory) -> None:
    data = parse_import(json.dumps(SMALL))
    async with uow_factory() as uow:
        first = await write_import(uow.session, data)
    assert first.created == {
        "clients": 1,
        "colleagues": 1,
        "deals": 1,
        "tasks": 1,
        "interactions": 1,
        "promises": 1,
        "incidents": 1,
    }
    async with uow_factory() as uow:
        second = await write_import(uow.session, data)
    assert second.created == {} and second.updated == {}
    assert await _counts(uow_factory) == (1, 1, 1)

    changed = copy.deepcopy(SMALL)
    changed["clients"][0]["company"] = "ООО Вектор-Плюс"
    changed["promises"][0]["kept"] = True
    async with uow_factory() as uow:
        third = await write_import(uow.session, parse_import(json.dumps(changed)))
    assert third.updated == {"clients": 1, "promises": 1}
    async with uow_factory() as uow:
        client = await uow.clients.get("c1")
        assert client is not None and client.company == "ООО Вектор-Плюс"
        assert [c.telegram_username for c in client.contacts] == ["irina"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["clients"][0].pop("name"), "clients[0] (id=c1): поле «name»: обязательное поле"),
        (lambda d: d["deals"][0].update(status="maybe"), "deals[0] (id=d1): поле «status»"),
        (lambda d: d["interactions"][0].update(at="2026-11-20T10:00:00"), "interactions[0]: поле «at»: укажите"),
        (lambda d: d["deals"][0].update(client_id="c404"), "deals[0] (id=d1): клиент «c404» не найден"),
        (lambda d: d["tasks"][0].update(assignee_id="e404"), "tasks[0] (id=t1): сотрудник «e404» не найден"),
        (lambda d: d["colleagues"][0].update(department="marketing"), "colleagues[0] (id=e1): поле «department»"),
    ],
)
async def test_a_bad_file_is_refused_whole(uow_factory: UnitOfWorkFactory, mutate: Any, message: str) -> None:
    bad = copy.deepcopy(SMALL)
    mutate(bad)
    with pytest.raises(ImportError_) as info:
        async with uow_factory() as uow:
            await write_import(uow.session, parse_import(json.dumps(bad)))
    assert message in str(info.value)
    assert await _counts(uow_factory) == (0, 0, 0)


def test_not_json_is_refused_with_the_position() -> None:
    with pytest.raises(ImportError_, match="строка 1"):
        parse_import("{clients: [}")


async def test_the_demo_company_meets_the_brief(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    raw = json.loads((PROJECT_ROOT / "datasets" / "demo_company.json").read_text(encoding="utf-8"))
    async with uow_factory() as uow:
        await write_import(uow.session, parse_import(json.dumps(raw)))
    assert len(raw["clients"]) >= 12 and len(raw["colleagues"]) >= 8
    per_client: dict[str, int] = {}
    for it in raw["interactions"]:
        per_client[it["client_id"]] = per_client.get(it["client_id"], 0) + 1
    assert all(5 <= n <= 20 for n in per_client.values()) and len(per_client) == len(raw["clients"])
    assert {c["department"] for c in raw["colleagues"]} >= {
        "sales",
        "logistics",
        "warehouse",
        "accounting",
        "legal",
        "production",
    }
    assert {p["kept"] for p in raw["promises"]} == {True, False, None}
    assert {"delay", "quality"} <= {i["kind"] for i in raw["incidents"]}
    assert sum(1 for t in raw["tasks"] if t.get("overdue_reason")) >= 5
    assert await _counts(uow_factory) == (len(raw["clients"]), len(raw["interactions"]), len(raw["tasks"]))
