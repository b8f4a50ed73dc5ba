"""Partner profiles: where a partner's time zone came from, and when Slack was last asked

A partner's profile (time zone, business hours, preferred channel, language, cadence, e-mail)
can now be typed by a colleague. A typed zone must outlive the daily refresh of a Slack Connect
partner's profile, so `partners.tz_source` says where the zone came from: "typed", or "slack"
(or None: nothing known). Zones stored before now all came from Slack and are marked so.

`partners.profile_refreshed_at` is when `users.info` last answered about the partner: the
housekeeping refresh asks again after a day, since Slack may not send `user_change` for people
of another organisation. None (every partner now) is refreshed on the first tick.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_partners = sa.table("partners", sa.column("tz", sa.String), sa.column("tz_source", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("partners") as batch:
        batch.add_column(sa.Column("tz_source", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("profile_refreshed_at", sa.DateTime(), nullable=True))
        batch.create_check_constraint("tz_source_allowed", "tz_source IN ('slack', 'typed')")
    op.execute(_partners.update().where(_partners.c.tz.is_not(None)).values(tz_source="slack"))


def downgrade() -> None:
    with op.batch_alter_table("partners") as batch:
        batch.drop_constraint("tz_source_allowed", type_="check")
        batch.drop_column("profile_refreshed_at")
        batch.drop_column("tz_source")
