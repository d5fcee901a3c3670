"""task follow-through: a task's department, the requester's words and the delivery time; a colleague's type source

Revision ID: 0003_task_followthrough
Revises: 0002_suggestion_manual_type
Create Date: 2026-11-23 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003_task_followthrough"
down_revision: str | None = "0002_suggestion_manual_type"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("department", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("request_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_tasks_department"), ["department"], unique=False)
    with op.batch_alter_table("colleagues") as batch:
        batch.add_column(sa.Column("type_source", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("colleagues") as batch:
        batch.drop_column("type_source")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_index(batch.f("ix_tasks_department"))
        batch.drop_column("sent_at")
        batch.drop_column("request_text")
        batch.drop_column("department")
