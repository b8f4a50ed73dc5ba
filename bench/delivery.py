"""Delivering 10,000 nudge DMs through Slack's rate limits: how close to the limits' own minimum.

Slack lets an app post about one message a second per conversation and, in bursts, not much more
than 100 a second in a workspace; beyond that it answers 429 with Retry-After. The dispatcher
must neither lose nor double a DM under those answers, and should not waste the allowance
either. This seeds 10,000 members (all in one time zone, at work the whole day) with one open
promise each, due today, plans them with `scheduler.planner.plan`, and lets
`scheduler.dispatcher.Dispatcher` deliver them to a `SlackStandIn` limited to those two rates
in real time, ticking until every DM is sent.

The stand-in answers `dnd.teamInfo` with `missing_scope` once, so the dispatcher stops asking
(Do Not Disturb schedules unreadable) and the run measures chat.postMessage alone. The
dispatcher runs in a fresh process of its own, so its peak RSS is its own and the stand-in does
not compete with it for the GIL. Each pacing is measured on a freshly seeded database (so the
dispatcher starts from nothing learned, at one post a second): `pace=None` (no
`RAPPORT_DM_PER_SECOND`: the rate learned from the 429s alone) and a ceiling a little under the
limit (default 95 a second).

Printed per run: total seconds, the minimum the limits allow (the posts divided by 100 a second;
the 1-a-second per-DM limit does not bind with one DM per user), the ratio (target: within
1.2x), DMs delivered, users who got more than one (must be 0), users who got none, 429s, the
Web API calls by method, peak RSS, and per DM sent the dispatcher process's CPU time and its
statements by kind (counted with a `before_cursor_execute` listener; the machine's load moves
the seconds far more than the CPU time, so the two say together what the dispatcher costs);
with `--repeats N`, each pacing N times and the median of each. `--json` prints the figures as
one JSON object on the last line. `--limit` sets the stand-in's workspace-wide rate: on a
machine too busy for the dispatcher to reach 100 posts a second, a lower one still measures how
close the pacing comes to a limit that binds; a very high one measures the dispatcher's own
speed.

    .venv/bin/python bench/delivery.py                      # 10,000 DMs, SQLite
    .venv/bin/python bench/delivery.py --nudges 1000 --backend both
    .venv/bin/python bench/delivery.py --backend both --repeats 3 --json
    .venv/bin/python bench/delivery.py --nudges 3000 --limit 100000 --no-ceiling-run  # own speed
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from bot.rules.clock import SystemClock  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402
from scheduler.dispatcher import Dispatcher, TickResult  # noqa: E402
from scheduler.planner import plan  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Bundle, Member, Nudge, Partner, Promise, Workspace  # noqa: E402

NUDGES = 10_000
WORKSPACE_PER_SECOND = 100
DM_PER_SECOND = 1
PACE = 95.0
TARGET_RATIO = 1.2
GIVE_UP_AFTER = 5  # times the minimum: a run that slow is reported as unfinished
IDLE_WAIT_S = 0.05
FRESH = itertools.count(1)
# One zone per whole offset: the run picks the one where it is nearest noon, so the local
# date cannot change under a run of a few minutes.
ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Auckland",
)


def zone_near_noon(now: datetime) -> str:
    def from_noon(name: str) -> float:
        local = now.astimezone(ZoneInfo(name))
        return abs(local.hour + local.minute / 60 - 12)

    return min(ZONES, key=from_noon)


def user_id(i: int) -> str:
    return f"U{i:07d}"


# --- the database: members with one promise due today each, planned ----------------------------


def seed(url: str, nudges: int, zone: str, now: datetime) -> int:
    """Members at work all day, each owning one partner and one promise due today; then one
    planner tick puts a nudge for each in the outbox. Returns the nudges planned."""
    db = Database(url)
    upgrade(db.engine)
    today = now.astimezone(ZoneInfo(zone)).date()
    ids = range(1, nudges + 1)
    with db.transaction() as session:
        session.execute(
            Workspace.__table__.insert(), [{"id": 1, "team_id": "T0ACME", "created_at": now}]
        )
        session.execute(Member.__table__.insert(), [member_row(i, zone, now) for i in ids])
        session.execute(Partner.__table__.insert(), [partner_row(i, now) for i in ids])
        session.execute(Promise.__table__.insert(), [promise_row(i, today, now) for i in ids])
    planned = plan(db, now).planned
    db.dispose()
    return planned


def member_row(i: int, zone: str, now: datetime) -> dict[str, Any]:
    return {
        "id": i,
        "workspace_id": 1,
        "slack_user_id": user_id(i),
        "name": f"Member {i}",
        "tz": zone,
        "locale": "en-US",
        "work_start_minute": 0,
        "work_end_minute": 24 * 60,
        "work_days": "1234567",
        "is_admin": False,
        "active": True,
        "refreshed_at": now,
    }


def partner_row(i: int, now: datetime) -> dict[str, Any]:
    return {
        "id": i,
        "workspace_id": 1,
        "name": f"Partner {i}",
        "name_key": f"partner {i}",
        "organisation": "Acme",
        "organisation_key": "acme",
        "cadence_days": 90,
        "status": "active",
        "owner_id": i,
        "created_at": now - timedelta(days=30),
    }


def promise_row(i: int, today: Any, now: datetime) -> dict[str, Any]:
    return {
        "id": i,
        "workspace_id": 1,
        "partner_id": i,
        "member_id": i,
        "text": f"send the signed contract #{i}",
        "due_on": today,
        "status": "open",
        "created_at": now - timedelta(days=7),
    }


# --- Slack: one stand-in per run, with Slack's posting limits --------------------------------


def limited_standin(nudges: int, zone: str, limits: bool, per_second: int) -> SlackStandIn:
    standin = SlackStandIn().start()
    for i in range(1, nudges + 1):
        standin.add_user(user_id(i), name=f"member{i}", tz=zone)
    if limits:
        standin.limit_rate("chat.postMessage", DM_PER_SECOND, 1.0, per_channel=True)
        standin.limit_rate("chat.postMessage", per_second, 1.0)
    # No dnd:read scope: the dispatcher stops asking after the first answer.
    standin.fail_next("dnd.teamInfo", status=200, error="missing_scope", retry_after=None)
    return standin


def minimum_seconds(nudges: int, per_second: int = WORKSPACE_PER_SECOND) -> float:
    """What the limits allow at best: the workspace-wide rate; one DM per user never meets the
    per-conversation one."""
    return nudges / per_second


# --- the measured delivery, in a fresh process -------------------------------------------------


def peak_rss_mb() -> float:
    """VmHWM: ru_maxrss of a child can carry its parent's high-water mark on Linux."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pending(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).where(Nudge.state == "pending")) or 0


