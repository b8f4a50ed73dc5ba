"""Undo after an edit: what a logged contact was before each edit

`interactions.before_edit` holds, as JSON, the contact and its promise as they were before each
edit made through the form (the latest last, `storage.vocabulary.EDITS_KEPT` at most), each with
the token its summary's Undo button carries. Undo on that summary puts the contact back as it
was; the button says only which edit, never what to restore. None: never edited, or every edit
undone. Contacts logged before now have none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("before_edit", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("before_edit")
