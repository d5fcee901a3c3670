"""Overdue analysis: reasons clustered into causes per department and per colleague, for drafts and supervisors."""

from __future__ import annotations

from pathlib import Path

from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.presenters.tasks import overdue_overview
from bot.services.tasks import overdue
from tests.services.tasks.support import demo_app


def test_reasons_with_shared_words_are_one_cause() -> None:
    causes = overdue.cluster(
        [
            ("t1", "заявка пришла после 15:00, машина уже ушла"),
            ("t2", "не указан адрес разгрузки"),
            ("t3", "Заявка пришла после 15:00 — машина ушла."),
            ("t4", "не указаны адрес разгрузки и окно приёмки магазина"),
            ("t5", "перевозчик не прислал номер машины до вечера"),
        ]
    )
    assert [(c.count, c.label) for c in causes] == [
        (2, "Заявка пришла после 15:00 — машина ушла"),
        (2, "не указан адрес разгрузки"),
        (1, "перевозчик не прислал номер машины до вечера"),
    ]
    assert causes[1].task_ids == ["t2", "t4"]


async def test_top_causes_for_a_department_and_a_colleague(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        async with app.uow() as uow:
            logistics = await overdue.top_causes(uow, department="logistics")
            assert logistics[0].label == "заявка пришла после 15:00, машина уже ушла" and logistics[0].count == 3
            # a cause from the same kind of work (confirming a shipment) comes first for such a task
            related = await overdue.top_causes(uow, department="logistics", about="подтвердить отгрузку")
            assert related[0].label.startswith("перевозчик не прислал номер машины")
            # Фомина's own causes come first when they are about similar work (a contract)
            fomina = await overdue.top_causes(uow, department="legal", colleague_id="c11", about="договор")
            assert fomina[0].label == "не прислали реквизиты и карточку предприятия контрагента"
            assert all("страховая" not in c.label for c in fomina)  # unrelated and once only: left out
            view = await overdue.overview(uow)
        assert view.total == 19  # the demo company's tasks that carry a reason
        assert set(view.by_department) == {"logistics", "production", "accounting", "warehouse", "legal", "sales"}
        html = overdue_overview(view, DEPARTMENT_NAMES_RU)
        assert "Отдел логистики" in html and "(3)" in html and "Сергей Мельников" in html
    finally:
        await app.close()