def bundle_states(db: Database) -> dict[str, int]:
    with db.reading() as session:
        rows = session.execute(select(Bundle.state, func.count()).group_by(Bundle.state)).all()
    return {state: count for state, count in rows}


def add_up(total: TickResult, result: TickResult) -> None:
    """Sum a tick's counts into the run's; the last reason to stop, if any, is kept."""
    for name, value in vars(result).items():
        if isinstance(value, int):
            setattr(total, name, getattr(total, name) + value)
    total.stopped = result.stopped or total.stopped


def deliver(url: str, base_url: str, token: str, pace: float | None, give_up_s: float) -> dict:
    """Tick until nothing is pending (or `give_up_s` passed); the whole delivery is timed."""
    db = Database(url)
    db.ping()
    client = WebClient(token=token, base_url=base_url, retry_handlers=[], timeout=10)
    dispatcher = Dispatcher(db, SystemClock(), client, pace=pace)
    before = peak_rss_mb()
    total, ticks = TickResult(), 0
    statements: Counter[str] = Counter()
    event.listen(db.engine, "before_cursor_execute", counting(statements))
    started, cpu_started = time.perf_counter(), time.process_time()
    while True:
        result = dispatcher.tick()
        add_up(total, result)
        ticks += 1
        left = pending(db)
        if not left or result.stopped or time.perf_counter() - started > give_up_s:
            break
        if not result.sent:
            time.sleep(IDLE_WAIT_S)  # everything left waits for a Retry-After to pass
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "statements": dict(statements),
        "ticks": ticks,
        "left": left,
        "result": vars(total),
        "bundles": bundle_states(db),
        "rss_mb": peak_rss_mb(),
        "rss_before_mb": before,
    }


def counting(statements: Counter[str]) -> Any:
    """A `before_cursor_execute` listener that counts statements by their first word (SELECT,
    UPDATE, BEGIN…), the bench's own polling of what is pending included."""

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements[statement.split(None, 1)[0].upper() if statement.strip() else "?"] += 1

    return count


def deliver_once(args: argparse.Namespace) -> None:
    pace = None if args.run_pace == "none" else float(args.run_pace)
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    figures = deliver(args.url, args.base_url, args.token, pace, args.give_up)
    if profiler is not None:
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    print(json.dumps(figures))


