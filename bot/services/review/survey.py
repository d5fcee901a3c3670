"""The six-question client-centricity maturity survey (knowledge/maturity_survey.yaml): anonymous answers on a
1–5 scale per quarter ("2026-Q4"), the team's total and level, the trend between periods, the weakest questions.

Anonymity, concretely:
- a stored answer set carries no user id, only HMAC-SHA256(salt; period, user id), which exists to refuse a second
  vote; the salt is random, kept in DATA_DIR/survey_salt, and the period in the hash keeps one person's answers
  in different quarters unlinkable;
- the row's time is the start of the period, not the moment of answering, so it cannot be matched with the
  audit log or "last seen" times; answering writes nothing to the audit log;
- results appear only from MIN_RESPONDENTS answers on: with two, either person could subtract their own answers.
The team total is the sum of the six question means (6–30); its level is the band that holds it, rounded.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.services.common import charts
from storage.models import SurveyResponse
from storage.uow import UnitOfWork

SURVEY_FILE = Path("knowledge") / "maturity_survey.yaml"
MIN_RESPONDENTS = 3
SHOWN_LOWEST = 2
PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")
SHORT_LABELS = {  # chart labels; the full questions are in the YAML
    "decisions": "1. Клиент в решениях",
    "line_of_sight": "2. Каждый видит клиента",
    "feedback_collection": "3. Сбор отзывов",
    "feedback_use": "4. Изменения по отзывам",
    "convenience": "5. Удобство для клиента",
    "mutual_support": "6. Помощь между отделами",
}


class SurveyError(ValueError):
    """Invalid answers or period; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    number: int
    text: str
    hint: str
    low_threshold: int
    when_low: tuple[str, ...]

    @property
    def short(self) -> str:
        return SHORT_LABELS.get(self.id, f"Вопрос {self.number}")


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    name: str
    low: int
    high: int
    description: str
    next_step: str


@dataclass(frozen=True, slots=True)
class SurveyDef:
    title: str
    scale_min: int
    scale_max: int
    scale_labels: dict[int, str]
    questions: tuple[Question, ...]
    levels: tuple[Level, ...]

    def level_for(self, total: float) -> Level:
        points = math.floor(total + 0.5)  # round half up: 12.5 counts as 13
        for level in self.levels:
            if level.low <= points <= level.high:
                return level
        return self.levels[0] if points < self.levels[0].low else self.levels[-1]


@dataclass(frozen=True, slots=True)
class SurveyResult:
    period: str
    respondents: int
    means: dict[str, float]  # question id → mean score; empty while too few answered
    total: float | None
    level: Level | None
    lowest: tuple[Question, ...]
    previous: SurveyResult | None = None

    @property
    def enough(self) -> bool:
        return self.total is not None


@lru_cache(maxsize=4)
def load_survey(project_root: Path) -> SurveyDef:
    raw: dict[str, Any] = yaml.safe_load((project_root / SURVEY_FILE).read_text("utf-8"))
    questions = tuple(
        Question(
            q["id"],
            int(q["number"]),
            " ".join(str(q["text"]).split()),
            str(q.get("hint", "")),
            int(q.get("low_score_threshold", 2)),
            tuple(q.get("when_low", [])),
        )
        for q in sorted(raw["questions"], key=lambda q: int(q["number"]))
    )
    levels = tuple(
        Level(
            lv["id"],
            lv["name"],
            int(lv["min"]),
            int(lv["max"]),
            " ".join(str(lv["description"]).split()),
            " ".join(str(lv.get("next_step", "")).split()),
        )
        for lv in sorted(raw["levels"], key=lambda lv: int(lv["min"]))
    )
    scale = raw["scale"]
    labels = {int(k): str(v) for k, v in scale.get("labels", {}).items()}
    return SurveyDef(str(raw["title"]), int(scale["min"]), int(scale["max"]), labels, questions, levels)


def period_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def previous_period(period: str) -> str:
    year, quarter = _parse(period)
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def _parse(period: str) -> tuple[int, int]:
    m = PERIOD_RE.match(period.strip().upper())
    if not m:
        raise SurveyError(f"Период опроса указывается как 2026-Q4 (год и квартал), а не «{period}».")
    return int(m.group(1)), int(m.group(2))


def normalise_period(period: str) -> str:
    year, quarter = _parse(period)
    return f"{year}-Q{quarter}"


def period_start(period: str) -> datetime:
    year, quarter = _parse(period)
    return datetime(year, 3 * (quarter - 1) + 1, 1, tzinfo=UTC)


