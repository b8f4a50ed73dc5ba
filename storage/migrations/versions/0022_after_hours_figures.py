"""After-hours figures in the nudge DM: which week's line a member was told, and what it said

`members.after_hours_week` (the Monday of the member's local ISO week) and
`members.after_hours_told_in` (a bundle id, no foreign key, as `partners.one_sided_told_in`)
remember the first nudge DM of a week that carried last week's after-hours line: it counts as
told once that DM was sent. `bundles.after_hours_said` keeps what the line said (JSON: partner
ids or Slack ids of people with counts, never names), so a DM updated in place by an answer
days later reads the same. All nullable: existing members have been told nothing.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("members", sa.Column("after_hours_week", sa.Date(), nullable=True))
    op.add_column("members", sa.Column("after_hours_told_in", sa.String(length=36), nullable=True))
    op.add_column("bundles", sa.Column("after_hours_said", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bundles") as batch:
        batch.drop_column("after_hours_said")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("after_hours_told_in")
        batch.drop_column("after_hours_week")
