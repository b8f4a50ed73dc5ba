"""One planner tick over a large workspace, beside the bare SQL that selects the same rows.

The planner runs every five minutes. This measures whether its cost follows what is due rather
than what has ever happened: 5,000 members, 50,000 partners (cadence 90 days, about 5% paused,
1 owner in 50 inactive), 2,000,000 interactions over the last two years (1 in 5 a check-in) and
100,000 promises (mostly open, due from 60 days ago to 60 days ahead), and again at a tenth.

For each backend and size it times `scheduler.planner.plan(db, now)` on an empty outbox with
nothing noted (as right after the upgrade to migration 0028: every item that may be due is
looked at), and beside it the bare SQL floor: hand-written SQL through the raw DB-API cursor
that selects the same rows the way the planner did before partners kept their contact times,
aggregating the whole contact history (the due check-in candidates) and reading the promises
within the planner's horizon. Then a second tick at the same instant, which finds everything
planned and noted, at once ("again"); and a third after the database's own upkeep has seen the
first tick's writes ("settled": on PostgreSQL a VACUUM ANALYZE of the tables it wrote, which
autovacuum does within a minute of such a tick, well before the next one five minutes later;
on SQLite nothing): what an ordinary five-minute tick costs once the outbox is current. The
seconds each statement of each tick took are printed too (`--json`: `by_statement_s`), which
shows what grows with the data; the first tick's INSERT alone is the floor of writing its rows.

Each run happens in a fresh process, so its peak RSS is that of one tick (plus the interpreter
and Rapport's imports, printed separately). Printed: median seconds of several runs, the ratio
first tick / bare SQL, the SQL statements each tick executes (they must not grow with the data),
the nudges planned and peak RSS, against the targets: a first tick faster than the bare SQL,
a tick that plans nothing new under 0.1 s and within 2x of the same tick at a tenth of the
size, the same statements at every size, under 300 MB. `--json` prints the figures as one JSON
object on the last line.

Seeding is a bulk load, not Rapport's code: SQLite by executemany in one transaction with
durability off, PostgreSQL by COPY with foreign-key triggers off and a VACUUM ANALYZE afterwards
(what autovacuum would soon do). SQLite gets no ANALYZE, as Rapport never runs one. The seeded
SQLite files are kept under --keep (default /tmp/rapport-bench) and reused when the sizes, the
seed and the schema match; PostgreSQL is seeded afresh in a throwaway server each run.

    .venv/bin/python bench/planner.py                              # both backends, full and 1/10
    .venv/bin/python bench/planner.py --backend sqlite --scale 0.1 # a quick look
    .venv/bin/python bench/planner.py --backend sqlite --json      # figures as JSON, last line
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from bot.rules.nudges import HEADS_UP_LOOKBACK_DAYS  # noqa: E402
from bot.rules.public_holidays import region_of  # noqa: E402
from scheduler.planner import ZONE_LEAD, plan  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import alembic_config, head_revision, upgrade  # noqa: E402
from storage.queries.health.drift import drift  # noqa: E402
from storage.queries.outbox.planned import check_in_candidates, promise_candidates  # noqa: E402
from storage.vocabulary import DIRECTIONS, KINDS, MEDIA  # noqa: E402

SEED = 20261125
REPEATS = 3
TARGET_RATIO = 1.0  # the first tick against the bare SQL floor: faster
TARGET_AGAIN_SECONDS = 0.1  # a tick that plans nothing new
TARGET_AGAIN_GROWTH = 2.0  # that tick at full size against a tenth of it
TARGET_RSS_MB = 300.0
STATEMENT_LABEL = 60  # characters of a statement that name it in the per-statement figures
HISTORY_DAYS = 730
PROMISE_SPREAD_DAYS = 60
CADENCE_DAYS = 90
CHECK_IN_EVERY = 5  # about 1 interaction in 5 is a check-in
PAUSED_EVERY = 20  # about 5% of partners are paused
INACTIVE_EVERY = 50  # 1 member in 50 has left
OPEN_SHARE = 0.85  # of promises; the rest kept, renegotiated or dropped
ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
OTHER_KINDS = tuple(k for k in KINDS if k != "check-in")
CLOSED_STATUSES = ("kept", "renegotiated", "dropped")


@dataclass(frozen=True)
class Sizes:
    members: int
    partners: int
    interactions: int
    promises: int

    def scaled(self, factor: float) -> Sizes:
        return Sizes(*(max(1, round(n * factor)) for n in asdict(self).values()))

    @property
    def label(self) -> str:
        return f"{self.members}m-{self.partners}p-{self.interactions}i-{self.promises}pr"


FULL = Sizes(members=5_000, partners=50_000, interactions=2_000_000, promises=100_000)


# --- the data, as rows of plain values (naive datetimes in UTC) ---------------------------------

TABLES: dict[str, tuple[str, ...]] = {
    "workspaces": ("id", "team_id", "created_at"),
    "members": (
        "id",
        "workspace_id",
        "slack_user_id",
        "name",
        "tz",
        "locale",
        "work_start_minute",
        "work_end_minute",
        "work_days",
        "is_admin",
        "active",
        "refreshed_at",
    ),
    "partners": (
        "id",
        "workspace_id",
        "name",
        "name_key",
        "organisation",
        "organisation_key",
        "cadence_days",
        "status",
        "owner_id",
        "created_at",
    ),
    "interactions": (
        "id",
        "workspace_id",
        "partner_id",
        "member_id",
        "occurred_at",
        "has_time",
        "medium",
        "kind",
        "direction",
        "note",
        "source",
        "created_partner",
        "created_at",
    ),
    "promises": (
        "id",
        "workspace_id",
        "partner_id",
        "member_id",
        "interaction_id",
        "text",
        "due_on",
        "status",
        "created_at",
        "resolved_at",
    ),
}


def owner_of(partner_id: int, sizes: Sizes) -> int:
    return (partner_id - 1) % sizes.members + 1


def workspace_rows(now: datetime) -> Iterator[tuple[Any, ...]]:
    yield (1, "T0BENCH", now - timedelta(days=HISTORY_DAYS))


def member_rows(sizes: Sizes, now: datetime) -> Iterator[tuple[Any, ...]]:
    for i in range(1, sizes.members + 1):
        yield (
            i,
            1,
            f"U{i:08d}",
            f"Member {i}",
            ZONES[i % len(ZONES)],
            "de-DE" if i % 3 == 0 else "en-US",
            9 * 60,
            18 * 60,
            "12345",
            False,
            i % INACTIVE_EVERY != 0,
            now,
        )


def partner_rows(sizes: Sizes, now: datetime) -> Iterator[tuple[Any, ...]]:
    for i in range(1, sizes.partners + 1):
        yield (
            i,
            1,
            f"Partner {i}",
            f"partner {i}",
            f"Org {i % 997}",
            f"org {i % 997}",
            CADENCE_DAYS,
            "paused" if i % PAUSED_EVERY == 0 else "active",
            owner_of(i, sizes),
            now - timedelta(days=HISTORY_DAYS + 1),
        )


def interaction_rows(sizes: Sizes, now: datetime) -> Iterator[tuple[Any, ...]]:
    """In the order they happened, as a real logbook fills, partners picked at random."""
    rng = random.Random(SEED)
    start = now - timedelta(days=HISTORY_DAYS)
    step = HISTORY_DAYS * 86_400 / sizes.interactions
    hour = timedelta(hours=1)
    for i in range(1, sizes.interactions + 1):
        partner = rng.randrange(sizes.partners) + 1
        occurred = start + timedelta(seconds=(i - 1 + rng.random()) * step)
        kind = "check-in" if rng.randrange(CHECK_IN_EVERY) == 0 else OTHER_KINDS[i % 5]
        yield (
            i,
            1,
            partner,
            owner_of(partner, sizes),
            occurred,
            i % 2 == 0,
            MEDIA[i % len(MEDIA)],
            kind,
            DIRECTIONS[i % len(DIRECTIONS)],
            f"talked about item {i % 1000}",
            "command",
            False,
            min(occurred + hour, now),
        )


def promise_rows(sizes: Sizes, now: datetime) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(SEED + 1)
    today = now.date()
    for i in range(1, sizes.promises + 1):
        partner = rng.randrange(sizes.partners) + 1
        due = today + timedelta(days=rng.randint(-PROMISE_SPREAD_DAYS, PROMISE_SPREAD_DAYS))
        created = now - timedelta(days=PROMISE_SPREAD_DAYS + 30, seconds=i)
        is_open = rng.random() < OPEN_SHARE
        yield (
            i,
            1,
            partner,
            owner_of(partner, sizes),
            None,
            f"send the revised quote #{i}",
            due,
            "open" if is_open else CLOSED_STATUSES[i % len(CLOSED_STATUSES)],
            created,
            None if is_open else created + timedelta(days=3),
        )


def dataset(sizes: Sizes, now: datetime) -> list[tuple[str, Iterable[tuple[Any, ...]]]]:
    """Every table's rows, parents first; generated lazily, so 2M rows never sit in memory."""
    return [
        ("workspaces", workspace_rows(now)),
        ("members", member_rows(sizes, now)),
        ("partners", partner_rows(sizes, now)),
        ("interactions", interaction_rows(sizes, now)),
        ("promises", promise_rows(sizes, now)),
    ]


