"""Team-channel digests: subscriptions, the channel outbox, and claims

`digest_subscriptions` holds one channel's digest schedule (weekday, minute, time zone, every one
or two weeks), language, what a quiet week posts, and whether it is active, suspended (the channel
became shared with another organisation) or off. `digests` is the channel outbox: one row per
subscription and period, delivered once. `partner_claims` records "I'll reach out" on a digest:
for 14 days the claimer gets the partner's check-in nudges. All new tables: nothing existing
changes.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace() -> sa.ForeignKey:
    return sa.ForeignKey("workspaces.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), _workspace(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column(
            "subscriber_id",
            sa.Integer(),
            sa.ForeignKey("members.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("every_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("quiet", sa.String(length=8), nullable=False),
        sa.Column("anchor_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("suspended_reason", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("workspace_id", "channel_id"),
        sa.CheckConstraint(
            "state IN ('active', 'suspended', 'off')",
            name=op.f("ck_digest_subscriptions_state_allowed"),
        ),
        sa.CheckConstraint(
            "quiet IN ('line', 'nothing')", name=op.f("ck_digest_subscriptions_quiet_allowed")
        ),
        sa.CheckConstraint(
            "language IN ('en', 'de')", name=op.f("ck_digest_subscriptions_language_allowed")
        ),
    )
    op.create_table(
        "digests",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), _workspace(), nullable=False),
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey("digest_subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sending_since", sa.DateTime(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("shown", sa.Text(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("subscription_id", "period"),
        sa.CheckConstraint(
            "state IN ('ready', 'sending', 'sent', 'dead', 'skipped')",
            name=op.f("ck_digests_state_allowed"),
        ),
    )
    op.create_index("ix_digests_state_not_before", "digests", ["state", "not_before"])
    op.create_table(
        "partner_claims",
        sa.Column(
            "partner_id",
            sa.Integer(),
            sa.ForeignKey("partners.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("workspace_id", sa.Integer(), _workspace(), nullable=False),
        sa.Column(
            "member_id",
            sa.Integer(),
            sa.ForeignKey("members.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "digest_id",
            sa.String(length=36),
            sa.ForeignKey("digests.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_partner_claims_until", "partner_claims", ["until"])


def downgrade() -> None:
    op.drop_index("ix_partner_claims_until", table_name="partner_claims")
    op.drop_table("partner_claims")
    op.drop_index("ix_digests_state_not_before", table_name="digests")
    op.drop_table("digests")
    op.drop_table("digest_subscriptions")
