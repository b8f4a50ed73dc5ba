"""A partner's contacts in time order, ties in the order they were logged, with their kind

After every logged contact, the over-contact line reads the partner's newest contacts of the
last 14 days (latest first, then as logged) and counts them, leaving out its own direction and
kind. The index of migration 0025 (partner, occurred, direction) gave neither: contacts logged
for the same moment (a day without a time) were sorted in a temporary B-tree before the first
could be returned, and the count fetched every contact's row for its kind. At 164 contacts in
the window the statement took 227 µs on SQLite, growing with them. This index, which serves
everything the old one did, keeps ties in id order and holds the kind: the newest few come in
index order and the count is read from the index alone.

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "ix_interactions_partner_occurred_direction"
NEW = "ix_interactions_partner_occurred"


def upgrade() -> None:
    op.create_index(
        NEW,
        "interactions",
        ["workspace_id", "partner_id", "occurred_at", "id", "direction", "kind"],
    )
    op.drop_index(OLD, table_name="interactions")


def downgrade() -> None:
    op.create_index(OLD, "interactions", ["workspace_id", "partner_id", "occurred_at", "direction"])
    op.drop_index(NEW, table_name="interactions")
