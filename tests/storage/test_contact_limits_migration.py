"""A partner's contact limit and the one-sided stretch told of (migration 0017): the columns come
with the upgrade and go with the downgrade on both backends, the partners stay, and an upgraded
partner has the default limit and has been told of nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from storage.db import Database
from storage.migrate import MIGRATIONS, alembic_config, current_revision, upgrade
from storage.models import Partner, Workspace

REVISION = "0017"
COLUMNS = {"max_contacts", "one_sided_told_in", "one_sided_episode", "one_sided_count"}
AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("partners")}


def _partner(db: Database) -> None:
    with db.transaction() as session:
        workspace = Workspace(team_id="T0LIMIT", created_at=AT)
        session.add(workspace)
        session.flush()
        session.add(
            Partner(
                workspace_id=workspace.id,
                name="Acme",
                name_key="acme",
                created_at=AT,
                max_contacts=5,
                one_sided_told_in="bundle",
                one_sided_episode="gave:none",
                one_sided_count=6,
            )
        )


def _previous() -> str:
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    assert isinstance(previous, str)
    return previous


def test_a_downgrade_drops_the_columns_and_keeps_the_partners(db: Database) -> None:
    _partner(db)

    command.downgrade(alembic_config(db.engine), _previous())

    assert current_revision(db.engine) == _previous()
    assert COLUMNS.isdisjoint(_columns(db))
    with db.engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT name FROM partners").scalars().all()
    assert names == ["Acme"]


def test_an_upgrade_brings_them_back_empty_and_writable(db: Database) -> None:
    _partner(db)
    command.downgrade(alembic_config(db.engine), _previous())

    upgrade(db.engine)

    assert _columns(db) >= COLUMNS
    with db.transaction() as session:
        partner = session.scalars(select(Partner)).one()
        assert (partner.max_contacts, partner.one_sided_told_in, partner.one_sided_count) == (
            None,
            None,
            None,
        )
        partner.max_contacts = 0
    with db.reading() as session:
        assert session.scalars(select(Partner.max_contacts)).one() == 0