def salt(data_dir: Path) -> str:
    """The random salt of the respondent hashes, created on first use and kept readable by the owner only."""
    path = data_dir / "survey_salt"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), "utf-8")
        path.chmod(0o600)
    return path.read_text("utf-8").strip()


def respondent_hash(secret: str, period: str, user_id: int) -> str:
    """HMAC-SHA256 keyed by the secret salt: without the salt file nobody can test a guessed user id against it."""
    return hmac.new(secret.encode(), f"{period}:{user_id}".encode(), hashlib.sha256).hexdigest()


async def has_answered(uow: UnitOfWork, data_dir: Path, period: str, user_id: int) -> bool:
    return await uow.surveys.has_answered(period, respondent_hash(salt(data_dir), period, user_id))


async def submit(
    uow: UnitOfWork, survey: SurveyDef, data_dir: Path, period: str, user_id: int, answers: dict[str, int]
) -> bool:
    """Store one complete answer set; False when this person already answered in this period."""
    period = normalise_period(period)
    expected = {q.id for q in survey.questions}
    if set(answers) != expected:
        raise SurveyError("Нужно ответить на все шесть вопросов — опрос можно пройти заново: /survey.")
    if any(not survey.scale_min <= int(v) <= survey.scale_max for v in answers.values()):
        raise SurveyError(f"Оценки ставятся от {survey.scale_min} до {survey.scale_max}.")
    key = respondent_hash(salt(data_dir), period, user_id)
    if await uow.surveys.has_answered(period, key):
        return False
    clean = {q.id: int(answers[q.id]) for q in survey.questions}
    await uow.surveys.add(
        SurveyResponse(period=period, respondent_hash=key, answers=clean, created_at=period_start(period))
    )
    return True


async def result(uow: UnitOfWork, survey: SurveyDef, period: str, *, with_previous: bool = True) -> SurveyResult:
    period = normalise_period(period)
    rows = [r.answers for r in await uow.surveys.for_period(period)]
    previous = None
    if with_previous:
        earlier = [p for p in await uow.surveys.periods() if p < period]
        if earlier:
            previous = await result(uow, survey, earlier[-1], with_previous=False)
            previous = previous if previous.enough else None
    if len(rows) < MIN_RESPONDENTS:
        return SurveyResult(period, len(rows), {}, None, None, (), previous)
    means = {q.id: sum(int(r.get(q.id, 0)) for r in rows) / len(rows) for q in survey.questions}
    total = sum(means.values())
    ranked = sorted(survey.questions, key=lambda q: (means[q.id], q.number))
    return SurveyResult(
        period, len(rows), means, total, survey.level_for(total), tuple(ranked[:SHOWN_LOWEST]), previous
    )


async def trend(uow: UnitOfWork, survey: SurveyDef) -> list[SurveyResult]:
    """Results of every period with enough answers, oldest first."""
    out = [await result(uow, survey, p, with_previous=False) for p in await uow.surveys.periods()]
    return [r for r in out if r.enough]


def chart(survey: SurveyDef, current: SurveyResult, history: list[SurveyResult]) -> bytes:
    """CPU-bound: from async code use `charts.draw_async(chart, ...)`."""
    points = [charts.SurveyPoint(r.period, r.total or 0.0) for r in history]
    levels = [(lv.name, lv.low, lv.high) for lv in survey.levels]
    weak = {q.id for q in current.lowest}
    bars = [(q.short, current.means.get(q.id, 0.0), q.id in weak) for q in survey.questions]
    return charts.survey_chart(f"{survey.title}: {current.period}", points, levels, bars)


@dataclass
class Surveys:
    """The survey for the transports, with its two files: the questions (under the project) and the salt (under
    DATA_DIR)."""

    project_root: Path
    data_dir: Path

    def definition(self) -> SurveyDef:
        return load_survey(self.project_root)

    async def has_answered(self, uow: UnitOfWork, period: str, user_id: int) -> bool:
        return await has_answered(uow, self.data_dir, period, user_id)

    async def submit(self, uow: UnitOfWork, period: str, user_id: int, answers: dict[str, int]) -> bool:
        return await submit(uow, self.definition(), self.data_dir, period, user_id, answers)

    async def result(self, uow: UnitOfWork, period: str) -> SurveyResult:
        return await result(uow, self.definition(), period)

    async def trend(self, uow: UnitOfWork) -> list[SurveyResult]:
        return await trend(uow, self.definition())
