"""The CRM import format of PRODUCT.md as pydantic models: the whole file is validated before anything is written.

Unknown keys are ignored (CRMs export more than we use). Records are checked in the file's order, and references
(deals → clients, tasks → colleagues) are checked against the file and the database, so the first bad record can
be named precisely.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

TYPE_IDS = {
    "emotional_confident",
    "nonemotional_confident",
    "nonemotional_unconfident",
    "emotional_unconfident",
    "undetermined",
}
DEPARTMENTS = {"sales", "logistics", "warehouse", "accounting", "legal", "production"}


def _must_be_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("укажите часовой пояс, например 2026-11-20T10:00:00+03:00")
    return value


# Moments (not dates) must say their time zone: "10:00" in Moscow and in Novosibirsk are different moments.
AwareDatetime = Annotated[datetime, AfterValidator(_must_be_aware)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class ContactIn(_Record):
    name: str = ""
    telegram_username: str | None = None
    telegram_user_id: int | None = None
    phone: str | None = None
    email: str | None = None

    @field_validator("telegram_username")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        return value.lstrip("@") or None if value else None


class ClientIn(_Record):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    company: str = ""
    contacts: list[ContactIn] = Field(default_factory=list)
    manager: str | int | None = None  # owner: a Telegram id or the CRM's manager key
    segment: str | None = None
    notes: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class DealIn(_Record):
    id: str = Field(min_length=1, max_length=64)
    client_id: str
    title: str = Field(min_length=1)
    amount: Decimal | None = None
    currency: str = "RUB"
    status: Literal["open", "won", "lost"] = "open"
    created: date | None = None
    closed: date | None = None

    @field_validator("id", "client_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class InteractionIn(_Record):
    client_id: str
    at: AwareDatetime
    channel: str = "telegram"
    direction: Literal["in", "out"]
    author: str = ""
    text: str = Field(min_length=1)


class PromiseIn(_Record):
    client_id: str
    text: str = Field(min_length=1)
    due: date | None = None
    kept: bool | None = None


class IncidentIn(_Record):
    client_id: str
    at: AwareDatetime
    kind: Literal["delay", "quality", "billing", "other"]
    text: str = Field(min_length=1)


class ColleagueIn(_Record):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    department: str
    telegram_username: str | None = None
    telegram_user_id: int | None = None
    type: str | None = None
    motivation: str = ""

    @field_validator("department")
    @classmethod
    def _known_department(cls, value: str) -> str:
        if value not in DEPARTMENTS:
            raise ValueError(f"неизвестный отдел «{value}», допустимы: {', '.join(sorted(DEPARTMENTS))}")
        return value

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        if value is not None and value not in TYPE_IDS:
            raise ValueError(f"неизвестный тип «{value}»")
        return value


class TaskIn(_Record):
    id: str = Field(min_length=1, max_length=64)
    assignee_id: str | None = None
    co_executor_ids: list[str] = Field(default_factory=list)
    title: str = Field(min_length=1)
    created: date | None = None
    deadline: date | None = None
    done: bool = False
    overdue_reason: str | None = None
    client_id: str | None = None  # optional: the client the task serves


class ImportFile(_Record):
    clients: list[ClientIn] = Field(default_factory=list)
    deals: list[DealIn] = Field(default_factory=list)
    interactions: list[InteractionIn] = Field(default_factory=list)
    promises: list[PromiseIn] = Field(default_factory=list)
    incidents: list[IncidentIn] = Field(default_factory=list)
    colleagues: list[ColleagueIn] = Field(default_factory=list)
    tasks: list[TaskIn] = Field(default_factory=list)
