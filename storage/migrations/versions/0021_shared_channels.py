"""Shared channels: the Slack caches and the after-hours records

`slack_channels`, `channel_members` and `slack_people` cache `conversations.info`,
`conversations.members` and `users.info`, so that a busy shared channel costs one Slack call per
new person or channel, not one per message. `after_hours_messages` holds, per person of another
organisation reached outside their hours, the time, the channel, the author and who was reached
(never message text; erased after 90 days). `after_hours_hints` allows one hint per sender,
channel and local day; `hint_mutes` records hints muted in a channel or everywhere ("*").
All new tables: nothing existing changes.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace() -> sa.ForeignKey:
    return sa.ForeignKey("workspaces.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "slack_channels",
        sa.Column("workspace_id", sa.Integer(), _workspace(), primary_key=True),
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("is_ext_shared", sa.Boolean(), nullable=False),
        sa.Column("is_pending_ext_shared", sa.Boolean(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("members_known", sa.Boolean(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "channel_members",
        sa.Column("workspace_id", sa.Integer(), primary_key=True),
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("slack_user_id", sa.String(length=32), primary_key=True),
        sa.ForeignKeyConstraint(
            ["workspace_id", "channel_id"],
            ["slack_channels.workspace_id", "slack_channels.channel_id"],
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "slack_people",
        sa.Column("workspace_id", sa.Integer(), _workspace(), primary_key=True),
        sa.Column("slack_user_id", sa.String(length=32), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("is_guest", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "after_hours_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), _workspace(), nullable=False),
        sa.Column("author_user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("person_user_id", sa.String(length=32), nullable=False),
        sa.Column(
            "partner_id",
            sa.Integer(),
            sa.ForeignKey("partners.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("workspace_id", "channel_id", "sent_at", "person_user_id"),
    )
    op.create_index(
        "ix_after_hours_messages_author_sent",
        "after_hours_messages",
        ["workspace_id", "author_user_id", "sent_at"],
    )
    op.create_index("ix_after_hours_messages_sent", "after_hours_messages", ["sent_at"])
    op.create_table(
        "after_hours_hints",
        sa.Column("workspace_id", sa.Integer(), _workspace(), primary_key=True),
        sa.Column("sender_user_id", sa.String(length=32), primary_key=True),
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("local_day", sa.Date(), primary_key=True),
    )
    op.create_table(
        "hint_mutes",
        sa.Column("workspace_id", sa.Integer(), _workspace(), primary_key=True),
        sa.Column("slack_user_id", sa.String(length=32), primary_key=True),
        sa.Column("channel_id", sa.String(length=32), primary_key=True),
        sa.Column("muted_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hint_mutes")
    op.drop_table("after_hours_hints")
    op.drop_index("ix_after_hours_messages_sent", table_name="after_hours_messages")
    op.drop_index("ix_after_hours_messages_author_sent", table_name="after_hours_messages")
    op.drop_table("after_hours_messages")
    op.drop_table("slack_people")
    op.drop_table("channel_members")
    op.drop_table("slack_channels")
