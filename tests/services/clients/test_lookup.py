"""Client search in any form of a name, visibility by role, attaching a forward to its client, new clients, the
base level rule and the greeting name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.domain import BaseLevel
from bot.services.clients import lookup as clients
from bot.services.clients.lookup import ForwardOrigin, base_level, greeting_name
from bot.services.clients.playbook import load_client_knowledge
from bot.services.clients.search import search
from storage.models import Client, Contact, Deal
from tests.services.clients.support import ADMIN, LEAD, M1, M2, STAFF, demo_app, principal


def _client(cid: str, name: str, company: str, *contacts: tuple[str, str]) -> Client:
    client = Client(id=cid, name=name, company=company)
    client.contacts = [
        Contact(name=n, telegram_username=u, phone="+7 915 432-18-07" if u == "lad" else None) for n, u in contacts
    ]
    return client


CLIENTS = [
    _client("a", "Стройдом", "ООО «Стройдом»", ("Игорь Валентинович Ладыгин", "lad")),
    _client("b", "Гранит-Строй", "ООО «Гранит-Строй»", ("Вячеслав Дорохов", "dor")),
    _client("c", "Вектор", "ООО «Вектор»", ("Татьяна Сергеевна Рябова", "tr")),
    _client("d", "Перспектива", "Частная школа «Перспектива»", ("Елена Миронова", "em")),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Стройдома", "a"),  # a company in the genitive
        ("ладыгину", "a"),  # a surname in the dative, lower case
        ("Ладигин", "a"),  # a typo
        ("у Рябовой", "c"),  # a feminine surname in the genitive
        ("Татьяна Рябова", "c"),  # first name and surname without the patronymic
        ("школа", "d"),  # a word of the company's description
        ("@lad", "a"),  # a Telegram username
        ("915 432-18-07", "a"),  # a phone number
        ("гранит строя", "b"),
    ],
)
def test_search_finds_a_client_by_any_form(query: str, expected: str) -> None:
    hits = search(CLIENTS, query)
    assert hits and hits[0].client.id == expected


def test_search_does_not_match_loose_guesses() -> None:
    assert search(CLIENTS, "Иванов") == []
    # "Стройдом" is not "Гранит-Строй": a guessed stem of an unknown word must not fuzzy-match another client.
    assert [h.client.id for h in search(CLIENTS, "Стройдом")] == ["a"]


def test_greeting_uses_first_name_and_patronymic() -> None:
    assert greeting_name("Игорь Валентинович Ладыгин") == "Игорь Валентинович"
    assert greeting_name("Вера Кочеткова") == "Вера"
    assert greeting_name("Ладыгин Игорь Валентинович") == "Игорь Валентинович"


def _deals(won: int, amount: int = 100) -> list[Deal]:
    return [Deal(id=f"d{i}", client_id="x", title="t", status="won", amount=Decimal(amount)) for i in range(won)]


@pytest.mark.parametrize(
    ("won", "amount", "total", "level"),
    [
        (0, 100, 10_000, BaseLevel.LEAD),
        (1, 100, 10_000, BaseLevel.FIRST_PURCHASE),
        (2, 100, 10_000, BaseLevel.REPEAT),
        (4, 100, 10_000, BaseLevel.REPEAT),
        (5, 100, 10_000, BaseLevel.CORE),
        (2, 1_000, 10_000, BaseLevel.CORE),  # two deals but 20 % of the company's revenue
        (1, 5_000, 10_000, BaseLevel.FIRST_PURCHASE),  # one big deal is still a first purchase
    ],
)
def test_base_level_rule(won: int, amount: int, total: int, level: BaseLevel) -> None:
    knowledge = load_client_knowledge(PROJECT_ROOT)
    info = base_level(_deals(won, amount), Decimal(total), knowledge)
    assert info.level is level and info.task and info.won == won


async def test_visibility_by_role(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1, m2 = await principal(app, M1), await principal(app, M2)
        lead, admin, staff = await principal(app, LEAD), await principal(app, ADMIN), await principal(app, STAFF)
        async with app.uow() as uow:
            assert await clients.visible(uow, m1, "cl01") is not None
            assert await clients.visible(uow, m2, "cl01") is None
            assert await clients.visible(uow, lead, "cl01") is not None  # their team member's client
            assert await clients.visible(uow, lead, "cl02") is None
            assert await clients.visible(uow, admin, "cl02") is not None
            assert await clients.visible(uow, staff, "cl01") is None
            assert [h.client.id for h in await clients.search(uow, m2, "Стройдом")] == []
            assert [h.client.id for h in await clients.search(uow, m1, "Стройдом")] == ["cl01"]
            assert {c.manager_key for c in await clients.recent(uow, m1, limit=10)} == {"m1"}
    finally:
        await app.close()


async def test_forward_origin_attaches_to_the_visible_client_and_remembers_the_id(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1, m2 = await principal(app, M1), await principal(app, M2)
        async with app.uow() as uow:
            by_username = ForwardOrigin(user_id=777, username="LADYGIN_SD", name="Игорь Л.")
            found = await clients.by_origin(uow, m1, by_username)
            assert [(c.id, ct.name) for c, ct in found] == [("cl01", "Игорь Валентинович Ладыгин")]
            clients.remember_telegram_id(found[0][1], by_username)
            assert await clients.by_origin(uow, m2, by_username) == []  # not their client

            by_id = await clients.by_origin(uow, m1, ForwardOrigin(user_id=777, name="Кто-то другой"))
            assert [c.id for c, _ in by_id] == ["cl01"]
            hidden = await clients.by_origin(uow, m1, ForwardOrigin(name="Вера Кочеткова", hidden=True))
            assert [c.id for c, _ in hidden] == ["cl01"]
            assert await clients.by_origin(uow, m1, ForwardOrigin(name="Вера", hidden=True)) == []  # too little
    finally:
        await app.close()


async def test_new_client_is_owned_by_its_creator(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1, m2 = await principal(app, M1), await principal(app, M2)
        async with app.uow() as uow:
            client = await clients.create(uow, m1, "  Коттедж Беловой ", ForwardOrigin(555, "marina", "Марина Белова"))
            assert client.name == "Коттедж Беловой" and client.manager_id == M1 and client.manager_key == "m1"
            assert await clients.visible(uow, m1, client.id) is not None
            assert await clients.visible(uow, m2, client.id) is None
            found = await clients.by_origin(uow, m1, ForwardOrigin(user_id=555))
            assert [c.id for c, _ in found] == [client.id]
    finally:
        await app.close()
