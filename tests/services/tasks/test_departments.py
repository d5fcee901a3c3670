"""Departments as data: a free-text department (from a CRM export) finds its commitments by name or synonym; an
unknown or ambiguous one gets none — never another department's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.config import PROJECT_ROOT
from bot.services.tasks.commitments import load_commitments
from storage.models import Colleague
from tests.services.tasks.support import demo_app, draft_for

DEPARTMENTS = load_commitments(PROJECT_ROOT)


@pytest.mark.parametrize(
    ("written", "department"),
    [
        ("logistics", "logistics"),
        ("Логистика", "logistics"),
        ("Отдел логистики", "logistics"),
        ("ОТДЕЛ ЛОГИСТИКИ", "logistics"),
        ("Отдел логистики и транспорта", "logistics"),
        ("Отдел складской логистики", "warehouse"),  # the longer synonym wins over «логистика»
        ("Бухгалтерия", "accounting"),
        ("финансовый отдел", "accounting"),
        ("Юристы", "legal"),
        ("Коммерческий отдел", "sales"),
        ("Маркетинг", None),
        ("Продажи и логистика", None),  # two departments at once: not ours to pick
        ("", None),
    ],
)
def test_a_department_is_found_by_its_name_or_synonym(written: str, department: str | None) -> None:
    assert DEPARTMENTS.resolve(written) == department


def test_an_unknown_department_gets_no_commitments() -> None:
    assert DEPARTMENTS.match("Отдел логистики", "подтвердить отгрузку").id == "logistics.shipping_date"  # type: ignore[union-attr]
    assert DEPARTMENTS.match("Маркетинг", "подтвердить отгрузку") is None
    assert (
        DEPARTMENTS.name_of("Отдел логистики") == "Отдел логистики" and DEPARTMENTS.name_of("sales") == "Отдел продаж"
    )
    assert DEPARTMENTS.name_of("Маркетинг") == "Маркетинг"


def test_synonyms_are_read_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "departments.yaml").write_text(
        "departments:\n  - id: marketing\n    name: Маркетинг\n    synonyms: [Отдел рекламы, PR]\n"
        "    commitments:\n      - id: marketing.banner\n        what: Макет баннера\n        lead_time_hours: 16\n"
        "        keywords: [баннер, макет]\n",
        encoding="utf-8",
    )
    mine = load_commitments(tmp_path)
    assert mine.resolve("отдел рекламы") == "marketing" and mine.resolve("Логистика") is None
    assert mine.match("Отдел рекламы", "макет баннера для выставки").id == "marketing.banner"  # type: ignore[union-attr]


@pytest.fixture
async def app(tmp_path: Path) -> Any:
    application = await demo_app(tmp_path)
    yield application
    await application.close()


async def _set_department(app: App, name_part: str, department: str) -> None:
    async with app.uow() as uow:
        colleague = (await uow.session.scalars(select(Colleague).where(Colleague.name.contains(name_part)))).one()
        colleague.department = department


async def test_a_brief_to_a_free_text_department_has_its_commitment(app: App) -> None:
    await _set_department(app, "Мельников", "Отдел логистики")
    _, draft = await draft_for(app, "Мельникову: завтра до 12 план отгрузок по Заречному для Гранит-Строя")
    assert draft.commitment is not None and draft.commitment.department == "logistics"
    # the department's usual lead time is for the requester; the colleague's brief quotes it only when it is tight
    assert "4 рабочих часа" in " ".join(draft.notes) and "4 рабочих часа" not in draft.text


async def test_a_brief_to_an_unknown_department_has_none(app: App) -> None:
    await _set_department(app, "Мельников", "Маркетинг")
    _, draft = await draft_for(app, "Мельникову: завтра до 12 план отгрузок по Заречному для Гранит-Строя")
    assert draft.commitment is None
    assert "4 рабочих часа" not in draft.text and draft.text.startswith("Здравствуйте, Сергей!")
