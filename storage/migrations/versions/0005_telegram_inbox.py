"""telegram inbox: every update stored before it is confirmed, handled from there, marked done afterwards

Revision ID: 0005_telegram_inbox
Revises: 0004_free_text_departments
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005_telegram_inbox"
down_revision: str | None = "0004_free_text_departments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "telegram_inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_telegram_inbox")),
    )
    with op.batch_alter_table("telegram_inbox") as batch:
        batch.create_index(batch.f("ix_telegram_inbox_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("telegram_inbox") as batch:
        batch.drop_index(batch.f("ix_telegram_inbox_status"))
    op.drop_table("telegram_inbox")
