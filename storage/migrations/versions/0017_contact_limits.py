"""Contact limits: a partner's over-contact threshold and the one-sided stretch told of

`partners.max_contacts`: how many contacts we start with the partner within 14 days before the
reply to a logged contact says it is a lot (NULL: the default, 3; 0: never). The one-sided
columns remember which stretch of contacts all in one direction a nudge DM told the owner of
(`one_sided_told_in`, a bundle id, no foreign key as `collision_told_in`; `one_sided_episode`;
`one_sided_count`, the count the DM said). All nullable: existing partners keep the default
and have been told of nothing.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("partners", sa.Column("max_contacts", sa.Integer(), nullable=True))
    op.add_column("partners", sa.Column("one_sided_told_in", sa.String(length=36), nullable=True))
    op.add_column("partners", sa.Column("one_sided_episode", sa.String(length=64), nullable=True))
    op.add_column("partners", sa.Column("one_sided_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partners") as batch:
        batch.drop_column("one_sided_count")
        batch.drop_column("one_sided_episode")
        batch.drop_column("one_sided_told_in")
        batch.drop_column("max_contacts")
