"""SQLAlchemy models: people and roles, the CRM (clients, contacts, deals, interactions, promises, incidents),
colleagues and their tasks, suggestions with their reviews, surveys and the audit log.

Ids that come from a CRM import (clients, deals, colleagues, tasks) are the CRM's own strings, so that a second
import of the same file updates rows instead of duplicating them. Rows without an id in the import format
(interactions, promises, incidents) carry a `natural_key` (a hash of their content) for the same reason.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


# People ---------------------------------------------------------------------------------------------------------
class User(Base):
    """Someone who wrote to the bot (Telegram id) or the local operator of the terminal chat."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    supervisor_id: Mapped[int | None] = mapped_column(BigInteger)  # the manager's team lead
    colleague_id: Mapped[str | None] = mapped_column(String(64))  # the directory entry of this person, if any
    crm_key: Mapped[str | None] = mapped_column(String(64), index=True)  # "manager" key used in imports
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]


class RoleGrant(Base):
    """A role stored in the database (on top of the roles from the environment)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    role: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


# CRM ------------------------------------------------------------------------------------------------------------
class Client(Base):
    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    manager_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # owning manager's Telegram id
    manager_key: Mapped[str | None] = mapped_column(String(64), index=True)  # owner as named in the CRM import
    segment: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str] = mapped_column(Text, default="")
    type_override: Mapped[str | None] = mapped_column(String(32))  # a supervisor's correction
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Contact.id"
    )


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    telegram_username: Mapped[str | None] = mapped_column(String(64), index=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))

    client: Mapped[Client] = relationship(back_populates="contacts")


class Deal(Base):
    __tablename__ = "deals"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(8), default="RUB")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / won / lost
    created: Mapped[date | None] = mapped_column(Date)
    closed: Mapped[date | None] = mapped_column(Date)


class Interaction(Base):
    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_client_at", "client_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(32), default="telegram")
    direction: Mapped[str] = mapped_column(String(3))  # in / out
    author: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="import")  # import / telegram / console / log
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)


class Promise(Base):
    __tablename__ = "promises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date, index=True)
    kept: Mapped[bool | None] = mapped_column(Boolean)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))  # delay / quality / billing / other
    text: Mapped[str] = mapped_column(Text)


# Colleagues and internal tasks -------------------------------------------------------------------------------
class Colleague(Base):
    __tablename__ = "colleagues"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), index=True)  # a directory id, or free text from an import
    telegram_username: Mapped[str | None] = mapped_column(String(64), index=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    type: Mapped[str | None] = mapped_column(String(32))
    type_source: Mapped[str | None] = mapped_column(String(16))  # import / manual / messages (read by the classifier)
    motivation: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("colleagues.id", ondelete="SET NULL"), index=True)
    co_executor_ids: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(String(500))
    brief_text: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    requester_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    deadline_at: Mapped[datetime | None]  # when the request named a time of day
    status: Mapped[str] = mapped_column(String(16), default="new")  # draft/new/sent/accepted/clarify/done/cancelled
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None]
    overdue_reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None]
    overdue_asked_at: Mapped[datetime | None]
    message_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # where the brief was delivered
    department: Mapped[str | None] = mapped_column(String(200), index=True)  # when addressed to a department
    request_text: Mapped[str | None] = mapped_column(Text)  # the requester's own words, kept for redrafting
    sent_at: Mapped[datetime | None]  # when the brief reached the colleague


# Suggestions and review --------------------------------------------------------------------------------------
class Suggestion(Base):
    """Anything the bot drafted for a person (client reply, pre-call brief, task brief), with its inputs."""

    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # reply / brief / task
    author_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    input_text: Mapped[str] = mapped_column(Text, default="")
    behaviour_type: Mapped[str | None] = mapped_column(String(32))
    manual_type: Mapped[str | None] = mapped_column(String(32))  # the type the author picked over the classifier's
    type_confidence: Mapped[float | None] = mapped_column(Float)
    cues: Mapped[list[Any]] = mapped_column(default=list)
    situation: Mapped[str | None] = mapped_column(String(32))
    script_id: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(16), default="offline")
    llm_tokens: Mapped[int] = mapped_column(Integer, default=0)
    llm_cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new/pending/approved/edited/rejected/saved
    final_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    review_reminded_at: Mapped[datetime | None]


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(BigInteger)
    decision: Mapped[str] = mapped_column(String(16))  # approved / edited / rejected
    comment: Mapped[str] = mapped_column(Text, default="")
    final_text: Mapped[str | None] = mapped_column(Text)
    corrected_type: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TypeCorrection(Base):
    """A supervisor's label for a client text: training and evaluation data for the classifier."""

    __tablename__ = "type_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    predicted_type: Mapped[str | None] = mapped_column(String(32))
    corrected_type: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str | None] = mapped_column(String(64))
    suggestion_id: Mapped[int | None] = mapped_column(Integer)
    reviewer_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyResponse(Base):
    """One anonymous answer set of the maturity survey; `respondent_hash` only prevents double voting."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("period", "respondent_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # e.g. 2026-Q4
    respondent_hash: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LlmUsage(Base):
    __tablename__ = "llm_usage"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    task: Mapped[str] = mapped_column(String(32))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    suggestion_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64), index=True)
    object_ref: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


# Telegram delivery ----------------------------------------------------------------------------------------------
class InboxUpdate(Base):
    """A Telegram update, stored before Telegram is told it arrived and marked done after its handler finished.

    Keyed by Telegram's update_id, so the same update delivered twice (a lost confirmation, a webhook retry) is
    handled once; pending rows are resumed after a crash. `claimed_by`/`claimed_until` is the lease of the
    instance handling the update (several webhook instances can share the table). The raw update is cleared once
    the update is done: client text stays here no longer than it takes to answer.
    """

    __tablename__ = "telegram_inbox"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str | None] = mapped_column(Text)  # the update's JSON as Telegram sent it
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(200))  # the exception's class, never client text


class JobMark(Base):
    """One message of a background job to one person for one period (a digest of a day, a reminder of a task).

    Written and committed before the message leaves, so a retry or a second instance never sends it twice; removed
    again when the message could not be delivered, so the next tick tries once more.
    """

    __tablename__ = "job_marks"
    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    person: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    period: Mapped[str] = mapped_column(String(80), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
