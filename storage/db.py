"""Engines and transactions.

SQLite is the embedded default, so it gets what a multi-threaded web app needs from it: WAL (readers
do not block the writer), a busy timeout instead of instant "database is locked", foreign keys on,
and `BEGIN IMMEDIATE` so that a transaction that will write takes the write lock up front instead of
failing half-way when it upgrades a read lock.

Within one process, SQLite transactions also queue on a lock of their own: SQLite's busy handler
waits by sleeping in steps of up to 100 ms, which under concurrent requests turned a 5 ms
transaction into a 1 s wait. The busy timeout still covers other processes (`rapport migrate`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "rapport_read_only"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`, tuned for the backend it names."""
    if make_url(url).get_backend_name() != "sqlite":
        # A pool as large as the web server's thread pool, so requests never queue for a
        # connection; connections are recycled hourly rather than pinged on every checkout
        # (a ping is one more round trip per transaction).
        options = {"pool_size": 20, "max_overflow": 20, "pool_recycle": 3600} | kwargs
        return create_engine(url, **options)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if make_url(url).database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read-only transaction (`Database.reading`) must not hold the one write lock.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class Database:
    """One engine and its sessions; `transaction()` is the unit of work."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self._writer = threading.Lock() if self.backend == "sqlite" else nullcontext()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        with self._writer, self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for long reads (the planner's scans) that never blocks writers.

        On SQLite it begins a deferred transaction outside the in-process writer lock, so web
        requests keep writing while it reads its snapshot; on PostgreSQL reads never block anyway.
        """
        with self._read_sessions() as session, session.begin():
            yield session

    def ping(self) -> bool:
        """True when the database answers; for health checks."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
