"""Promises the partner made to us, next to ours

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every promise stored so far was ours: the server default fills existing rows with "us".
    with op.batch_alter_table("promises") as batch:
        batch.add_column(
            sa.Column("promised_by", sa.String(length=16), nullable=False, server_default="us")
        )
        batch.create_check_constraint("promised_by_allowed", "promised_by IN ('us', 'partner')")


def downgrade() -> None:
    with op.batch_alter_table("promises") as batch:
        batch.drop_constraint("promised_by_allowed", type_="check")
        batch.drop_column("promised_by")
