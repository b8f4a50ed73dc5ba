"""Answers on a nudge DM can be undone: the outbox keeps what the answer changed

`outbox.undo_state` holds, as JSON, the fields the answer changed (a promise's status,
resolved_at, drop_reason, due_on and text; a partner's snooze or pause day) as they were before
the answer and as the answer left them; `outbox.undo_until` is the instant Undo stops being
offered. Both are NULL on rows whose answer cannot be undone (a copy of an answer given in
another DM, a logged check-in) and once it has been undone; `undo_state` alone is cleared once
its day is over or its promise is gone. They live on the outbox rows, which forgetting a
partner deletes, so a promise's words kept here go with it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("undo_state", sa.Text(), nullable=True))
        batch.add_column(sa.Column("undo_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Answers given before this revision could not be undone: theirs simply stay recorded.
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("undo_until")
        batch.drop_column("undo_state")
