"""The department directory for admins: /departments shows it (and sends the file), /department sets a
department's name and synonyms, and a departments.yaml sent to the bot replaces it (commitments, criteria)."""

from __future__ import annotations

import io

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.app import App
from bot.domain import Role
from bot.services.common.access import Principal
from bot.services.tasks import department_editing as editing
from bot.services.tasks.commitments import COMMITMENTS_FILE, load_commitments
from bot.telegram.render import esc, split_message
from storage.uow import UnitOfWork

ONLY_ADMINS = "Справочник отделов меняет администратор. Если нужен новый отдел или синоним, напишите ему."
MAX_BYTES = 500_000


async def show(message: Message, app: App, bot: Bot, principal: Principal) -> None:
    if not principal.has(Role.ADMIN):
        await message.answer(esc(ONLY_ADMINS))
        return
    directory = load_commitments(app.settings.project_root)
    for part in split_message(esc(editing.describe(directory))):
        await message.answer(part)
    path = app.settings.project_root / COMMITMENTS_FILE
    if path.exists():
        await bot.send_document(message.chat.id, BufferedInputFile(path.read_bytes(), filename="departments.yaml"))


async def set_department(
    message: Message, command: CommandObject, app: App, principal: Principal, uow: UnitOfWork
) -> None:
    if not principal.has(Role.ADMIN):
        await message.answer(esc(ONLY_ADMINS))
        return
    parts = [p.strip() for p in (command.args or "").split("|")]
    if len(parts) < 2:
        await message.answer(
            esc(
                "Напишите так: /department id | Название | синоним, синоним\n"
                "например: /department marketing | Отдел маркетинга | Маркетинг, Реклама"
            )
        )
        return
    synonyms = parts[2].split(",") if len(parts) > 2 else []
    try:
        change = editing.set_department(app.settings.project_root, parts[0], parts[1], synonyms)
    except editing.DepartmentError as exc:
        await message.answer(esc(f"Не сохранено: {exc}"))
        return
    await uow.audit.record("department_set", actor_id=principal.user_id, object_ref=change.department_id)
    name = change.directory.department_names[change.department_id]
    synonyms_text = ", ".join(change.directory.synonyms.get(change.department_id, ())) or "—"
    state = "добавлен" if change.created else "обновлён"
    await message.answer(esc(f"Отдел «{name}» ({change.department_id}) {state}. Синонимы: {synonyms_text}."))


async def upload(message: Message, app: App, bot: Bot, principal: Principal, uow: UnitOfWork) -> None:
    document = message.document
    assert document is not None
    if not principal.has(Role.ADMIN):
        await message.answer(esc(ONLY_ADMINS))
        return
    if (document.file_size or 0) > MAX_BYTES:
        await message.answer(esc("Файл слишком большой для справочника отделов (больше 500 КБ). Тот ли это файл?"))
        return
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    try:
        directory = editing.replace_directory(app.settings.project_root, buffer.getvalue())
    except editing.DepartmentError as exc:
        await message.answer(esc(f"Справочник не заменён: {exc}\nИсправьте файл и отправьте его ещё раз."))
        return
    await uow.audit.record("departments_replaced", actor_id=principal.user_id, object_ref="departments.yaml")
    count = sum(len(c) for c in directory.by_department.values())
    await message.answer(
        esc(f"Справочник отделов заменён: отделов {len(directory.department_names)}, обязательств {count}.")
    )


def build_router() -> Router:
    router = Router(name="departments")
    router.message.register(show, Command("departments"))
    router.message.register(set_department, Command("department"))
    router.message.register(upload, F.document.file_name.lower().in_({"departments.yaml", "departments.yml"}))
    return router
