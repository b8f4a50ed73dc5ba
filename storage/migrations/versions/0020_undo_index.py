"""A partial index over the answers kept for Undo

The planner's tick clears the Undo state of answers whose day is over (`forget_spent_undo`).
Without an index that UPDATE read every outbox row every five minutes; the partial index holds
only the few rows with a state kept, so the tick's cost follows them, not the outbox's size.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEPT = sa.text("undo_state IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_undo_kept",
        "outbox",
        ["undo_until"],
        sqlite_where=_KEPT,
        postgresql_where=_KEPT,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_undo_kept", table_name="outbox")
