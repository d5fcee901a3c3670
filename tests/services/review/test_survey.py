"""The maturity survey: anonymous storage and double-vote refusal, the team total and level, the weakest
questions with what to work on, the trend between periods and its chart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.presenters import survey as present
from bot.services.review import survey
from bot.services.review.survey import SurveyDef
from storage.models import SurveyResponse
from tests.services.review.support import make_app


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    app = await make_app(tmp_path)
    yield app
    await app.close()


@pytest.fixture
def definition(app: App) -> SurveyDef:
    return survey.load_survey(app.settings.project_root)


def _answers(definition: SurveyDef, *scores: int) -> dict[str, int]:
    return {q.id: s for q, s in zip(definition.questions, scores, strict=True)}


async def _vote(app: App, definition: SurveyDef, period: str, user_id: int, *scores: int) -> bool:
    async with app.uow() as uow:
        return await survey.submit(
            uow, definition, app.settings.data_dir, period, user_id, _answers(definition, *scores)
        )


def test_definition_and_levels(definition: SurveyDef) -> None:
    assert [q.number for q in definition.questions] == [1, 2, 3, 4, 5, 6]
    assert all(q.when_low for q in definition.questions)
    assert [lv.id for lv in definition.levels] == ["initial", "transitional", "forming", "mature"]
    cases = {6: "initial", 12.4: "initial", 12.5: "transitional", 20: "transitional", 21: "forming", 26: "mature"}
    for total, level in cases.items():
        assert definition.level_for(total).id == level, total


def test_periods() -> None:
    assert survey.period_of(date(2026, 11, 23)) == "2026-Q4"
    assert survey.period_of(date(2027, 1, 1)) == "2027-Q1"
    assert survey.previous_period("2027-Q1") == "2026-Q4"
    assert survey.normalise_period(" 2026-q3 ") == "2026-Q3"
    assert survey.period_start("2026-Q4") == datetime(2026, 10, 1, tzinfo=UTC)
    with pytest.raises(survey.SurveyError, match="2026-Q4"):
        survey.normalise_period("2026-Q5")


async def test_answers_are_anonymous_and_counted_once(app: App, definition: SurveyDef) -> None:
    assert await _vote(app, definition, "2026-Q4", 3, 3, 2, 4, 2, 3, 4)
    assert not await _vote(app, definition, "2026-Q4", 3, 5, 5, 5, 5, 5, 5)  # a second vote is refused
    assert await _vote(app, definition, "2026-Q3", 3, 2, 2, 2, 2, 2, 2)  # another quarter is a new vote
    async with app.uow() as uow:
        rows = list(await uow.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))
        assert await survey.has_answered(uow, app.settings.data_dir, "2026-Q4", 3)
        assert not await survey.has_answered(uow, app.settings.data_dir, "2026-Q4", 4)
    assert len(rows) == 2 and rows[0].answers["decisions"] == 3
    assert rows[0].respondent_hash != rows[1].respondent_hash  # the same person is not linkable across quarters
    assert all(r.respondent_hash != "3" and len(r.respondent_hash) == 64 for r in rows)
    assert rows[0].created_at == datetime(2026, 10, 1, tzinfo=UTC)  # no moment of answering is kept
    salt_file = app.settings.data_dir / "survey_salt"
    assert salt_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(survey.SurveyError, match="все шесть"):
        async with app.uow() as uow:
            await survey.submit(uow, definition, app.settings.data_dir, "2026-Q4", 4, {"decisions": 3})
    with pytest.raises(survey.SurveyError, match="от 1 до 5"):
        await _vote(app, definition, "2026-Q4", 4, 3, 3, 3, 3, 3, 9)


async def test_team_result_level_weakest_questions_and_trend(app: App, definition: SurveyDef) -> None:
    for user_id, scores in {1: (2, 2, 2, 2, 2, 2), 2: (3, 2, 3, 2, 3, 3), 3: (3, 3, 3, 2, 3, 3)}.items():
        await _vote(app, definition, "2026-Q3", user_id, *scores)
    await _vote(app, definition, "2026-Q4", 1, 4, 2, 4, 1, 4, 4)
    await _vote(app, definition, "2026-Q4", 2, 4, 3, 4, 2, 5, 4)
    async with app.uow() as uow:
        too_few = await survey.result(uow, definition, "2026-Q4")
    assert not too_few.enough and too_few.respondents == 2 and too_few.means == {}
    assert "хотя бы 3" in present.result_html(definition, too_few)

    await _vote(app, definition, "2026-Q4", 3, 4, 1, 4, 3, 4, 4)
    async with app.uow() as uow:
        res = await survey.result(uow, definition, "2026-Q4")
        history = await survey.trend(uow, definition)
    assert res.enough and res.respondents == 3
    assert res.means["line_of_sight"] == pytest.approx(2.0) and res.means["feedback_use"] == pytest.approx(2.0)
    assert res.total == pytest.approx(4 + 2 + 4 + 2 + 13 / 3 + 4)
    assert res.level is not None and res.level.id == "transitional"
    assert [q.id for q in res.lowest] == ["line_of_sight", "feedback_use"]
    assert res.previous is not None and res.previous.period == "2026-Q3"
    assert [(r.period, round(r.total or 0, 2)) for r in history] == [("2026-Q3", 15.0), ("2026-Q4", 20.33)]

    html = present.result_html(definition, res)
    assert "Переходный уровень" in html and "20.3" in html and "+5.3" in html
    assert "2. Каждый видит клиента (2.0 — ниже порога)" in html
    assert definition.questions[1].when_low[0] in html  # what to work on, from the survey file
    png = survey.chart(definition, res, history)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
