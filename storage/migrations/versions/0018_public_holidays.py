"""Public holidays: a region for members and partners

`members.public_holidays` and `partners.public_holidays` name whose public holidays count as
days off: NULL follows the country of the person's time zone (tzdata's `zone.tab`), "none" has
none, else a region code as the holidays library names it ("DE-BY", "JP"). Existing rows keep
NULL, so everyone starts with the holidays of their zone's country.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REGION_CHARS = 48


def upgrade() -> None:
    for table in ("members", "partners"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("public_holidays", sa.String(_REGION_CHARS), nullable=True))


def downgrade() -> None:
    for table in ("members", "partners"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("public_holidays")
