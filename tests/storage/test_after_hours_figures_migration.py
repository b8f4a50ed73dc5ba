"""The after-hours line's memory (migration 0022): the member and bundle columns come with the
upgrade and go with the downgrade on both backends, the rows stay, and an upgraded member has
been told nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from storage.db import Database
from storage.migrate import MIGRATIONS, alembic_config, current_revision, upgrade
from storage.models import Bundle, Member, Workspace

REVISION = "0022"
MEMBER_COLUMNS = {"after_hours_week", "after_hours_told_in"}
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BUNDLE = "0b7e4c1e-5a57-4f5e-9a53-3c1a8f0d2e11"


def _columns(db: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def _told(db: Database) -> None:
    with db.transaction() as session:
        workspace = Workspace(team_id="T0FIGURES", created_at=AT)
        session.add(workspace)
        session.flush()
        member = Member(
            workspace_id=workspace.id,
            slack_user_id="U0ALICE",
            refreshed_at=AT,
            after_hours_week=date(2026, 11, 30),
            after_hours_told_in=BUNDLE,
        )
        session.add(member)
        session.flush()
        session.add(
            Bundle(
                id=BUNDLE,
                workspace_id=workspace.id,
                member_id=member.id,
                local_day=date(2026, 11, 30),
                state="sent",
                created_at=AT,
                after_hours_said='[{"partner": 1, "count": 2}]',
            )
        )


def _previous() -> str:
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    assert previous == "0021"
    return previous


def test_a_downgrade_drops_the_columns_and_keeps_the_rows(db: Database) -> None:
    _told(db)

    command.downgrade(alembic_config(db.engine), _previous())

    assert current_revision(db.engine) == _previous()
    assert MEMBER_COLUMNS.isdisjoint(_columns(db, "members"))
    assert "after_hours_said" not in _columns(db, "bundles")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT slack_user_id FROM members").scalars().all() == [
            "U0ALICE"
        ]
        assert connection.exec_driver_sql("SELECT id FROM bundles").scalars().all() == [BUNDLE]


def test_an_upgrade_brings_them_back_empty_and_writable(db: Database) -> None:
    _told(db)
    command.downgrade(alembic_config(db.engine), _previous())

    upgrade(db.engine)

    with db.transaction() as session:
        member = session.scalars(select(Member)).one()
        bundle = session.scalars(select(Bundle)).one()
        assert (member.after_hours_week, member.after_hours_told_in) == (None, None)
        assert bundle.after_hours_said is None
        member.after_hours_week = date(2026, 12, 7)
    with db.reading() as session:
        assert session.scalars(select(Member.after_hours_week)).one() == date(2026, 12, 7)
