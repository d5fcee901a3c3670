"""The same data as JSON, as CSV (either encoding and separator), as a .zip and as XLSX loads to the same database
state; CRM exports (amoCRM, Bitrix24) load; a bad CSV row is named by file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.import_records import ImportSourceError
from storage.import_sources.open import open_source
from storage.importer import ImportError_
from storage.models import Client, Deal
from storage.uow import UnitOfWorkFactory
from tests.storage.import_support import (
    DATA,
    company,
    count_rows,
    load,
    snapshot,
    write_csv_folder,
    write_json,
    write_xlsx,
    write_zip,
)


@pytest.fixture
async def from_json(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The database state the JSON form of the company loads to (then the database is emptied again)."""
    await load(uow_factory, write_json(tmp_path, company()))
    state = await snapshot(uow_factory)
    async with uow_factory() as uow:
        for table in ("contacts", "tasks", "deals", "interactions", "promises", "incidents", "colleagues", "clients"):
            await uow.session.execute(Client.metadata.tables[table].delete())
    assert await count_rows(uow_factory) == 0
    return state


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [",", ";"])
async def test_csv_in_any_encoding_and_separator_loads_like_json(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, from_json: dict[str, object], encoding: str, delimiter: str
) -> None:
    folder = write_csv_folder(tmp_path / "csv", company(), encoding, delimiter)
    report = await load(uow_factory, folder)
    assert report.ok and report.kind == "CSV" and not report.warnings
    assert await snapshot(uow_factory) == from_json
    again = await load(uow_factory, folder)
    assert again.created == {} and again.updated == {}


async def test_a_zip_of_csv_and_an_xlsx_load_like_json(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, from_json: dict[str, object]
) -> None:
    folder = write_csv_folder(tmp_path / "csv", company(), "cp1251", ";")
    await load(uow_factory, write_zip(tmp_path / "export.zip", folder))
    assert await snapshot(uow_factory) == from_json
    xlsx = await load(uow_factory, write_xlsx(tmp_path / "company.xlsx", company()))
    assert xlsx.kind == "XLSX" and xlsx.created == {} and xlsx.updated == {}
    assert await snapshot(uow_factory) == from_json


