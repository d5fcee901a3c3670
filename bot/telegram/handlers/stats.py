"""/stats [period]: the quality of the bot's suggestions as a chart (PNG) with the numbers beside it; /overdue: the
usual causes of missed task deadlines. Both for supervisors and admins."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot import texts
from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.presenters import esc
from bot.presenters import stats as present
from bot.presenters import tasks as present_tasks
from bot.services.common import charts
from bot.services.common.access import Feature, Principal
from bot.services.common.clock import Clock
from bot.services.common.periods import PeriodError, parse_period
from bot.services.review import stats
from bot.services.review.stats import QualityStats
from bot.services.tasks import overdue
from bot.telegram.filters import gate
from bot.telegram.render import split_message
from storage.uow import UnitOfWork


async def stats_command(
    message: Message,
    command: CommandObject,
    principal: Principal,
    quality_stats: QualityStats,
    clock: Clock,
    uow: UnitOfWork,
    bot: Bot,
) -> None:
    try:
        period = parse_period(command.args, clock.today())
    except PeriodError as exc:
        await message.answer(esc(f"{exc}\n\n{present.STATS_USAGE}"))
        return
    report = await quality_stats.collect(uow, principal, period)
    await uow.audit.record("stats_viewed", actor_id=principal.user_id, details={"period": period.label})
    if not report.empty:
        await bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_PHOTO)  # drawing takes a second
        png = await charts.draw_async(stats.chart, report)
        await message.answer_photo(BufferedInputFile(png, f"stats-{period.slug}.png"), caption=present.caption(report))
    for part in split_message(present.report_html(report)):
        await message.answer(part)


async def overdue_command(message: Message, uow: UnitOfWork) -> None:
    """Causes of missed deadlines by department and colleague: what to prepare better next time."""
    view = await overdue.overview(uow)
    await message.answer(present_tasks.overdue_overview(view, DEPARTMENT_NAMES_RU))


def build_router() -> Router:
    router = gate(Router(name="stats"), Feature.REVIEW, texts.not_allowed(Feature.REVIEW))
    router.message.register(stats_command, Command("stats"))
    router.message.register(overdue_command, Command("overdue"))
    return router
