"""The CRM import: lenient where it is safe, checked whole, idempotent by id, nothing half-written, a dry run that
reports exactly what a real import would do."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import PROJECT_ROOT
from bot.services.tasks.commitments import load_commitments
from storage.importer import ImportError_
from storage.models import Client, Colleague, Deal, Incident, Interaction, Promise, Task
from storage.uow import UnitOfWorkFactory
from tests.storage.import_support import company, count_rows, load, snapshot, write_json

RESOLVE = load_commitments(PROJECT_ROOT).resolve


async def test_a_file_with_the_four_oddities_imports(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    """Issue 16: a date-only `at`, `"motivation": null`, a department in Russian, `done` as a date — all load."""
    report = await load(uow_factory, write_json(tmp_path, company()), resolve_department=RESOLVE)
    assert report.ok and report.created["clients"] == 2 and report.created["tasks"] == 2
    async with uow_factory() as uow:
        s = uow.session
        incident = (await s.scalars(select(Incident))).one()
        assert incident.at == datetime(2026, 10, 14, 21, 0, tzinfo=UTC)  # midnight in Moscow
        pavel = await s.get(Colleague, "e1")
        assert pavel is not None and pavel.motivation == "" and pavel.department == "logistics"
        task = await s.get(Task, "t1")
        assert task is not None and task.done is True and task.done_at is not None
        assert task.done_at.astimezone(ZoneInfo("Europe/Moscow")).date() == date(2026, 11, 2)
        assert task.co_executor_ids == ["e2"]
        deal = await s.get(Deal, "d1")
        assert deal is not None and deal.amount == Decimal("1200000.50") and deal.currency == "RUB"
        naive = (await s.scalars(select(Interaction).where(Interaction.client_id == "c2"))).one()
        assert naive.at == datetime(2026, 11, 21, 6, 30, tzinfo=UTC)  # 09:30 in the company's zone


async def test_import_is_idempotent_and_updates_only_what_the_file_gives(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    data = company()
    first = await load(uow_factory, write_json(tmp_path, data))
    assert first.created == {
        "clients": 2,
        "colleagues": 2,
        "deals": 2,
        "tasks": 2,
        "interactions": 2,
        "promises": 1,
        "incidents": 1,
    }
    before = await snapshot(uow_factory)
    second = await load(uow_factory, write_json(tmp_path, data))
    assert second.created == {} and second.updated == {} and sum(second.unchanged.values()) == 12
    assert await snapshot(uow_factory) == before

    data["clients"][0]["company"] = "ООО Вектор-Плюс"
    data["promises"][0]["kept"] = True
    del data["clients"][1]["contacts"]  # not given: the client keeps its contacts
    third = await load(uow_factory, write_json(tmp_path, data))
    assert third.updated == {"clients": 1, "promises": 1}
    async with uow_factory() as uow:
        client = await uow.clients.get("c1")
        assert client is not None and client.company == "ООО Вектор-Плюс"
        assert [c.telegram_username for c in client.contacts] == ["irina", None]
        stroydom = await uow.clients.get("c2")
        assert stroydom is not None and [c.name for c in stroydom.contacts] == ["Сергей"]

    data["promises"][0]["kept"] = None  # null = not given: an older export does not undo what was marked
    fourth = await load(uow_factory, write_json(tmp_path, data))
    assert fourth.updated == {}
    async with uow_factory() as uow:
        assert (await uow.session.scalars(select(Promise.kept))).one() is True


async def test_a_dry_run_reports_the_same_and_writes_nothing(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = write_json(tmp_path, company())
    dry = await load(uow_factory, path, dry_run=True)
    assert await count_rows(uow_factory) == 0
    real = await load(uow_factory, path)
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)
    assert dry.dry_run and "ничего не записано" in dry.text() and "загружен" in real.text()


Mutation = Callable[[dict[str, Any]], object]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["clients"][0].pop("id"), "clients[0]: поле «id»: обязательное поле"),
        (lambda d: d["clients"][0].pop("name"), "clients[0] (id=c1): поле «name»: обязательное поле"),
        (lambda d: d["deals"][0].update(status="maybe"), "deals[0] (id=d1): поле «status»: неизвестный статус"),
        (lambda d: d["deals"][0].update(amount="много"), "deals[0] (id=d1): поле «amount»: не понял сумму «много»"),
        (lambda d: d["interactions"][0].update(at="вчера"), "interactions[0]: поле «at»: не понял дату"),
        (lambda d: d["deals"][0].update(created="31.02.2026"), "deals[0] (id=d1): поле «created»: такой даты нет"),
        (lambda d: d["deals"][0].update(client_id="c404"), "deals[0] (id=d1): клиент «c404» не найден"),
        (lambda d: d["promises"][0].update(client_id="c404"), "promises[0]: клиент «c404» не найден"),
        (lambda d: d["tasks"][0].update(assignee_id="e404"), "tasks[0] (id=t1): сотрудник «e404» не найден"),
        (lambda d: d["deals"].append(dict(d["deals"][0])), "deals[2] (id=d1): id «d1» повторяется в файле"),
        (lambda d: d["interactions"][0].update(direction="sideways"), "interactions[0]: поле «direction»"),
    ],
)
async def test_a_bad_file_is_refused_whole(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, mutate: Mutation, message: str
) -> None:
    bad = company()
    mutate(bad)
    with pytest.raises(ImportError_) as info:
        await load(uow_factory, write_json(tmp_path, bad))
    assert message in str(info.value)
    assert await count_rows(uow_factory) == 0


async def test_the_report_lists_the_first_errors_in_file_order_and_counts_the_rest(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    bad = company()
    bad["deals"] = [{"id": f"d{i}", "title": "x", "client_id": "c1", "status": "?"} for i in range(15)]
    for i in (3, 12):  # a reference is settled after the whole file is read, but reported in its place
        bad["deals"][i] |= {"client_id": "nobody", "status": "open"}
    with pytest.raises(ImportError_) as info:
        await load(uow_factory, write_json(tmp_path, bad))
    report = info.value.report
    assert report is not None and report.error_count == 13 + 2 and len(report.errors) == 10
    assert "Ошибки (15, первые 10)" in report.text() and "ничего не изменено" in report.text()
    assert report.errors[:5] == [
        "deals[0] (id=d0): поле «status»: неизвестный статус «?»: допустимы open (открыта), won (выиграна), lost "
        "(проиграна)",
        *[report.errors[1], report.errors[2]],
        "deals[3] (id=d3): клиент «nobody» не найден ни в файле, ни в базе (на него ссылаются ещё записей: 1)",
        report.errors[4],
    ]
    assert [e.split(" ")[0] for e in report.errors] == [f"deals[{i}]" for i in range(10)]


async def test_references_to_rows_already_in_the_database_are_fine(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    await load(uow_factory, write_json(tmp_path, company()))
    later = {"deals": [{"id": "d9", "client_id": "c2", "title": "Доп. заказ"}], "tasks": [{"id": "t9", "title": "x"}]}
    later["tasks"][0]["assignee_id"] = "e1"
    report = await load(uow_factory, write_json(tmp_path, later, "later.json"))
    assert report.created == {"deals": 1, "tasks": 1}


async def test_recoverable_oddities_become_warnings(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    data = company()
    data["colleagues"][1] |= {"department": "Маркетинг", "type": "сложный"}
    data["incidents"][0]["kind"] = "пожар"
    data["interactions"].append(dict(data["interactions"][0]))
    data["deals"][1] |= {"amount": "1 000 $", "currency": "RUB"}
    report = await load(uow_factory, write_json(tmp_path, data), resolve_department=RESOLVE)
    assert report.ok
    assert set(report.warnings) == {"department", "colleague_type", "incident_kind", "duplicate", "currency"}
    text = report.text()
    assert "colleagues[1] (id=e2): отдел «Маркетинг» нет в справочнике" in text
    assert "interactions[2]: такая же запись уже есть выше в файле" in text
    async with uow_factory() as uow:
        anna = await uow.session.get(Colleague, "e2")
        assert anna is not None and anna.department == "Маркетинг" and anna.type is None
        assert (await uow.session.scalars(select(Incident.kind))).one() == "other"
        assert len((await uow.session.scalars(select(Interaction))).all()) == 2


async def test_not_json_is_refused_with_the_position(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"clients": [\n  {"id": "c1",}\n]}', encoding="utf-8")
    with pytest.raises(ImportError_, match="строка 2"):
        await load(uow_factory, path)
    path.write_text(json.dumps([{"id": "c1"}]), encoding="utf-8")
    with pytest.raises(ImportError_, match="ожидается JSON-объект"):
        await load(uow_factory, path)
    path.write_text(json.dumps({"clients": {"id": "c1"}}), encoding="utf-8")
    with pytest.raises(ImportError_, match="«clients» должен быть массивом"):
        await load(uow_factory, path)


async def test_a_json_file_with_a_byte_order_mark_imports(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"clients": [{"id": "c1", "name": "Вектор"}]}).encode())
    assert (await load(uow_factory, path)).created == {"clients": 1}


async def test_the_demo_company_meets_the_brief(uow_factory: UnitOfWorkFactory) -> None:
    path = PROJECT_ROOT / "datasets" / "demo_company.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    report = await load(uow_factory, path, resolve_department=RESOLVE)
    assert report.ok and not report.warnings
    assert len(raw["clients"]) >= 12 and len(raw["colleagues"]) >= 8
    per_client: dict[str, int] = {}
    for it in raw["interactions"]:
        per_client[it["client_id"]] = per_client.get(it["client_id"], 0) + 1
    assert all(5 <= n <= 20 for n in per_client.values()) and len(per_client) == len(raw["clients"])
    departments = {c["department"] for c in raw["colleagues"]}
    assert departments >= {"sales", "logistics", "warehouse", "accounting", "legal", "production"}
    assert {p["kept"] for p in raw["promises"]} == {True, False, None}
    assert {"delay", "quality"} <= {i["kind"] for i in raw["incidents"]}
    assert sum(1 for t in raw["tasks"] if t.get("overdue_reason")) >= 5
    async with uow_factory() as uow:
        clients = (await uow.session.scalars(select(Client))).all()
        assert len(clients) == len(raw["clients"])
