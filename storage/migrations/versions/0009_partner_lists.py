"""Indexes for the lists of `/rapport`

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

A member's own partners in name order (`/rapport partners`), a partner's open promises (the
counts on every row of a list) and a member's open promises by due day (`/rapport promises`):
each page reads its rows from an index instead of every partner or promise of the workspace.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_partners_workspace_owner_name_key": ("partners", ["workspace_id", "owner_id", "name_key"]),
    "ix_promises_workspace_partner_status": (
        "promises",
        ["workspace_id", "partner_id", "status", "due_on"],
    ),
    "ix_promises_workspace_member_status_due": (
        "promises",
        ["workspace_id", "member_id", "status", "due_on"],
    ),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