# --- bulk loading --------------------------------------------------------------------------------


def sqlite_value(value: Any) -> Any:
    """As SQLAlchemy stores it on SQLite: datetimes with microseconds, dates ISO, bools 0/1."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


# The data is loaded as it was before partners kept their contact times, and migration 0026
# then fills them in from the history, as it does for a workspace upgrading: the same columns
# Rapport's own writes keep, and a figure for how long that upgrade takes at this size.
SEEDED_AT = "0025"


def migrate_to(url: str, revision: str) -> None:
    db = Database(url)
    command.upgrade(alembic_config(db.engine), revision)
    db.dispose()


def finish_seeding(url: str) -> None:
    """Upgrade the loaded data to the head (migration 0026 fills the contact times) and check
    what it filled with `rapport doctor`'s check, printing both."""
    db = Database(url)
    started = time.perf_counter()
    upgrade(db.engine)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    with db.reading() as session:
        differ = sum(1 for _ in drift(session))
    checked = time.perf_counter() - started
    db.dispose()
    print(
        f"    migrations after {SEEDED_AT} (0026 fills the contact times): {migrated:.1f} s; "
        f"drift check: {differ} partners differ ({checked:.1f} s)",
        flush=True,
    )
    if differ:
        raise SystemExit("the contact times the migration filled differ from the history")


