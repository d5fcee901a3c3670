"""free-text departments: a colleague's and a task's department hold what the CRM export wrote (up to 200 chars)

Revision ID: 0004_free_text_departments
Revises: 0003_task_followthrough
Create Date: 2026-12-04 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_free_text_departments"
down_revision: str | None = "0003_task_followthrough"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("colleagues") as batch:
        batch.alter_column("department", existing_type=sa.String(length=32), type_=sa.String(length=200))
    with op.batch_alter_table("tasks") as batch:
        batch.alter_column("department", existing_type=sa.String(length=32), type_=sa.String(length=200))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.alter_column("department", existing_type=sa.String(length=200), type_=sa.String(length=32))
    with op.batch_alter_table("colleagues") as batch:
        batch.alter_column("department", existing_type=sa.String(length=200), type_=sa.String(length=32))
