"""SQLite's in-process write lock (`Database._write_lock`) is one per database and not
re-entrant: a thread that asks for it again while holding it is told so at once, instead of
waiting for itself for ever (work without a deadline, the scheduler's) with every other write
stuck behind it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.deadline import Deadline, DeadlineExceeded, within
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


def _probed_as_the_lock_goes(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether another connection could begin writing at each moment `db`'s write lock was let
    go (appended as it goes): True when nothing of the transaction was left holding the file."""
    assert db.path is not None and db._writer is not None
    path, free_when_released = db.path, []
    release = db._writer.release

    def release_after_probing() -> None:
        free_when_released.append(_free_to_write(path))
        release()

    monkeypatch.setattr(db._writer, "release", release_after_probing)
    return free_when_released


def test_a_commit_refused_leaves_no_transaction_open_when_the_lock_goes_to_the_next_writer(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite refuses some COMMITs and keeps the transaction open (a deferred foreign key still
    broken): it must be rolled back before the next writer has the lock. It was not rolled
    back at all: the pool took the connection back as reset, holding the file's write lock, so
    every other process's writes waited for it until this one's next BEGIN on it failed."""
    free_when_released = _probed_as_the_lock_goes(sqlite_db, monkeypatch)

    with pytest.raises(IntegrityError), sqlite_db.transaction() as session:
        session.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        session.execute(text("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))"))
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        session.execute(text("INSERT INTO child (parent_id) VALUES (1)"))

    assert free_when_released == [True]
    with sqlite_db.transaction() as session:  # the connection went back to the pool usable
        session.execute(text("SELECT 1"))
    assert _free_to_write(sqlite_db.path)


def test_work_its_deadline_stops_at_commit_holds_no_transaction_when_the_lock_goes(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deadline passes once the work is done and before its COMMIT (a busy moment, when
    others wait for the lock): the transaction is rolled back before the next writer has the
    lock, not when the session is closed after it, which kept that writer's BEGIN IMMEDIATE
    sleeping in SQLite's busy handler."""
    free_when_released = _probed_as_the_lock_goes(sqlite_db, monkeypatch)
    deadline = Deadline(5)

    with pytest.raises(DeadlineExceeded), within(deadline), sqlite_db.transaction() as session:
        session.execute(text("CREATE TABLE written (id INTEGER PRIMARY KEY)"))
        deadline.expire()

    assert free_when_released == [True]


def _free_to_write(path: Path) -> bool:
    """Whether another connection can begin a write on the file at once."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True
