"""Alembic environment: runs against the engine `storage.migrate` hands over.

All steps run in one transaction of our own, so they commit together or not at all (Alembic
joins a transaction it finds). On SQLite, foreign keys are off while tables are rebuilt and
checked before the commit (`storage.migrations.foreign_keys` says why).
"""

from alembic import context

from storage.migrations.foreign_keys import check_references, set_sqlite_foreign_keys
from storage.models import Base

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        set_sqlite_foreign_keys(connection, on=False)
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                check_references(connection)
    finally:
        if sqlite:
            set_sqlite_foreign_keys(connection, on=True)
