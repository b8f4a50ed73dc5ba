"""Partners keep their contact times: first and last contact, last check-in, and when each is due

Health was aggregated from the whole contact history on every read: the planner's every tick,
each digest, each list. Kept in the partner's row (`storage.queries.health.contact_times`), it
is one indexed read. This adds the columns and two indexes, and fills them from the history in
batches of partners by id, so that a large table is never read or written in one statement.
The computation is the one `contact_times.contact_times` makes, written out here so that this
migration means the same whatever that module becomes.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "first_contact_at",
    "last_contact_at",
    "last_check_in_at",
    "check_in_due_at",
    "contact_due_at",
)
BATCH = 2000


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("partners", sa.Column(column, sa.DateTime(), nullable=True))
    op.create_index("ix_partners_status_check_in_due", "partners", ["status", "check_in_due_at"])
    op.create_index(
        "ix_partners_workspace_contact_due", "partners", ["workspace_id", "contact_due_at"]
    )
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_partners_workspace_contact_due", table_name="partners")
    op.drop_index("ix_partners_status_check_in_due", table_name="partners")
    with op.batch_alter_table("partners") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)


def _backfill(connection: sa.Connection) -> None:
    partners = sa.table(
        "partners",
        sa.column("id", sa.Integer),
        sa.column("cadence_days", sa.Integer),
        sa.column("created_at", sa.DateTime),
        *(sa.column(c, sa.DateTime) for c in COLUMNS),
    )
    contacts = sa.table(
        "interactions",
        sa.column("partner_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("occurred_at", sa.DateTime),
    )
    write = (
        sa.update(partners)
        .where(partners.c.id == sa.bindparam("pid"))
        .values({c: sa.bindparam(f"v_{c}", type_=sa.DateTime) for c in COLUMNS})
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(partners.c.id, partners.c.cadence_days, partners.c.created_at)
            .where(partners.c.id > after)
            .order_by(partners.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        ids = [r.id for r in rows]
        check_in = sa.case((contacts.c.kind == "check-in", contacts.c.occurred_at))
        history = {
            h.partner_id: h
            for h in connection.execute(
                sa.select(
                    contacts.c.partner_id,
                    sa.func.min(contacts.c.occurred_at).label("first"),
                    sa.func.max(contacts.c.occurred_at).label("last"),
                    sa.func.max(check_in).label("check_in"),
                )
                .where(contacts.c.partner_id.in_(ids))
                .group_by(contacts.c.partner_id)
            )
        }
        connection.execute(write, [_values(r, history.get(r.id)) for r in rows])
        after = ids[-1]


def _values(partner: sa.Row, history: sa.Row | None) -> dict[str, datetime | int | None]:
    """Naive UTC instants, as the columns keep them."""
    cadence = timedelta(days=partner.cadence_days)
    first = _instant(history.first) if history is not None else None
    last = _instant(history.last) if history is not None else None
    check_in = _instant(history.check_in) if history is not None else None
    since_check_in = check_in or first
    return {
        "pid": partner.id,
        "v_first_contact_at": first,
        "v_last_contact_at": last,
        "v_last_check_in_at": check_in,
        "v_check_in_due_at": since_check_in + cadence if since_check_in is not None else None,
        "v_contact_due_at": (last or _instant(partner.created_at)) + cadence,
    }


def _instant(value: datetime | str | None) -> datetime | None:
    """An aggregate as the backend returns it: SQLite's min/max are text, without a type."""
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=None) if isinstance(value, datetime) else None
    return datetime.fromisoformat(value).replace(tzinfo=None)
