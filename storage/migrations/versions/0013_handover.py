"""Hand-overs announced: the outbox carries who moved a partner, and to whom

Two outbox kinds: "handed_over" tells the new owner who handed them which partner;
"handed_away" tells the previous owner when someone else moved their partner. Their rows are
written in the hand-over's own transaction. `outbox.actor_id` is who moved the partner,
`outbox.handed_to_id` the new owner (for "handed_away"); both are kept as NULL when that member
row goes, as `answered_by_id` is.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = "kind IN ('check_in', 'promise')"
_KINDS_AFTER = "kind IN ('check_in', 'promise', 'handed_over', 'handed_away')"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("handed_to_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_actor_id_members", "members", ["actor_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            "fk_outbox_handed_to_id_members",
            "members",
            ["handed_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.drop_constraint("kind_allowed", type_="check")
        batch.create_check_constraint("kind_allowed", _KINDS_AFTER)


def downgrade() -> None:
    # Announcements cannot be expressed before this revision: they go with it.
    op.execute("DELETE FROM outbox WHERE kind IN ('handed_over', 'handed_away')")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("kind_allowed", type_="check")
        batch.create_check_constraint("kind_allowed", _KINDS_BEFORE)
        batch.drop_constraint("fk_outbox_handed_to_id_members", type_="foreignkey")
        batch.drop_constraint("fk_outbox_actor_id_members", type_="foreignkey")
        batch.drop_column("handed_to_id")
        batch.drop_column("actor_id")
