"""The department directory for admins: /departments shows it (and sends the file), /department sets a
department's name and synonyms, and a departments.yaml sent to the bot replaces it (commitments, criteria)."""

from __future__ import annotations

import io

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.presenters import esc
from bot.services.common.access import Feature, Principal
from bot.services.tasks.department_editing import DepartmentEditor, DepartmentError
from bot.telegram.filters import gate
from bot.telegram.render import split_message
from storage.uow import UnitOfWork

ONLY_ADMINS = "Справочник отделов меняет администратор. Если нужен новый отдел или синоним, напишите ему."
USAGE = (
    "Напишите так: /department id | Название | синоним, синоним\n"
    "например: /department marketing | Отдел маркетинга | Маркетинг, Реклама"
)
MAX_BYTES = 500_000


async def show(message: Message, bot: Bot, departments: DepartmentEditor) -> None:
    text, file = departments.overview()
    for part in split_message(esc(text)):
        await message.answer(part)
    if file is not None:
        await bot.send_document(message.chat.id, BufferedInputFile(file, filename="departments.yaml"))


async def set_department(
    message: Message, command: CommandObject, departments: DepartmentEditor, principal: Principal, uow: UnitOfWork
) -> None:
    parts = [p.strip() for p in (command.args or "").split("|")]
    if len(parts) < 2:
        await message.answer(esc(USAGE))
        return
    try:
        change = departments.set(parts[0], parts[1], parts[2].split(",") if len(parts) > 2 else [])
    except DepartmentError as exc:
        await message.answer(esc(f"Не сохранено: {exc}"))
        return
    await uow.audit.record("department_set", actor_id=principal.user_id, object_ref=change.department_id)
    name = change.directory.department_names[change.department_id]
    synonyms = ", ".join(change.directory.synonyms.get(change.department_id, ())) or "—"
    state = "добавлен" if change.created else "обновлён"
    await message.answer(esc(f"Отдел «{name}» ({change.department_id}) {state}. Синонимы: {synonyms}."))


async def upload(
    message: Message, bot: Bot, departments: DepartmentEditor, principal: Principal, uow: UnitOfWork
) -> None:
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_BYTES:
        await message.answer(esc("Файл слишком большой для справочника отделов (больше 500 КБ). Тот ли это файл?"))
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    try:
        directory = departments.replace(buffer.getvalue())
    except DepartmentError as exc:
        await message.answer(esc(f"Справочник не заменён: {exc}\nИсправьте файл и отправьте его ещё раз."))
        return
    await uow.audit.record("departments_replaced", actor_id=principal.user_id, object_ref="departments.yaml")
    count = sum(len(c) for c in directory.by_department.values())
    summary = f"Справочник отделов заменён: отделов {len(directory.department_names)}, обязательств {count}."
    await message.answer(esc(summary))


def build_router() -> Router:
    router = gate(Router(name="departments"), Feature.ADMIN, ONLY_ADMINS)
    router.message.register(show, Command("departments"))
    router.message.register(set_department, Command("department"))
    router.message.register(upload, F.document.file_name.lower().in_({"departments.yaml", "departments.yml"}))
    return router
