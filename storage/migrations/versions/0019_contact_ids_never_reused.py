"""A contact's or promise's id is never given to another on SQLite

As for partners (0016): buttons and DMs carry these ids. A nudge DM names its promises by id, a
logged contact's reply names the contact for Undo and Edit, a card names a partner's promise for
Received or Drop. Undo of a log deletes its contact and promise; on SQLite the next contact and
promise then took the same ids, and a nudge DM still in Slack answered "Kept" for a promise
nobody had pressed it for. With AUTOINCREMENT the largest id ever given is kept in
`sqlite_sequence` and never given again; PostgreSQL's sequences never reuse one.

Both tables are rebuilt with their rows, ids, constraints and indexes; nothing else changes. On
a large SQLite file the copy takes a while once (it is a plain copy of each table).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("interactions", "promises")


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
