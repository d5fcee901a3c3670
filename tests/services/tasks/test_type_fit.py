"""The brief fits the colleague's type (issue 15): numbered points for the confident and calm, a checkpoint and whom
to ask when blocked for the unconfident and calm, warmth for the emotional and unconfident, neutral when the type is
unknown — and nothing invented. Own examples."""

from __future__ import annotations

from datetime import date

from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract
from bot.services.tasks.templates import BriefContext, compose

TODAY = date(2026, 12, 2)
REQUEST = "Прошу до завтра сверить остатки ТМЦ на складе №3 по ведомости за ноябрь."


def _brief(kind: str | None, co_executor: bool = False) -> str:
    person = ColleagueInfo("a1", "Сомов Игорь Ильич", "Склад", kind)
    helper = ColleagueInfo("a2", "Лужина Ольга Петровна", "Бухгалтерия")
    e = extract(REQUEST, Directory([person, helper], []), TODAY)
    co = [(helper, "помощь по своей части")] if co_executor else []
    return compose(BriefContext(e, person, "Склад", None, None, [], [], co_executors=co, today=TODAY))


def test_confident_and_calm_gets_short_numbered_points() -> None:
    brief = _brief("nonemotional_confident")
    assert "1. Что: сверить остатки ТМЦ на складе №3 по ведомости за ноябрь." in brief
    assert "2. Срок: завтра, 3 декабря 2026 (четверг)." in brief
    assert "созвонимся" not in brief


def test_unconfident_and_calm_gets_criteria_a_checkpoint_and_whom_to_ask() -> None:
    brief = _brief("nonemotional_unconfident", co_executor=True)
    assert "Критерий готовности:" in brief
    assert "Контрольная точка:" in brief  # a one-day task still has one
    assert "сразу напишите мне" in brief and "также подскажет: Лужина Ольга Петровна" in brief


def test_unknown_type_is_neutral() -> None:
    brief = _brief(None)
    for personal in ("Нужен Ваш опыт", "созвонимся", "Очень рассчитываю", "Контрольная точка"):
        assert personal not in brief
    assert "сверить остатки ТМЦ на складе №3" in brief


def test_no_type_invents_a_date_or_a_commitment() -> None:
    for kind in ("emotional_confident", "nonemotional_confident", "nonemotional_unconfident", "emotional_unconfident"):
        brief = _brief(kind)
        assert "Обязательство отдела" not in brief and "2026" in brief
        assert brief.count("декабря 2026") == 1  # the one deadline the request gives
