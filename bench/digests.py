"""How long the team digests of 200 channels take to draw, over the planner benchmark's workspace.

Seeds the planner benchmark's data (`bench/planner.py`: 5,000 members, 50,000 partners,
2,000,000 interactions, 100,000 promises; its seeding functions, and on SQLite its kept file),
subscribes CHANNELS channels of MEMBERS_PER_CHANNEL members each (different members per channel,
weekly, Monday 09:00 in the member's zone), plans their digests once (`plan_digests`) and then
draws every channel's digest as the dispatcher does at posting time: the renderer, in a read
transaction of its own, given the channel's member ids. Slack is not involved (its answers are
the dispatcher's, not the drawing's).

The renderer is the dispatcher's own (`scheduler.digests.render_for_post`, which is
`bot.usecases.digests.content.render_digest`).

Printed per backend: the seconds to draw all channels (the sum) and this process's CPU seconds
for it (steadier than the wall clock on a busy machine; on SQLite it includes the database's
work, on PostgreSQL the server's is not in it), the median and p99 of one channel in
milliseconds, the SQL statements one channel's drawing sends (they must not grow with the data;
its read transaction's own included), the planning tick's seconds, and the peak RSS (beside it,
the peak before measuring: seeding in the same process raises it; a kept SQLite file is not
seeded again); `--json` prints the figures as one JSON line last.

    .venv/bin/python bench/digests.py                               # SQLite and PostgreSQL
    .venv/bin/python bench/digests.py --backend sqlite --scale 0.01 # a quick look
    .venv/bin/python bench/digests.py --backend sqlite --repeats 1 --profile 40  # where it goes
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, event, select  # noqa: E402

import storage.db  # noqa: E402
from bench.backends import percentile  # noqa: E402
from bench.planner import (  # noqa: E402
    FULL,
    cached_sqlite,
    peak_rss_mb,
    postgres_server,
    reference_now,
    seed_postgres,
)
from bot.rules.digests.schedule import monday_of  # noqa: E402
from scheduler.digests import plan_digests, render_for_post  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Digest, DigestSubscription, Member  # noqa: E402

CHANNELS = 200
MEMBERS_PER_CHANNEL = 25
TARGET_SECONDS = 2.0  # all channels' digests, drawn one after another


def subscribe_channels(db: Database, now: datetime, channels: int, per_channel: int) -> None:
    """`channels` subscriptions, each of `per_channel` different members' channel, posting on
    `now`'s weekday just before `now` (so that planning finds each due)."""
    with db.transaction() as session:
        session.execute(delete(Digest))
        session.execute(delete(DigestSubscription))
        members = session.execute(
            select(Member.id, Member.workspace_id, Member.tz).order_by(Member.id)
        ).all()
        for index in range(channels):
            subscriber = members[(index * per_channel) % len(members)]
            session.add(
                DigestSubscription(
                    workspace_id=subscriber.workspace_id,
                    channel_id=f"C{index:08d}",
                    subscriber_id=subscriber.id,
                    every_weeks=1,
                    weekday=now.isoweekday(),
                    minute=0,
                    tz="UTC",
                    language="de" if index % 3 == 0 else "en",
                    quiet="line",
                    anchor_on=monday_of(now.date()),
                    state="active",
                    created_at=now - timedelta(days=30),
                    updated_at=now - timedelta(days=30),
                )
            )


def channel_members(db: Database, per_channel: int) -> dict[int, list[str]]:
    """Each subscription's channel members: `per_channel` consecutive members from its
    subscriber on (the bot is not among them: it owns no partner)."""
    with db.reading() as session:
        ids = list(session.scalars(select(Member.slack_user_id).order_by(Member.id)))
        subscriptions = session.execute(
            select(DigestSubscription.id, DigestSubscription.subscriber_id)
        ).all()
    return {
        sid: [ids[(subscriber - 1 + k) % len(ids)] for k in range(per_channel)]
        for sid, subscriber in subscriptions
    }


