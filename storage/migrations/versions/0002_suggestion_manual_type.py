"""suggestion manual type: the type a manager picked on the card instead of the classifier's

Revision ID: 0002_suggestion_manual_type
Revises: 0001
Create Date: 2026-11-23 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_suggestion_manual_type"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("manual_type", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("manual_type")
