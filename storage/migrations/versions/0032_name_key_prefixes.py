"""The (workspace, name key) index orders keys by their bytes on PostgreSQL

Every `/logcontact` first reads the partners whose name key begins with the typed word. psycopg
prepares a statement run often on a connection, and PostgreSQL then plans it once for any
parameters: a LIKE whose pattern is a parameter gives that plan no prefix to seek, so it read
every partner of the workspace and tested each name (2-3 ms with 5,000 partners, against a
quarter of that through an index). The read now asks for a range of keys in code point order
(`~>=~`, `~<~`), which an index in the database's collation cannot serve unless that collation
is C; `varchar_pattern_ops` compares bytes, which in UTF-8 order as code points do, whatever
the collation. Equal keys are found on it as before (and on the name unique constraint).
SQLite compares bytes already: its index stays as it is.

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_partners_workspace_name_key"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="partners")
    op.create_index(
        INDEX,
        "partners",
        ["workspace_id", "name_key"],
        postgresql_ops={"name_key": "varchar_pattern_ops"},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="partners")
    op.create_index(INDEX, "partners", ["workspace_id", "name_key"])
