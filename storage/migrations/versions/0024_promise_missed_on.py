"""The day a promise was missed, when its due day was moved after it had passed

`promises.missed_on` keeps the due day in force when Need more time (or an edit of the contact)
moved a promise's due day once that day had passed, while the promise was still open: the
reliability figure counts such a promise as due that day and not kept, instead of by its new
day. Nullable: promises moved before this revision were recorded by their new day alone, and
nothing kept says which of them were moved late.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("promises", sa.Column("missed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("promises") as batch:
        batch.drop_column("missed_on")