def in_fresh_process(url: str, standin: SlackStandIn, pace: str, args) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--deliver-once", "--url", url]
    argv += ["--base-url", standin.base_url, "--token", standin.bot_token, "--run-pace", pace]
    argv += ["--give-up", str(minimum_seconds(args.nudges, args.limit) * GIVE_UP_AFTER + 60)]
    if args.profile:
        argv.append("--profile")
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- one run: a fresh database, a fresh stand-in, one pacing -----------------------------------


@dataclass
class Run:
    backend: str
    pace: str
    limits: bool
    planned: int
    figures: dict[str, Any]
    calls: Counter[str]
    per_user: Counter[str]
    rate_limited: int

    @property
    def seconds(self) -> float:
        return self.figures["seconds"]

    @property
    def name(self) -> str:
        """The pacing as printed: "none" (the learned rate alone), "95/s" (a ceiling), with "nolim"
        when unlimited."""
        pace = "none" if self.pace == "none" else f"{self.pace}/s"
        return pace if self.limits else f"{pace} nolim"

    def duplicates(self) -> int:
        return sum(1 for n in self.per_user.values() if n > 1)

    def missing(self, nudges: int) -> int:
        return nudges - len(self.per_user)


def fresh_database(backend: str, name: str, folder: Path, server) -> str:
    """A database no earlier run has used (a run's learned pace must not carry over)."""
    name = f"{name}_{next(FRESH)}"
    if backend == "sqlite":
        return f"sqlite:///{folder / (name + '.db')}"
    return server.create_database(name)


def run(backend: str, pace: str, limits: bool, folder: Path, server, args) -> Run:
    now = datetime.now(UTC)
    zone = zone_near_noon(now)
    url = fresh_database(backend, f"delivery_{pace}_{int(limits)}", folder, server)
    planned = seed(url, args.nudges, zone, now)
    standin = limited_standin(args.nudges, zone, limits, args.limit)
    try:
        figures = in_fresh_process(url, standin, pace, args)
        nudge_dms = [
            m
            for m in standin.messages()
            if (m.get("metadata") or {}).get("event_type") == "rapport_nudge"
        ]
        return Run(
            backend,
            pace,
            limits,
            planned,
            figures,
            Counter(call.method for call in standin.calls),
            Counter(m["channel"] for m in nudge_dms),
            standin.rate_limited_count("chat.postMessage"),
        )
    finally:
        standin.stop()


def postgres_server():
    from tests.support.postgres import PostgresServer

    bindir = PostgresServer.find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL binaries: apt-get install -y postgresql")
    return PostgresServer(bindir).start()


def run_backend(backend: str, args) -> list[Run]:
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    server = postgres_server() if backend == "postgresql" else None
    plans = [("none", True), (f"{args.pace:g}", True)]
    if args.no_ceiling_run:
        plans = plans[:1]
    if args.also_unlimited:
        plans.append(("none", False))
    try:
        runs = []
        for repeat in range(args.repeats):
            for pace, limits in plans:
                print(
                    f"  {backend}, pace {pace}{'' if limits else ', no limits'}, "
                    f"run {repeat + 1} of {args.repeats}: running…"
                )
                runs.append(run(backend, pace, limits, folder, server, args))
        return runs
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- the report --------------------------------------------------------------------------------


def report(runs: list[Run], nudges: int, per_second: int) -> None:
    minimum = minimum_seconds(nudges, per_second)
    print()
    print(
        f"nudge delivery: {nudges:,} DMs to {nudges:,} users, real time, {os.cpu_count()} cores; "
        f"stand-in limits chat.postMessage to {per_second}/s workspace-wide and "
        f"{DM_PER_SECOND}/s per DM, 429 + Retry-After beyond"
    )
    print(
        "dnd.teamInfo answered missing_scope once (no Do Not Disturb check afterwards): "
        "the runs measure chat.postMessage"
    )
    print(
        f"minimum the limits allow: {minimum:.1f} s ({nudges:,} posts at "
        f"{per_second}/s; no other method is rate-limited here)"
    )
    print(
        f"{'backend':<10} {'pace':<11} {'seconds':>8} {'ratio':>6} {'DMs/s':>6} {'planned':>7} "
        f"{'delivered':>9} {'dupes':>5} {'missing':>7} {'429s':>5} {'ticks':>5} {'RSS MB':>6}"
    )
    for r in runs:
        print(
            f"{r.backend:<10} {r.name:<11} {r.seconds:>8.1f} {r.seconds / minimum:>5.2f}x "
            f"{len(r.per_user) / r.seconds:>6.1f} {r.planned:>7,} {sum(r.per_user.values()):>9,} "
            f"{r.duplicates():>5} {r.missing(nudges):>7} {r.rate_limited:>5} "
            f"{r.figures['ticks']:>5} {r.figures['rss_mb']:>6.0f}"
        )
    for r in runs:
        calls = ", ".join(f"{method} {n:,}" for method, n in sorted(r.calls.items()))
        print(
            f"  {r.backend} pace {r.name}: calls {calls}; dispatcher {r.figures['result']}; "
            f"bundles {r.figures['bundles']}; "
            f"RSS before delivery {r.figures['rss_before_mb']:.0f} MB"
        )
        sent = max(1, r.figures["result"]["sent"])
        statements = ", ".join(
            f"{word} {n / sent:.1f}" for word, n in sorted(r.figures["statements"].items())
        )
        print(
            f"    per DM sent: {r.figures['cpu_s'] / sent * 1000:.2f} ms of the dispatcher's CPU; "
            f"statements {statements}"
        )
    print()
    for (backend, name), group in grouped(runs).items():
        if not group[0].limits:
            continue
        ratio = statistics.median(r.seconds for r in group) / minimum
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        clean = all(r.duplicates() == 0 and r.missing(nudges) == 0 for r in group)
        print(
            f"{backend} pace {name}: within {TARGET_RATIO}x of the minimum: {verdict} "
            f"({ratio:.2f}x, median of {len(group)}); every user exactly one DM: "
            f"{'yes' if clean else 'NO'}"
        )


