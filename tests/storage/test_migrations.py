"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import Database
from storage.migrate import head_revision, is_current
from storage.models import Base


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    assert is_current(db.engine), f"test databases are migrated to {head_revision()}"
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "models changed without a migration: run alembic autogenerate"
