"""Engines and transactions.

SQLite is the embedded default, so it gets what a multi-threaded web app needs from it: WAL (readers
do not block the writer), a busy timeout instead of instant "database is locked", foreign keys on,
and `BEGIN IMMEDIATE` so that a transaction that will write takes the write lock up front instead of
failing half-way when it upgrades a read lock.

Within one process, SQLite transactions also queue on a lock of their own: SQLite's busy handler
waits by sleeping in steps of up to 100 ms, which under concurrent requests turned a 5 ms
transaction into a 1 s wait. That lock is handed on in order of arrival (`storage.turns`), so a
request's second transaction does not lose to newer requests' first. Rapport's processes on the
same file (`rapport serve --workers N`, `rapport scheduler` beside `rapport serve`) then take
turns through a lock file beside it, `<file>.write.lock` (`storage.turns.ProcessLock`), within
the request's deadline. The busy timeout still covers writers that take no turn (`rapport
migrate`, through Alembic's own connection). Reads take no turn (`Database.reading`): where
processes share the file (`Database.share_with_processes`, each worker of `rapport serve
--workers N`), work that can read before it writes does so (`reads_apart`: the common
`/logcontact`), and holds the lock for its writes alone.

The SQLite file holds notes about people outside the company, so it (and the `-wal` and `-shm`
files SQLite creates with the same mode) is readable by its owner alone, and deleted content is
overwritten with zeros (`secure_delete`) rather than left in the file's free space. It is created
only when the `Database` is opened, never behind a running server's back: connections open it with
`mode=rw`, and each transaction checks that the file is still the one opened, so a deleted or
replaced file is an error and not an empty new database that forgets everything at the next
restart.

Every database call is bounded in time: PostgreSQL connections time out after
`CONNECT_TIMEOUT_SECONDS` and statements after `STATEMENT_TIMEOUT_MS` (server side); a web
request's `storage.deadline.Deadline` bounds it from the client side, as the server cannot when
it is frozen. SQL parameters never reach logs or error messages (`hide_parameters`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from storage import deadline as deadlines
from storage.deadline import Deadline
from storage.turns import NEXT_IN_LINE_SUFFIX, ArrivalOrderLock, ProcessLock

SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long a truncating checkpoint waits for readers to leave the log. It holds the one write
# lock meanwhile, so every write waits too: well within a request's deadline.
CHECKPOINT_BUSY_TIMEOUT_MS = 100
CONNECT_TIMEOUT_SECONDS = 3
# Server-side bounds for work no web request waits on (scheduler ticks, work after the ack).
STATEMENT_TIMEOUT_MS = 60_000
LOCK_TIMEOUT_MS = 15_000
IDLE_IN_TRANSACTION_TIMEOUT_MS = 120_000
# How long a thread waits for a pooled connection before giving up.
POOL_TIMEOUT_SECONDS = 5
READ_ONLY = "rapport_read_only"
OWNER_ONLY = 0o600
# Lock files beside an SQLite file: the scheduler's turn (`bot.bootstrap.scheduler_turn`) and
# the write lock among processes (`storage.turns.ProcessLock`).
SCHEDULER_LOCK_SUFFIX = ".scheduler.lock"
WRITE_LOCK_SUFFIX = ".write.lock"
# Every file SQLite or Rapport makes beside the database, kept as private as it is.
SQLITE_SIDE_FILES = (
    "-wal",
    "-shm",
    "-journal",
    SCHEDULER_LOCK_SUFFIX,
    WRITE_LOCK_SUFFIX,
    WRITE_LOCK_SUFFIX + NEXT_IN_LINE_SUFFIX,
)

# Fixed reasons `Database.health` gives; an unauthenticated endpoint shows them, so they name
# no path and carry no error text.
HEALTH_REASONS = (
    "database_unreachable",
    "database_read_only",
    "database_file_missing",
    "database_busy",
    "database_timeout",
)


class DatabaseFileMissing(SQLAlchemyError):
    """The SQLite file was deleted, emptied or replaced while Rapport was running."""


class CommitOutcomeUnknown(SQLAlchemyError):
    """COMMIT was sent and the connection failed before its answer came: the work may or may
    not have been saved, and saying either would be a guess."""


def database_failed(error: SQLAlchemyError) -> bool:
    """Whether `error` means the database did not do its part (unreachable, too slow, locked,
    out of space, its file gone), which trying again later may mend; False when it answered
    and refused the statement (a constraint, a value it cannot hold), which no retry mends."""
    return not isinstance(error, IntegrityError | DataError | ProgrammingError)


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).absolute()


# Every PostgreSQL connection's own timeouts: a frozen or locked server never holds a request
# longer than these, whatever Rapport's deadline does.
POSTGRES_SESSION_OPTIONS = (
    f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
    f"-c lock_timeout={LOCK_TIMEOUT_MS} "
    f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT_MS}"
)


def sqlite_pragmas(*, in_a_file: bool) -> tuple[str, ...]:
    """The PRAGMAs every SQLite connection starts with, as `name = value`: a busy timeout,
    foreign keys enforced, and for a file the write-ahead log (readers never wait for the
    writer) synced at checkpoints. Deleted and overwritten content is zeroed, not left in free
    space: a partner forgotten (or renamed, or a note edited) leaves no copy of the old text
    behind in the file."""
    in_file = ("journal_mode = WAL", "synchronous = NORMAL") if in_a_file else ()
    return (
        f"busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
        "foreign_keys = ON",
        *in_file,
        "secure_delete = ON",
    )


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`, tuned for the backend it names."""
    if make_url(url).get_backend_name() != "sqlite":
        # A pool as large as the web server's thread pool, so requests never queue for a
        # connection; connections are recycled hourly rather than pinged on every checkout
        # (a ping is one more round trip per transaction).
        options = {
            "pool_size": 20,
            "max_overflow": 20,
            "pool_recycle": 3600,
            "pool_timeout": POOL_TIMEOUT_SECONDS,
            "hide_parameters": True,
            "connect_args": {
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "options": POSTGRES_SESSION_OPTIONS,
            },
        } | kwargs
        return create_engine(url, **options)
    path = sqlite_path(url)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        hide_parameters=True,
        **kwargs,
    )

    if path is not None:

        @event.listens_for(engine, "do_connect")
        def _open_existing(
            _dialect: Any, _record: Any, args: list[Any], params: dict[str, Any]
        ) -> None:
            # mode=rw: a file that vanished is an error, never silently created anew.
            args[:] = [f"file:{quote(str(path))}?mode=rw"]
            params["uri"] = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in sqlite_pragmas(in_a_file=path is not None):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "reset")
    def _end_what_commit_left(dbapi_connection: Any, _record: Any, _state: Any) -> None:
        # SQLite keeps the transaction of some COMMITs it refuses open (a deferred foreign key
        # still broken), and the pool, told the transaction ended, would keep the connection
        # holding the file's write lock until its next BEGIN failed.
        if dbapi_connection.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read-only transaction (`Database.reading`) must not hold the one write lock.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def side_file(path: Path, suffix: str) -> str:
    """The file `suffix` names beside the SQLite file at `path`: beside the file itself when
    `path` is a symlink, as SQLite puts its `-wal` and `-shm`, so that processes given the
    link and the file take their turns (write lock, scheduler) on the same lock files."""
    return os.path.realpath(path) + suffix


