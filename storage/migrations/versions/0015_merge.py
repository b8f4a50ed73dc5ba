"""Merging partners leaves an audit row: which partner went into which

`/rapport merge NAME into OTHER` moves a partner's contacts, promises and nudges to another and
removes it. `audit_log` records it as action `merge_partner`: the id the partner had
(`partner_id`) and the id of the one that remains (`into_partner_id`, new, NULL for the other
actions). Ids only, as for `forget_partner`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIONS_BEFORE = "action IN ('forget_partner')"
_ACTIONS_AFTER = "action IN ('forget_partner', 'merge_partner')"


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("into_partner_id", sa.Integer(), nullable=True))
        batch.drop_constraint("action_allowed", type_="check")
        batch.create_check_constraint("action_allowed", _ACTIONS_AFTER)


def downgrade() -> None:
    # A merge cannot be recorded before this revision: its rows go with it.
    op.execute("DELETE FROM audit_log WHERE action = 'merge_partner'")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("action_allowed", type_="check")
        batch.create_check_constraint("action_allowed", _ACTIONS_BEFORE)
        batch.drop_column("into_partner_id")
