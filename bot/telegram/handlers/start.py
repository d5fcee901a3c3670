"""/start and /help."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from bot import texts
from bot.services.common.access import Principal
from bot.telegram.render import esc
from storage.uow import UnitOfWork


async def start(message: Message, principal: Principal, uow: UnitOfWork) -> None:
    await uow.audit.record("start", actor_id=principal.user_id)
    greeting = texts.WELCOME.format(name=principal.name, roles=principal.roles_text())
    await message.answer(esc(greeting) + "\n\n" + esc(texts.help_text(principal.roles)))


async def help_(message: Message, principal: Principal) -> None:
    await message.answer(esc(texts.help_text(principal.roles)))


def build_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    return router
