"""What SQLite leaves behind when rows go: deleted content zeroed (`secure_delete` on every
connection) and the write-ahead log truncated by `Database.checkpoint`; on PostgreSQL the
checkpoint has nothing to do."""

from __future__ import annotations

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
