"""Ack latency of `/logcontact` under concurrent load, beside a bare Bolt app that only acks.

Starts `rapport serve` (HTTP, SQLite or --database-url) and bench/bare_app.py as separate
processes against a loopback Slack stand-in, then fires N signed slash commands at concurrency C
at each, alternating in rounds so both see the same machine. Prints median, p99, requests per
second, CPU time per request (the server process's user and system time over the timed rounds)
and peak RSS per server, and the ratios. Members are cached beforehand, so every request takes
the path a returning user takes: parse, one transaction, reply in the ack.

With `--floor`, a third server runs beside them: the bare app on the same database with the
replay record and one INSERT per command (`bench/bare_app.py --floor`), the least a command
that stores something costs on this stack. With `--sql-floor`, one more: the bare app sending
the statements of Rapport's common command through the raw driver, in the same transactions,
with a reply of the same size (`bench/bare_app.py --sql-floor`, `bench/sql_floor.py`), the
least that command's SQL costs when nothing but Bolt and the driver stand between the request
and the database.

Then, on the same database, the partners whose contact times differ from their history (the
drift check: there should be none), and the SQL statements one command sends
(`before_cursor_execute`, in process, over the same signed HTTP; SQLite's `BEGIN IMMEDIATE`
left out, as PostgreSQL's BEGIN is not a statement the driver sends): the replay check's and
the command's.

    .venv/bin/python bench/logcontact.py --requests 4000 --concurrency 20 [--postgres] [--json]
        [--floor] [--sql-floor] [--workers N] [--alone]

With `--alone`, Rapport's server runs by itself (the same client, no baselines, no ratios):
its figures without two other servers' rounds in between. With `--workers N`, Rapport is
served by `rapport serve --workers N` (on SQLite too: its processes take turns at the write
lock, `storage.turns.ProcessLock`); its CPU time is then the sum over its worker processes.

With `--json`, the figures also go out as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.rules.clock import SystemClock  # noqa: E402
from bot.sandbox.loopback import LoopbackRapport  # noqa: E402
from bot.sandbox.signing import slash_command  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.queries.health.drift import drift  # noqa: E402
from storage.queries.members import save_member, workspace_for  # noqa: E402

SECRET = "bench-signing-secret"
USERS = [f"U0BENCH{i:02d}" for i in range(20)]


@dataclass
class Run:
    latencies: list[float]
    seconds: float
    failures: int
    cpu_seconds: float = 0.0  # the server process's, over this run

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def command_text(i: int) -> str:
    """The text of the `i`th command: a contact with a promise, for one of 50 known partners."""
    return f"Partner{i % 50} call discussed item {i} promise: send notes by Friday"


def signed_command(verifier: SignatureVerifier, team_id: str, i: int) -> tuple[str, dict[str, str]]:
    """The `i`th command of the ordinary traffic: a returning user logs a contact with a
    promise (a full write); its body and the headers Slack would send with it."""
    body = urlencode(
        slash_command(
            team_id=team_id,
            user_id=USERS[i % len(USERS)],
            text=command_text(i),
            response_url="http://127.0.0.1:9/unused",
            trigger_id="1.2.bench",
        )
    )
    stamp = str(int(time.time()))
    return body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{argv} exited: {process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{argv} did not start listening on {port}")


def process_tree(pid: int) -> list[int]:
    """`pid` and its live descendants (a server's worker processes), from /proc."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found.extend(process_tree(int(child)))
    except FileNotFoundError:  # a worker or thread that ended while it was read
        pass
    return found


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process and its workers, summed, in MB."""
    total = 0.0
    for each in process_tree(pid):
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process and its workers have used so far
    (/proc/PID/stat), in seconds."""
    total = 0
    for each in process_tree(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def statements_per_command(
    url: str, standin: SlackStandIn, commands: int = 20, *, workers: int = 1
) -> float:
    """SQL statements per command, in process on the database at `url`: the same signed
    commands through `LoopbackRapport` (the app `rapport serve` runs), counted as the driver
    is handed them, as one of `workers` processes sends them (each of several says its file is
    shared, as `bot.web.from_environment` does, and reads the command apart on SQLite). BEGIN
    is left out (SQLite's is a statement, PostgreSQL's is not)."""
    db = Database(url)
    if workers > 1:
        db.share_with_processes()
    sent: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("BEGIN"):
            sent.append(statement)

    rapport = LoopbackRapport(db, SystemClock(), standin, signing_secret=SECRET).start()
    try:
        for i in range(commands):  # warm: partners there, caches filled
            rapport.command(command_text(10**7 + i), user=USERS[i % len(USERS)])
        rapport.wait_until_idle()
        event.listen(db.engine, "before_cursor_execute", count)
        for i in range(commands):
            answer = rapport.command(command_text(2 * 10**7 + i), user=USERS[i % len(USERS)])
            assert "Logged" in answer.answer.body, answer.answer.body[:200]
        rapport.wait_until_idle()
        event.remove(db.engine, "before_cursor_execute", count)
    finally:
        rapport.stop()
        db.dispose()
    return len(sent) / commands


def seed_members(url: str, team_id: str) -> None:
    """Migrate the database at `url` and give it the benchmark's workspace and its members
    (in Berlin), so that every command is a returning member's."""
    db = Database(url)
    upgrade(db.engine)
    with db.transaction() as session:
        workspace = workspace_for(session, team_id, datetime.now(UTC))
        for user in USERS:
            save_member(session, workspace.id, user, datetime.now(UTC), tz="Europe/Berlin")
    db.dispose()


def fire(port: int, requests: int, concurrency: int, standin: SlackStandIn, offset: int) -> Run:
    """`requests` commands over `concurrency` keep-alive connections; latency per request."""
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        for n in counter:
            body, headers = signed_command(verifier, standin.team_id, offset + n)
            started = time.perf_counter()
            connection.request("POST", "/slack/events", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200 or b"warning" in payload:
                with lock:
                    failures[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(latencies, time.perf_counter() - started, failures[0])


def summary(runs: list[Run]) -> dict[str, float]:
    latencies = sorted(x for run in runs for x in run.latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    requests = sum(len(r.latencies) for r in runs)
    return {
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": p99 * 1000,
        "rps": requests / sum(r.seconds for r in runs),
        "cpu_ms_per_request": sum(r.cpu_seconds for r in runs) / requests * 1000,
        "failures": sum(r.failures for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="per server (default 4000)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4, help="alternations (default 4)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="start a throwaway PostgreSQL server, as the tests do",
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="Rapport's server alone, without the bare app and the floor beside it (no ratios)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="serve Rapport with `rapport serve --workers N` (default 1)",
    )
    parser.add_argument(
        "--json", action="store_true", help="also print the figures as one JSON object, last"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="a third server beside them: the bare app with the replay record and one INSERT "
        "on the same database (bench/bare_app.py --floor)",
    )
    parser.add_argument(
        "--sql-floor",
        action="store_true",
        help="one more server beside them: the bare app sending the common command's "
        "statements through the raw driver on the same database (bench/bare_app.py --sql-floor)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'rapport.db'}"
    if args.postgres:
        from tests.support.postgres import PostgresServer

        bindir = PostgresServer.find_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL binaries: apt-get install -y postgresql")
        url = PostgresServer(bindir).start().create_database("bench")
    with SlackStandIn() as standin:
        seed_members(url, standin.team_id)

        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": standin.bot_token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.base_url,
            "DATABASE_URL": url,
        }
        env.pop("SLACK_APP_TOKEN", None)
        rapport_port, bare_port, floor_port = free_port(), free_port(), free_port()
        sql_floor_port = free_port()
        rapport_cmd = [
            str(Path(sys.executable).with_name("rapport")),
            "serve",
            "--host",
            "127.0.0.1",
            *(["--workers", str(args.workers)] if args.workers > 1 else []),
        ]
        servers = {
            "rapport": (
                start_server(rapport_cmd, {**env, "PORT": str(rapport_port)}, rapport_port),
                rapport_port,
            ),
        }
        if not args.alone:
            servers["bare bolt"] = (
                start_server(
                    [sys.executable, "bench/bare_app.py"],
                    {**env, "PORT": str(bare_port)},
                    bare_port,
                ),
                bare_port,
            )
        if args.floor and not args.alone:
            servers["floor"] = (
                start_server(
                    [sys.executable, "bench/bare_app.py", "--floor"],
                    {**env, "PORT": str(floor_port)},
                    floor_port,
                ),
                floor_port,
            )
        if args.sql_floor and not args.alone:  # after Rapport, whose warm-up adds the partners
            servers["sql-floor"] = (
                start_server(
                    [sys.executable, "bench/bare_app.py", "--sql-floor"],
                    {**env, "PORT": str(sql_floor_port)},
                    sql_floor_port,
                ),
                sql_floor_port,
            )
        try:
            for _, port in servers.values():  # warm-up: connections, caches, dateparser
                fire(port, 200, args.concurrency, standin, offset=10**6)
            runs: dict[str, list[Run]] = {name: [] for name in servers}
            per_round = args.requests // args.rounds
            for round_no in range(args.rounds):
                for name, (process, port) in servers.items():
                    cpu_before = cpu_seconds(process.pid)
                    run = fire(
                        port, per_round, args.concurrency, standin, offset=round_no * per_round
                    )
                    run.cpu_seconds = cpu_seconds(process.pid) - cpu_before
                    runs[name].append(run)
            rss = {name: peak_rss_mb(process.pid) for name, (process, _) in servers.items()}
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=10)
        statements = statements_per_command(url, standin, workers=args.workers)
        db = Database(url)
        with db.reading() as session:
            # 20 clients logging for 50 partners at once: their times must still be the history's.
            drifted = sum(1 for _ in drift(session))
        db.dispose()

    print(
        f"/logcontact ack latency: {per_round * args.rounds} requests per server, "
        f"concurrency {args.concurrency}, {args.rounds} alternating rounds, "
        f"database {url.split(':', 1)[0]}, {os.cpu_count()} cores, "
        f"Rapport in {args.workers} worker process(es)"
    )
    columns = ("median ms", "p99 ms", "req/s", "CPU ms/req", "peak RSS MB", "failed")
    print(f"{'server':<10} " + " ".join(f"{c:>11}" for c in columns))
    figures = {name: summary(r) for name, r in runs.items()}
    for name, f in figures.items():
        f["peak_rss_mb"] = rss[name]
        print(
            f"{name:<10} {f['median_ms']:>11.1f} {f['p99_ms']:>11.1f} {f['rps']:>11.0f} "
            f"{f['cpu_ms_per_request']:>11.2f} {rss[name]:>11.0f} {f['failures']:>11}"
        )
    ratios: dict[str, float] = {}
    if "bare bolt" in figures:
        r, b = figures["rapport"], figures["bare bolt"]
        ratios = {
            "median": r["median_ms"] / b["median_ms"],
            "p99": r["p99_ms"] / b["p99_ms"],
            "throughput": r["rps"] / b["rps"],
        }
        print(
            f"ratio rapport/bare: median {ratios['median']:.2f}x, "
            f"p99 {ratios['p99']:.2f}x, throughput {ratios['throughput']:.2f}x"
        )
    if "floor" in figures:
        f = figures["floor"]
        ratios["floor_throughput"] = f["rps"] / b["rps"]
        ratios["throughput_vs_floor"] = r["rps"] / f["rps"]
        print(
            "ratio floor/bare (replay record + one INSERT): throughput "
            f"{ratios['floor_throughput']:.2f}x; "
            f"rapport/floor: {ratios['throughput_vs_floor']:.2f}x"
        )
    if "sql-floor" in figures:
        q = figures["sql-floor"]
        ratios["sql_floor_median"] = q["median_ms"] / b["median_ms"]
        ratios["sql_floor_throughput"] = q["rps"] / b["rps"]
        ratios["median_vs_sql_floor"] = r["median_ms"] / q["median_ms"]
        ratios["throughput_vs_sql_floor"] = r["rps"] / q["rps"]
        ratios["cpu_vs_sql_floor"] = r["cpu_ms_per_request"] / q["cpu_ms_per_request"]
        print(
            "ratio sql-floor/bare (the common command's SQL, raw driver): "
            f"median {ratios['sql_floor_median']:.2f}x, "
            f"throughput {ratios['sql_floor_throughput']:.2f}x; "
            f"rapport/sql-floor: median {ratios['median_vs_sql_floor']:.2f}x, "
            f"throughput {ratios['throughput_vs_sql_floor']:.2f}x, "
            f"CPU per request {ratios['cpu_vs_sql_floor']:.2f}x"
        )
    print(f"SQL statements per command (replay check included, BEGIN left out): {statements:.1f}")
    print(f"drift check after the run: {drifted} partners' contact times differ from the history")
    if args.json:
        print(
            json.dumps(
                {
                    "database": url.split(":", 1)[0],
                    "workers": args.workers,
                    "requests_per_server": per_round * args.rounds,
                    "concurrency": args.concurrency,
                    "rounds": args.rounds,
                    "cores": os.cpu_count(),
                    "servers": {
                        name.replace(" ", "_").replace("-", "_"): {
                            k: round(v, 3) for k, v in f.items()
                        }
                        for name, f in figures.items()
                    },
                    "ratios": {k: round(v, 3) for k, v in ratios.items()},
                    "statements_per_command": statements,
                    "partners_drifted": drifted,
                }
            )
        )


if __name__ == "__main__":
    main()
