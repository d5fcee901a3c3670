"""CRM import in the bot: an admin sends a file (JSON, CSV, XLSX or .zip); the bot checks it without writing and
shows the report with «Применить»; the button loads it. The checking and loading is the same service as
`python -m bot import`; this router only moves bytes and buttons."""

from __future__ import annotations

import io

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.presenters import esc
from bot.services.common.access import Feature, Principal
from bot.services.crm import uploads
from bot.services.crm.importing import CrmImport
from bot.telegram.callbacks import ImportCb
from bot.telegram.filters import gate
from bot.telegram.replies import drop_buttons, reply
from storage.importer import ImportError_
from storage.uow import UnitOfWork

ONLY_ADMINS = "Загружать данные CRM может администратор. Если файл нужно загрузить, передайте его ему."
TOO_BIG = (
    "Файл больше 20 МБ — такой Telegram не передаёт боту. Загрузите его на сервере командой python -m bot import "
    "или разделите на части (например, .zip с CSV по годам)."
)
GONE = "Этот файл уже загружен или отменён (или прошло больше суток). Пришлите его ещё раз, если нужно."


def _buttons(token: str) -> list[list[tuple[str, str]]]:
    apply, cancel = ImportCb(action="apply", token=token).pack(), ImportCb(action="cancel", token=token).pack()
    return [[("Применить", apply), ("Отменить", cancel)]]


def _refused(exc: ImportError_, name: str) -> str:
    return exc.report.text() if exc.report else f"Файл «{name}» не загружен, ничего не изменено: {exc}"


async def upload(message: Message, bot: Bot, crm_import: CrmImport, uow: UnitOfWork) -> None:
    document = message.document
    assert document is not None
    if (document.file_size or 0) > uploads.MAX_BYTES:
        await message.answer(esc(TOO_BIG))
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    staged = crm_import.stage(document.file_name or "import", buffer.getvalue())
    try:
        async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
            report = await crm_import.import_file(staged.path, dry_run=True, name=staged.name, uow=uow)
    except ImportError_ as exc:
        crm_import.discard(staged.token)
        await reply(bot, message.chat.id, esc(_refused(exc, staged.name)))
        return
    await reply(bot, message.chat.id, esc(report.text()), _buttons(staged.token))


async def decide(
    callback: CallbackQuery,
    callback_data: ImportCb,
    bot: Bot,
    crm_import: CrmImport,
    principal: Principal,
    uow: UnitOfWork,
) -> None:
    staged = crm_import.staged(callback_data.token)
    if staged is None:
        await callback.answer(GONE, show_alert=True)
        return
    await drop_buttons(callback)
    if callback_data.action != "apply":
        crm_import.discard(staged.token)
        await callback.answer("Загрузка отменена, ничего не изменено.")
        return
    await callback.answer("Загружаю…")
    try:
        report = await crm_import.import_file(staged.path, actor_id=principal.user_id, name=staged.name, uow=uow)
    except ImportError_ as exc:  # the database changed since the check (a client was removed, say)
        text = _refused(exc, staged.name)
    else:
        text = report.text()
    finally:
        crm_import.discard(staged.token)
    await reply(bot, callback.from_user.id, esc(text))


def build_router() -> Router:
    router = gate(Router(name="importing"), Feature.ADMIN, ONLY_ADMINS)
    router.message.register(upload, F.document.file_name.func(uploads.accepts))
    router.callback_query.register(decide, ImportCb.filter())
    return router
