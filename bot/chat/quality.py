"""/stats, /survey and /audit in the terminal chat. Charts are written as PNG files under DATA_DIR/charts and the
reply says where; the numbers are printed as in Telegram."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.presenters import audit as audit_present
from bot.presenters import esc
from bot.presenters import stats as stats_present
from bot.presenters import survey as survey_present
from bot.services.common import charts
from bot.services.common.access import AccessError
from bot.services.common.periods import PeriodError, parse_period
from bot.services.review import stats, survey
from bot.services.review.audit import read_audit


def _write(path: Path, png: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return path.resolve()


async def save_chart(ctx: ChatContext, name: str, png: bytes) -> str:
    path = await asyncio.to_thread(_write, ctx.app.settings.data_dir / "charts" / name, png)
    return f"\nГрафик (PNG) сохранён: {esc(path)}"


async def survey_results(ctx: ChatContext, period: str) -> list[ChatReply]:
    definition = survey.load_survey(ctx.app.settings.project_root)
    res = await survey.result(ctx.uow, definition, period)
    html = survey_present.result_html(definition, res)
    if res.enough:
        history = await survey.trend(ctx.uow, definition)
        png = await charts.draw_async(survey.chart, definition, res, history)
        html += await save_chart(ctx, f"survey-{period}.png", png)
    return [ChatReply(html)]


def _ask(ctx: ChatContext, period: str, answers: dict[str, int]) -> list[ChatReply]:
    definition = survey.load_survey(ctx.app.settings.project_root)
    index = len(answers)
    html, _ = survey_present.question(definition, period, index)

    async def answer(inner: ChatContext, line: str) -> list[ChatReply]:
        if not (line.isdigit() and definition.scale_min <= int(line) <= definition.scale_max):
            inner.state["pending"] = answer  # ask the same question again
            return [ChatReply(f"Ответьте, пожалуйста, цифрой от {definition.scale_min} до {definition.scale_max}.")]
        answers[definition.questions[index].id] = int(line)
        if len(answers) < len(definition.questions):
            return _ask(inner, period, answers)
        uid = inner.principal.user_id
        stored = await survey.submit(inner.uow, definition, inner.app.settings.data_dir, period, uid, answers)
        await inner.uow.session.flush()
        return [ChatReply(esc(survey_present.thanks(stored))), *await survey_results(inner, period)]

    ctx.state["pending"] = answer
    return [ChatReply(html + "\n\nОтветьте цифрой от 1 до 5 (любая команда прервёт опрос).")]


def register(dialogue: Dialogue) -> None:
    @dialogue.command("stats", description="статистика проверки: /stats [week|month|30d|ДАТА..ДАТА]")
    async def stats_(ctx: ChatContext, args: str) -> list[ChatReply]:
        if not ctx.principal.can_review:
            return [ChatReply("Статистика доступна руководителям и администраторам.")]
        try:
            period = parse_period(args, ctx.app.clock.today())
        except PeriodError as exc:
            return [ChatReply(esc(str(exc)))]
        report = await stats.collect(ctx.app, ctx.uow, ctx.principal, period)
        await ctx.uow.audit.record("stats_viewed", actor_id=ctx.principal.user_id, details={"period": period.label})
        html = stats_present.report_html(report)
        if not report.empty:
            html += await save_chart(ctx, f"stats-{period.slug}.png", await charts.draw_async(stats.chart, report))
        return [ChatReply(html)]

    @dialogue.command("survey", description="опрос о зрелости клиентоцентричности; /survey итоги — результаты")
    async def survey_(ctx: ChatContext, args: str) -> list[ChatReply]:
        current = survey.period_of(ctx.app.clock.today())
        arg = args.strip().lower()
        if arg:
            try:
                period = current if arg in ("итоги", "результаты", "results") else survey.normalise_period(args.strip())
            except survey.SurveyError as exc:
                return [ChatReply(esc(str(exc)))]
            return await survey_results(ctx, period)
        if await survey.has_answered(ctx.uow, ctx.app.settings.data_dir, current, ctx.principal.user_id):
            return [ChatReply(esc(survey_present.thanks(False))), *await survey_results(ctx, current)]
        answers: dict[str, Any] = {}
        return _ask(ctx, current, answers)

    @dialogue.command("audit", description="журнал действий: /audit [week|month|30d|ДАТА..ДАТА]")
    async def audit_(ctx: ChatContext, args: str) -> list[ChatReply]:
        try:
            period = parse_period(args, ctx.app.clock.today(), default="week")
            report = await read_audit(ctx.app, ctx.uow, ctx.principal, period)
        except (PeriodError, AccessError) as exc:
            return [ChatReply(esc(str(exc)))]
        return [ChatReply(audit_present.report_html(report, ctx.app.settings.tz))]
