"""Finished nudges and DMs found by their age, not by reading every one

Every planner tick forgets the nudges and DMs finished more than 90 days ago whose episode is
over. The outbox and the DMs were indexed by state alone for it, so a tick read every finished
row of the last 90 days, most of them kept, to find the few old enough: a cost that grew with
the DMs sent in the last quarter, not with what had aged out since. With (state, created_at)
each finished state is one index range of the rows old enough, whatever the last 90 days hold.
Plain indexes, not partial ones: a partial index is chosen only when the database can see that
the query's state values imply its condition, which bound parameters hide from it.

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_state_created", "outbox", ["state", "created_at"])
    op.create_index("ix_bundles_state_created", "bundles", ["state", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_bundles_state_created", table_name="bundles")
    op.drop_index("ix_outbox_state_created", table_name="outbox")
