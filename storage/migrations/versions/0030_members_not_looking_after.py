"""A partial index over the members who no longer look after partners

A digest counts the partners nobody looks after: those with no owner, and those whose owner
left the workspace or became a guest. Without an index that count read every member of the
workspace each time (5,000 of them for a few who left), once per channel's digest; the partial
index holds only the members who left or are guests, so its cost follows them.

The predicate is written as each database's compiler writes `NOT (active AND NOT is_guest)`
(SQLite keeps booleans as integers), so that SQLite, which matches a partial index's terms
with the query's, uses it.

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_members_not_looking_after",
        "members",
        ["workspace_id"],
        sqlite_where=sa.text("NOT (active = 1 AND is_guest = 0)"),
        postgresql_where=sa.text("NOT (active AND NOT is_guest)"),
    )


def downgrade() -> None:
    op.drop_index("ix_members_not_looking_after", table_name="members")
