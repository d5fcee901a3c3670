"""Role management for admins: /grant, /revoke, /roles."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import texts
from bot.domain import ROLE_NAMES_RU, Role
from bot.services.common.access import AccessError, AccessService, Principal
from bot.telegram.render import esc
from storage.uow import UnitOfWork


def _parse(args: str | None) -> tuple[int, Role, str | None] | None:
    parts = (args or "").split()
    if len(parts) < 2 or not parts[0].lstrip("-").isdigit() or parts[1].lower() not in Role.__members__.values():
        return None
    return int(parts[0]), Role(parts[1].lower()), parts[2] if len(parts) > 2 else None


async def grant(
    message: Message, command: CommandObject, principal: Principal, uow: UnitOfWork, access: AccessService
) -> None:
    parsed = _parse(command.args)
    if parsed is None:
        await message.answer(esc(texts.ROLES_USAGE))
        return
    user_id, role, crm_key = parsed
    try:
        created = await access.grant(uow, principal, user_id, role, crm_key=crm_key)
    except AccessError as exc:
        await message.answer(esc(str(exc)))
        return
    state = "выдана" if created else "уже была выдана"
    await message.answer(esc(f"Роль «{ROLE_NAMES_RU[role]}» {state} пользователю {user_id}."))


async def revoke(
    message: Message, command: CommandObject, principal: Principal, uow: UnitOfWork, access: AccessService
) -> None:
    parsed = _parse(command.args)
    if parsed is None:
        await message.answer(esc(texts.ROLES_USAGE))
        return
    user_id, role, _ = parsed
    try:
        removed = await access.revoke(uow, principal, user_id, role)
    except AccessError as exc:
        await message.answer(esc(str(exc)))
        return
    state = "отозвана" if removed else "не была выдана в базе"
    await message.answer(esc(f"Роль «{ROLE_NAMES_RU[role]}» {state} у пользователя {user_id}."))


async def roles(message: Message, principal: Principal, uow: UnitOfWork) -> None:
    if not principal.has(Role.ADMIN):
        await message.answer(esc(texts.NOT_ALLOWED.format(roles=ROLE_NAMES_RU[Role.ADMIN])))
        return
    grants = await uow.users.all_grants()
    lines = [f"{g.user_id}: {ROLE_NAMES_RU.get(Role(g.role), g.role)}" for g in grants] or ["В базе ролей пока нет."]
    await message.answer(esc("\n".join([*lines, "", texts.ROLES_USAGE])))


def build_router() -> Router:
    router = Router(name="admin")
    router.message.register(grant, Command("grant"))
    router.message.register(revoke, Command("revoke"))
    router.message.register(roles, Command("roles"))
    return router
