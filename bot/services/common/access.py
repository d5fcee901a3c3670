"""Who may do what: roles from the environment plus roles stored in the database, and whose clients one sees."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.domain import ROLE_NAMES_RU, Role
from storage.repositories.clients import Scope
from storage.uow import UnitOfWork

LOCAL_OPERATOR_ID = 0  # the person at the terminal chat / CLI: the owner of the machine


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    name: str
    roles: frozenset[Role]
    scope: Scope | None  # None: sees every client (admins)

    @property
    def known(self) -> bool:
        return bool(self.roles)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def can_review(self) -> bool:
        return self.has(Role.SUPERVISOR, Role.ADMIN)

    @property
    def works_with_clients(self) -> bool:
        return self.has(Role.MANAGER, Role.SUPERVISOR, Role.ADMIN)

    def roles_text(self) -> str:
        order = [Role.ADMIN, Role.SUPERVISOR, Role.MANAGER, Role.STAFF]
        return ", ".join(ROLE_NAMES_RU[r] for r in order if r in self.roles) or "нет роли"


class AccessError(Exception):
    """The person may not do this; the message is safe to show."""


class AccessService:
    def __init__(self, settings: Settings) -> None:
        self._env_roles: dict[int, set[Role]] = {}
        for role, ids in (
            (Role.ADMIN, settings.bot_admins),
            (Role.SUPERVISOR, settings.bot_supervisors),
            (Role.MANAGER, settings.bot_managers),
            (Role.STAFF, settings.bot_staff),
        ):
            for user_id in ids:
                self._env_roles.setdefault(user_id, set()).add(role)

    async def roles_of(self, uow: UnitOfWork, user_id: int) -> set[Role]:
        roles = set(self._env_roles.get(user_id, set()))
        roles |= {Role(r) for r in await uow.users.stored_roles(user_id) if r in Role.__members__.values()}
        return roles

    async def identify(self, uow: UnitOfWork, user_id: int, username: str | None, full_name: str) -> Principal:
        """Record the contact and work out the person's roles and visibility (on every update)."""
        user = await uow.users.touch(user_id, username, full_name)
        roles = frozenset(await self.roles_of(uow, user_id))
        return Principal(
            user_id, full_name or username or str(user_id), roles, await self._scope(uow, user_id, roles, user.crm_key)
        )

    async def local_operator(self, uow: UnitOfWork, name: str = "Оператор") -> Principal:
        """The terminal chat and the CLI run on the owner's machine: full rights, all clients."""
        await uow.users.touch(LOCAL_OPERATOR_ID, None, name)
        return Principal(LOCAL_OPERATOR_ID, name, frozenset(Role), None)

    async def _scope(self, uow: UnitOfWork, user_id: int, roles: frozenset[Role], crm_key: str | None) -> Scope | None:
        if Role.ADMIN in roles:
            return None
        ids = {user_id}
        keys = {crm_key} if crm_key else set()
        if Role.SUPERVISOR in roles:
            for member_id in await uow.users.team_of(user_id):
                ids.add(member_id)
                member = await uow.users.get(member_id)
                if member and member.crm_key:
                    keys.add(member.crm_key)
        if not roles & {Role.MANAGER, Role.SUPERVISOR}:
            return Scope()  # staff work with colleagues, not with client files
        return Scope(frozenset(ids), frozenset(keys))

    async def grant(
        self,
        uow: UnitOfWork,
        actor: Principal,
        target_id: int,
        role: Role,
        *,
        crm_key: str | None = None,
        supervisor_id: int | None = None,
    ) -> bool:
        if not actor.has(Role.ADMIN):
            raise AccessError("Выдавать роли может только администратор.")
        created = await uow.users.grant(target_id, role.value, actor.user_id)
        if crm_key is not None or supervisor_id is not None:
            user = await uow.users.get(target_id) or await uow.users.touch(target_id, None, "")
            if crm_key is not None:
                user.crm_key = crm_key
            if supervisor_id is not None:
                user.supervisor_id = supervisor_id
        await uow.audit.record(
            "role_granted", actor_id=actor.user_id, object_ref=str(target_id), details={"role": role.value}
        )
        return created

    async def revoke(self, uow: UnitOfWork, actor: Principal, target_id: int, role: Role) -> bool:
        if not actor.has(Role.ADMIN):
            raise AccessError("Отзывать роли может только администратор.")
        if role in self._env_roles.get(target_id, set()):
            raise AccessError("Эта роль задана в настройках (переменные BOT_*): уберите её там и перезапустите бота.")
        removed = await uow.users.revoke(target_id, role.value)
        await uow.audit.record(
            "role_revoked", actor_id=actor.user_id, object_ref=str(target_id), details={"role": role.value}
        )
        return removed

    async def record_refusal(self, uow: UnitOfWork, user_id: int, what: str) -> None:
        await uow.audit.record("access_denied", actor_id=user_id, details={"attempt": what[:200]})
