"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import warnings

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import Database
from storage.migrate import alembic_config, current_revision, head_revision, is_current, upgrade
from storage.migrations.foreign_keys import DanglingReferences
from storage.models import Base


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    assert is_current(db.engine), f"test databases are migrated to {head_revision()}"
    with db.engine.connect() as connection, warnings.catch_warnings():
        # Indexes on expressions (the planner's) are not compared: SQLite's reflection passes
        # over them, and PostgreSQL gives their text back rewritten. The planner's storage
        # test checks them on both backends itself, by the plans that use them.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _not_on_expressions}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "models changed without a migration: run alembic autogenerate"


EXPRESSION_INDEXES = frozenset({"ix_partners_check_in_plan", "ix_promises_plan"})


def _not_on_expressions(
    item: object, name: str | None, kind: str, _reflected: bool, _compare_to: object
) -> bool:
    return not (kind == "index" and name in EXPRESSION_INDEXES)


# Rows as the first released schema (0002) stored them; every later migration must keep them.
_OLD_ROWS = (
    "insert into workspaces (id, team_id, created_at) values (1, 'T0OLD', '2026-01-05 10:00:00')",
    "insert into members (id, workspace_id, slack_user_id, name, tz, locale, work_start_minute,"
    " work_end_minute, work_days, is_admin, active, refreshed_at) values (1, 1, 'U0OLD', 'alice',"
    " 'Europe/Berlin', 'de-DE', 540, 1080, '12345', false, true, '2026-01-05 10:00:00')",
    "insert into partners (id, workspace_id, name, name_key, organisation_key,"
    " business_start_minute, business_end_minute, business_days, cadence_days, status, owner_id,"
    " created_at) values (1, 1, 'Acme', 'acme', '', 540, 1080, '12345', 90, 'active', 1,"
    " '2026-01-05 10:00:00')",
    "insert into interactions (id, workspace_id, partner_id, member_id, occurred_at, has_time,"
    " medium, kind, direction, note, source, created_partner, created_at) values (1, 1, 1, 1,"
    " '2026-01-05 09:00:00', false, 'call', 'contact', 'gave', 'talked prices', 'command', false,"
    " '2026-01-05 10:00:00')",
    "insert into promises (id, workspace_id, partner_id, member_id, interaction_id, text, due_on,"
    " status, created_at) values (1, 1, 1, 1, 1, 'send the quote', '2026-01-09', 'open',"
    " '2026-01-05 10:00:00')",
)


def _counts(db: Database) -> dict[str, int]:
    tables = ("workspaces", "members", "partners", "interactions", "promises")
    with db.engine.connect() as connection:
        return {
            t: connection.exec_driver_sql(f"select count(*) from {t}").scalar_one() for t in tables
        }


def test_upgrading_an_old_database_keeps_every_contact_and_promise(db: Database) -> None:
    """On SQLite a column change rebuilds its table; with foreign keys enforced, dropping the old
    `partners` table once deleted every contact and promise through ON DELETE CASCADE."""
    command.downgrade(alembic_config(db.engine), "0002")
    with db.engine.begin() as connection:
        for statement in _OLD_ROWS:
            connection.exec_driver_sql(statement)

    upgrade(db.engine)

    assert is_current(db.engine)
    assert _counts(db) == {
        t: 1 for t in ("workspaces", "members", "partners", "interactions", "promises")
    }
    with db.engine.connect() as connection:
        note = connection.exec_driver_sql("select note from interactions").scalar_one()
        assert note == "talked prices"
        if db.backend == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_a_migration_that_leaves_a_dangling_reference_changes_nothing(db: Database) -> None:
    """The check before the commit: on SQLite a step that would leave a row pointing at nothing
    fails the whole upgrade, and the database stays as it was."""
    if db.backend != "sqlite":
        return  # PostgreSQL enforces foreign keys inside every statement already
    command.downgrade(alembic_config(db.engine), "0002")
    with db.engine.begin() as connection:
        for statement in _OLD_ROWS:
            connection.exec_driver_sql(statement)
    # A contact whose partner is gone, as an older SQLite file without enforced keys may hold.
    with db.engine.connect() as connection:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        connection.exec_driver_sql("delete from partners")
        connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")

    with pytest.raises(DanglingReferences):
        upgrade(db.engine)

    assert current_revision(db.engine) == "0002"
    assert _counts(db)["interactions"] == 1
