"""The maturity survey as people see it: one question at a time with 1–5 buttons, then the team's result.

Button data "sv:<period>:<question index>:<score>" matches `SurveyCb` in bot/telegram/handlers/survey.py.
"""

from __future__ import annotations

from bot.presenters import esc
from bot.services.common.notify import Buttons
from bot.services.review.survey import MIN_RESPONDENTS, SurveyDef, SurveyResult

ANONYMITY = (
    "Ответы анонимны: имя и Telegram id с ними не хранятся, итоги видны только по команде целиком, "
    f"когда ответят хотя бы {MIN_RESPONDENTS} человека."
)


def cb(period: str, index: int, score: int) -> str:
    return f"sv:{period}:{index}:{score}"


def question(survey: SurveyDef, period: str, index: int) -> tuple[str, Buttons]:
    q = survey.questions[index]
    lines = [
        f"<b>{esc(survey.title)}</b> · {esc(period)} · вопрос {index + 1} из {len(survey.questions)}",
        "",
        f"<b>{esc(q.text)}</b>",
    ]
    if q.hint:
        lines.append(f"<i>{esc(q.hint)}</i>")
    lines.append("")
    lines += [f"{score} — {esc(label)}" for score, label in sorted(survey.scale_labels.items())]
    if index == 0:
        lines += ["", ANONYMITY]
    scores = range(survey.scale_min, survey.scale_max + 1)
    return "\n".join(lines), [[(str(s), cb(period, index, s)) for s in scores]]


def _delta(current: float, previous: float) -> str:
    diff = current - previous
    if abs(diff) < 0.05:
        return "без изменений"
    return f"{'+' if diff > 0 else '−'}{abs(diff):.1f}"


def result_html(survey: SurveyDef, res: SurveyResult) -> str:
    title = f"<b>{esc(survey.title)}: итоги {esc(res.period)}</b>"
    if not res.enough or res.total is None or res.level is None:
        return "\n".join(
            [
                title,
                f"Ответов пока: {res.respondents}. Итоги покажу, когда ответят хотя бы {MIN_RESPONDENTS} человека, — "
                "так ничьи ответы нельзя будет вычислить.",
            ]
        )
    lines = [
        title,
        f"Ответили: {res.respondents}. Сумма баллов команды: <b>{res.total:.1f}</b> из 30.",
        f"Уровень: <b>{esc(res.level.name)}</b> ({res.level.low}–{res.level.high}). {esc(res.level.description)}",
        f"Следующий шаг: {esc(res.level.next_step)}",
    ]
    if res.previous is not None and res.previous.total is not None:
        change = _delta(res.total, res.previous.total)
        lines.append(f"По сравнению с {esc(res.previous.period)} ({res.previous.total:.1f}): {change}.")
    lines += ["", "<b>Средний балл по вопросам</b>"]
    lines += [f"{esc(q.short)}: {res.means[q.id]:.1f}" for q in survey.questions]
    lines += ["", "<b>Где расти в первую очередь</b>"]
    for q in res.lowest:
        weak = " — ниже порога" if res.means[q.id] <= q.low_threshold else ""
        lines.append(f"{esc(q.short)} ({res.means[q.id]:.1f}{weak}). Что можно сделать:")
        lines += [f"• {esc(step)}" for step in q.when_low]
    return "\n".join(lines)


def caption(res: SurveyResult) -> str:
    if res.total is None or res.level is None:
        return ""
    return f"Клиентоцентричность, {esc(res.period)}: {res.total:.1f} из 30 — {esc(res.level.name.lower())}."


def thanks(stored: bool) -> str:
    if stored:
        return "Спасибо! Ваши ответы сохранены анонимно."
    return "Вы уже ответили на опрос в этом квартале — второй раз ответы не учитываются. Спасибо!"