def grouped(runs: list[Run]) -> dict[tuple[str, str], list[Run]]:
    """The runs by backend and pacing, in the order first run."""
    groups: dict[tuple[str, str], list[Run]] = {}
    for r in runs:
        groups.setdefault((r.backend, r.name), []).append(r)
    return groups


def figures(runs: list[Run], nudges: int, per_second: int) -> dict[str, Any]:
    """Every run's figures and each pacing's medians, for `--json`."""
    minimum = minimum_seconds(nudges, per_second)

    def one(r: Run) -> dict[str, Any]:
        return {
            "backend": r.backend,
            "pace": r.name,
            "seconds": round(r.seconds, 2),
            "ratio": round(r.seconds / minimum, 3),
            "dms_per_s": round(len(r.per_user) / r.seconds, 1),
            "planned": r.planned,
            "delivered": sum(r.per_user.values()),
            "duplicates": r.duplicates(),
            "missing": r.missing(nudges),
            "rate_limited": r.rate_limited,
            "ticks": r.figures["ticks"],
            "rss_mb": round(r.figures["rss_mb"]),
            "cpu_ms_per_dm": round(
                r.figures["cpu_s"] / max(1, r.figures["result"]["sent"]) * 1000, 2
            ),
            "statements_per_dm": round(
                sum(r.figures["statements"].values()) / max(1, r.figures["result"]["sent"]), 1
            ),
        }

    medians = {
        f"{backend} {name}": {
            "seconds": round(statistics.median(r.seconds for r in group), 2),
            "ratio": round(statistics.median(r.seconds for r in group) / minimum, 3),
            "rate_limited": statistics.median(r.rate_limited for r in group),
            "duplicates": sum(r.duplicates() for r in group),
            "missing": sum(r.missing(nudges) for r in group),
            "runs": len(group),
        }
        for (backend, name), group in grouped(runs).items()
    }
    return {
        "nudges": nudges,
        "limit_per_second": per_second,
        "minimum_s": minimum,
        "target_ratio": TARGET_RATIO,
        "runs": [one(r) for r in runs],
        "medians": medians,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nudges", type=int, default=NUDGES, help="DMs, one per user")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--pace", type=float, default=PACE, help="the paced run's posts a second")
    parser.add_argument(
        "--also-unlimited",
        action="store_true",
        help="a third run without rate limits: the dispatcher's own speed",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the dispatcher process (stderr)"
    )
    parser.add_argument("--repeats", type=int, default=1, help="runs of each pacing")
    parser.add_argument(
        "--limit",
        type=int,
        default=WORKSPACE_PER_SECOND,
        help="the stand-in's workspace-wide posts a second (below what a busy machine manages)",
    )
    parser.add_argument(
        "--no-ceiling-run", action="store_true", help="only the run with no pace set"
    )
    parser.add_argument("--json", action="store_true", help="the figures as a JSON line, last")
    parser.add_argument("--deliver-once", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--run-pace", help=argparse.SUPPRESS)
    parser.add_argument("--give-up", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.deliver_once:
        deliver_once(args)
        return
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    runs = [r for backend in backends for r in run_backend(backend, args)]
    report(runs, args.nudges, args.limit)
    if args.json:
        print(json.dumps(figures(runs, args.nudges, args.limit)))


if __name__ == "__main__":
    main()