def measure(url: str, now: datetime, args: argparse.Namespace) -> dict[str, Any]:
    # Seeding in this process (PostgreSQL, or SQLite without a kept file) raises the peak
    # before anything is measured: the figure beside it says by how much.
    before = peak_rss_mb()
    db = Database(url)
    try:
        subscribe_channels(db, now, args.channels, args.members)
        started = time.perf_counter()
        planned = plan_digests(db, now)
        plan_seconds = time.perf_counter() - started
        members = channel_members(db, args.members)
        with db.reading() as session:
            digest_of = {
                sid: did for sid, did in session.execute(select(Digest.subscription_id, Digest.id))
            }
        seconds: list[float] = []
        cpu = 0.0
        listed = 0
        statements = 0

        def counted(*_: Any) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine, "before_cursor_execute", counted)
        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            profiler.enable()
        for _ in range(args.repeats):
            for sid, ids in members.items():
                began, cpu_began = time.perf_counter(), time.process_time()
                with db.reading() as session:
                    subscription = session.get_one(DigestSubscription, sid)
                    message = render_for_post(session, subscription, ids, now, digest_of[sid])
                seconds.append(time.perf_counter() - began)
                cpu += time.process_time() - cpu_began
                listed += len(message.partner_ids)
        event.remove(db.engine, "before_cursor_execute", counted)
        if profiler is not None:
            profiler.disable()
            report = pstats.Stats(profiler, stream=sys.stderr).sort_stats(args.profile_sort)
            report.print_stats(args.profile)
        total = sum(seconds) / args.repeats
    finally:
        db.dispose()
    return {
        "channels": args.channels,
        "members_per_channel": args.members,
        "planned": planned,
        "plan_s": round(plan_seconds, 4),
        "all_s": round(total, 3),
        "all_cpu_s": round(cpu / args.repeats, 3),
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 2),
        "partners_listed_per_channel": round(listed / len(seconds), 1),
        "statements_per_channel": round(statements / len(seconds), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "peak_rss_before_mb": round(before, 1),
    }


@contextmanager
def no_statement_timeout() -> Iterator[None]:
    """Engines made meanwhile have no server-side statement timeout: the bulk load's COPY of two
    million contacts outlasts the 60 s meant for requests (`storage.db.STATEMENT_TIMEOUT_MS`)
    when the machine is busy."""
    kept = storage.db.STATEMENT_TIMEOUT_MS
    storage.db.STATEMENT_TIMEOUT_MS = 0
    try:
        yield
    finally:
        storage.db.STATEMENT_TIMEOUT_MS = kept


def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    sizes = FULL.scaled(args.scale)
    server = postgres_server() if backend == "postgresql" else None
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-")) if args.no_keep else args.keep
    try:
        if server is None:
            url, now, setup = cached_sqlite(sizes, folder)
        else:
            url, now = server.create_database("bench_digests"), reference_now()
            started = time.perf_counter()
            with no_statement_timeout():
                seed_postgres(url, sizes, now)
            setup = f"seeded in {time.perf_counter() - started:.0f} s"
        print(f"  {backend} {sizes.label}: {setup}", flush=True)
        figures = measure(url, now, args)
    finally:
        if server is not None:
            server.stop()
        if args.no_keep:
            shutil.rmtree(folder, ignore_errors=True)
    return {"backend": backend, "sizes": sizes.label, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--scale", type=float, default=1.0, help="of the planner's full size")
    parser.add_argument("--channels", type=int, default=CHANNELS)
    parser.add_argument("--members", type=int, default=MEMBERS_PER_CHANNEL)
    parser.add_argument("--repeats", type=int, default=3, help="rounds over all channels")
    parser.add_argument("--keep", type=Path, default=Path("/tmp/rapport-bench"))
    parser.add_argument("--no-keep", action="store_true", help="seed SQLite afresh, then delete")
    parser.add_argument("--json", action="store_true", help="the figures as a JSON line, last")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile the drawing (cProfile) and print its N costliest functions to stderr",
    )
    parser.add_argument(
        "--profile-sort", default="tottime", help="pstats order: tottime, cumulative, ..."
    )
    args = parser.parse_args()
    results = [run_backend(backend, args) for backend in args.backend or ["sqlite", "postgresql"]]
    print()
    print(
        "| backend | channels x members | all (s) | CPU (s) | median ms | p99 ms | plan s "
        "| statements | peak RSS MB (before) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        verdict = "" if r["all_s"] < TARGET_SECONDS else f" (over {TARGET_SECONDS} s)"
        print(
            f"| {r['backend']} | {r['channels']} x {r['members_per_channel']} "
            f"| {r['all_s']}{verdict} | {r['all_cpu_s']} | {r['median_ms']} | {r['p99_ms']} "
            f"| {r['plan_s']} "
            f"| {r['statements_per_channel']} | {r['peak_rss_mb']} ({r['peak_rss_before_mb']}) |"
        )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
