"""CRM import and the department directory in the bot, over real HTTP: an admin sends a file, gets the report of a
check that wrote nothing, and loads it with «Применить»; admins edit departments; others are turned away."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.config import PROJECT_ROOT, Settings
from storage.models import Client, Deal
from tests.e2e.conftest import ADMIN, MANAGER, Harness, start_harness, stop_harness
from tests.storage.import_support import DATA, company, write_csv_folder


def _zip_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(folder.glob("*.csv")):
            archive.write(file, file.name)
    return buffer.getvalue()


async def _clients(harness: Harness) -> int:
    await harness.settled()
    async with harness.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Client)) or 0)


async def test_an_admin_checks_a_zip_then_applies_it(harness: Harness, tmp_path: Path) -> None:
    content = _zip_of(write_csv_folder(tmp_path / "csv", company(), "cp1251", ";"))
    mark = harness.tg.mark()
    harness.tg.send_document(ADMIN, "crm.zip", content)
    (report,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert "Проверка файла «crm.zip» (CSV): ничего не записано" in report.text
    assert "клиенты (clients): новых 2" in report.text
    assert await _clients(harness) == 0  # the check wrote nothing

    apply = report.button("Применить")["callback_data"]
    mark = harness.tg.mark()
    harness.tg.press(ADMIN, report, apply)
    (done,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert "Файл «crm.zip» (CSV) загружен" in done.text and "клиенты (clients): новых 2" in done.text
    assert await _clients(harness) == 2

    assert harness.tg.message(ADMIN.id, report.message_id).buttons() == []  # the buttons are gone
    harness.tg.press(ADMIN, report, apply)  # a second press (from another device, say)
    (_, answer) = await harness.tg.wait_callback_answer(2)
    assert "уже загружен или отменён" in answer.get("text", "")
    assert await _clients(harness) == 2


async def test_a_crm_export_can_be_cancelled(harness: Harness) -> None:
    mark = harness.tg.mark()
    harness.tg.send_document(ADMIN, "amo.csv", (DATA / "amocrm_deals.csv").read_bytes())
    (report,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert "(CSV; amoCRM: сделки)" in report.text and "сделки (deals): новых 4" in report.text
    harness.tg.press(ADMIN, report, report.button("Отменить")["callback_data"])
    (answer,) = await harness.tg.wait_callback_answer()
    assert "отменена" in answer.get("text", "")
    await harness.settled()
    async with harness.app.uow() as uow:
        assert not (await uow.session.scalars(select(Deal))).all()


async def test_a_bad_file_gets_its_errors_and_no_button(harness: Harness, tmp_path: Path) -> None:
    data = company()
    data["deals"][0]["client_id"] = "c404"
    folder = write_csv_folder(tmp_path / "csv", data, "utf-8", ",")
    mark = harness.tg.mark()
    harness.tg.send_document(ADMIN, "deals.csv", (folder / "deals.csv").read_bytes())
    (report,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert "не загружен, ничего не изменено" in report.text
    assert "deals.csv, строка 2 (id=d1): клиент «c404» не найден ни в файле, ни в базе" in report.text
    assert report.buttons() == []


async def test_only_an_admin_imports(harness: Harness) -> None:
    mark = harness.tg.mark()
    harness.tg.send_document(MANAGER, "amo.csv", (DATA / "amocrm_deals.csv").read_bytes())
    (refused,) = await harness.tg.wait_sent(MANAGER.id, after=mark)
    assert "администратор" in refused.text
    assert await _clients(harness) == 0


@pytest.fixture
async def own_directory(
    tmp_path: Path, shared_models: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Harness]:
    """A harness whose project has its own copy of knowledge/: department edits must not touch the repository's."""
    root = tmp_path / "project"
    root.mkdir()
    for entry in PROJECT_ROOT.iterdir():
        if entry.name != "knowledge" and not entry.name.startswith("."):
            (root / entry.name).symlink_to(entry)
    (root / "knowledge").mkdir()
    for entry in (PROJECT_ROOT / "knowledge").iterdir():
        target = root / "knowledge" / entry.name
        if entry.name == "departments.yaml":
            target.write_bytes(entry.read_bytes())
        else:
            target.symlink_to(entry)
    monkeypatch.setattr(Settings, "project_root", property(lambda self: root))
    h, task = await start_harness(tmp_path, shared_models)
    try:
        yield h
    finally:
        await stop_harness(h, task)


async def test_an_admin_edits_the_department_directory(own_directory: Harness, tmp_path: Path) -> None:
    harness = own_directory
    file = Path(harness.app.settings.project_root) / "knowledge" / "departments.yaml"
    shown = await harness.say(ADMIN, "/departments", count=2)
    assert "Отдел логистики (logistics): синонимы — Логистика" in shown[0].text and shown[1].method == "sendDocument"

    (saved,) = await harness.say(ADMIN, "/department marketing | Отдел маркетинга | Маркетинг, Реклама")
    assert "Отдел «Отдел маркетинга» (marketing) добавлен. Синонимы: Маркетинг, Реклама." in saved.text
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["departments"][-1]["synonyms"] == ["Маркетинг", "Реклама"]
    assert file.read_text(encoding="utf-8").startswith("# Справочник отделов")  # the header comments are kept

    (clash,) = await harness.say(ADMIN, "/department promo | Промо | Логистика")
    assert clash.text.startswith("Не сохранено: синоним «Логистика» уже есть у отдела logistics")

    broken = b"departments: [{id: '1 bad'}]"
    mark = harness.tg.mark()
    harness.tg.send_document(ADMIN, "departments.yaml", broken)
    (refused,) = await harness.tg.wait_sent(ADMIN.id, after=mark)
    assert refused.text.startswith("Справочник не заменён: отдел №1: нужен id латиницей")
    assert "marketing" in file.read_text(encoding="utf-8")  # the old file stays

    (not_admin,) = await harness.say(MANAGER, "/department x | y")
    assert "администратор" in not_admin.text