async def test_a_bad_csv_row_is_named_by_file_and_line_and_nothing_is_written(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    folder = write_csv_folder(tmp_path / "csv", company(), "cp1251", ";")
    deals = folder / "deals.csv"
    lines = deals.read_text(encoding="cp1251").splitlines()
    lines.insert(2, 'd3;c1;"Монтаж,\nдве строки";abc;open;;')  # a quoted cell over two lines, then a bad amount
    lines.append("d4;c404;Ещё сделка;;open;;")
    deals.write_text("\n".join(lines) + "\n", encoding="cp1251")
    with pytest.raises(ImportError_) as info:
        await load(uow_factory, folder)
    report = info.value.report
    assert report is not None and report.errors == [
        "deals.csv, строка 3 (id=d3): поле «amount»: не понял сумму «abc»: ожидается число, например 1 200 000,50 ₽",
        "deals.csv, строка 6 (id=d4): клиент «c404» не найден ни в файле, ни в базе",
    ]
    assert await count_rows(uow_factory) == 0


async def test_csv_oddities_are_refused_or_noted(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "clients.csv").write_text("id;name;legacy_code\nc1;Вектор;X-1\n", encoding="utf-8")
    (folder / "readme.csv").write_text("что;зачем\nфайл;для людей\n", encoding="utf-8")
    report = await load(uow_factory, folder)
    assert report.created == {"clients": 1}
    text = report.text()
    assert "clients.csv: столбцы «legacy_code» не используются" in text
    assert "readme.csv: не похоже ни на наш формат, ни на выгрузку amoCRM/Битрикс24 — пропущен" in text

    (folder / "clients.csv").write_text("id;name\nc2;Стройдом;лишнее\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"clients\.csv, строка 2 .*больше значений, чем столбцов"):
        await load(uow_factory, folder)

    utf8 = "".join(f"c{i};Стройдом\n" for i in range(10_000)).encode()  # past what is sniffed for the encoding
    (folder / "clients.csv").write_bytes(b"id;name\n" + utf8 + "x1;Дом\n".encode("cp1251"))
    with pytest.raises(ImportError_, match=r"clients\.csv, строка 10002: текст не читается как utf-8"):
        await load(uow_factory, folder)


async def test_clients_csv_rows_with_the_same_id_are_one_client(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        "id,name,company,contact_name,phone\nc1,Вектор,ООО Вектор,Ирина,+7 1\nc2,Дом,,,\nc1,,,Павел,+7 2\n",
        encoding="utf-8",
    )
    report = await load(uow_factory, path)
    assert report.created == {"clients": 2}
    async with uow_factory() as uow:
        vector = await uow.clients.get("c1")
        assert vector is not None and [(c.name, c.phone) for c in vector.contacts] == [
            ("Ирина", "+7 1"),
            ("Павел", "+7 2"),
        ]


async def test_a_folder_without_csv_and_a_broken_zip_are_refused_politely(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportSourceError, match=r"нет файлов \.csv"):
        list(open_source(tmp_path / "empty").records())
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ImportSourceError, match="архив повреждён"):
        list(open_source(tmp_path / "broken.zip").records())


async def test_an_amocrm_deals_export_then_its_contacts_export(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    deals = await load(uow_factory, DATA / "amocrm_deals.csv")
    assert deals.kind == "CSV; amoCRM: сделки" and deals.created == {"clients": 3, "deals": 4}
    contacts = await load(uow_factory, DATA / "amocrm_contacts.xlsx")
    assert contacts.kind == "XLSX; amoCRM: контакты и компании"
    assert contacts.created == {} and contacts.updated == {"clients": 2}  # the same clients, more contacts
    async with uow_factory() as uow:
        won = await uow.session.get(Deal, "amo-1001")
        assert won is not None and won.status == "won" and str(won.amount) == "1200000.00"
        assert str(won.closed) == "2026-10-20" and str(won.created) == "2026-10-02"
        lost = await uow.session.get(Deal, "amo-1003")
        assert lost is not None and lost.status == "lost"
        assert (await uow.session.get(Deal, "amo-1002")).status == "open"  # type: ignore[union-attr]
        vector = await uow.clients.get(won.client_id)
        assert vector is not None and vector.name == "ООО «Вектор»" and vector.manager_key == "Ольга Кравцова"
        assert [c.name for c in vector.contacts] == ["Ирина Петрова", "Павел Зуев"]
        assert vector.contacts[0].email == "petrova@vektor.example"
        names = set(await uow.session.scalars(select(Client.name)))
        assert names == {"ООО «Вектор»", "АО «Стройдом»", "Анна Смирнова"}
    again = await load(uow_factory, DATA / "amocrm_deals.csv")
    assert again.created == {} and again.updated == {}


async def test_bitrix24_exports(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    contacts = await load(uow_factory, DATA / "bitrix24_contacts.xlsx")
    assert contacts.kind.startswith("XLSX; Битрикс24") and contacts.created == {"clients": 2}
    deals = await load(uow_factory, DATA / "bitrix24_deals.csv")
    assert deals.kind == "CSV; Битрикс24: сделки" and deals.created == {"deals": 3}
    async with uow_factory() as uow:
        won = await uow.session.get(Deal, "b24-77")
        assert won is not None and won.status == "won" and won.currency == "RUB" and str(won.closed) == "2026-10-25"
        alfa = await uow.clients.get(won.client_id)
        assert alfa is not None and alfa.name == "ООО «Альфа-Трейд»"
        assert [(c.name, c.telegram_username) for c in alfa.contacts] == [("Мария Козлова", "m_kozlova")]
        lost = await uow.session.get(Deal, "b24-79")
        assert lost is not None and lost.status == "lost"
        oleg = await uow.clients.get(lost.client_id)
        assert oleg is not None and oleg.name == "Олег Никитин" and oleg.notes == "частное лицо"


async def test_a_crm_export_in_a_zip_with_our_files(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "csv", company(), "utf-8", ",")
    shutil.copy(DATA / "amocrm_deals.csv", folder / "Сделки amoCRM 2026-11.csv")
    report = await load(uow_factory, write_zip(tmp_path / "all.zip", folder))
    assert report.ok and report.kind == "CSV; amoCRM: сделки" and report.created["deals"] == 6
