"""Foreign keys while SQLite migrates.

On SQLite, changing a column means rebuilding its table (Alembic's batch mode: copy, drop,
rename). With foreign keys enforced, dropping the old `partners` table deletes every row that
points at it through ON DELETE CASCADE, so an upgrade would silently lose contacts and promises.
SQLite's own procedure for such changes (https://www.sqlite.org/lang_altertable.html, "other
kinds of table schema changes") is followed instead: foreign keys off for the migration (the
pragma only takes effect outside a transaction), `PRAGMA foreign_key_check` before the commit,
so that a migration leaving a dangling reference fails and changes nothing, and foreign keys on
again for whoever uses the pooled connection next.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection


class DanglingReferences(RuntimeError):
    """Rows point at rows that do not exist after the migration; it was rolled back."""


def set_sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Switch enforcement on or off. Sent to the driver directly: SQLAlchemy would open a
    transaction first, inside which the pragma does nothing."""
    driver: Any = connection.connection.driver_connection
    driver.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def check_references(connection: Connection) -> None:
    """Raises DanglingReferences naming the tables (never the rows) with broken references."""
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        tables = sorted({str(row[0]) for row in dangling})
        raise DanglingReferences(f"{len(dangling)} rows in {', '.join(tables)} point at nothing")
