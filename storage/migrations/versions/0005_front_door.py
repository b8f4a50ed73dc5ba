"""The front door: signatures seen (replays), guests, name keys with room for folding

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_requests",
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("request_ts", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_seen_requests")),
    )
    op.create_index(
        op.f("ix_seen_requests_request_ts"), "seen_requests", ["request_ts"], unique=False
    )
    op.create_index(
        op.f("ix_processed_events_received_at"), "processed_events", ["received_at"], unique=False
    )
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("is_guest", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Case folding can lengthen a name ("ß" becomes "ss"): a key has room for three times the
    # longest name, so a valid name always has a valid key.
    with op.batch_alter_table("partners") as batch:
        batch.alter_column("name_key", type_=sa.String(length=600), existing_nullable=False)
        batch.alter_column("organisation_key", type_=sa.String(length=600), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("partners") as batch:
        batch.alter_column("organisation_key", type_=sa.String(length=200), existing_nullable=False)
        batch.alter_column("name_key", type_=sa.String(length=200), existing_nullable=False)
    with op.batch_alter_table("members") as batch:
        batch.drop_column("is_guest")
    op.drop_index(op.f("ix_processed_events_received_at"), table_name="processed_events")
    op.drop_index(op.f("ix_seen_requests_request_ts"), table_name="seen_requests")
    op.drop_table("seen_requests")
