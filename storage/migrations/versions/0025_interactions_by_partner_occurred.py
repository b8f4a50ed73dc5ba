"""An index over each partner's contacts in time order, with their direction

A team digest decides for every partner of a channel's members when it was last and first
contacted and whether its directed contacts of the last half year all went one way. The index
on (partner, kind, occurred) answers the first two only by reading all of a partner's contacts,
and the third by fetching each contact's row for its direction, one random page each: 200
channels' digests over 2,000,000 contacts spent most of their time there. With this index the
last and first contact are one index seek each, and the half year's directions are read from
the index alone.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interactions_partner_occurred_direction",
        "interactions",
        ["workspace_id", "partner_id", "occurred_at", "direction"],
    )


def downgrade() -> None:
    op.drop_index("ix_interactions_partner_occurred_direction", table_name="interactions")
