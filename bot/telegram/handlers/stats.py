"""/stats [period]: the quality of the bot's suggestions as a chart (PNG) with the numbers beside it."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot import texts
from bot.app import App
from bot.presenters import esc
from bot.presenters import stats as present
from bot.services.common import charts
from bot.services.common.access import Principal
from bot.services.common.periods import PeriodError, parse_period
from bot.services.review import stats
from bot.telegram.render import split_message
from storage.uow import UnitOfWork


async def stats_command(
    message: Message, command: CommandObject, principal: Principal, app: App, uow: UnitOfWork, bot: Bot
) -> None:
    if not principal.can_review:
        await message.answer(esc(texts.NOT_ALLOWED.format(roles="руководитель, администратор")))
        return
    try:
        period = parse_period(command.args, app.clock.today())
    except PeriodError as exc:
        await message.answer(esc(f"{exc}\n\n{present.STATS_USAGE}"))
        return
    report = await stats.collect(app, uow, principal, period)
    await uow.audit.record("stats_viewed", actor_id=principal.user_id, details={"period": period.label})
    if not report.empty:
        await bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_PHOTO)  # drawing takes a second
        png = await charts.draw_async(stats.chart, report)
        await message.answer_photo(BufferedInputFile(png, f"stats-{period.slug}.png"), caption=present.caption(report))
    for part in split_message(present.report_html(report)):
        await message.answer(part)


def build_router() -> Router:
    router = Router(name="stats")
    router.message.register(stats_command, Command("stats"))
    return router
