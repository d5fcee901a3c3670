"""CRM import in the bot: an admin sends a file (JSON, CSV, XLSX or .zip); the bot checks it without writing and
shows the report with «Применить»; the button loads it. Handlers only move bytes and buttons: the checking and
loading is the same service as `python -m bot import`."""

from __future__ import annotations

import io
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.app import App
from bot.domain import Role
from bot.services.common.access import Principal
from bot.services.crm import uploads
from bot.services.crm.importing import import_file
from bot.telegram.render import esc, split_message
from storage.importer import ImportError_
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

ONLY_ADMINS = "Загружать данные CRM может администратор. Если файл нужно загрузить, передайте его ему."
TOO_BIG = (
    "Файл больше 20 МБ — такой Telegram не передаёт боту. Загрузите его на сервере командой python -m bot import "
    "или разделите на части (например, .zip с CSV по годам)."
)
GONE = "Этот файл уже загружен или отменён (или прошло больше суток). Пришлите его ещё раз, если нужно."


class ImportCb(CallbackData, prefix="imp"):
    action: str  # apply / cancel
    token: str


def _buttons(token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Применить", callback_data=ImportCb(action="apply", token=token).pack()),
                InlineKeyboardButton(text="Отменить", callback_data=ImportCb(action="cancel", token=token).pack()),
            ]
        ]
    )


async def _send(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    parts = split_message(esc(text))
    for index, part in enumerate(parts):
        await bot.send_message(chat_id, part, reply_markup=markup if index == len(parts) - 1 else None)


async def upload(message: Message, app: App, bot: Bot, principal: Principal, uow: UnitOfWork) -> None:
    document = message.document
    assert document is not None
    if not principal.has(Role.ADMIN):
        await message.answer(esc(ONLY_ADMINS))
        return
    if (document.file_size or 0) > uploads.MAX_BYTES:
        await message.answer(esc(TOO_BIG))
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    staged = uploads.stage(app.settings.data_dir, document.file_name or "import", buffer.getvalue())
    try:
        async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
            report = await import_file(app, staged.path, dry_run=True, name=staged.name, uow=uow)
    except ImportError_ as exc:
        uploads.discard(app.settings.data_dir, staged.token)
        text = exc.report.text() if exc.report else f"Файл «{staged.name}» не загружен, ничего не изменено: {exc}"
        await _send(bot, message.chat.id, text)
        return
    await _send(bot, message.chat.id, report.text(), _buttons(staged.token))


async def decide(
    callback: CallbackQuery, callback_data: ImportCb, app: App, bot: Bot, principal: Principal, uow: UnitOfWork
) -> None:
    if not principal.has(Role.ADMIN):
        await callback.answer(ONLY_ADMINS, show_alert=True)
        return
    data_dir = app.settings.data_dir
    staged = uploads.find(data_dir, callback_data.token)
    if staged is None:
        await callback.answer(GONE, show_alert=True)
        return
    await _drop_buttons(callback)
    if callback_data.action != "apply":
        uploads.discard(data_dir, staged.token)
        await callback.answer("Загрузка отменена, ничего не изменено.")
        return
    await callback.answer("Загружаю…")
    try:
        report = await import_file(app, staged.path, actor_id=principal.user_id, name=staged.name, uow=uow)
    except ImportError_ as exc:  # the database changed since the check (a client was removed, say)
        text = exc.report.text() if exc.report else f"Файл «{staged.name}» не загружен, ничего не изменено: {exc}"
    else:
        text = report.text()
    finally:
        uploads.discard(data_dir, staged.token)
    await _send(bot, callback.from_user.id, text)


async def _drop_buttons(callback: CallbackQuery) -> None:
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_reply_markup(reply_markup=None)
        except TelegramBadRequest:  # already without buttons (a double press)
            pass


def build_router() -> Router:
    router = Router(name="importing")
    router.message.register(upload, F.document.file_name.func(uploads.accepts))
    router.callback_query.register(decide, ImportCb.filter())
    return router