def create_owner_only(path: Path) -> None:
    """Create the SQLite file readable by its owner alone (SQLite gives its `-wal` and `-shm`
    files the same mode), and restrict the files of an existing database likewise."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY))
    for name in (str(path), *(side_file(path, suffix) for suffix in SQLITE_SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(os.stat(name).st_mode) != OWNER_ONLY:
                os.chmod(name, OWNER_ONLY)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


class Database:
    """One engine and its sessions; `transaction()` is the unit of work."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self._identity: tuple[int, int] | None = None
        self._had_content = False
        if self.path is not None:
            create_owner_only(self.path)
            self._identity = _identity(self.path)
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self._writer = ArrivalOrderLock() if self.backend == "sqlite" else None
        # Whether the common command reads (and parses) in a transaction of its own before it
        # takes the write lock (`LogContact`): set by `share_with_processes`. In one process it
        # would only add a transaction: the web layer lets one request at a time do its work
        # on SQLite, so none waits for the lock there.
        self.reads_apart = False
        # Other processes on the same file take their turn through this one.
        self._process_lock = (
            ProcessLock(side_file(self.path, WRITE_LOCK_SUFFIX), OWNER_ONLY)
            if self.path is not None
            else None
        )

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def share_with_processes(self) -> None:
        """Say that other processes write to this SQLite file too: each worker of `rapport
        serve --workers N` says so (`bot.web.from_environment`). Then work that can read before
        it writes does (`reads_apart`), so that they wait less for the one write lock. Nothing
        on PostgreSQL, where a separate read transaction would only add round trips."""
        self.reads_apart = self._writer is not None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all.

        Inside a web request it keeps to the request's deadline (`storage.deadline`): it does
        not start, wait for SQLite's write lock, or COMMIT once the deadline has passed.
        """
        deadline = deadlines.current()
        if deadline is not None:
            deadline.check()
        # The session inside the lock: a transaction not committed (its deadline passed
        # first) is rolled back as the session closes, and must be before the next writer's
        # turn, or its BEGIN IMMEDIATE finds SQLite's lock held and sleeps in the busy handler.
        # A committed one has given its connection back to the pool at COMMIT already.
        with self._write_lock(deadline), self._sessions() as session:
            self._check_file()
            transaction = session.begin()
            try:
                yield session
            except BaseException:
                transaction.rollback()
                raise
            _commit(transaction, deadline)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads that never block writers: the planner's scans, and what a
        command reads before it writes (`reads_apart`).

        On SQLite it begins a deferred transaction outside the in-process writer lock, so web
        requests keep writing while it reads its snapshot; on PostgreSQL reads never block anyway.
        """
        deadline = deadlines.current()
        if deadline is not None:
            deadline.check()
        self._check_file()
        with self._read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def _write_lock(self, deadline: Deadline | None) -> Iterator[None]:
        """SQLite's one writer (nothing on PostgreSQL): first this process's, handed on in order
        of arrival: a request's by when it arrived (`Deadline.arrived_at`), so its second
        transaction goes before newer requests' first; work no one waits on, by when it asks.
        Then the turn among processes (`_process_turn`).

        Raises `deadline.exceeded()` when the deadline passes first, `OperationalError`
        ("database is locked") when work without a deadline waits for another process longer
        than `SQLITE_BUSY_TIMEOUT_MS`, and `RuntimeError` when this thread holds the lock
        already (a transaction inside another, which would wait for itself)."""
        if self._writer is None:
            yield
            return
        if deadline is None:
            acquired = self._writer.acquire(time.monotonic())
        else:
            acquired = self._writer.acquire(deadline.arrived_at, deadline.remaining())
        if not acquired:
            assert deadline is not None
            raise deadline.exceeded()
        try:
            with self._process_turn(deadline):
                yield
        finally:
            self._writer.release()

    @contextmanager
    def _process_turn(self, deadline: Deadline | None) -> Iterator[None]:
        """The write lock among processes on the same file, for the thread holding this
        process's: waited for until the deadline, or for `SQLITE_BUSY_TIMEOUT_MS` without one,
        as SQLite's busy handler would. Nothing for an in-memory database, which no other
        process sees."""
        if self._process_lock is None:
            yield
            return
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000 if deadline is None else deadline.remaining()
        # `acquire` inside the `try`: a signal's exception just after it took the lock must not
        # leave the lock held for the life of the process (`release` does nothing otherwise).
        try:
            if not self._process_lock.acquire(timeout):
                if deadline is not None:
                    raise deadline.exceeded()
                # What SQLite itself says when its busy timeout runs out.
                raise OperationalError(
                    "waiting for another process's write lock",
                    None,
                    sqlite3.OperationalError("database is locked"),
                )
            yield
        finally:
            self._process_lock.release()

    def _check_file(self) -> None:
        if self._file_problem() is not None:
            raise DatabaseFileMissing(
                "the SQLite database file was deleted, emptied or replaced while Rapport was "
                "running"
            )

    def _file_problem(self) -> str | None:
        """Why the SQLite file is no longer the database opened, or None: gone, replaced by
        another file, or emptied (a file that held a database and now holds nothing)."""
        if self.path is None:
            return None
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return "database_file_missing"
        if (info.st_dev, info.st_ino) != self._identity:
            return "database_file_missing"
        if info.st_size == 0 and self._had_content:
            return "database_file_missing"
        self._had_content = self._had_content or info.st_size > 0
        return None

    def checkpoint(self) -> bool:
        """Copy SQLite's write-ahead log into the database file and truncate it to nothing
        (`wal_checkpoint(TRUNCATE)`), so that pages written before an erasure (a partner
        forgotten) are in no file any longer; the `-shm` file holds only the log's index. True
        when done, or when there is nothing to do (PostgreSQL, an in-memory database); False
        when a reader still needs the log (it is truncated on a later checkpoint)."""
        if self.path is None:
            return True
        with self._write_lock(None), self.engine.connect() as connection:
            # Outside any transaction: the driver's own cursor, as SQLAlchemy would begin one.
            driver: Any = connection.connection.driver_connection
            # TRUNCATE waits for readers through the busy handler: with the usual timeout a
            # planner's long read kept every write waiting 10 s behind the lock held here.
            driver.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_TIMEOUT_MS}")
            try:
                busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                driver.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        return not busy

    def vacuum(self, tables: tuple[str, ...]) -> None:
        """PostgreSQL: VACUUM (ANALYZE) these tables now, rather than when autovacuum comes
        round (a minute or more): the dead index entries a large UPDATE leaves are gone and the
        statistics describe the rows as they are. Outside any transaction, as VACUUM must be;
        it takes no lock that keeps readers or writers waiting. Nothing on SQLite."""
        if self.backend != "postgresql":
            return
        names = ", ".join(tables)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {names}")

    def ping(self) -> bool:
        """True when the database answers; for health checks."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def health(self) -> str | None:
        """None when Rapport can write to its database; else one of `HEALTH_REASONS`.

        SQLite: the file opened at start is still there, and a new connection can begin a
        write transaction. PostgreSQL: the server answers and is not read-only (a standby, or
        `default_transaction_read_only`).
        """
        if self.path is not None:
            return self._sqlite_health(self.path)
        if self.backend == "sqlite":
            return None
        try:
            with self.engine.connect() as connection:
                in_recovery, read_only = connection.execute(
                    text("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
                ).one()
        except Exception:
            return "database_unreachable"
        return "database_read_only" if in_recovery or read_only == "on" else None

    def _sqlite_health(self, path: Path) -> str | None:
        missing = self._file_problem()
        if missing is not None:
            return missing
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            return "database_read_only"
        try:
            probe = sqlite3.connect(
                f"file:{quote(str(path))}?mode=rw", uri=True, timeout=0.8, isolation_level=None
            )
        except sqlite3.Error:
            return "database_unreachable"
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                # Someone has held the write lock for longer than a write takes: writes wait.
                return "database_busy"
            return "database_read_only" if "readonly" in str(error) else "database_unreachable"
        except sqlite3.Error:
            return "database_unreachable"
        finally:
            probe.close()
        return None

    def dispose(self) -> None:
        self.engine.dispose()


def _commit(transaction: SessionTransaction, deadline: Deadline | None) -> None:
    if deadline is None:
        _send_commit(transaction)
        return
    with deadline.committing():
        try:
            _send_commit(transaction)
        except CommitOutcomeUnknown:
            deadline.commit_lost()
            raise


def _send_commit(transaction: SessionTransaction) -> None:
    """COMMIT, where a lost connection means "cannot tell", never "nothing was saved".

    The flush before COMMIT may still fail like any statement (nothing saved), so it runs first.
    """
    transaction.session.flush()
    try:
        transaction.commit()
    except OperationalError as error:
        if transaction.session.get_bind().dialect.name == "sqlite":
            raise  # a local file: a COMMIT that failed saved nothing (`transaction` rolls back)
        raise CommitOutcomeUnknown(
            "the connection failed while the database was committing"
        ) from error
