"""Digest withdrawals Slack refused, kept until they are made

When a channel with posted digests becomes shared or a workspace guest joins, its digests that
still show partners are replaced by one "withdrawn" line after the ack. If Slack refused that
work (`conversations.info` or `chat.update` rate limited, failing or timing out), nothing kept
it: the digest went on showing partners. `digest_withdrawals` holds one row per channel whose
withdrawal is still to be made, noted with the event and deleted once done, which the delivery
job makes again, leased to one scheduler at a time. A new table: nothing existing changes.

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_withdrawals",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("mark", sa.String(length=32), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("noted_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_digest_withdrawals_not_before", "digest_withdrawals", ["not_before"])


def downgrade() -> None:
    op.drop_index("ix_digest_withdrawals_not_before", table_name="digest_withdrawals")
    op.drop_table("digest_withdrawals")
