"""Another process on the same SQLite file, as a test stands in for it."""

from __future__ import annotations

from storage.db import WRITE_LOCK_SUFFIX, Database, side_file
from storage.turns import ProcessLock


def another_process(db: Database) -> ProcessLock:
    """The write lock among processes on `db`'s file, as another process (a second worker,
    `rapport scheduler`) takes it: `acquire` holds every write of `db` back until `release`."""
    assert db.path is not None, "another process needs a database file"
    return ProcessLock(side_file(db.path, WRITE_LOCK_SUFFIX))