def seed_sqlite(path: Path, sizes: Sizes, now: datetime) -> None:
    migrate_to(f"sqlite:///{path}", SEEDED_AT)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in (
            "journal_mode = DELETE",
            "journal_mode = OFF",
            "synchronous = OFF",
            "foreign_keys = OFF",
            "cache_size = -262144",
            "temp_store = MEMORY",
        ):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        for table, rows in dataset(sizes, now):
            columns = TABLES[table]
            marks = ", ".join("?" * len(columns))
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                (tuple(sqlite_value(v) for v in row) for row in rows),
            )
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    finish_seeding(f"sqlite:///{path}")


def seed_postgres(url: str, sizes: Sizes, now: datetime) -> None:
    migrate_to(url, SEEDED_AT)
    db = Database(url)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # A bulk load: one COPY of 2,000,000 rows may take longer than Rapport's own limit for a
        # statement on a busy machine, which is no measure of anything here.
        cursor.execute("SET statement_timeout = 0")
        # A bulk load of rows known to be consistent: skip the per-row foreign-key triggers.
        cursor.execute("SET session_replication_role = replica")
        for table, rows in dataset(sizes, now):
            statement = f"COPY {table} ({', '.join(TABLES[table])}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        raw.commit()
    finally:
        raw.close()
    db.dispose()
    finish_seeding(url)
    db = Database(url)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("SET statement_timeout = 0")
        connection.exec_driver_sql("VACUUM ANALYZE")
    db.dispose()


