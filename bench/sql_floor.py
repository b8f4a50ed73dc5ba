"""The SQL of Rapport's common `/logcontact`, sent through the raw DB-API driver.

The common command is a returning member logging a contact, with a promise, for a partner
Rapport knows (`tests/scenarios/test_logcontact_statements.py`, `tests.support.statements.
COMMON`). Its statements below are the text SQLAlchemy hands the driver for it (copied from a
`before_cursor_execute` listener on a real run, its line breaks folded into spaces), with the
same parameters, in the same transactions: the front door's
replay record in one of its own, then the command's. On SQLite both begin with `BEGIN
IMMEDIATE` and take turns at an in-process lock, as Rapport's writes do (without one, SQLite's
busy handler sleeps writers in steps of up to 100 ms: `storage.db`); the connections are set up
with Rapport's PRAGMAs, which change what an INSERT costs (foreign keys, `secure_delete`, WAL).
On PostgreSQL they carry Rapport's server-side timeouts, and psycopg prepares statements on its
own after five runs, as it does under SQLAlchemy.

What is left out is everything Rapport does around the SQL: no SQLAlchemy, no ORM, no parsing
beyond splitting the benchmark's fixed text, no file identity check, no replay pruning (a
DELETE once a minute), no reply built from the rows. So a server sending these statements
(`bench/bare_app.py --sql-floor`) is the least the common command's SQL costs on this stack.

Run by itself, this measures the statements alone in process, without HTTP: CPU and wall time
per command (replay transaction and command transaction) over `--iterations` commands on a
database seeded as bench/logcontact.py seeds it.

    .venv/bin/python bench/sql_floor.py [--iterations 2000] [--history 50] [--postgres]
"""

from __future__ import annotations

import argparse
import hashlib
import queue
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.db import (  # noqa: E402
    CONNECT_TIMEOUT_SECONDS,
    POSTGRES_SESSION_OPTIONS,
    sqlite_pragmas,
)
from storage.queries.partners import key_upper_bound  # noqa: E402
from storage.vocabulary import name_key  # noqa: E402

