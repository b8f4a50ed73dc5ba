"""A health check that tells the truth, and a database file only its owner can read.

`/healthz` answers 200 only while Rapport can write; otherwise 503 with a fixed reason code and
nothing else (it is unauthenticated). A deleted or replaced SQLite file is noticed, never
silently recreated under a running server.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import OWNER_ONLY, Database
from tests.support.app import RunningRapport


def health(rapport: RunningRapport) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{rapport.base_url}/healthz", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_healthz_says_ok_while_rapport_can_write(rapport: RunningRapport) -> None:
    assert health(rapport) == (200, {"ok": True, "database": "up"})


@pytest.fixture
def sqlite_rapport(sqlite_template: Path, tmp_path: Path, clock, slack):
    shutil.copy(sqlite_template, tmp_path / "rapport.db")
    db = Database(f"sqlite:///{tmp_path / 'rapport.db'}")
    running = RunningRapport(db, clock, slack).start()
    yield running
    running.stop()
    db.dispose()


def test_a_deleted_sqlite_file_is_reported_and_not_recreated(
    sqlite_rapport: RunningRapport,
) -> None:
    path = sqlite_rapport.db.path
    assert path is not None
    sqlite_rapport.command("help").reply()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    status, body = health(sqlite_rapport)
    command = sqlite_rapport.command("Acme call after the file went")

    assert (status, body) == (
        503,
        {"ok": False, "database": "down", "reason": "database_file_missing"},
    )
    assert "the database did not answer. Nothing was saved" in command.ack["text"]
    assert not path.exists()


def test_a_replaced_sqlite_file_is_reported(sqlite_rapport: RunningRapport) -> None:
    path = sqlite_rapport.db.path
    assert path is not None
    shutil.copy(path, f"{path}.copy")
    os.replace(f"{path}.copy", path)

    assert health(sqlite_rapport)[1]["reason"] == "database_file_missing"


def test_an_sqlite_file_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    """Root may write to a file whatever its mode, so as root the file is made immutable."""
    from storage.migrate import upgrade

    path = tmp_path / "rapport.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    assert db.health() is None
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        os.chmod(path, 0o400)
    try:
        assert db.health() == "database_read_only"
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        db.dispose()


@pytest.fixture
def postgres_rapport(postgres, clock, slack):
    name = "read_only_test"
    db = Database(postgres.create_database(name, template="rapport_template"))
    running = RunningRapport(db, clock, slack).start()
    yield running
    running.stop()
    db.dispose()
    postgres.drop_database(name)


@pytest.mark.postgres
def test_a_read_only_postgres_is_reported(postgres_rapport: RunningRapport) -> None:
    rapport = postgres_rapport
    name = rapport.db.engine.url.database
    with rapport.db.engine.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        connection.commit()
    rapport.db.engine.dispose()  # sessions opened from now on are read-only
    try:
        assert health(rapport) == (
            503,
            {"ok": False, "database": "down", "reason": "database_read_only"},
        )
    finally:
        with rapport.db.engine.connect() as connection:
            connection.execute(text("SET TRANSACTION READ WRITE"))
            connection.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
            connection.commit()


def test_an_unreachable_postgres_is_reported(clock, slack) -> None:
    # Nothing listens on port 9 of loopback (discard), so every connection is refused at once.
    db = Database("postgresql+psycopg://rapport@127.0.0.1:9/rapport")
    running = RunningRapport(db, clock, slack).start()
    try:
        assert health(running) == (
            503,
            {"ok": False, "database": "down", "reason": "database_unreachable"},
        )
    finally:
        running.stop()
        db.dispose()


# --- files for their owner alone ----------------------------------------------------------------


def mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_and_shm_files_are_owner_only(tmp_path: Path) -> None:
    from storage.migrate import upgrade

    path = tmp_path / "rapport.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    with db.transaction() as session:
        session.execute(text("SELECT 1"))
    assert {suffix: mode(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")} == {
        "": OWNER_ONLY,
        "-wal": OWNER_ONLY,
        "-shm": OWNER_ONLY,
    }
    db.dispose()


def test_existing_files_readable_by_others_are_made_owner_only_at_start(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    for suffix in ("", "-wal", "-shm", ".scheduler.lock"):
        Path(f"{path}{suffix}").touch(mode=0o644)
        os.chmod(f"{path}{suffix}", 0o644)
    Database(f"sqlite:///{path}").dispose()
    assert [mode(f"{path}{s}") for s in ("", "-wal", "-shm", ".scheduler.lock")] == [OWNER_ONLY] * 4


def test_the_scheduler_lock_file_is_owner_only(tmp_path: Path) -> None:
    from bot.bootstrap import sole_sqlite_scheduler

    db = Database(f"sqlite:///{tmp_path / 'rapport.db'}")
    with sole_sqlite_scheduler(db):
        assert mode(tmp_path / "rapport.db.scheduler.lock") == OWNER_ONLY
    db.dispose()


def test_an_emptied_sqlite_file_is_reported_and_written_to_no_more(
    sqlite_rapport: RunningRapport,
) -> None:
    path = sqlite_rapport.db.path
    assert path is not None
    sqlite_rapport.command("help").reply()
    with open(path, "r+b") as database:
        database.truncate(0)

    command = sqlite_rapport.command("Acme call after the file was emptied")

    assert health(sqlite_rapport)[1]["reason"] == "database_file_missing"
    assert "the database did not answer. Nothing was saved" in command.ack["text"]


def test_a_write_lock_held_by_another_process_is_reported_as_busy(
    sqlite_rapport: RunningRapport,
) -> None:
    import sqlite3

    path = sqlite_rapport.db.path
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert health(sqlite_rapport) == (
            503,
            {"ok": False, "database": "down", "reason": "database_busy"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert health(sqlite_rapport)[0] == 200