def cached_sqlite(sizes: Sizes, folder: Path) -> tuple[str, datetime, str]:
    """A seeded SQLite file for `sizes` in `folder`, reused when it matches; its "now"."""
    wanted = {"sizes": asdict(sizes), "seed": SEED, "schema": head_revision()}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"planner-{sizes.label}.db"
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        kept = json.loads(sidecar.read_text())
        if {k: kept.get(k) for k in wanted} == wanted:
            return f"sqlite:///{path}", datetime.fromisoformat(kept["now"]), "reused"
    path.unlink(missing_ok=True)
    now = reference_now()
    started = time.perf_counter()
    seed_sqlite(path, sizes, now)
    sidecar.write_text(json.dumps({**wanted, "now": now.isoformat()}))
    return f"sqlite:///{path}", now, f"seeded in {time.perf_counter() - started:.0f} s"


def reference_now() -> datetime:
    """The instant the data is built around and the tick runs at: today, 10:00 UTC."""
    return datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)


# --- the measured work, each in a fresh process ------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not ru_maxrss: on Linux a child started by
    fork or vfork inherits its parent's high-water mark there, the seeding parent's included."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_statements(db: Database) -> Counter[str]:
    """Counts, from now on, the statements sent to the database ("statements": an executemany
    is one) and the parameter sets an executemany carried ("executemany_rows")."""
    counter: Counter[str] = Counter()

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(_conn, _cursor, _statement, parameters, _context, executemany) -> None:
        counter["statements"] += 1
        if executemany:
            counter["executemany_rows"] += len(parameters)

    return counter


