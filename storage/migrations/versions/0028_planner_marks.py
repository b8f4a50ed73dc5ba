"""What the planner last decided about each check-in and promise, and when to look again

A planner tick looked at every check-in that was due and every open promise due by the
heads-up horizon, on every tick, five minutes apart: those whose nudges were pending, spent
(three unanswered) or not due again for a week included, so a tick cost what had ever fallen
due rather than what was due now. Partners and promises now keep what the planner decided from
(their own values: the due instant or day, who was to be nudged, a snooze, a pause) and when the
rules may want a nudge again; an index over "that instant while the values are unchanged, else
the due instant" gives the tick the items to look at now and no others. A write that changes
any of those values needs to do nothing: the values no longer match, and the item is looked at
as one never planned.

The expressions are written out here, as `storage.models` builds them, so that this migration
means the same whatever that module becomes. The new columns start empty: every item is looked
at on the first tick after the upgrade, as before.

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.elements import Grouping

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTNER_COLUMNS = (
    ("plan_due_at", sa.DateTime()),
    ("plan_member_id", sa.Integer()),
    ("plan_snoozed_until", sa.Date()),
    ("plan_paused_until", sa.Date()),
    ("plan_again_at", sa.DateTime()),
)
PROMISE_COLUMNS = (
    ("plan_due_on", sa.Date()),
    ("plan_member_id", sa.Integer()),
    ("plan_again_at", sa.DateTime()),
)


def _unless_changed(
    pairs: Sequence[tuple[str, str]], noted: str, otherwise: sa.ColumnElement[object]
) -> sa.ColumnElement[object]:
    unchanged = sa.and_(
        *(sa.column(mine).is_not_distinct_from(sa.column(row)) for mine, row in pairs)
    )
    # Parenthesised: PostgreSQL takes an expression in an index only so.
    return Grouping(sa.case((unchanged, sa.column(noted)), else_=otherwise))


def upgrade() -> None:
    for name, type_ in PARTNER_COLUMNS:
        op.add_column("partners", sa.Column(name, type_, nullable=True))
    for name, type_ in PROMISE_COLUMNS:
        op.add_column("promises", sa.Column(name, type_, nullable=True))
    check_in = _unless_changed(
        (
            ("plan_due_at", "check_in_due_at"),
            ("plan_member_id", "owner_id"),
            ("plan_snoozed_until", "check_in_snoozed_until"),
            ("plan_paused_until", "paused_until"),
        ),
        "plan_again_at",
        sa.column("check_in_due_at"),
    )
    op.create_index("ix_partners_check_in_plan", "partners", [sa.column("status"), check_in])
    promise = _unless_changed(
        (("plan_due_on", "due_on"), ("plan_member_id", "member_id")),
        "plan_again_at",
        # The due day's start, as an instant: what the noted instants are compared with.
        sa.cast(sa.column("due_on"), sa.DateTime()),
    )
    op.create_index(
        "ix_promises_plan", "promises", [sa.column("status"), sa.column("promised_by"), promise]
    )


def downgrade() -> None:
    op.drop_index("ix_promises_plan", table_name="promises")
    op.drop_index("ix_partners_check_in_plan", table_name="partners")
    with op.batch_alter_table("promises") as batch:
        for name, _type in reversed(PROMISE_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("partners") as batch:
        for name, _type in reversed(PARTNER_COLUMNS):
            batch.drop_column(name)