# The statements, per backend, as SQLAlchemy sends them for the common command.
SQLITE = {
    "replay": "INSERT INTO seen_requests (signature, request_ts) VALUES (?, ?) "
    "ON CONFLICT (signature) DO NOTHING RETURNING signature",
    "member": "SELECT members.id, members.workspace_id, members.slack_user_id, members.tz, "
    "members.locale, members.language, members.is_guest, members.refreshed_at FROM members "
    "JOIN workspaces ON members.workspace_id = workspaces.id "
    "WHERE workspaces.team_id = ? AND members.slack_user_id = ?",
    "candidates": "SELECT partners.id, partners.workspace_id, partners.name, partners.name_key, "
    "partners.organisation, partners.organisation_key, partners.cadence_days, "
    "partners.created_at, partners.max_contacts, partners.first_contact_at, "
    "partners.last_contact_at, partners.last_check_in_at, partners.check_in_due_at, "
    "partners.contact_due_at FROM partners WHERE partners.workspace_id = ? "
    "AND (partners.name_key >= ?) AND (partners.name_key < ?) "
    "ORDER BY partners.name_key, partners.id LIMIT ? OFFSET ?",
    "contact": "INSERT INTO interactions (workspace_id, partner_id, member_id, occurred_at, "
    "has_time, medium, kind, direction, note, source, created_partner, created_at, before_edit) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    "promise": "INSERT INTO promises (workspace_id, partner_id, member_id, interaction_id, text, "
    "due_on, status, created_at, resolved_at, drop_reason, promised_by, missed_on) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "over_contact": "SELECT interactions.id, interactions.occurred_at, interactions.medium, "
    'interactions.kind, interactions.direction, members.slack_user_id AS "by", '
    "(SELECT count(*) AS count_1 FROM interactions AS interactions_1 "
    "WHERE interactions_1.workspace_id = ? "
    "AND interactions_1.partner_id = ? AND interactions_1.occurred_at >= ? "
    "AND interactions_1.direction != ? AND interactions_1.kind != ?) AS total "
    "FROM interactions JOIN members ON members.id = interactions.member_id "
    "WHERE interactions.workspace_id = ? AND interactions.partner_id = ? "
    "AND interactions.occurred_at >= ? AND interactions.direction != ? "
    "AND interactions.kind != ? "
    "ORDER BY interactions.occurred_at DESC, interactions.id DESC LIMIT ? OFFSET ?",
}
POSTGRESQL = {
    "replay": "INSERT INTO seen_requests (signature, request_ts) "
    "VALUES (%(signature)s::VARCHAR, %(request_ts)s::BIGINT) "
    "ON CONFLICT (signature) DO NOTHING RETURNING seen_requests.signature",
    "member": "SELECT members.id, members.workspace_id, members.slack_user_id, members.tz, "
    "members.locale, members.language, members.is_guest, members.refreshed_at FROM members "
    "JOIN workspaces ON members.workspace_id = workspaces.id "
    "WHERE workspaces.team_id = %(team_id)s::VARCHAR "
    "AND members.slack_user_id = %(slack_user_id)s::VARCHAR",
    "candidates": "SELECT partners.id, partners.workspace_id, partners.name, partners.name_key, "
    "partners.organisation, partners.organisation_key, partners.cadence_days, "
    "partners.created_at, partners.max_contacts, partners.first_contact_at, "
    "partners.last_contact_at, partners.last_check_in_at, partners.check_in_due_at, "
    "partners.contact_due_at FROM partners "
    "WHERE partners.workspace_id = %(workspace_id)s::INTEGER "
    "AND (partners.name_key ~>=~ %(key)s::VARCHAR) "
    "AND (partners.name_key ~<~ %(key_upper)s::VARCHAR) "
    "ORDER BY partners.name_key USING ~<~, partners.id LIMIT %(param_1)s::INTEGER",
    "lock": "SELECT partners.id, partners.workspace_id, partners.name, partners.name_key, "
    "partners.organisation, partners.organisation_key, partners.cadence_days, "
    "partners.created_at, partners.max_contacts, partners.first_contact_at, "
    "partners.last_contact_at, partners.last_check_in_at, partners.check_in_due_at, "
    "partners.contact_due_at FROM partners "
    "WHERE partners.workspace_id = %(workspace_id)s::INTEGER "
    "AND partners.id = %(id)s::INTEGER FOR NO KEY UPDATE",
    # The contact and its promise in one statement, as Rapport sends them on PostgreSQL.
    "contact_and_promise": "WITH new_contact AS (INSERT INTO interactions (workspace_id, "
    "partner_id, member_id, occurred_at, has_time, medium, kind, direction, note, source, "
    "created_partner, created_at, before_edit) VALUES (%(c_workspace_id)s::INTEGER, "
    "%(c_partner_id)s::INTEGER, %(c_member_id)s::INTEGER, "
    "%(c_occurred_at)s::TIMESTAMP WITHOUT TIME ZONE, %(c_has_time)s, %(c_medium)s::VARCHAR, "
    "%(c_kind)s::VARCHAR, %(c_direction)s::VARCHAR, %(c_note)s::VARCHAR, "
    "%(c_source)s::VARCHAR, %(c_created_partner)s, "
    "%(c_created_at)s::TIMESTAMP WITHOUT TIME ZONE, %(c_before_edit)s::VARCHAR) "
    "RETURNING interactions.id) INSERT INTO promises (workspace_id, partner_id, member_id, "
    "text, due_on, status, created_at, resolved_at, drop_reason, promised_by, missed_on, "
    "interaction_id) SELECT %(p_workspace_id)s::INTEGER AS anon_1, "
    "%(p_partner_id)s::INTEGER AS anon_2, %(p_member_id)s::INTEGER AS anon_3, "
    "%(p_text)s::VARCHAR AS anon_4, %(p_due_on)s::DATE AS anon_5, "
    "%(p_status)s::VARCHAR AS anon_6, %(p_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_7, "
    "%(p_resolved_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_8, "
    "%(p_drop_reason)s::VARCHAR AS anon_9, %(p_promised_by)s::VARCHAR AS anon_10, "
    "%(p_missed_on)s::DATE AS anon_11, new_contact.id FROM new_contact "
    "RETURNING promises.interaction_id",
    "over_contact": "SELECT interactions.id, interactions.occurred_at, interactions.medium, "
    "interactions.kind, interactions.direction, members.slack_user_id AS by, "
    "(SELECT count(*) AS count_1 FROM interactions AS interactions_1 "
    "WHERE interactions_1.workspace_id = %(workspace_id)s::INTEGER "
    "AND interactions_1.partner_id = %(partner_id)s::INTEGER "
    "AND interactions_1.occurred_at >= %(since)s::TIMESTAMP WITHOUT TIME ZONE "
    "AND interactions_1.direction != %(not_direction)s::VARCHAR "
    "AND interactions_1.kind != %(not_kind)s::VARCHAR) AS total "
    "FROM interactions JOIN members ON members.id = interactions.member_id "
    "WHERE interactions.workspace_id = %(workspace_id)s::INTEGER "
    "AND interactions.partner_id = %(partner_id)s::INTEGER "
    "AND interactions.occurred_at >= %(since)s::TIMESTAMP WITHOUT TIME ZONE "
    "AND interactions.direction != %(not_direction)s::VARCHAR "
    "AND interactions.kind != %(not_kind)s::VARCHAR "
    "ORDER BY interactions.occurred_at DESC, interactions.id DESC LIMIT %(newest)s",
}
# How SQLAlchemy's SQLite dialect stores a DateTime: text, to the microsecond.
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
# Rapport's candidate and over-contact limits for the common command.
CANDIDATES = 200
NEWEST = 6
# The contacts `seeded` logs through Rapport before anything is timed (the printed history too).
SEEDED_CONTACTS = 200
# The benchmark's members live in Berlin (bench/logcontact.py): "today" without a time is noon
# there, and the over-contact window is the 14 days up to today, from midnight there.
ZONE = ZoneInfo("Europe/Berlin")
WINDOW_DAYS = 14


@dataclass(frozen=True)
class Day:
    """The dates the benchmark's text ("call ... promise: ... by Friday") names, worked out
    once, as they stay the same all day (Rapport works them out per command, from its parse)."""

    occurred_at: datetime  # naive UTC, as Rapport stores it
    since: datetime
    due_on: date

    @classmethod
    def today(cls) -> Day:
        today = datetime.now(ZONE).date()
        noon = datetime(today.year, today.month, today.day, 12, tzinfo=ZONE)
        first = today - timedelta(days=WINDOW_DAYS - 1)
        midnight = datetime(first.year, first.month, first.day, tzinfo=ZONE)
        return cls(
            occurred_at=noon.astimezone(UTC).replace(tzinfo=None),
            since=midnight.astimezone(UTC).replace(tzinfo=None),
            due_on=today + timedelta(days=(4 - today.weekday()) % 7),  # Friday
        )


@dataclass(frozen=True)
class Contact:
    """What the common command stores, from the benchmark's text: "<partner> call <note>
    promise: <text> by Friday"."""

    team_id: str
    user_id: str
    key: str  # the partner's name key: the first word, folded as Rapport folds it
    note: str
    promise: str

    @classmethod
    def from_command(cls, team_id: str, user_id: str, text: str) -> Contact:
        name, rest = text.split(" call ", 1)
        note, promise = rest.split(" promise: ", 1)
        return cls(team_id, user_id, name_key(name), note, promise.removesuffix(" by Friday"))


def key_upper(key: str) -> str:
    """Rapport's upper bound of the candidates' range; the benchmark's keys always have one
    (`key_upper_bound` has none only for a key of U+10FFFF alone)."""
    upper = key_upper_bound(key)
    assert upper is not None, key
    return upper


class RawStore:
    """Connections of the raw driver (a LIFO pool, as SQLAlchemy's) and the common command's
    two transactions through them."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        self._url = parsed
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        # SQLite writes one transaction at a time: its writers take turns here, as Rapport's
        # do at `storage.turns.ArrivalOrderLock`, instead of in SQLite's sleeping busy handler.
        self._writer: AbstractContextManager[Any] = (
            threading.Lock() if self.backend == "sqlite" else nullcontext()
        )
        self.day = Day.today()

    def _connect(self) -> Any:
        if self.backend == "sqlite":
            return self._connect_sqlite()
        import psycopg

        url = self._url
        return psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname=url.database,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            options=POSTGRES_SESSION_OPTIONS,
        )

    def _connect_sqlite(self) -> sqlite3.Connection:
        """A connection set up as `storage.db.make_engine` sets up Rapport's."""
        connection = sqlite3.connect(
            f"file:{self._url.database}?mode=rw", uri=True, check_same_thread=False
        )
        connection.isolation_level = None  # transactions begin when we say so
        for pragma in sqlite_pragmas(in_a_file=True):
            connection.execute(f"PRAGMA {pragma}")
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A cursor whose statements are committed together (SQLite: after `BEGIN IMMEDIATE`,
        in this process's turn; PostgreSQL: psycopg begins at the first statement)."""
        with self._writer:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                connection = self._connect()
            try:
                cursor = connection.cursor()
                if self.backend == "sqlite":
                    cursor.execute("BEGIN IMMEDIATE")
                yield cursor
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
            finally:
                self._idle.put(connection)

    def first_sighting(self, signature: str, stamp: int) -> bool:
        """The front door's replay record (`bot.http.endpoint.Replays`), in its own transaction."""
        digest = hashlib.sha256(signature.encode()).hexdigest()
        with self.transaction() as cursor:
            if self.backend == "sqlite":
                cursor.execute(SQLITE["replay"], (digest, stamp))
            else:
                cursor.execute(POSTGRESQL["replay"], {"signature": digest, "request_ts": stamp})
            return cursor.fetchone() is not None

    def log_contact(self, contact: Contact) -> int | None:
        """The command's transaction; the contact's id, or None when the member or the partner
        is not there (the benchmark's warm-up through Rapport creates the partners)."""
        with self.transaction() as cursor:
            if self.backend == "sqlite":
                return self._log_sqlite(cursor, contact)
            return self._log_postgresql(cursor, contact)

    def _log_sqlite(self, cursor: Any, contact: Contact) -> int | None:
        cursor.execute(SQLITE["member"], (contact.team_id, contact.user_id))
        member = cursor.fetchone()
        if member is None:
            return None
        member_id, workspace_id = member[0], member[1]
        values = (workspace_id, contact.key, key_upper(contact.key), CANDIDATES, 0)
        partner_id = _named(cursor.execute(SQLITE["candidates"], values).fetchall(), contact.key)
        if partner_id is None:
            return None
        now = datetime.now(UTC).strftime(SQLITE_DATETIME)
        occurred_at = self.day.occurred_at.strftime(SQLITE_DATETIME)
        cursor.execute(
            SQLITE["contact"],
            (
                *(workspace_id, partner_id, member_id, occurred_at, 0, "call", "contact"),
                *("mutual", contact.note, "command", 0, now, None),
            ),
        )
        (contact_id,) = cursor.fetchone()
        cursor.execute(
            SQLITE["promise"],
            (
                *(workspace_id, partner_id, member_id, contact_id, contact.promise),
                *(self.day.due_on.isoformat(), "open", now, None, None, "us", None),
            ),
        )
        since = self.day.since.strftime(SQLITE_DATETIME)
        window = (workspace_id, partner_id, since, "received", "problem")
        cursor.execute(SQLITE["over_contact"], (*window, *window, NEWEST, 0)).fetchall()
        return int(contact_id)

    def _log_postgresql(self, cursor: Any, contact: Contact) -> int | None:
        cursor.execute(
            POSTGRESQL["member"], {"team_id": contact.team_id, "slack_user_id": contact.user_id}
        )
        member = cursor.fetchone()
        if member is None:
            return None
        member_id, workspace_id = member[0], member[1]
        cursor.execute(
            POSTGRESQL["candidates"],
            {
                "workspace_id": workspace_id,
                "key": contact.key,
                "key_upper": key_upper(contact.key),
                "param_1": CANDIDATES,
            },
        )
        partner_id = _named(cursor.fetchall(), contact.key)
        if partner_id is None:
            return None
        cursor.execute(POSTGRESQL["lock"], {"workspace_id": workspace_id, "id": partner_id})
        cursor.fetchone()
        now = datetime.now(UTC).replace(tzinfo=None)
        cursor.execute(
            POSTGRESQL["contact_and_promise"],
            {
                **_prefixed("p_", workspace_id, partner_id, member_id),
                "p_text": contact.promise,
                "p_due_on": self.day.due_on,
                "p_status": "open",
                "p_created_at": now,
                "p_resolved_at": None,
                "p_drop_reason": None,
                "p_promised_by": "us",
                "p_missed_on": None,
                **_prefixed("c_", workspace_id, partner_id, member_id),
                "c_occurred_at": self.day.occurred_at,
                "c_has_time": False,
                "c_medium": "call",
                "c_kind": "contact",
                "c_direction": "mutual",
                "c_note": contact.note,
                "c_source": "command",
                "c_created_partner": False,
                "c_created_at": now,
                "c_before_edit": None,
            },
        )
        (contact_id,) = cursor.fetchone()
        cursor.execute(
            POSTGRESQL["over_contact"],
            {
                "workspace_id": workspace_id,
                "partner_id": partner_id,
                "since": self.day.since,
                "not_direction": "received",
                "not_kind": "problem",
                "newest": NEWEST,
            },
        )
        cursor.fetchall()
        return int(contact_id)

    def health(self) -> str | None:
        """For the server's `/healthz`: None when the database answers."""
        with self.transaction() as cursor:
            cursor.execute("SELECT 1")
        return None

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().close()


def _named(candidates: list[Any], key: str) -> int | None:
    """The id of the candidate whose name key is `key` (the range also holds longer names:
    "partner3" finds "partner30" to "partner39" too), as Rapport picks it."""
    return next((int(row[0]) for row in candidates if row[3] == key), None)


def _prefixed(prefix: str, workspace_id: int, partner_id: int, member_id: int) -> dict[str, int]:
    return {
        f"{prefix}workspace_id": workspace_id,
        f"{prefix}partner_id": partner_id,
        f"{prefix}member_id": member_id,
    }


def seeded(url: str, contacts: int = SEEDED_CONTACTS) -> str:
    """The database as bench/logcontact.py has it when its timed rounds begin: its workspace
    and members, then `contacts` commands through Rapport (in process), which create the 50
    partners and give them a history. Returns the workspace's team id."""
    from bench.logcontact import SECRET, USERS, command_text, seed_members
    from bot.rules.clock import SystemClock
    from bot.sandbox.loopback import LoopbackRapport
    from bot.sandbox.standin import SlackStandIn
    from storage.db import Database

    with SlackStandIn() as standin:
        seed_members(url, standin.team_id)
        db = Database(url)
        rapport = LoopbackRapport(db, SystemClock(), standin, signing_secret=SECRET).start()
        try:
            for i in range(contacts):
                rapport.command(command_text(10**6 + i), user=USERS[i % len(USERS)])
            rapport.wait_until_idle()
        finally:
            rapport.stop()
            db.dispose()
        return standin.team_id


def measure(url: str, team_id: str, iterations: int, history: int = 50) -> dict[str, float]:
    """Per command, in ms: this process's CPU time, the wall time, and on PostgreSQL the CPU
    time of the server process serving the connection, over `iterations` commands (each the
    replay transaction and the command's) in one thread, after `history` untimed ones (the
    over-contact count reads every contact of the partner's last 14 days, so what a command
    costs grows with them: bench/logcontact.py's run leaves about 170 per partner)."""
    from bench.logcontact import USERS, command_text, cpu_seconds

    store = RawStore(url)
    backend_pid = None
    if store.backend == "postgresql":
        with store.transaction() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (backend_pid,) = cursor.fetchone()

    def run(first: int, count: int) -> None:
        for i in range(first, first + count):
            assert store.first_sighting(f"v0=bench-sql-alone-{i}", int(time.time()))
            contact = Contact.from_command(team_id, USERS[i % len(USERS)], command_text(i))
            assert store.log_contact(contact) is not None

    run(3 * 10**7, history)
    server_before = cpu_seconds(backend_pid) if backend_pid is not None else 0.0
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    run(4 * 10**7, iterations)
    cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
    server = cpu_seconds(backend_pid) - server_before if backend_pid is not None else 0.0
    store.close()
    return {
        "cpu_ms": cpu / iterations * 1000,
        "wall_ms": wall / iterations * 1000,
        "server_cpu_ms": server / iterations * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000, help="commands (default 2000)")
    parser.add_argument(
        "--history",
        type=int,
        default=50,
        help="commands sent before the timed ones, untimed (default 50)",
    )
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL")
    args = parser.parse_args()
    from bench.backends import migrated_database

    backend = "postgresql" if args.postgres else "sqlite"
    with migrated_database(backend, "sql_alone") as db:
        if db is None:
            return
        url = db.url
        db.dispose()
        team_id = seeded(url)
        figures = measure(url, team_id, args.iterations, args.history)
    print(
        f"the common /logcontact's SQL alone, raw {backend} driver, {args.iterations} commands "
        "(replay transaction + command transaction), one thread, no HTTP, after "
        f"{SEEDED_CONTACTS + args.history} contacts for 50 partners:"
    )
    print(
        f"per command: CPU {figures['cpu_ms']:.3f} ms in this process, "
        f"wall {figures['wall_ms']:.3f} ms"
        + (
            f", server process CPU {figures['server_cpu_ms']:.3f} ms"
            if backend == "postgresql"
            else ""
        )
    )


if __name__ == "__main__":
    main()
