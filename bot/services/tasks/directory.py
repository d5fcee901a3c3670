"""The directory the task engine matches against: colleagues (people and departments) and clients (names, projects,
contact people), loaded once per request from storage and indexed for Russian name forms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.nlp.names import DEPARTMENT_NAMES_RU, NameIndex, Person, address_name
from bot.nlp.org_names import Org, OrgIndex
from storage.models import Colleague
from storage.uow import UnitOfWork

# Quoted names of sites and projects in deal titles: «Двери для ЖК «Заречный»» makes «Заречный» point to the client.
_PROJECT = re.compile(r"(?:ЖК|ТЦ|ТРЦ|БЦ|МФК|КП|объект\w*|комплекс\w*|проект\w*)\s+[«\"]([^»\"]{3,60})[»\"]")


@dataclass(frozen=True, slots=True)
class ColleagueInfo:
    id: str
    name: str
    department: str
    type: str | None = None
    motivation: str = ""
    telegram_user_id: int | None = None
    telegram_username: str | None = None

    @property
    def greeting_name(self) -> str:
        return address_name(self.name)

    @property
    def department_name(self) -> str:
        return DEPARTMENT_NAMES_RU.get(self.department, self.department)

    @classmethod
    def of(cls, c: Colleague) -> ColleagueInfo:
        return cls(c.id, c.name, c.department, c.type, c.motivation or "", c.telegram_user_id, c.telegram_username)


@dataclass(frozen=True, slots=True)
class ClientInfo:
    id: str
    name: str
    company: str = ""


class Directory:
    def __init__(
        self,
        colleagues: list[ColleagueInfo],
        clients: list[ClientInfo],
        contacts: dict[str, list[str]] | None = None,
        deal_titles: list[tuple[str, str]] | None = None,
    ) -> None:
        self.colleagues = {c.id: c for c in colleagues}
        self.clients = {c.id: c for c in clients}
        self.people = NameIndex(Person(c.id, c.name, c.department) for c in colleagues)
        projects: dict[str, list[str]] = {}
        for client_id, title in deal_titles or []:
            for name in _PROJECT.findall(title):
                projects.setdefault(client_id, []).append(name)
        self.orgs = OrgIndex(
            Org(c.id, (c.name, c.company, *projects.get(c.id, [])), tuple((contacts or {}).get(c.id, [])))
            for c in clients
        )

    def fuzzy_client(self, query: str) -> list[str]:
        scored = sorted(
            ((fuzz.WRatio(query.lower(), c.name.lower()), c.id) for c in self.clients.values()), reverse=True
        )
        return [cid for score, cid in scored[:3] if score >= 85]

    def in_department(self, department: str) -> list[ColleagueInfo]:
        return [c for c in self.colleagues.values() if c.department == department]


async def load_directory(uow: UnitOfWork) -> Directory:
    colleagues = [ColleagueInfo.of(c) for c in await uow.colleagues.all()]
    rows = await uow.clients.all()
    clients = [ClientInfo(c.id, c.name, c.company or "") for c in rows]
    contacts = {c.id: [p.name for p in c.contacts if p.name] for c in rows}
    return Directory(colleagues, clients, contacts, await uow.clients.deal_titles())
