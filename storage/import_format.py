"""The CRM import format of PRODUCT.md as pydantic models, lenient where it is safe.

What real exports do and we accept: dates with or without a time or an offset (no offset → the company's time zone,
passed in the validation context as `tz`), `null` or a missing key for any optional field, `done` as a yes/no or
the date it was done, amounts as numbers or text («1 200 000,50 ₽»), departments as free text, Russian words for
statuses and kinds. What cannot be read safely (a missing id, a malformed date, an unknown deal status) is an error.

Recoverable oddities (an unknown colleague type, an unknown incident kind, a department that is not in the
directory) are noted in `context["notes"]` as (code, message) and become warnings in the import report.

`null` and a missing key mean the same: the field is not given. A new row gets the default; an existing row keeps
what it has (so an older export does not undo what was marked in the bot). Unknown keys are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from storage.import_values import parse_amount, parse_day, parse_done, parse_moment, split_list

DEFAULT_TZ = ZoneInfo("Europe/Moscow")  # PRODUCT.md's default TIMEZONE; callers pass the configured one
TYPE_IDS = {
    "emotional_confident",
    "nonemotional_confident",
    "nonemotional_unconfident",
    "emotional_unconfident",
    "undetermined",
}
_TYPE_NAMES_RU = {
    "эмоциональный уверенный": "emotional_confident",
    "неэмоциональный уверенный": "nonemotional_confident",
    "неэмоциональный неуверенный": "nonemotional_unconfident",
    "эмоциональный неуверенный": "emotional_unconfident",
    "не определён": "undetermined",
    "не определен": "undetermined",
}
DEAL_STATUSES: dict[str, str] = {
    "open": "open", "won": "won", "lost": "lost", "открыта": "open", "открытая": "open", "в работе": "open",
    "активна": "open", "выиграна": "won", "успешна": "won", "успешно": "won", "успешно реализовано": "won",
    "сделка успешна": "won", "закрыта успешно": "won", "оплачена": "won", "проиграна": "lost", "провалена": "lost",
    "сделка провалена": "lost", "закрыто и не реализовано": "lost", "закрыта и не реализована": "lost",
    "отказ": "lost", "отменена": "lost",
}  # fmt: skip
DIRECTIONS = {
    "in": "in", "out": "out", "incoming": "in", "outgoing": "out", "входящее": "in", "входящий": "in",
    "входящая": "in", "вх": "in", "вх.": "in", "от клиента": "in", "исходящее": "out", "исходящий": "out",
    "исходящая": "out", "исх": "out", "исх.": "out", "клиенту": "out",
}  # fmt: skip
INCIDENT_KINDS = {
    "delay": "delay", "quality": "quality", "billing": "billing", "other": "other", "задержка": "delay",
    "просрочка": "delay", "опоздание": "delay", "срыв срока": "delay", "срыв сроков": "delay", "качество": "quality",
    "брак": "quality", "дефект": "quality", "пересорт": "quality", "оплата": "billing", "счёт": "billing",
    "счет": "billing", "биллинг": "billing", "документы": "billing", "другое": "other", "прочее": "other",
}  # fmt: skip

Notes = list[tuple[str, str]]
DepartmentResolver = Callable[[str], str | None]


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _note(info: ValidationInfo, code: str, message: str) -> None:
    notes = _context(info).get("notes")
    if isinstance(notes, list):
        notes.append((code, message))


def _ident(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _moment(value: object, info: ValidationInfo) -> datetime:
    tz: tzinfo = _context(info).get("tz") or DEFAULT_TZ
    return parse_moment(value, tz)


def _day(value: object) -> date:
    return parse_day(value)


Ident = Annotated[str, BeforeValidator(_ident), Field(min_length=1, max_length=64)]
Moment = Annotated[datetime, BeforeValidator(_moment)]
Day = Annotated[date, BeforeValidator(_day)]


def _word(value: object) -> str:
    return " ".join(str(value).lower().replace("ё", "е").split()) if value is not None else ""


class _Record(BaseModel):
    # Numbers in text fields are common in spreadsheets (a phone typed as a number).
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def _null_means_not_given(cls, data: Any) -> Any:
        if isinstance(data, dict) and None in data.values():
            return {k: v for k, v in data.items() if v is not None}
        return data


class ContactIn(_Record):
    name: str = ""
    telegram_username: str | None = None
    telegram_user_id: int | None = None
    phone: str | None = None
    email: str | None = None

    @field_validator("telegram_username")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.rsplit("t.me/", 1)[-1].lstrip("@").strip("/ ")
        return value or None


class ClientIn(_Record):
    id: Ident
    name: str = Field(min_length=1, max_length=200)
    company: str = Field(default="", max_length=200)
    contacts: list[ContactIn] = Field(default_factory=list)
    manager: str | int | None = None  # owner: a Telegram id or the CRM's manager key
    segment: str | None = Field(default=None, max_length=32)
    notes: str = ""
    # Set by the CRM mappings: an export of deals names only some contacts, so they are added, not replaced.
    merge_contacts: bool = False


class DealIn(_Record):
    id: Ident
    client_id: Ident
    title: str = Field(min_length=1, max_length=300)
    amount: Decimal | None = None
    currency: str = Field(default="RUB", max_length=8)
    status: Literal["open", "won", "lost"] = "open"
    created: Day | None = None
    closed: Day | None = None

    @model_validator(mode="before")
    @classmethod
    def _amount_with_its_currency(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("amount"), str):
            return data
        try:
            _, mark = parse_amount(data["amount"])
        except ValueError:
            return data  # the field validator names the problem
        data = dict(data)
        given = str(data.get("currency") or "").strip().upper()
        if mark and not given:
            data["currency"] = mark
        elif mark and given and mark != given:
            _note(info, "currency", f"в сумме знак {mark}, а в поле currency — {given}; оставлена {given}")
        return data

    @field_validator("amount", mode="before")
    @classmethod
    def _amount_as_written(cls, value: object) -> object:
        return parse_amount(value)[0]

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return str(value).strip().upper() if isinstance(value, str) else value

    @field_validator("status", mode="before")
    @classmethod
    def _status_words(cls, value: object) -> object:
        word = _word(value)
        if word in DEAL_STATUSES:
            return DEAL_STATUSES[word]
        raise ValueError(f"неизвестный статус «{value}»: допустимы open (открыта), won (выиграна), lost (проиграна)")


class InteractionIn(_Record):
    client_id: Ident
    at: Moment
    channel: str = Field(default="telegram", max_length=32)
    direction: Literal["in", "out"]
    author: str = Field(default="", max_length=200)
    text: str = Field(min_length=1)

    @field_validator("direction", mode="before")
    @classmethod
    def _direction_words(cls, value: object) -> object:
        word = _word(value)
        if word in DIRECTIONS:
            return DIRECTIONS[word]
        raise ValueError(f"неизвестное направление «{value}»: допустимы in (входящее) и out (исходящее)")


class PromiseIn(_Record):
    client_id: Ident
    text: str = Field(min_length=1)
    due: Day | None = None
    kept: bool | None = None


class IncidentIn(_Record):
    client_id: Ident
    at: Moment
    kind: Literal["delay", "quality", "billing", "other"] = "other"
    text: str = Field(min_length=1)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_words(cls, value: object, info: ValidationInfo) -> object:
        word = _word(value)
        if word in INCIDENT_KINDS:
            return INCIDENT_KINDS[word]
        _note(info, "incident_kind", f"вид инцидента «{value}» неизвестен — записан как other (другое)")
        return "other"


class ColleagueIn(_Record):
    id: Ident
    name: str = Field(min_length=1, max_length=200)
    department: str = Field(default="", max_length=200)  # free text; the directory's id when it recognises it
    telegram_username: str | None = None
    telegram_user_id: int | None = None
    type: str | None = None
    motivation: str = ""

    @field_validator("telegram_username")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        return ContactIn._strip_at(value)

    @field_validator("department")
    @classmethod
    def _known_department(cls, value: str, info: ValidationInfo) -> str:
        resolve: DepartmentResolver | None = _context(info).get("resolve_department")
        if not value or resolve is None:
            return value
        known = resolve(value)
        if known is None:
            _note(
                info,
                "department",
                f"отдел «{value}» нет в справочнике отделов — к задачам этого сотрудника не добавятся сервисные "
                "обязательства (добавьте отдел или синоним в справочник)",
            )
            return value
        return known

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value in TYPE_IDS:
            return value
        mapped = _TYPE_NAMES_RU.get(_word(value))
        if mapped:
            return mapped
        _note(info, "colleague_type", f"тип «{value}» неизвестен — не записан (определится по сообщениям)")
        return None


class TaskIn(_Record):
    id: Ident
    assignee_id: Ident | None = None
    co_executor_ids: list[Ident] = Field(default_factory=list)
    title: str = Field(min_length=1, max_length=500)
    created: Day | None = None
    deadline: Day | None = None
    done: bool = False
    done_at: datetime | None = None  # from `done` given as a date; not read from the file directly
    overdue_reason: str | None = None
    client_id: Ident | None = None  # optional: the client the task serves

    @model_validator(mode="before")
    @classmethod
    def _done_or_its_date(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if k != "done_at"}
        if data.get("done") is not None:
            done, on = parse_done(data["done"])
            data["done"] = done
            if on is not None:
                # Noon, not midnight: the date stays the same in any time zone it is later shown in.
                data["done_at"] = datetime.combine(on, time(12, 0), _context(info).get("tz") or DEFAULT_TZ)
        return data

    @field_validator("co_executor_ids", mode="before")
    @classmethod
    def _list_in_a_cell(cls, value: object) -> object:
        return [_ident(v) for v in value] if isinstance(value, list) else split_list(value)


ENTITY_MODELS: dict[str, type[_Record]] = {
    "clients": ClientIn,
    "deals": DealIn,
    "interactions": InteractionIn,
    "promises": PromiseIn,
    "incidents": IncidentIn,
    "colleagues": ColleagueIn,
    "tasks": TaskIn,
}
ENTITIES = tuple(ENTITY_MODELS)
