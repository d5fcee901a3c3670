"""Bitrix24 CRM exports (Контакты, Компании, Сделки, Лиды → «Экспорт в CSV / Excel») mapped onto our model.

Column headers are Bitrix24's own Russian field titles. Where they come from:
- deal fields (TITLE «Название сделки», STAGE_ID «Стадия сделки», OPPORTUNITY «Сумма», CURRENCY_ID «Валюта»,
  COMPANY_ID «Компания», CONTACT_ID «Контакт», ASSIGNED_BY_ID «Ответственный», BEGINDATE «Дата начала»,
  CLOSEDATE «Предполагаемая дата закрытия», CLOSED «Сделка закрыта», DATE_CREATE «Дата создания») — the REST
  reference of crm.deal.fields (dev.1c-bitrix.ru/rest_help/crm/cdeals/crm_deal_fields.php) and public code that
  reads Bitrix24 deal exports by these titles (e.g. «Компания: Название компании» when all fields are exported);
- contact and lead fields: «Обращение», «Имя», «Фамилия», «Отчество», «Рабочий телефон», «Мобильный телефон»,
  «Номер факса», «Домашний телефон», «Другой телефон», «Рабочий e-mail», «Частный e-mail», «Другой e-mail»,
  «Контакт Telegram», «Название компании», «Название лида», «Возможная сумма» — Bitrix24's CSV import template
  for leads, as reproduced in public converters (the same titles the export writes);
- the final stages of the default pipeline are «Сделка успешна» (WON) and «Сделка провалена» (LOSE), with
  «Анализ причины провала» after a loss.
Bitrix24 writes «e-mail» with a hyphen, which tells its files from amoCRM's («email»). Its «Excel» export is an
HTML table named .xls: save it as .xlsx or export to CSV instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from storage.crm_formats.common import ClientCollector, CrmTableSpec, Row, Rows, full_name, pick, text
from storage.import_records import RawRecord

SOURCE = "Битрикс24"
PREFIX = "b24"
PHONES = ("рабочий телефон", "мобильный телефон", "другой телефон", "домашний телефон", "телефон")
EMAILS = ("рабочий e-mail", "частный e-mail", "другой e-mail", "e-mail для рассылок", "e-mail")
WON = {"сделка успешна", "успешна", "успешно реализовано", "закрыто и реализовано", "выиграна"}
LOST = {"сделка провалена", "провалена", "анализ причины провала", "закрыто и не реализовано", "проиграна"}
CURRENCIES = {
    "российский рубль": "RUB", "рубль": "RUB", "руб.": "RUB", "доллар сша": "USD", "евро": "EUR", "тенге": "KZT",
    "казахстанский тенге": "KZT", "белорусский рубль": "BYN", "юань": "CNY", "китайский юань": "CNY",
    "гривна": "UAH", "украинская гривна": "UAH",
}  # fmt: skip
_B24_MARKS = {"рабочий e-mail", "частный e-mail", "стадия сделки", "отчество", "обращение", "контакт telegram"}


def _person(row: Row) -> str | None:
    # Bitrix24 shows a person as «Имя Фамилия» (its default name format), also in a deal's «Контакт» column.
    return full_name(pick(row, "имя"), pick(row, "фамилия")) or text(pick(row, "контакт", "имя, фамилия"))


def _contact(row: Row, person: object) -> dict[str, object]:
    return {
        "name": text(person),
        "phone": text(pick(row, *PHONES)),
        "email": text(pick(row, *EMAILS)),
        "telegram_username": text(pick(row, "контакт telegram")),
    }


def _currency(value: object) -> str | None:
    word = " ".join(str(value or "").lower().split())
    if not word:
        return None
    if word in CURRENCIES:
        return CURRENCIES[word]
    return word.upper() if len(word) == 3 and word.isalpha() and word.isascii() else None


def _is_deals(headers: set[str]) -> bool:
    return "название сделки" in headers and "стадия сделки" in headers


def _deals(rows: Rows) -> Iterator[RawRecord]:
    clients = ClientCollector(PREFIX)
    for where, row in rows:
        person = text(pick(row, "контакт", "контакт: имя"))
        client_id = clients.add(
            where,
            company=pick(row, "компания", "компания: название компании", "название компании"),
            person=person,
            contact=_contact(row, person) if person else None,
            manager=pick(row, "ответственный"),
        )
        stage = " ".join(str(pick(row, "стадия сделки") or "").lower().replace("ё", "е").split())
        status = "won" if stage in WON else "lost" if stage in LOST else "open"
        deal: dict[str, object] = {
            "id": f"{PREFIX}-{pick(row, 'id')}" if pick(row, "id") is not None else None,
            "client_id": client_id,
            "title": pick(row, "название сделки"),
            "amount": pick(row, "сумма"),
            "currency": _currency(pick(row, "валюта")),
            "status": status,
            "created": pick(row, "дата создания", "дата начала"),
            "closed": pick(row, "дата завершения", "предполагаемая дата закрытия") if status != "open" else None,
        }
        yield RawRecord("deals", {k: v for k, v in deal.items() if v is not None}, where)
    yield from clients.records()


def _is_people(headers: set[str]) -> bool:
    if headers & {"название сделки", "полное имя контакта"}:
        return False
    named = "название лида" in headers or bool(headers & {"имя", "фамилия", "название компании"})
    return named and bool(headers & _B24_MARKS)


def _people(rows: Rows) -> Iterator[RawRecord]:
    """Contacts, companies and leads: each row is a client (its company, else the person) with one contact."""
    clients = ClientCollector(PREFIX)
    for where, row in rows:
        person = _person(row)
        client_id = clients.add(
            where,
            company=pick(row, "название компании", "компания"),
            person=person,
            contact=_contact(row, person),
            manager=pick(row, "ответственный"),
            notes=pick(row, "комментарий"),
        )
        if client_id is None:
            yield RawRecord("clients", {"id": pick(row, "id")}, where)  # refused: neither a name nor a company
    yield from clients.records()


TABLES = (
    CrmTableSpec(SOURCE, "сделки", _is_deals, _deals),
    CrmTableSpec(SOURCE, "контакты, компании или лиды", _is_people, _people),
)
