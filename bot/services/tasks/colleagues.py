"""The colleagues directory managed by admins: add a colleague, change a field, link their Telegram, and set their
type by hand or read it from their own messages with the offline classifier."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.domain import TYPE_NAMES_RU, BehaviourResult, BehaviourType, Role
from bot.nlp.names import DEPARTMENT_NAMES_RU, department_from_word
from bot.services.common.access import Principal
from storage.models import Colleague
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

TYPE_CODES = {
    "ec": BehaviourType.EMOTIONAL_CONFIDENT,
    "nc": BehaviourType.NONEMOTIONAL_CONFIDENT,
    "nu": BehaviourType.NONEMOTIONAL_UNCONFIDENT,
    "eu": BehaviourType.EMOTIONAL_UNCONFIDENT,
}
FIELDS = {
    "имя": "name", "name": "name", "отдел": "department", "department": "department", "dept": "department",
    "tg": "telegram", "telegram": "telegram", "телеграм": "telegram", "тип": "type", "type": "type",
    "мотивация": "motivation", "motivation": "motivation", "активен": "active", "active": "active",
}  # fmt: skip
USAGE = (
    "Справочник коллег (для администратора):\n"
    "/colleagues — список\n"
    "/colleague add Имя Фамилия; отдел; @username; тип; мотивация — добавить (тип и мотивация по желанию)\n"
    "/colleague set ID поле значение — изменить: имя, отдел, tg (@username или числовой id), тип, мотивация, "
    "активен (да/нет)\n"
    "/colleague read ID текст — определить тип по сообщениям самого коллеги\n"
    "Отделы: " + ", ".join(DEPARTMENT_NAMES_RU.values()) + ". Типы: ec, nc, nu, eu (или название типа), «нет» — снять."
)


class DirectoryError(Exception):
    """Bad input for the directory; the message is safe to show."""


def require_admin(principal: Principal) -> None:
    if not principal.has(Role.ADMIN):
        raise DirectoryError("Справочник коллег ведёт администратор. Если нужно что-то поправить — напишите ему.")


def parse_type(value: str) -> str | None:
    v = value.strip().lower()
    if v in ("", "нет", "-", "none", "—"):
        return None
    if v in TYPE_CODES:
        return TYPE_CODES[v].value
    for t, name in TYPE_NAMES_RU.items():
        if v in (t.value, name.lower()) and t is not BehaviourType.UNDETERMINED:
            return t.value
    raise DirectoryError(f"Не знаю тип «{value}». Возможные: ec, nc, nu, eu или название типа.")


def parse_department(value: str) -> str:
    department = department_from_word(value)
    if department is None:
        raise DirectoryError(f"Не знаю отдел «{value}». Отделы: " + ", ".join(DEPARTMENT_NAMES_RU.values()) + ".")
    return department


async def _link(uow: UnitOfWork, colleague: Colleague, value: str) -> None:
    v = value.strip()
    if re.fullmatch(r"-?\d{3,}", v):
        colleague.telegram_user_id = int(v)
        return
    if not re.fullmatch(r"@?[A-Za-z0-9_]{4,32}", v):
        raise DirectoryError("Telegram укажите как @username или числовой id.")
    colleague.telegram_username = v.lstrip("@")
    user = await uow.users.by_username(colleague.telegram_username)
    colleague.telegram_user_id = user.id if user else None


async def _next_id(uow: UnitOfWork) -> str:
    numbers = [
        int(m.group(1)) for c in await uow.colleagues.all(active_only=False) if (m := re.fullmatch(r"c(\d+)", c.id))
    ]
    return f"c{max(numbers, default=0) + 1:02d}"


async def add(uow: UnitOfWork, principal: Principal, args: str) -> Colleague:
    require_admin(principal)
    parts = [p.strip() for p in args.split(";")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise DirectoryError("Формат: /colleague add Имя Фамилия; отдел; @username; тип; мотивация")
    colleague = Colleague(id=await _next_id(uow), name=parts[0][:200], department=parse_department(parts[1]))
    colleague.active = True
    if len(parts) > 2 and parts[2]:
        await _link(uow, colleague, parts[2])
    if len(parts) > 3 and parts[3]:
        colleague.type, colleague.type_source = parse_type(parts[3]), "manual"
    colleague.motivation = parts[4] if len(parts) > 4 else ""
    await uow.colleagues.add(colleague)
    await uow.audit.record("colleague_added", actor_id=principal.user_id, object_ref=colleague.id)
    return colleague


async def set_field(uow: UnitOfWork, principal: Principal, args: str) -> Colleague:
    require_admin(principal)
    parts = args.split(maxsplit=2)
    if len(parts) < 3 or parts[1].lower() not in FIELDS:
        raise DirectoryError("Формат: /colleague set ID поле значение (поля: имя, отдел, tg, тип, мотивация, активен).")
    colleague = await uow.colleagues.get(parts[0])
    if colleague is None:
        raise DirectoryError(f"Коллега с id «{parts[0]}» не найден. Список — /colleagues.")
    field, value = FIELDS[parts[1].lower()], parts[2].strip()
    if field == "name":
        colleague.name = value[:200]
    elif field == "department":
        colleague.department = parse_department(value)
    elif field == "telegram":
        await _link(uow, colleague, value)
    elif field == "type":
        colleague.type, colleague.type_source = parse_type(value), "manual"
    elif field == "motivation":
        colleague.motivation = value
    else:
        colleague.active = value.lower() in ("да", "yes", "1", "true", "вкл")
    await uow.audit.record("colleague_changed", actor_id=principal.user_id, object_ref=colleague.id,
                           details={"field": field})  # fmt: skip
    return colleague


async def read_type(app: App, uow: UnitOfWork, principal: Principal, args: str) -> tuple[Colleague, BehaviourResult]:
    """The colleague's type read from their own words (pasted by the admin), the way clients are classified."""
    require_admin(principal)
    parts = args.split(maxsplit=1)
    if len(parts) < 2 or len(parts[1].strip()) < 20:
        raise DirectoryError("Формат: /colleague read ID текст сообщений коллеги (хотя бы пара фраз).")
    colleague = await uow.colleagues.get(parts[0])
    if colleague is None:
        raise DirectoryError(f"Коллега с id «{parts[0]}» не найден. Список — /colleagues.")
    result = (await app.classifier()).classify(parts[1])
    if result.type is not BehaviourType.UNDETERMINED:
        colleague.type, colleague.type_source = result.type.value, "messages"
    await uow.audit.record("colleague_type_read", actor_id=principal.user_id, object_ref=colleague.id,
                           details={"type": result.type.value})  # fmt: skip
    return colleague, result
