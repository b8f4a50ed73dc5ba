"""One name key for every spelling of a name, partner trigrams for "did you mean"

Re-keys every partner with today's `name_key` (Unicode-normalised, invisible characters left
out, German transliteration, punctuation folded), in batches. Partners whose new keys collide
within a workspace (say "Müller" and "Mu\u0308ller", kept apart by the old key) are all kept:
the first (lowest id) gets the plain key, each other one the key with " #<id>" (a key no name
folds to, since `name_key` folds "#" away), and all of them are flagged `key_collision`, for
their owners' next nudge DM and `rapport partners collisions`. Nothing is merged.

Then fills `partner_trigrams` from the new keys.

The key is computed by `storage.vocabulary.name_key` as it is when this runs: a later change to
it comes with a migration of its own that re-keys again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.vocabulary import NAME_KEY_MAX_CHARS, name_key, name_trigrams

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

_partners = sa.table(
    "partners",
    sa.column("id", sa.Integer),
    sa.column("workspace_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("organisation", sa.String),
    sa.column("organisation_key", sa.String),
    sa.column("key_collision", sa.Boolean),
)
_trigrams = sa.table(
    "partner_trigrams",
    sa.column("partner_id", sa.Integer),
    sa.column("workspace_id", sa.Integer),
    sa.column("trigram", sa.String),
    sa.column("weight", sa.SmallInteger),
)


def upgrade() -> None:
    op.add_column(
        "partners",
        sa.Column("key_collision", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("partners", sa.Column("collision_told_in", sa.String(length=36), nullable=True))
    op.create_index(
        "ix_partners_workspace_organisation_key",
        "partners",
        ["workspace_id", "organisation_key"],
        unique=False,
    )
    op.create_table(
        "partner_trigrams",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("trigram", sa.String(length=3), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_partner_trigrams_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_partner_trigrams_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("partner_id", "trigram", name=op.f("pk_partner_trigrams")),
    )
    op.create_index(
        "ix_partner_trigrams_lookup",
        "partner_trigrams",
        ["workspace_id", "trigram", "partner_id", "weight"],
        unique=False,
    )
    connection = op.get_bind()
    rekey(connection)
    fill_trigrams(connection)


def downgrade() -> None:
    # The keys stay as they are: the old ones could collide again, and these are unique too.
    op.drop_index("ix_partner_trigrams_lookup", table_name="partner_trigrams")
    op.drop_table("partner_trigrams")
    op.drop_index("ix_partners_workspace_organisation_key", table_name="partners")
    with op.batch_alter_table("partners") as batch:
        batch.drop_column("collision_told_in")
        batch.drop_column("key_collision")


def _rows(connection: sa.Connection, *columns: Any) -> Iterator[Sequence[Any]]:
    """Partners by id, `BATCH` rows a query, so no table is read into memory at once."""
    after = 0
    while True:
        rows = connection.execute(
            sa.select(_partners.c.id, *columns)
            .where(_partners.c.id > after)
            .order_by(_partners.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def new_keys(connection: sa.Connection) -> dict[int, tuple[str, str, bool]]:
    """Partner id → (name key, organisation key, collides), only for partners whose keys change
    or that collide. The first partner (lowest id) with a workspace, name key and organisation
    key keeps the plain key; each later one gets " #<id>" on its name key."""
    c = _partners.c
    taken: dict[tuple[int, str, str], int] = {}
    changes: dict[int, tuple[str, str, bool]] = {}
    columns = (c.workspace_id, c.name, c.organisation, c.name_key, c.organisation_key)
    for rows in _rows(connection, *columns):
        for partner_id, workspace_id, name, organisation, old_key, old_organisation_key in rows:
            key, organisation_key = name_key(name), name_key(organisation)
            first = taken.setdefault((workspace_id, key, organisation_key), partner_id)
            if first != partner_id:
                suffix = f" #{partner_id}"
                changes[partner_id] = (
                    key[: NAME_KEY_MAX_CHARS - len(suffix)] + suffix,
                    organisation_key,
                    True,
                )
                changes[first] = (key, organisation_key, True)
            elif (key, organisation_key) != (old_key, old_organisation_key):
                changes[partner_id] = (key, organisation_key, False)
    return changes


def rekey(connection: sa.Connection) -> int:
    """Give every partner its new keys; how many collide. Changed rows first get a placeholder
    key (`_placeholder`), so no update meets a key another row is about to give up (the unique
    constraint is checked row by row)."""
    changes = new_keys(connection)
    ids = sorted(changes)
    update = (
        sa.update(_partners)
        .where(_partners.c.id == sa.bindparam("b_id"))
        .execution_options(synchronize_session=False)
    )
    for at in range(0, len(ids), BATCH):
        connection.execute(
            update.values(name_key=sa.bindparam("b_key")),
            [{"b_id": i, "b_key": _placeholder(i)} for i in ids[at : at + BATCH]],
        )
    for at in range(0, len(ids), BATCH):
        connection.execute(
            update.values(
                name_key=sa.bindparam("b_key"),
                organisation_key=sa.bindparam("b_organisation"),
                key_collision=sa.bindparam("b_collides"),
            ),
            [
                {
                    "b_id": i,
                    "b_key": changes[i][0],
                    "b_organisation": changes[i][1],
                    "b_collides": changes[i][2],
                }
                for i in ids[at : at + BATCH]
            ],
        )
    return sum(1 for *_, collides in changes.values() if collides)


def _placeholder(partner_id: int) -> str:
    """A key no row holds while `rekey` runs: U+001F and the id. `name_key` splits on U+001F
    as on a space, so no new key has one, and a row whose old key is kept has its new key; every
    other row holds a placeholder of its own id. ("#<id>" was not enough: a partner may be
    named "#12", and its old key is just that.)"""
    return f"\x1f{partner_id}"


def fill_trigrams(connection: sa.Connection) -> None:
    """One `partner_trigrams` row per trigram of each partner's (new) name key."""
    c = _partners.c
    for rows in _rows(connection, c.workspace_id, c.name_key):
        trigram_rows = [
            {"partner_id": p, "workspace_id": w, "trigram": trigram, "weight": weight}
            for p, w, key in rows
            for trigram, weight in sorted(name_trigrams(key).items())
        ]
        if trigram_rows:
            connection.execute(sa.insert(_trigrams), trigram_rows)
