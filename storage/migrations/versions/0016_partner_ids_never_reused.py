"""A partner's id is never given to another partner on SQLite

Buttons carry partner ids: a card's Pause, Edit profile, Hand over and Log contact, a list's and
a DM's "show card", a question's Merge and Forget. SQLite gives a new row the largest id plus
one, so once the partner with the largest id is merged away or forgotten, the next partner
created takes its id, and a button still on someone's screen acts on that newcomer. With
AUTOINCREMENT, SQLite keeps the largest id ever given (in `sqlite_sequence`, which holds table
names and numbers only) and never gives it again. PostgreSQL's sequences never did.

The table is rebuilt with its rows, ids, constraints and indexes; nothing else changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "partners", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
