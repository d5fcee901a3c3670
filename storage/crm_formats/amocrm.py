"""amoCRM exports (Сделки → «Экспорт», Контакты и компании → «Экспорт»; CSV or XLSX) mapped onto our model.

Column headers are amoCRM's own Russian ones. Where they come from (public code that reads real amoCRM export files):
- deals export: «ID», «Название сделки», «Бюджет», «Ответственный», «Дата создания сделки», «Кем создана сделка»,
  «Дата редактирования», «Дата закрытия», «Теги», «Примечание»…«Примечание 5», «Этап сделки», «Воронка»,
  «Полное имя контакта», «Компания контакта», «Ответственный за контакт», «Компания», «Рабочий телефон»,
  «Рабочий прямой телефон», «Мобильный телефон», «Факс», «Домашний телефон», «Другой телефон», «Рабочий email»,
  «Личный email», «Другой email», «Должность» — github.com/hromov/jevelina, amoimport/leads.go (column list in
  the comment at its end; dates there are «02.01.2006 15:04:05», i.e. dd.mm.yyyy HH:MM:SS).
- contacts and companies export (one file, «Тип» = контакт / компания): «ID», «Тип», «Полное имя контакта», «Имя»,
  «Фамилия», «Название компании», «Ответственный», «Дата создания контакта», «Кем создан контакт», «Сделки», «Теги»,
  «Примечание 1»…, the same phone and email columns, «Web», «Адрес», «Должность» — github.com/hromov/jevelina,
  amoimport/contacts.go (dates «02-01-2006 15:04:05»).
- the closing stages «Успешно реализовано» (won, status 142) and «Закрыто и не реализовано» (lost, 143) are
  amoCRM's fixed final stages of every pipeline.
A deal's client is its company («Компания», else «Компания контакта»), else the contact person.
"""

from __future__ import annotations

from collections.abc import Iterator

from storage.crm_formats.common import ClientCollector, CrmTableSpec, Row, Rows, full_name, pick, text
from storage.import_records import RawRecord

SOURCE = "amoCRM"
PREFIX = "amo"
PHONES = ("рабочий телефон", "мобильный телефон", "рабочий прямой телефон", "домашний телефон", "другой телефон")
EMAILS = ("рабочий email", "личный email", "другой email")
WON = {"успешно реализовано", "успешно", "сделка успешна"}
LOST = {"закрыто и не реализовано", "не реализовано", "закрыто не реализовано"}
# Headers only amoCRM writes (Bitrix24 writes «e-mail» with a hyphen and «Стадия сделки»).
_AMO_MARKS = {"полное имя контакта", "этап сделки", "рабочий email", "личный email", "дата создания контакта"}


def _contact(row: Row, person: object) -> dict[str, object]:
    return {"name": text(person), "phone": text(pick(row, *PHONES)), "email": text(pick(row, *EMAILS))}


def _is_deals(headers: set[str]) -> bool:
    return "название сделки" in headers and bool(headers & {"этап сделки", "полное имя контакта"})


def _deals(rows: Rows) -> Iterator[RawRecord]:
    clients = ClientCollector(PREFIX)
    for where, row in rows:
        person = pick(row, "полное имя контакта", "основной контакт")
        client_id = clients.add(
            where,
            company=pick(row, "компания", "компания контакта"),
            person=person,
            contact=_contact(row, person),
            manager=pick(row, "ответственный за контакт", "ответственный"),
        )
        stage = " ".join(str(pick(row, "этап сделки") or "").lower().replace("ё", "е").split())
        status = "won" if stage in WON else "lost" if stage in LOST else "open"
        deal: dict[str, object] = {
            "id": f"{PREFIX}-{pick(row, 'id')}" if pick(row, "id") is not None else None,
            "client_id": client_id,
            "title": pick(row, "название сделки"),
            "amount": pick(row, "бюджет"),
            "status": status,
            "created": pick(row, "дата создания сделки", "дата создания"),
            "closed": pick(row, "дата закрытия") if status != "open" else None,
        }
        yield RawRecord("deals", {k: v for k, v in deal.items() if v is not None}, where)
    yield from clients.records()


def _is_contacts(headers: set[str]) -> bool:
    if "название сделки" in headers:
        return False
    return "полное имя контакта" in headers or (
        "название компании" in headers and bool(headers & (_AMO_MARKS | {"кем создан контакт", "web"}))
    )


def _contacts(rows: Rows) -> Iterator[RawRecord]:
    clients = ClientCollector(PREFIX)
    for where, row in rows:
        is_company = str(pick(row, "тип") or "").strip().lower() == "компания"
        company = pick(row, "название компании")
        person = (
            None
            if is_company
            else pick(row, "полное имя контакта") or full_name(pick(row, "имя"), pick(row, "фамилия"))
        )
        if is_company and company is None:
            company = pick(row, "полное имя контакта")
        client_id = clients.add(
            where,
            company=company,
            person=person,
            contact=_contact(row, person),
            manager=pick(row, "ответственный"),
        )
        if client_id is None:
            yield RawRecord("clients", {"id": pick(row, "id")}, where)  # refused: neither a name nor a company
    yield from clients.records()


TABLES = (
    CrmTableSpec(SOURCE, "сделки", _is_deals, _deals),
    CrmTableSpec(SOURCE, "контакты и компании", _is_contacts, _contacts),
)
