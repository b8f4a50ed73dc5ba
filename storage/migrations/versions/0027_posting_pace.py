"""Each workspace's posting budget, learned from Slack's 429s and shared by every scheduler

Slack publishes no number for its workspace-wide limit on chat.postMessage. The dispatchers
learn it from Slack's answers and pace their posts to it; one row per workspace keeps the
learned rate and the next free send slot, so several scheduler processes share one budget
instead of each learning its own.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "posting_paces",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("rate_milli", sa.Integer(), nullable=False),
        sa.Column("limited_at", sa.DateTime(), nullable=True),
        sa.Column("next_slot", sa.DateTime(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("window_posts", sa.Integer(), nullable=False),
        sa.Column("last_window_rate_milli", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("posting_paces")
