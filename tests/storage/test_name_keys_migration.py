"""Migration 0007 on both backends: every partner re-keyed with the new `name_key`, partners whose
new keys collide kept apart and flagged (nothing merged), trigrams filled in for "did you mean"."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from storage.db import Database
from storage.migrate import alembic_config, is_current
from storage.models import Partner, PartnerTrigram
from storage.queries.partners import key_collisions, partners_named, similar_partners
from storage.vocabulary import name_key, name_trigrams
from tests.conftest import BACKENDS
from tests.support.postgres import PostgresServer

_names = itertools.count()
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC).replace(tzinfo=None)

# (workspace, name, organisation): as the old key (case-folded, spaces folded) kept them apart.
PARTNERS = [
    ("T1", "Müller", None),
    ("T1", "Mu\u0308ller", None),  # u and a combining diaeresis: the same name, pasted
    ("T1", "MUELLER", None),
    ("T1", "Müller", "Nordwind"),  # another organisation: another partner, no collision
    ("T1", "Café Central", None),
    ("T1", "Cafe Central\u200b", None),  # a zero-width space from a web page
    ("T1", "Straße", None),  # old and new key agree ("strasse"): left as it is
    ("T1", "Jens Ohlsen", None),
    ("T2", "Müller", None),  # another workspace: its own names
]


# The partners table as 0006 has it, as far as these tests write it.
_OLD_PARTNERS = sa.table(
    "partners",
    *(
        sa.column(c)
        for c in (
            "workspace_id",
            "name",
            "name_key",
            "organisation",
            "organisation_key",
            "cadence_days",
            "status",
            "created_at",
        )
    ),
)


@pytest.fixture(params=BACKENDS)
def at_0006(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database migrated to 0006 only."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield from _at_0006(database)
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = f"migration_{next(_names)}"
    database = Database(server.create_database(name))
    yield from _at_0006(database)
    server.drop_database(name)


def _at_0006(database: Database) -> Iterator[Database]:
    command.upgrade(alembic_config(database.engine), "0006")
    yield database
    database.dispose()


def _old_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _insert_old_partners(database: Database) -> dict[str, int]:
    """The PARTNERS rows as 0006 stored them; the workspace ids by team."""
    with database.engine.begin() as connection:
        workspaces = sa.table(
            "workspaces", sa.column("id"), sa.column("team_id"), sa.column("created_at")
        )
        teams = {}
        for team in ("T1", "T2"):
            teams[team] = connection.execute(
                sa.insert(workspaces)
                .values(team_id=team, created_at=NOW)
                .returning(workspaces.c.id)
            ).scalar_one()
        partners = _OLD_PARTNERS
        for team, name, organisation in PARTNERS:
            connection.execute(
                sa.insert(partners).values(
                    workspace_id=teams[team],
                    name=name,
                    name_key=_old_key(name),
                    organisation=organisation,
                    organisation_key=_old_key(organisation),
                    cadence_days=90,
                    status="active",
                    created_at=NOW,
                )
            )
    return teams


def test_colliding_partners_are_kept_apart_flagged_and_listed(at_0006: Database) -> None:
    teams = _insert_old_partners(at_0006)

    command.upgrade(alembic_config(at_0006.engine), "head")

    assert is_current(at_0006.engine)
    with at_0006.reading() as session:
        partners = session.scalars(sa.select(Partner).order_by(Partner.id)).all()
        assert [p.name for p in partners] == [name for _, name, _ in PARTNERS], "none merged"
        by_name = {(p.workspace_id, p.name, p.organisation): p for p in partners}
        t1, t2 = teams["T1"], teams["T2"]
        mueller = by_name[(t1, "Müller", None)]
        pasted = by_name[(t1, "Mu\u0308ller", None)]
        shouted = by_name[(t1, "MUELLER", None)]
        assert mueller.name_key == "mueller"
        assert pasted.name_key == f"mueller #{pasted.id}"
        assert shouted.name_key == f"mueller #{shouted.id}"
        cafe, zero_width = (
            by_name[(t1, "Café Central", None)],
            by_name[(t1, "Cafe Central\u200b", None)],
        )
        assert cafe.name_key == "cafe central"
        assert zero_width.name_key == f"cafe central #{zero_width.id}"
        flagged = {p.id for p in partners if p.key_collision}
        assert flagged == {mueller.id, pasted.id, shouted.id, cafe.id, zero_width.id}
        assert by_name[(t1, "Müller", "Nordwind")].name_key == "mueller"
        assert not by_name[(t2, "Müller", None)].key_collision
        assert by_name[(t1, "Straße", None)].name_key == "strasse"

        for partner in partners:
            stored = session.execute(
                sa.select(PartnerTrigram.trigram, PartnerTrigram.weight).where(
                    PartnerTrigram.partner_id == partner.id
                )
            ).all()
            assert dict(stored) == name_trigrams(partner.name_key)
            assert {
                t.workspace_id
                for t in session.scalars(
                    sa.select(PartnerTrigram).where(PartnerTrigram.partner_id == partner.id)
                )
            } == {partner.workspace_id}

        # Every spelling now finds the one partner that kept the plain key, and a slip finds
        # the flagged ones through the trigrams.
        for typed in ("Müller", "MU\u0308LLER", "mueller", "Müller\u200b"):
            found = [p.id for p in partners_named(session, t1, typed)]
            assert found == [mueller.id, by_name[(t1, "Müller", "Nordwind")].id]
        near = {p.id for p in similar_partners(session, t1, "Müler", limit=10)}
        assert {mueller.id, pasted.id, shouted.id} <= near

        listed = key_collisions(session)
    assert [(row.team_id, row.id, row.name) for row in listed] == [
        ("T1", cafe.id, "Café Central"),
        ("T1", zero_width.id, "Cafe Central\u200b"),
        ("T1", mueller.id, "Müller"),
        ("T1", pasted.id, "Mu\u0308ller"),
        ("T1", shouted.id, "MUELLER"),
    ]
    assert not any(row.told for row in listed)


def test_the_migration_goes_down_and_up_again(at_0006: Database) -> None:
    _insert_old_partners(at_0006)
    config = alembic_config(at_0006.engine)
    command.upgrade(config, "head")

    command.downgrade(config, "0006")
    command.upgrade(config, "head")

    with at_0006.reading() as session:
        partners = session.scalars(sa.select(Partner)).all()
        assert len(partners) == len(PARTNERS)
        assert sum(p.key_collision for p in partners) == 5
        assert all(p.name_key.startswith(name_key(p.name)) for p in partners)
        assert session.scalar(sa.select(sa.func.count()).select_from(PartnerTrigram)) == sum(
            len(name_trigrams(p.name_key)) for p in partners
        )


def test_a_workspace_with_more_partners_than_a_batch_is_re_keyed_whole(at_0006: Database) -> None:
    """Batches of 1,000: a collision across two batches is found as within one."""
    teams = _insert_old_partners(at_0006)
    with at_0006.engine.begin() as connection:
        rows = [
            {
                "workspace_id": teams["T1"],
                "name": f"Partner {n}",
                "name_key": f"partner {n}",
                "organisation_key": "",
                "cadence_days": 90,
                "status": "active",
                "created_at": NOW,
            }
            for n in range(2100)
        ]
        rows.append({**rows[0], "name": "Partner-0", "name_key": "partner-0"})
        connection.execute(sa.insert(_OLD_PARTNERS), rows)

    command.upgrade(alembic_config(at_0006.engine), "head")

    with at_0006.reading() as session:
        late = session.scalars(sa.select(Partner).where(Partner.name == "Partner-0")).one()
        assert late.key_collision and late.name_key == f"partner 0 #{late.id}"
        assert session.scalar(sa.select(sa.func.count()).select_from(Partner)) == 2100 + 1 + len(
            PARTNERS
        )


def test_partners_named_like_another_rows_id_do_not_stop_the_upgrade(at_0006: Database) -> None:
    """A name such as "#12" keeps "#12" as its old key while the rows around it are re-keyed:
    whatever a changed row holds in between must be a key no old key can be."""
    teams = _insert_old_partners(at_0006)
    with at_0006.reading() as session:
        ids = list(session.scalars(sa.text("SELECT id FROM partners ORDER BY id")))
    with at_0006.engine.begin() as connection:
        rows = [
            {
                "workspace_id": teams["T1"],
                "name": name,
                "name_key": name,
                "organisation_key": "",
                "cadence_days": 90,
                "status": "active",
                "created_at": NOW,
            }
            for partner_id in ids
            for name in (f"#{partner_id}", f"{partner_id}#")
        ]
        connection.execute(sa.insert(_OLD_PARTNERS), rows)

    command.upgrade(alembic_config(at_0006.engine), "head")

    assert is_current(at_0006.engine)
    with at_0006.reading() as session:
        keys = {p.name: p.name_key for p in session.scalars(sa.select(Partner))}
    first = ids[0]
    assert keys[f"#{first}"] == str(first)
    # "#12" and "12#" fold to one key: the later one is kept apart, as any collision is.
    later = keys[f"{first}#"]
    assert later.startswith(f"{first} #")
    assert not any("\x1f" in key for key in keys.values())
