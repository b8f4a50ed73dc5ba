"""What SQLite leaves behind when rows go: deleted content zeroed (`secure_delete` on every
connection) and the write-ahead log truncated by `Database.checkpoint`; on PostgreSQL the
checkpoint has nothing to do."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from storage.db import Database
from storage.models import Workspace


def test_deleted_and_overwritten_text_leaves_no_copy_and_the_log_is_truncated(
    db: Database,
) -> None:
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with db.transaction() as session:
        session.add(Workspace(team_id="TOLDNAME1", created_at=now))
        session.add(Workspace(team_id="TGONE0001", created_at=now))
    with db.transaction() as session:
        workspace = session.query(Workspace).filter_by(team_id="TOLDNAME1").one()
        workspace.team_id = "TNEWNAME1"
        session.query(Workspace).filter_by(team_id="TGONE0001").delete()

    assert db.checkpoint()

    if db.backend != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar_one() == 1
    assert db.path is not None
    wal = Path(str(db.path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    data = db.path.read_bytes()
    assert b"TNEWNAME1" in data
    assert b"TOLDNAME1" not in data and b"TGONE0001" not in data


# Far below SQLite's busy timeout (10 s), which a checkpoint held the write lock for.
CHECKPOINT_GIVES_UP_WITHIN = 2.0


def test_a_checkpoint_while_a_read_holds_the_log_gives_the_write_lock_back_at_once(
    sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "rapport.db")
    db = Database(f"sqlite:///{tmp_path / 'rapport.db'}")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    reading, done = threading.Event(), threading.Event()

    def long_read() -> None:  # as the planner's scans do
        with db.reading() as session:
            session.query(Workspace).all()
            reading.set()
            done.wait(30)

    reader = threading.Thread(target=long_read)
    reader.start()
    try:
        assert reading.wait(10)
        with db.transaction() as session:  # pages the reader's snapshot still needs
            session.add(Workspace(team_id="TGONE0001", created_at=now))

        started = time.monotonic()
        truncated = db.checkpoint()
        took = time.monotonic() - started
        with db.transaction() as session:  # writes go on
            session.add(Workspace(team_id="TNEXT0001", created_at=now))
    finally:
        done.set()
        reader.join(10)

    assert not truncated
    assert took < CHECKPOINT_GIVES_UP_WITHIN
    assert db.checkpoint()  # the reader is done: now it is truncated
    db.dispose()
