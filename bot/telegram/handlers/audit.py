"""/audit [period]: who viewed, generated, approved, edited or rejected what (supervisors and admins)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import texts
from bot.app import App
from bot.presenters import audit as present
from bot.presenters import esc
from bot.services.common.access import Principal
from bot.services.common.periods import PeriodError, parse_period
from bot.services.review.audit import read_audit
from bot.telegram.render import split_message
from storage.uow import UnitOfWork

MAX_PARTS = 5  # a long period is cut rather than flooding the chat; the message says so


async def audit_command(
    message: Message, command: CommandObject, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    if not principal.can_review:
        await message.answer(esc(texts.NOT_ALLOWED.format(roles="руководитель, администратор")))
        return
    try:
        period = parse_period(command.args, app.clock.today(), default="week")
    except PeriodError as exc:
        await message.answer(esc(f"{exc}\n\n{present.AUDIT_USAGE}"))
        return
    report = await read_audit(app, uow, principal, period)
    parts = split_message(present.report_html(report, app.settings.tz))
    for part in parts[:MAX_PARTS]:
        await message.answer(part)
    if len(parts) > MAX_PARTS:
        await message.answer(
            "Показана только часть записей — сузьте, пожалуйста, период (например, /audit 2026-11-20..2026-11-23)."
        )


def build_router() -> Router:
    router = Router(name="audit")
    router.message.register(audit_command, Command("audit"))
    return router
