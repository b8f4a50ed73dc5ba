"""SQLite's write lock among processes (`storage.turns.ProcessLock`, in `Database._process_turn`):
several Rapport processes on one file (`rapport serve --workers N`, or `rapport scheduler`
beside `rapport serve`) write one after another, a request waits no longer than its deadline,
the lock goes with a process that dies holding it, and a wait cut short by a signal holds
nothing after."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

import storage.db
import storage.turns
from storage import deadline as deadlines
from storage.db import Database
from storage.deadline import Deadline, DeadlineExceeded
from storage.turns import ProcessLock

ROOT = Path(__file__).resolve().parents[2]


def writer_in_another_process(db: Database, seconds: float) -> subprocess.Popen[str]:
    """A process that opens a write transaction on `db`'s file, says "holding", holds it for
    `seconds` while it writes a row, and commits."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from sqlalchemy import text
        from storage.db import Database
        db = Database({db.url!r})
        with db.transaction() as session:
            print("holding", flush=True)
            time.sleep({seconds})
            session.execute(text("CREATE TABLE IF NOT EXISTS probe (at REAL)"))
            session.execute(text("INSERT INTO probe VALUES (:at)"), {{"at": time.time()}})
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "holding"
    return process


def test_a_write_waits_for_another_process_s_and_follows_it(sqlite_db: Database) -> None:
    other = writer_in_another_process(sqlite_db, 0.4)
    with sqlite_db.transaction() as session:
        session.execute(text("SELECT 1"))  # begun
        began = time.time()
        # The other process's row is there: this transaction began after its COMMIT.
        other_wrote = session.execute(text("SELECT at FROM probe")).scalar_one()
    assert other.wait(10) == 0
    assert other_wrote <= began


def test_a_request_waits_for_another_process_no_longer_than_its_deadline(
    sqlite_db: Database,
) -> None:
    other = writer_in_another_process(sqlite_db, 2.0)
    deadline = Deadline(0.3)
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded), deadlines.within(deadline), sqlite_db.transaction():
        pass
    waited = time.monotonic() - started
    other.kill()
    other.wait(10)
    assert 0.25 < waited < 1.0


def test_work_without_a_deadline_waits_as_long_as_sqlite_s_busy_timeout_then_fails(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    other = writer_in_another_process(sqlite_db, 2.0)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"), sqlite_db.transaction():
        pass
    waited = time.monotonic() - started
    other.kill()
    other.wait(10)
    assert 0.25 < waited < 1.5


def test_the_lock_goes_with_a_process_that_dies_holding_it(sqlite_db: Database) -> None:
    other = writer_in_another_process(sqlite_db, 60)
    other.kill()
    other.wait(10)
    started = time.monotonic()
    with sqlite_db.transaction():
        pass
    assert time.monotonic() - started < 1.0


def test_reads_do_not_wait_for_another_process_s_write(sqlite_db: Database) -> None:
    other = writer_in_another_process(sqlite_db, 2.0)
    started = time.monotonic()
    with sqlite_db.reading() as session:
        session.execute(text("SELECT 1")).scalar_one()
    other.kill()
    other.wait(10)
    assert time.monotonic() - started < 1.0


def test_a_process_lock_given_back_can_be_taken_at_once(tmp_path: Path) -> None:
    first, second = ProcessLock(str(tmp_path / "l")), ProcessLock(str(tmp_path / "l"))
    assert first.acquire(0)
    assert not second.acquire(0.05)  # another open file: as another process would be
    first.release()
    assert second.acquire(0)
    second.release()


def open_descriptors() -> int:
    return len(os.listdir("/dev/fd"))  # Linux and macOS alike


def test_a_signal_during_a_nap_leaves_no_file_open_and_neither_lock_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rapport scheduler` turns SIGTERM into KeyboardInterrupt, raised wherever the main
    thread is: a wait cut short must give back the place in line it held, or every process
    would wait behind it for as long as this one runs."""
    holder, waiter = ProcessLock(str(tmp_path / "l")), ProcessLock(str(tmp_path / "l"))
    assert holder.acquire(0)
    before = open_descriptors()

    def signalled(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(storage.turns.time, "sleep", signalled)
    with pytest.raises(KeyboardInterrupt):
        waiter.acquire(1.0)
    monkeypatch.undo()

    assert open_descriptors() == before
    holder.release()
    assert waiter.acquire(0)  # neither '<path>.next' nor the lock is held by the cut wait
    waiter.release()


def test_a_process_writing_without_pause_does_not_starve_another(sqlite_db: Database) -> None:
    """The process that lets the lock go cannot take it straight back while another waits
    (`<path>.next`): without that, the busy one won nearly every time."""
    script = textwrap.dedent(
        f"""
        import time
        from storage.db import Database
        db = Database({sqlite_db.url!r})
        print("writing", flush=True)
        until = time.monotonic() + 3
        while time.monotonic() < until:
            with db.transaction():
                time.sleep(0.003)
        """
    )
    busy = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert busy.stdout is not None
    assert busy.stdout.readline().strip() == "writing"
    try:
        for _ in range(30):  # each within its deadline: one turn of the other's is 3 ms
            with deadlines.within(Deadline(0.5)), sqlite_db.transaction():
                pass
    finally:
        busy.kill()
        busy.wait(10)


def test_a_process_given_a_symlink_to_the_file_waits_for_the_same_write_lock(
    sqlite_db: Database, tmp_path: Path
) -> None:
    link = tmp_path / "link-to.db"
    assert sqlite_db.path is not None
    link.symlink_to(sqlite_db.path)
    linked = Database(f"sqlite:///{link}")
    other = ProcessLock(f"{sqlite_db.path}{storage.db.WRITE_LOCK_SUFFIX}")
    assert other.acquire(1)
    try:
        with (
            pytest.raises(DeadlineExceeded),
            deadlines.within(Deadline(0.2)),
            linked.transaction() as session,
        ):
            session.execute(text("SELECT 1"))
    finally:
        other.release()
        linked.dispose()


def test_a_request_past_its_deadline_has_let_sqlite_s_lock_go_when_it_hands_on_its_turn(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transaction whose deadline passed before its COMMIT is rolled back before the next
    writer gets its turn: else that writer's BEGIN IMMEDIATE finds SQLite's own lock still
    held, and waits in SQLite's sleeping busy handler, which the turns are there to avoid."""
    assert sqlite_db.path is not None and sqlite_db._process_lock is not None
    turn = sqlite_db._process_lock
    handed_on = turn.release
    found: list[str] = []

    def release_and_look() -> None:
        handed_on()
        other = sqlite3.connect(sqlite_db.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            found.append("free")
        except sqlite3.OperationalError as error:
            found.append(str(error))
        finally:
            other.close()

    monkeypatch.setattr(turn, "release", release_and_look)
    with (
        pytest.raises(DeadlineExceeded),
        deadlines.within(Deadline(0.1)),
        sqlite_db.transaction() as session,
    ):
        session.execute(text("SELECT 1"))  # begun: SQLite's write lock taken
        time.sleep(0.2)
    assert found == ["free"]
