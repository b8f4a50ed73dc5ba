"""Answers to nudge DMs, snoozed and paused partners, dropped promises, members' own choices

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERS = "'checked_in', 'snoozed', 'paused', 'kept', 'more_time', 'dropped'"


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("away_until", sa.Date(), nullable=True))
        batch.create_check_constraint("language_allowed", "language IN ('en', 'de')")
    with op.batch_alter_table("partners") as batch:
        batch.add_column(sa.Column("paused_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("check_in_snoozed_until", sa.Date(), nullable=True))
    with op.batch_alter_table("promises") as batch:
        batch.add_column(sa.Column("drop_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("answer", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("answer_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answered_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
        batch.create_check_constraint("answer_allowed", f"answer IN ({ANSWERS})")
        batch.create_foreign_key(
            "fk_outbox_answered_by_id_members",
            "members",
            ["answered_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_answered_by_id_members", type_="foreignkey")
        batch.drop_constraint("answer_allowed", type_="check")
        batch.drop_column("answered_at")
        batch.drop_column("answered_by_id")
        batch.drop_column("answer_until")
        batch.drop_column("answer")
    with op.batch_alter_table("promises") as batch:
        batch.drop_column("drop_reason")
    with op.batch_alter_table("partners") as batch:
        batch.drop_column("check_in_snoozed_until")
        batch.drop_column("paused_until")
    with op.batch_alter_table("members") as batch:
        batch.drop_constraint("language_allowed", type_="check")
        batch.drop_column("away_until")
        batch.drop_column("language")
