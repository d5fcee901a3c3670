"""The colleagues directory in Telegram, for admins: /colleagues and /colleague add | set | read."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.app import App
from bot.presenters import colleagues as present
from bot.presenters import esc
from bot.services.common.access import Principal
from bot.services.tasks import colleagues as directory
from storage.uow import UnitOfWork


async def list_colleagues(message: Message, uow: UnitOfWork, principal: Principal) -> None:
    try:
        directory.require_admin(principal)
    except directory.DirectoryError as exc:
        await message.answer(esc(str(exc)))
        return
    await message.answer(present.directory(await uow.colleagues.all(active_only=False)))


async def colleague(message: Message, command: CommandObject, app: App, uow: UnitOfWork, principal: Principal) -> None:
    action, _, rest = (command.args or "").strip().partition(" ")
    try:
        if action == "add":
            added = await directory.add(uow, principal, rest)
            await message.answer(present.saved(added, "добавлен(а)"))
        elif action == "set":
            changed = await directory.set_field(uow, principal, rest)
            await message.answer(present.saved(changed, "обновлён(а)"))
        elif action == "read":
            read, result = await directory.read_type(app, uow, principal, rest)
            await message.answer(present.type_read(read, result))
        else:
            directory.require_admin(principal)
            await message.answer(esc(directory.USAGE))
    except directory.DirectoryError as exc:
        await message.answer(esc(str(exc)))


def build_router() -> Router:
    router = Router(name="colleagues")
    router.message.register(list_colleagues, Command("colleagues"))
    router.message.register(colleague, Command("colleague"))
    return router
