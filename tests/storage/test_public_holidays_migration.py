"""Migration 0018 adds `public_holidays` to members and partners and takes it away again, rows
kept both ways, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from storage.db import Database
from storage.migrate import alembic_config, current_revision, upgrade

_ROWS = (
    "insert into workspaces (id, team_id, created_at) values (1, 'T0HOL', '2026-11-25 10:00:00')",
    "insert into members (id, workspace_id, slack_user_id, name, tz, locale, work_start_minute,"
    " work_end_minute, work_days, is_admin, active, refreshed_at) values (1, 1, 'U0HOL', 'alice',"
    " 'Europe/Berlin', 'de-DE', 540, 1080, '12345', false, true, '2026-11-25 10:00:00')",
    "insert into partners (id, workspace_id, name, name_key, organisation_key, cadence_days,"
    " status, owner_id, created_at) values (1, 1, 'Acme', 'acme', '', 90, 'active', 1,"
    " '2026-11-25 10:00:00')",
)


def _columns(db: Database, table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(db.engine).get_columns(table)}


def test_public_holidays_come_and_go_with_migration_0018_keeping_every_row(db: Database) -> None:
    command.downgrade(alembic_config(db.engine), "0017")
    assert "public_holidays" not in _columns(db, "members")
    assert "public_holidays" not in _columns(db, "partners")
    with db.engine.begin() as connection:
        for statement in _ROWS:
            connection.exec_driver_sql(statement)

    upgrade(db.engine)

    assert current_revision(db.engine) is not None
    assert "public_holidays" in _columns(db, "members")
    assert "public_holidays" in _columns(db, "partners")
    with db.engine.begin() as connection:
        # Everyone starts with the holidays of their zone's country (NULL).
        assert (
            connection.exec_driver_sql("select public_holidays from members").scalar_one() is None
        )
        connection.exec_driver_sql("update members set public_holidays = 'DE-BY'")
        connection.exec_driver_sql("update partners set public_holidays = 'none'")

    command.downgrade(alembic_config(db.engine), "0017")

    assert "public_holidays" not in _columns(db, "members")
    assert "public_holidays" not in _columns(db, "partners")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("select name from members").scalar_one() == "alice"
        assert connection.exec_driver_sql("select name from partners").scalar_one() == "Acme"
    upgrade(db.engine)
    assert "public_holidays" in _columns(db, "members")
