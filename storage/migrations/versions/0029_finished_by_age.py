"""Finished nudges and DMs found by their age, not by reading every one

Every planner tick forgets the nudges and DMs finished more than 90 days ago whose episode is
over. The outbox and the DMs were indexed by state alone for it, so a tick read every finished
row of the last 90 days, most of them kept, to find the few old enough: a cost that grew with
the DMs sent in the last quarter, not with what had aged out since. With (state, created_at)
each finished state is one index range of the rows old enough, whatever the last 90 days hold.
Plain indexes, not partial ones: a partial index is chosen only when the database can see that
the query's state values imply its condition, which bound parameters hide from it.

On PostgreSQL, partners and promises are also vacuumed and analysed sooner than the default (a
fifth of a table changed). Each item the planner looks at gets its notes rewritten, and the old
row's entry in the planner's expression index stays where every tick reads (the instant that
had come) until a vacuum; a bitmap scan, which the database picks for such ranges, never marks
it dead, so every tick visits each one again: up to a fifth of the table before the default
vacuum comes. And the estimates that choose those plans come from the statistics of those
indexes, which a day's notes make old.

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Vacuum after 1,000 rows plus 2 % of the table changed, analyse after 500 plus 1 %.
NOTED_TABLES = ("partners", "promises")
SOONER = (
    "autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0.02, "
    "autovacuum_analyze_threshold = 500, autovacuum_analyze_scale_factor = 0.01"
)
SETTINGS = (
    "autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor, "
    "autovacuum_analyze_threshold, autovacuum_analyze_scale_factor"
)


def upgrade() -> None:
    op.create_index("ix_outbox_state_created", "outbox", ["state", "created_at"])
    op.create_index("ix_bundles_state_created", "bundles", ["state", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTED_TABLES:
            op.execute(f"ALTER TABLE {table} SET ({SOONER})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTED_TABLES:
            op.execute(f"ALTER TABLE {table} RESET ({SETTINGS})")
    op.drop_index("ix_bundles_state_created", table_name="bundles")
    op.drop_index("ix_outbox_state_created", table_name="outbox")