def time_statements(db: Database) -> dict[str, float]:
    """Seconds spent in each statement from now on (from sending it to its result being
    available to the cursor), keyed by its first words: which statement of a tick costs what,
    and whether that grows with the data."""
    spent: dict[str, float] = {}
    started: list[float] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _start(_conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        started.append(time.perf_counter())

    @event.listens_for(db.engine, "after_cursor_execute")
    def _stop(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        key = " ".join(statement.split())[:STATEMENT_LABEL]
        spent[key] = spent.get(key, 0.0) + time.perf_counter() - started.pop()

    return spent


def measure_planner(url: str, now: datetime, profile: bool) -> dict[str, Any]:
    """One tick on the empty outbox; then, for comparison, a second at the same instant, which
    finds everything planned already (the cost of an ordinary five-minute tick)."""
    db = Database(url)
    db.ping()  # the connection is open before the clock starts, as in a running scheduler
    # So are the holiday calendars, which a running scheduler imported on its first tick long
    # ago: a second or so on this machine, paid once per process and not by the tick.
    region_of(None, "Europe/Berlin")
    statements = count_statements(db)
    spent = time_statements(db)
    before = peak_rss_mb()
    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    started = time.perf_counter()
    result = plan(db, now)
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(30)
    figures = {
        "seconds": seconds,
        "statements": statements["statements"],
        "executemany_rows": statements["executemany_rows"],
        "planned": result.planned,
        "ran": result.ran,
        "rss_mb": peak_rss_mb(),
        "rss_before_mb": before,
        "by_statement": dict(spent),
    }
    statements.clear()
    spent.clear()
    started = time.perf_counter()
    again = plan(db, now)
    figures["again_seconds"] = time.perf_counter() - started
    figures["again_statements"] = statements["statements"]
    figures["again_planned"] = again.planned
    figures["again_by_statement"] = dict(spent)
    # The next tick comes five minutes later; by then the database's own upkeep has seen what
    # the first one wrote. On PostgreSQL autovacuum does within a minute (the first tick
    # rewrote far more than its thresholds of the partners and promises) what this VACUUM
    # ANALYZE does: the dead index entries the notes left go, and the statistics describe the
    # notes instead of the rows before them. SQLite needs no such upkeep.
    upkeep(db)
    statements.clear()
    spent.clear()
    started = time.perf_counter()
    settled = plan(db, now)
    figures["settled_seconds"] = time.perf_counter() - started
    figures["settled_statements"] = statements["statements"]
    figures["settled_planned"] = settled.planned
    figures["settled_by_statement"] = dict(spent)
    return figures


def upkeep(db: Database) -> None:
    """What PostgreSQL's autovacuum does after a tick that wrote tens of thousands of rows."""
    if db.backend != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("SET statement_timeout = 0")
        connection.exec_driver_sql("VACUUM ANALYZE partners, promises, outbox, bundles")


_BARE_CHECK_IN_SQL = """
    SELECT p.id, p.workspace_id, p.cadence_days, p.owner_id, m.tz,
           c.last_check_in, c.first_contact
    FROM partners p
    JOIN (SELECT partner_id,
                 max(CASE WHEN kind = 'check-in' THEN occurred_at END) AS last_check_in,
                 min(occurred_at) AS first_contact
          FROM interactions GROUP BY partner_id) c ON c.partner_id = p.id
    JOIN members m ON m.id = p.owner_id
    WHERE p.status = 'active' AND {active} AND {due}
"""
BARE_CHECK_INS = {
    "sqlite": _BARE_CHECK_IN_SQL.format(
        active="m.active = 1",
        due="datetime(coalesce(c.last_check_in, c.first_contact), "
        "printf('+%d days', p.cadence_days)) <= :horizon",
    ),
    "postgresql": _BARE_CHECK_IN_SQL.format(
        active="m.active",
        due="coalesce(c.last_check_in, c.first_contact) "
        "+ make_interval(days => p.cadence_days) <= %(horizon)s",
    ),
}
BARE_PROMISES = {
    "sqlite": """
        SELECT p.id, p.workspace_id, p.member_id, p.due_on,
               m.tz, m.work_start_minute, m.work_end_minute, m.work_days
        FROM promises p JOIN members m ON m.id = p.member_id
        WHERE p.status = 'open' AND m.active = 1 AND p.due_on <= :horizon
    """,
    "postgresql": """
        SELECT p.id, p.workspace_id, p.member_id, p.due_on,
               m.tz, m.work_start_minute, m.work_end_minute, m.work_days
        FROM promises p JOIN members m ON m.id = p.member_id
        WHERE p.status = 'open' AND m.active AND p.due_on <= %(horizon)s
    """,
}


def horizons(now: datetime) -> tuple[datetime, date]:
    """The planner's own horizons: check-ins due by then, promises due by that day."""
    return now + ZONE_LEAD, (now + ZONE_LEAD).date() + timedelta(days=HEADS_UP_LOOKBACK_DAYS)


def measure_bare(url: str, now: datetime, verify: bool) -> dict[str, Any]:
    db = Database(url)
    db.ping()
    check_in_horizon, promise_horizon = horizons(now)
    if db.backend == "sqlite":
        check_in_param = sqlite_value(check_in_horizon.astimezone(UTC).replace(tzinfo=None))
        promise_param: Any = promise_horizon.isoformat()
    else:
        check_in_param, promise_param = check_in_horizon.replace(tzinfo=None), promise_horizon
    before = peak_rss_mb()
    raw = db.engine.raw_connection()
    started = time.perf_counter()
    cursor = raw.cursor()
    cursor.execute(BARE_CHECK_INS[db.backend], {"horizon": check_in_param})
    check_ins = cursor.fetchall()
    cursor.execute(BARE_PROMISES[db.backend], {"horizon": promise_param})
    promises = cursor.fetchall()
    seconds = time.perf_counter() - started
    raw.rollback()
    raw.close()
    figures = {
        "seconds": seconds,
        "check_ins": len(check_ins),
        "promises": len(promises),
        "rss_mb": peak_rss_mb(),
        "rss_before_mb": before,
    }
    if verify:  # after the figures: the planner's own queries must select the same rows
        with db.reading() as session:
            planner_check_ins = {r.id for r in check_in_candidates(session, check_in_horizon, now)}
            planner_promises = {r.id for r in promise_candidates(session, promise_horizon)}
        figures["same_rows"] = planner_check_ins == {r[0] for r in check_ins} and (
            planner_promises == {r[0] for r in promises}
        )
    return figures


def measure_once(mode: str, url: str, now: datetime, flag: bool) -> None:
    figures = measure_planner(url, now, flag) if mode == "planner" else measure_bare(url, now, flag)
    print(json.dumps(figures))


def in_fresh_process(mode: str, url: str, now: datetime, flag: bool = False) -> dict[str, Any]:
    argv = [
        sys.executable,
        __file__,
        "--measure-once",
        mode,
        "--url",
        url,
        "--now",
        now.isoformat(),
    ]
    if flag:
        argv.append("--flag")
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- one backend at one size -----------------------------------------------------------------


@dataclass
class Figures:
    backend: str
    sizes: Sizes
    setup: str
    planner: list[dict[str, Any]]
    bare: list[dict[str, Any]]

    def median(self, runs: str, key: str) -> float:
        return statistics.median(run[key] for run in getattr(self, runs))

    @property
    def ratio(self) -> float:
        """Rounded as printed, so that the verdict agrees with the figure beside it."""
        return round(self.median("planner", "seconds") / self.median("bare", "seconds"), 2)

    @property
    def statements(self) -> set[int]:
        return {run["statements"] for run in self.planner}

    @property
    def again_statements(self) -> set[int]:
        return {run["again_statements"] for run in self.planner}

    @property
    def settled_statements(self) -> set[int]:
        return {run["settled_statements"] for run in self.planner}

    def by_statement(self, tick: str) -> dict[str, float]:
        """Median seconds per statement over the runs, of the tick named by its figures'
        prefix ("" for the first, "again_", "settled_")."""
        runs = [run[f"{tick}by_statement"] for run in self.planner]
        return {
            key: statistics.median(run.get(key, 0.0) for run in runs)
            for key in dict.fromkeys(k for run in runs for k in run)
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "sizes": asdict(self.sizes),
            "first_tick_s": self.median("planner", "seconds"),
            "bare_s": self.median("bare", "seconds"),
            "ratio": self.ratio,
            "again_s": self.median("planner", "again_seconds"),
            "settled_s": self.median("planner", "settled_seconds"),
            "statements": sorted(self.statements),
            "again_statements": sorted(self.again_statements),
            "settled_statements": sorted(self.settled_statements),
            "planned": self.planner[0]["planned"],
            "again_planned": max(run["again_planned"] for run in self.planner),
            "rss_mb": max(run["rss_mb"] for run in self.planner),
            "rss_base_mb": self.median("planner", "rss_before_mb"),
            "bare_rss_mb": max(run["rss_mb"] for run in self.bare),
            "first_tick_runs_s": [run["seconds"] for run in self.planner],
            "again_runs_s": [run["again_seconds"] for run in self.planner],
            "settled_runs_s": [run["settled_seconds"] for run in self.planner],
            "by_statement_s": {
                tick or "first_": self.by_statement(tick) for tick in ("", "again_", "settled_")
            },
            "bare_runs_s": [run["seconds"] for run in self.bare],
            "same_rows": bool(self.bare[0].get("same_rows")),
        }


def empty_outbox(url: str) -> None:
    """No nudges and nothing noted: every run starts as the first tick after the upgrade."""
    db = Database(url)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox"))
        connection.execute(text("DELETE FROM bundles"))
        connection.execute(
            text(
                "UPDATE partners SET plan_due_at = NULL, plan_member_id = NULL, "
                "plan_snoozed_until = NULL, plan_paused_until = NULL, plan_again_at = NULL "
                "WHERE plan_member_id IS NOT NULL"
            )
        )
        connection.execute(
            text(
                "UPDATE promises SET plan_due_on = NULL, plan_member_id = NULL, "
                "plan_again_at = NULL WHERE plan_member_id IS NOT NULL"
            )
        )
    db.dispose()


def measure(backend: str, sizes: Sizes, url: str, now: datetime, setup: str, args) -> Figures:
    figures = Figures(backend, sizes, setup, [], [])
    for repeat in range(args.repeats):
        empty_outbox(url)
        figures.planner.append(in_fresh_process("planner", url, now))
        figures.bare.append(in_fresh_process("bare", url, now, flag=repeat == 0))
    if args.profile:
        empty_outbox(url)
        print(f"--- cProfile of one tick: {backend}, {sizes.label} ---", file=sys.stderr)
        in_fresh_process("planner", url, now, flag=True)
    empty_outbox(url)
    return figures


def postgres_server():
    from tests.support.postgres import PostgresServer

    bindir = PostgresServer.find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL binaries: apt-get install -y postgresql")
    return PostgresServer(bindir).start()


def run_backend(backend: str, all_sizes: list[Sizes], args) -> list[Figures]:
    results = []
    server = postgres_server() if backend == "postgresql" else None
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-")) if args.no_keep else args.keep
    try:
        for sizes in all_sizes:
            if server is None:
                url, now, setup = cached_sqlite(sizes, folder)
            else:
                url, now = (
                    server.create_database(f"bench_{sizes.label.replace('-', '_')}"),
                    (reference_now()),
                )
                started = time.perf_counter()
                seed_postgres(url, sizes, now)
                setup = f"seeded in {time.perf_counter() - started:.0f} s"
            print(f"  {backend} {sizes.label}: {setup}, ticking at {now:%Y-%m-%d %H:%M} UTC")
            results.append(measure(backend, sizes, url, now, setup, args))
    finally:
        if server is not None:
            server.stop()
        if args.no_keep:
            shutil.rmtree(folder, ignore_errors=True)
    return results


# --- the report --------------------------------------------------------------------------------


def report(results: list[Figures], repeats: int) -> dict[str, Any]:
    """Print the table and the verdicts; return them as one JSON-ready object."""
    print()
    print(
        f"planner tick: plan(db, now) on an empty outbox vs bare SQL selecting the same rows; "
        f"median of {repeats} runs, each in a fresh process; {os.cpu_count()} cores"
    )
    header = (
        f"{'backend':<10} {'members':>7} {'partners':>8} {'interact.':>9} {'promises':>8} "
        f"{'plan s':>7} {'bare s':>7} {'ratio':>6} {'stmts':>5} {'nudges':>6} {'again s':>7} "
        f"{'stmts':>5} {'settled':>7} {'stmts':>5} {'RSS MB':>6} {'(base)':>6} {'bare RSS':>8}"
    )
    print(header)
    for f in results:
        s = f.sizes
        print(
            f"{f.backend:<10} {s.members:>7,} {s.partners:>8,} {s.interactions:>9,} "
            f"{s.promises:>8,} {f.median('planner', 'seconds'):>7.2f} "
            f"{f.median('bare', 'seconds'):>7.2f} {f.ratio:>5.2f}x "
            f"{'/'.join(map(str, sorted(f.statements))):>5} "
            f"{f.planner[0]['planned']:>6,} {f.median('planner', 'again_seconds'):>7.3f} "
            f"{'/'.join(map(str, sorted(f.again_statements))):>5} "
            f"{f.median('planner', 'settled_seconds'):>7.3f} "
            f"{'/'.join(map(str, sorted(f.settled_statements))):>5} "
            f"{max(r['rss_mb'] for r in f.planner):>6.0f} "
            f"{f.median('planner', 'rss_before_mb'):>6.0f} "
            f"{max(r['rss_mb'] for r in f.bare):>8.0f}"
        )
    print(
        "  plan s / bare s: medians; again s: a second tick at the same instant, which plans "
        "nothing new, at once, and its statements; settled: a third tick after the database's "
        "upkeep has seen the first one's writes (PostgreSQL: VACUUM ANALYZE, what autovacuum "
        "does before the next tick five minutes later; SQLite: none), an ordinary tick's cost; "
        "RSS MB: highest peak of the planner's runs over the first tick, (base): the same "
        "process before it (interpreter, imports, a connection)"
    )
    for f in results:
        bare = f.bare[0]
        runs = ", ".join(f"{r['seconds']:.2f}" for r in f.planner)
        again = ", ".join(f"{r['again_seconds']:.3f}" for r in f.planner)
        settled = ", ".join(f"{r['settled_seconds']:.3f}" for r in f.planner)
        bare_runs = ", ".join(f"{r['seconds']:.2f}" for r in f.bare)
        print(
            f"  {f.backend} {f.sizes.label} ({f.setup}): planner runs {runs} s, again {again} s, "
            f"settled {settled} s, "
            f"bare {bare_runs} s; bare SQL selected {bare['check_ins']:,} check-in candidates "
            f"and {bare['promises']:,} promises, "
            f"{'the same rows as' if bare.get('same_rows') else 'NOT the same rows as'} "
            "the planner's queries"
        )
    print()
    print("seconds per statement (medians; the first words of each statement name it):")
    for f in results:
        print(f"  {f.backend} {f.sizes.label}")
        for tick, label in (("", "first tick"), ("again_", "again"), ("settled_", "settled")):
            spent = sorted(f.by_statement(tick).items(), key=lambda item: -item[1])
            print(f"    {label}: " + "; ".join(f"{key} {seconds:.4f}" for key, seconds in spent))
    print()
    verdicts: dict[str, Any] = {}
    for backend in dict.fromkeys(f.backend for f in results):
        mine = [f for f in results if f.backend == backend]
        first = set().union(*(f.statements for f in mine))
        again = set().union(*(f.again_statements for f in mine))
        settled = set().union(*(f.settled_statements for f in mine))
        same = len(first) == 1 and len(again) == 1 and len(settled) == 1
        print(
            f"{backend}: statements per tick the same at every size: {'yes' if same else 'NO'} "
            f"(first tick {sorted(first)}, again {sorted(again)}, settled {sorted(settled)})"
        )
        verdicts[f"{backend}_statements_same"] = same
        if len(mine) == 2:
            big, small = mine
            for tick in ("again", "settled"):
                growth = round(
                    big.median("planner", f"{tick}_seconds")
                    / small.median("planner", f"{tick}_seconds"),
                    2,
                )
                met = growth <= TARGET_AGAIN_GROWTH
                print(
                    f"{backend}: a tick that plans nothing new ({tick}) within "
                    f"{TARGET_AGAIN_GROWTH:.0f}x of the same at a tenth of the size: "
                    f"{'met' if met else 'NOT met'} ({growth:.2f}x)"
                )
                verdicts[f"{backend}_{tick}_growth"] = growth
                verdicts[f"{backend}_{tick}_growth_met"] = met
    for f in results:
        rss = max(r["rss_mb"] for r in f.planner)
        again = f.median("planner", "again_seconds")
        settled = f.median("planner", "settled_seconds")
        key = f"{f.backend}_{f.sizes.label}"
        checks = {
            "faster_than_bare": f.ratio < TARGET_RATIO,
            "again_under_target": again < TARGET_AGAIN_SECONDS,
            "settled_under_target": settled < TARGET_AGAIN_SECONDS,
            "rss_under_target": rss < TARGET_RSS_MB,
            "same_rows": bool(f.bare[0].get("same_rows")),
        }
        print(
            f"{f.backend} {f.sizes.label}: first tick faster than bare SQL: "
            f"{'met' if checks['faster_than_bare'] else 'NOT met'} ({f.ratio:.2f}x); "
            f"a tick that plans nothing new under {TARGET_AGAIN_SECONDS} s: "
            f"{'met' if checks['again_under_target'] else 'NOT met'} ({again:.3f} s at once, "
            f"{'met' if checks['settled_under_target'] else 'NOT met'} ({settled:.3f} s settled); "
            f"peak RSS under {TARGET_RSS_MB:.0f} MB: "
            f"{'met' if checks['rss_under_target'] else 'NOT met'} ({rss:.0f} MB)"
        )
        verdicts[key] = checks
    return {"results": [f.as_json() for f in results], "verdicts": verdicts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres", action="store_true", help="same as --backend postgresql")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="of the full size (default 1; 0.1 for a quick run)"
    )
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument(
        "--keep",
        type=Path,
        default=Path(tempfile.gettempdir()) / "rapport-bench",
        help="folder for seeded SQLite files, reused when their sizes match",
    )
    parser.add_argument("--no-keep", action="store_true", help="seed SQLite into a fresh folder")
    parser.add_argument("--profile", action="store_true", help="cProfile one extra tick (stderr)")
    parser.add_argument(
        "--json", action="store_true", help="the figures as one JSON object on the last line"
    )
    parser.add_argument("--measure-once", choices=("planner", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    parser.add_argument("--flag", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure_once:
        measure_once(args.measure_once, args.url, datetime.fromisoformat(args.now), args.flag)
        return
    backends = ["postgresql"] if args.postgres else [args.backend]
    if backends == ["both"]:
        backends = ["sqlite", "postgresql"]
    full = FULL.scaled(args.scale)
    all_sizes = [full, full.scaled(0.1)]
    results: list[Figures] = []
    for backend in backends:
        results.extend(run_backend(backend, all_sizes, args))
    figures = report(results, args.repeats)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
