"""SQLite's in-process write lock (`Database._write_lock`) is one per database and not
re-entrant: a thread that asks for it again while holding it is told so at once, instead of
waiting for itself for ever (work without a deadline, the scheduler's) with every other write
stuck behind it."""

from __future__ import annotations

from storage.db import Database
from tests.support.threads import outcome_in_a_thread


def test_a_transaction_inside_another_is_refused_and_the_lock_is_free_after(
    sqlite_db: Database,
) -> None:
    def nested() -> None:
        with sqlite_db.transaction(), sqlite_db.transaction():
            pass

    [error] = outcome_in_a_thread(nested)

    assert isinstance(error, RuntimeError)
    with sqlite_db.transaction():  # the outer transaction gave the lock back
        pass


def test_a_checkpoint_inside_a_transaction_is_refused(sqlite_db: Database) -> None:
    def checkpoint_inside() -> bool:
        with sqlite_db.transaction():
            return sqlite_db.checkpoint()

    [error] = outcome_in_a_thread(checkpoint_inside)

    assert isinstance(error, RuntimeError)
    assert sqlite_db.checkpoint()
