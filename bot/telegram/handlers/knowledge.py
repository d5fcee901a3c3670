"""/ask — answers from the knowledge base with sources; admins send a Markdown file to add or replace a script."""

from __future__ import annotations

import io
import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.chat_action import ChatActionSender

from bot.app import App
from bot.domain import Role
from bot.presenters import esc
from bot.presenters.knowledge import render_answer
from bot.services.common.access import Principal
from bot.services.knowledge.ask import QuestionError, ask
from bot.services.knowledge.corpus import ScriptFormatError
from bot.telegram.render import split_message
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_SCRIPT_BYTES = 200_000


async def ask_command(message: Message, command: CommandObject, app: App, bot: Bot, principal: Principal) -> None:
    try:
        async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
            answer = await ask(app, command.args or "")
    except QuestionError as exc:
        await message.answer(esc(str(exc)))
        return
    for part in split_message(render_answer(answer)):
        await message.answer(part)


async def script_upload(message: Message, app: App, bot: Bot, principal: Principal, uow: UnitOfWork) -> None:
    document = message.document
    assert document is not None
    if not principal.has(Role.ADMIN):
        await message.answer("Добавлять сценарии может администратор. Если сценарий нужен, передайте файл ему.")
        return
    if (document.file_size or 0) > MAX_SCRIPT_BYTES:
        await message.answer("Файл слишком большой для сценария (больше 200 КБ). Проверьте, тот ли это файл.")
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    stack = await app.retrieval()
    try:
        upload = await stack.aadd_script(buffer.getvalue())
    except ScriptFormatError as exc:
        await message.answer(esc(f"Сценарий не принят: {exc}\nИсправьте файл и отправьте его ещё раз."))
        return
    await uow.audit.record("script_uploaded", actor_id=principal.user_id, object_ref=upload.script.id)
    await message.answer(esc(upload.message_ru()))


def build_router() -> Router:
    router = Router(name="knowledge")
    router.message.register(ask_command, Command("ask"))
    router.message.register(script_upload, F.document.file_name.lower().endswith(".md"))
    return router
