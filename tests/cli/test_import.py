"""`python -m bot import PATH [--dry-run]` as a user runs it: a folder of CSV, a dry run, a CRM export, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.conftest import RunBot
from tests.storage.import_support import DATA, company, write_csv_folder


def test_a_folder_of_csv_imports_after_a_dry_run(run_bot: RunBot, tmp_path: Path) -> None:
    write_csv_folder(tmp_path / "crm", company(), "cp1251", ";")
    dry = run_bot("import", "crm", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Проверка файла «crm» (CSV): ничего не записано" in dry.stdout
    assert "клиенты (clients): новых 2, обновлено 0, без изменений 0" in dry.stdout
    assert "сотрудники (colleagues): новых 2" in dry.stdout

    real = run_bot("import", "crm")
    assert real.returncode == 0 and "Файл «crm» (CSV) загружен" in real.stdout
    assert "клиенты (clients): новых 2" in real.stdout  # the dry run wrote nothing
    again = run_bot("import", "crm")
    assert "клиенты (clients): новых 0, обновлено 0, без изменений 2" in again.stdout


def test_import_of_a_folder_without_csv_is_one_polite_line(run_bot: RunBot, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "notes.txt").write_text("пусто", encoding="utf-8")
    result = run_bot("import", "exports")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Ошибка: файл не загружен, ничего не изменено — в папке exports нет файлов .csv (clients.csv, deals.csv, …)"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_refused_file_lists_its_first_errors(run_bot: RunBot, tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "crm", company(), "utf-8", ",")
    deals = folder / "deals.csv"
    deals.write_text(deals.read_text(encoding="utf-8") + "d7,c404,Монтаж,,open,,\nd8,c1,Монтаж,,maybe,,\n")
    result = run_bot("import", "crm")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "deals.csv, строка 4 (id=d7)" in result.stderr and "и ещё ошибок: 1" in result.stderr
    assert "Ошибки (2):" in result.stdout and "deals.csv, строка 5 (id=d8): поле «status»" in result.stdout


def test_an_amocrm_export_imports_from_the_command_line(run_bot: RunBot, tmp_path: Path) -> None:
    shutil.copy(DATA / "amocrm_deals.csv", tmp_path / "amo.csv")
    result = run_bot("import", "amo.csv")
    assert result.returncode == 0, result.stderr
    assert "Файл «amo.csv» (CSV; amoCRM: сделки) загружен" in result.stdout
    assert "сделки (deals): новых 4" in result.stdout
