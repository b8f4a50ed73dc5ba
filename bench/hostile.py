"""Ordinary `/logcontact` traffic while the front door is under attack, beside the traffic alone.

Starts `rapport serve` (the production HTTP stack: `create_web_app` behind `server_config`, with
its body limit, receive deadline and connection cap) as its own process on a loopback port,
against the Slack stand-in and a fresh SQLite file (or --database-url / --postgres). Then, in
alternating rounds:

- quiet: signed `/logcontact` commands at concurrency C over keep-alive connections, every one a
  returning user logging a contact with a promise (a full write), each latency recorded;
- attack: the same traffic while a separate attacker process (so its CPU is counted apart) keeps
  1,000 idle connections (connect, send nothing, reconnect when closed), 1,000 trickling ones (a
  request line, then one header line every 2 s, reconnect when closed) and a continuous stream of
  100 MB bodies: 4 uploads at a time, each followed at once by the next, alternately declaring
  `Content-Length` and chunked without it, each sent as fast as the server takes it.

Prints p50 and p99 of the ordinary traffic, its errors, the server's peak RSS (VmHWM, started
afresh for each phase), the CPU each process used and what the attack achieved: connections
closed by the receive deadline (408), bodies refused (413), connections refused at the cap (503).
`--json` adds the figures as one JSON object on the last line. Everything stays on 127.0.0.1;
every loop is bounded in count or time; the attacker stops when told, or on its own.

    .venv/bin/python bench/hostile.py            # about a minute
    .venv/bin/python bench/hostile.py --requests 100 --idle 20 --trickle 20 --rounds 1  # seconds
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import itertools
import json
import os
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.logcontact import (  # noqa: E402
    SECRET,
    free_port,
    seed_members,
    signed_command,
)
from bot.http.limits import (  # noqa: E402
    BODY_LIMIT_BYTES,
    RECEIVE_DEADLINE_SECONDS,
    connection_cap,
)
from bot.sandbox.standin import LOOPBACK, SlackStandIn  # noqa: E402

# The targets: p99 under attack within 2x of the quiet run; server peak RSS under 250 MB.
P99_RATIO_TARGET = 2.0
RSS_TARGET_MB = 250.0
# Slack gives up after 3 s; an ordinary request unanswered after this counts as an error.
REQUEST_TIMEOUT_SECONDS = 10.0
# The attacker never runs longer than this, whatever happens to the process that started it.
ATTACK_MAX_SECONDS = 900.0
# How long the attacker waits, after opening its connections, before it says it is ready: the
# first of them have met the receive deadline and come back, so the churn is in full swing.
SETTLE_SECONDS = RECEIVE_DEADLINE_SECONDS + 1.0
BODY_PIECE = 64 * 1024
TICKS = os.sysconf("SC_CLK_TCK")
# A line of uvicorn's access log, e.g. `127.0.0.1:5000 - "POST /slack/events HTTP/1.1" 413 …`.
ACCESS_STATUS = re.compile(r'HTTP/1\.[01]" (\d{3})')
HOSTILE_KINDS = ("idle", "trickle", "body_declared", "body_chunked")


# --------------------------------------------------------------- the attacker, its own process


@dataclass
class Kind:
    """What happened to the connections of one hostile kind."""

    opened: int = 0
    connect_failed: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    lifetimes: list[float] = field(default_factory=list)
    bytes_written: int = 0
    lines_sent: int = 0

    def report(self, still_open: list[float]) -> dict[str, Any]:
        lives = sorted(self.lifetimes)
        return {
            "opened": self.opened,
            "connect_failed": self.connect_failed,
            "outcomes": dict(self.outcomes),
            "closed": len(lives),
            "lifetime_median_s": round(statistics.median(lives), 3) if lives else None,
            "lifetime_max_s": round(lives[-1], 3) if lives else None,
            "still_open": len(still_open),
            "oldest_open_s": round(max(still_open), 3) if still_open else None,
            "mb_written": round(self.bytes_written / 1e6, 1),
            "header_lines_sent": self.lines_sent,
        }


def outcome_of(received: bytes, error: str | None) -> str:
    """How the server ended a hostile connection: the status it answered, or how it closed.

    "reset" is a close without an answer the attacker could read: the server closing a socket
    whose incoming data it has not read sends a reset, which can overtake its answer.
    """
    if received.startswith(b"HTTP/1.1 "):
        return received[9:12].decode("ascii", "replace")
    if received:
        return "not HTTP"
    return error or "closed without an answer"


Sender = Callable[[asyncio.StreamWriter, asyncio.Future, Kind], Awaitable[None]]


class Attacker:
    def __init__(self, port: int, args: argparse.Namespace) -> None:
        self.port = port
        self.args = args
        self.kinds = {name: Kind() for name in HOSTILE_KINDS}
        self.open_since: dict[int, tuple[str, float]] = {}
        self.stopping = False
        self.loop = asyncio.get_running_loop()

    async def hold(self, *turns: tuple[str, Sender]) -> None:
        """Connect, run a turn's sender, record how the server ended it; again with the next
        turn, until told to stop."""
        for turn in itertools.cycle(turns):
            if self.stopping:
                return
            kind, send = turn
            stats = self.kinds[kind]
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(LOOPBACK, self.port), timeout=5
                )
            except (OSError, TimeoutError):
                stats.connect_failed += 1
                await asyncio.sleep(0.05)
                continue
            stats.opened += 1
            opened = self.loop.time()
            self.open_since[id(writer)] = (kind, opened)
            closed = asyncio.ensure_future(self.until_closed(reader))
            try:
                await send(writer, closed, stats)
                received, error = await closed
            except asyncio.CancelledError:
                closed.cancel()
                raise
            except Exception as unexpected:  # keep attacking; say what went wrong
                closed.cancel()
                received, error = b"", f"attacker error {type(unexpected).__name__}"
            finally:
                self.open_since.pop(id(writer), None)
                writer.close()
            stats.lifetimes.append(self.loop.time() - opened)
            stats.outcomes[outcome_of(received, error)] += 1

    @staticmethod
    async def until_closed(reader: asyncio.StreamReader) -> tuple[bytes, str | None]:
        """The start of what the server sends until it closes, and how the close looked."""
        received = b""
        try:
            while chunk := await reader.read(4096):
                received += chunk[: max(0, 256 - len(received))]
        except (ConnectionResetError, BrokenPipeError):
            return received, "reset"
        except OSError as error:
            return received, type(error).__name__
        return received, None

    async def send_nothing(
        self, writer: asyncio.StreamWriter, closed: asyncio.Future, stats: Kind
    ) -> None:
        await asyncio.shield(closed)

    async def trickle(
        self, writer: asyncio.StreamWriter, closed: asyncio.Future, stats: Kind
    ) -> None:
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        stats.lines_sent += 2
        line = 0
        while not closed.done():
            await asyncio.wait({closed}, timeout=self.args.trickle_every)
            if closed.done() or writer.is_closing():
                break
            writer.write(b"X-Trickle-%d: %d\r\n" % (line, line))
            stats.lines_sent += 1
            line += 1

    def body_sender(self, declared: bool) -> Sender:
        size = self.args.body_mb * 1_000_000
        piece = b"x" * BODY_PIECE
        frame = piece if declared else b"%x\r\n%s\r\n" % (len(piece), piece)
        framing = (
            b"Content-Length: %d\r\n" % size if declared else b"Transfer-Encoding: chunked\r\n"
        )
        head = (
            b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n" + framing + b"\r\n"
        )

        async def send(writer: asyncio.StreamWriter, closed: asyncio.Future, stats: Kind) -> None:
            writer.write(head)
            written = 0
            try:
                while written < size and not closed.done():
                    writer.write(frame)
                    written += len(piece)
                    await writer.drain()
                if not declared and not closed.done():
                    writer.write(b"0\r\n\r\n")
            except OSError:  # the server closed the connection under the upload
                pass
            finally:
                stats.bytes_written += written
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(closed), timeout=30)

        return send

    async def run(self) -> dict[str, Any]:
        args = self.args
        started = self.loop.time()
        tasks: list[asyncio.Task] = []
        declared = ("body_declared", self.body_sender(declared=True))
        chunked = ("body_chunked", self.body_sender(declared=False))
        for n in range(args.body_streams):  # each stream alternates, starting one way or other
            turns = (declared, chunked) if n % 2 == 0 else (chunked, declared)
            tasks.append(asyncio.ensure_future(self.hold(*turns)))
        plan: list[tuple[str, Sender]] = [("idle", self.send_nothing)] * args.idle
        plan += [("trickle", self.trickle)] * args.trickle
        # The first connections are spread over the ramp, so their closes by the deadline, and
        # with them the reconnections, do not come in one wave every few seconds.
        step = args.ramp / max(1, len(plan))
        for kind, send in plan:
            tasks.append(asyncio.ensure_future(self.hold((kind, send))))
            await asyncio.sleep(step)
        await asyncio.sleep(SETTLE_SECONDS)
        print(json.dumps({"ready": True}), flush=True)

        told = asyncio.Event()

        def wait_for_word() -> None:  # a line, or the end of input when the parent is gone
            sys.stdin.readline()
            self.loop.call_soon_threadsafe(told.set)

        threading.Thread(target=wait_for_word, daemon=True).start()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(told.wait(), timeout=ATTACK_MAX_SECONDS)
        self.stopping = True
        now = self.loop.time()
        open_ages: dict[str, list[float]] = {kind: [] for kind in self.kinds}
        for kind, since in self.open_since.values():
            open_ages[kind].append(now - since)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "seconds": round(now - started, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "kinds": {kind: stats.report(open_ages[kind]) for kind, stats in self.kinds.items()},
        }


def attacker_main(args: argparse.Namespace) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    async def main() -> dict[str, Any]:
        return await Attacker(args.attacker, args).run()

    print(json.dumps(asyncio.run(main())), flush=True)


def start_attacker(port: int, args: argparse.Namespace) -> subprocess.Popen:
    argv = [sys.executable, str(Path(__file__).resolve()), "--attacker", str(port)]
    for flag in ("idle", "trickle", "trickle_every", "body_streams", "body_mb", "ramp"):
        argv += [f"--{flag.replace('_', '-')}", str(getattr(args, flag))]
    attacker = subprocess.Popen(
        argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    ready_by = time.monotonic() + args.ramp + SETTLE_SECONDS + 60
    while time.monotonic() < ready_by and attacker.poll() is None:
        readable, _, _ = select.select([attacker.stdout], [], [], 1.0)
        if readable:
            line = attacker.stdout.readline()
            if line and json.loads(line).get("ready"):
                return attacker
    attacker.kill()
    attacker.wait()
    raise SystemExit("the attacker did not get ready")


def stop_attacker(attacker: subprocess.Popen) -> dict[str, Any]:
    try:
        out, _ = attacker.communicate("stop\n", timeout=60)
    except subprocess.TimeoutExpired:
        attacker.kill()
        attacker.wait()
        raise SystemExit("the attacker did not stop within 60 s") from None
    return json.loads(out.strip().splitlines()[-1])


# ------------------------------------------------------------------------ ordinary traffic


@dataclass
class Traffic:
    latencies: list[float]
    seconds: float
    errors: Counter[str]


def traffic(port: int, requests: int, concurrency: int, team_id: str, offset: int) -> Traffic:
    """`requests` signed `/logcontact` commands over `concurrency` keep-alive connections.

    A latency is kept for each command Rapport answered as it should; any other outcome (a
    status other than 200, a warning in the answer, a failed or timed-out connection) is an
    error, counted by kind, and the connection is opened again.
    """
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        connection: http.client.HTTPConnection | None = None
        mine: list[float] = []
        failed: Counter[str] = Counter()
        for n in counter:
            body, headers = signed_command(verifier, team_id, offset + n)
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        LOOPBACK, port, timeout=REQUEST_TIMEOUT_SECONDS
                    )
                connection.request("POST", "/slack/events", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                failed[type(error).__name__] += 1
                if connection is not None:
                    connection.close()
                connection = None
                continue
            elapsed = time.perf_counter() - started
            if response.status != 200:
                failed[f"HTTP {response.status}"] += 1
            elif b"warning" in payload:
                failed["answered with a warning"] += 1
            else:
                mine.append(elapsed)
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)
            errors.update(failed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Traffic(latencies, time.perf_counter() - started, errors)


# ------------------------------------------------------------------ measuring the processes


def proc_status_mb(pid: int, key: str) -> float:
    """A /proc/PID/status memory figure (VmHWM, VmRSS) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_rss(pid: int) -> bool:
    """Start VmHWM afresh from the current RSS (Linux: 5 written to clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_seconds(stat_path: str) -> float:
    """User plus system CPU of a process or thread, from its /proc stat file."""
    fields = Path(stat_path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (neither idle nor waiting for I/O)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICKS


class Meter:
    """CPU used between `start` and `stop` by the server (all threads, and its main thread, which
    runs the event loop), the attacker, this process (the load client) and the whole machine."""

    def __init__(self, server_pid: int, attacker_pid: int | None) -> None:
        self.server_pid = server_pid
        self.attacker_pid = attacker_pid
        self.marks = self.read()

    def read(self) -> dict[str, float]:
        pid = self.server_pid
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "server_s": cpu_seconds(f"/proc/{pid}/stat"),
            "server_loop_s": cpu_seconds(f"/proc/{pid}/task/{pid}/stat"),
            "attacker_s": (
                cpu_seconds(f"/proc/{self.attacker_pid}/stat") if self.attacker_pid else 0.0
            ),
            "client_s": usage.ru_utime + usage.ru_stime,
            "machine_s": machine_busy_seconds(),
            "wall_s": time.monotonic(),
        }

    def stop(self) -> dict[str, float]:
        now = self.read()
        used = {key: now[key] - self.marks[key] for key in now}
        ours = used["server_s"] + used["attacker_s"] + used["client_s"]
        used["others_s"] = max(0.0, used.pop("machine_s") - ours)
        return used


# ----------------------------------------------------------------------------- one phase


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def phase(
    name: str, server: subprocess.Popen, port: int, args: argparse.Namespace, team: str, offset: int
) -> dict[str, Any]:
    peak_reset = reset_peak_rss(server.pid)
    attacker = start_attacker(port, args) if name == "attack" else None
    try:
        load_before = os.getloadavg()[0]
        meter = Meter(server.pid, attacker.pid if attacker else None)
        run = traffic(port, args.requests // args.rounds, args.concurrency, team, offset)
        used = meter.stop()
    finally:
        attack = stop_attacker(attacker) if attacker is not None else None
    return {
        "phase": name,
        "latencies": run.latencies,
        "seconds": run.seconds,
        "errors": run.errors,
        "peak_rss_mb": proc_status_mb(server.pid, "VmHWM"),
        "rss_mb_after": proc_status_mb(server.pid, "VmRSS"),
        "peak_reset": peak_reset,
        "cpu": used,
        "load": (load_before, os.getloadavg()[0]),
        "attack": attack,
    }


def combine(phases: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one phase taken together."""
    latencies = sorted(x for p in phases for x in p["latencies"])
    errors: Counter[str] = Counter()
    for p in phases:
        errors.update(p["errors"])
    seconds = sum(p["seconds"] for p in phases)
    cpu = {key: sum(p["cpu"][key] for p in phases) for key in phases[0]["cpu"]}
    return {
        "count": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "rps": len(latencies) / seconds,
        "per_round_p99_ms": [percentile(sorted(p["latencies"]), 0.99) * 1000 for p in phases],
        "peak_rss_mb": max(p["peak_rss_mb"] for p in phases),
        "rss_mb_after": phases[-1]["rss_mb_after"],
        "cpu_share": {key: cpu[key] / cpu["wall_s"] for key in cpu if key != "wall_s"},
        "load_average": [round(x, 2) for p in phases for x in p["load"]],
    }


def attack_outcomes(phases: list[dict[str, Any]], statuses: Counter[str]) -> dict[str, Any]:
    """What the hostile connections of all attack rounds came to, kind by kind and in sum."""
    kinds: dict[str, dict[str, Any]] = {}
    for kind in HOSTILE_KINDS:
        reports = [p["attack"]["kinds"][kind] for p in phases]
        outcomes: Counter[str] = Counter()
        for r in reports:
            outcomes.update(r["outcomes"])
        medians = [r["lifetime_median_s"] for r in reports if r["lifetime_median_s"] is not None]
        longest = [r[k] for r in reports for k in ("lifetime_max_s", "oldest_open_s") if r[k]]
        kinds[kind] = {
            **{
                key: sum(r[key] for r in reports)
                for key in ("opened", "connect_failed", "closed", "still_open", "mb_written")
            },
            "outcomes": dict(outcomes),
            "lifetime_median_s": statistics.median(medians) if medians else None,
            "longest_held_s": max(longest, default=None),
        }
    slow = [kinds["idle"], kinds["trickle"]]
    bodies = [kinds["body_declared"], kinds["body_chunked"]]
    seconds = sum(p["attack"]["seconds"] for p in phases)
    return {
        "seconds": seconds,
        "attacker_cpu_s": sum(p["attack"]["cpu_s"] for p in phases),
        "connection_cap": connection_cap(),
        "closed_by_deadline_408": sum(k["outcomes"].get("408", 0) for k in slow),
        "slow_closed_otherwise": sum(k["closed"] - k["outcomes"].get("408", 0) for k in slow),
        "longest_held_s": max((k["longest_held_s"] or 0.0 for k in slow), default=0.0),
        "bodies_started": sum(k["opened"] for k in bodies),
        "bodies_413_seen": sum(k["outcomes"].get("413", 0) for k in bodies),
        "bodies_reset": sum(k["outcomes"].get("reset", 0) for k in bodies),
        "server_413": statuses.get("413", 0),
        "refused_503": sum(k["outcomes"].get("503", 0) for k in kinds.values()),
        "connect_failed": sum(k["connect_failed"] for k in kinds.values()),
        "body_mb_written": sum(k["mb_written"] for k in bodies),
        "kinds": kinds,
    }


# ----------------------------------------------------------------------------- the server


# `rapport serve` with cProfile, counting CPU time, on its main thread: the event loop, which runs
# the HTTP protocol, the middleware and the endpoint's async part (not the dispatch threads).
# uvicorn raises SIGTERM again once it has shut down; leaving through SystemExit saves the profile.
PROFILED_SERVE = """
import cProfile, signal, sys, time
from bot.cli import main
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
profile = cProfile.Profile(time.thread_time)
try:
    profile.runcall(main, ["serve", "--host", sys.argv[2], "--access-log"])
finally:
    profile.dump_stats(sys.argv[1])
"""


def start_server(
    env: dict[str, str], port: int, log_path: Path, profile: Path | None
) -> subprocess.Popen:
    # The access log is what the statuses the server answered are counted from.
    argv = [
        str(Path(sys.executable).with_name("rapport")),
        "serve",
        "--host",
        LOOPBACK,
        "--access-log",
    ]
    if profile is not None:
        argv = [sys.executable, "-c", PROFILED_SERVE, str(profile), LOOPBACK]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            argv, env={**env, "PORT": str(port)}, cwd=ROOT, stdout=log, stderr=log
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"rapport serve exited: {log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            http.client.HTTPConnection(LOOPBACK, port, timeout=1).request("GET", "/healthz")
            return process
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise SystemExit(f"rapport serve did not start listening on {port}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        print("rapport serve did not stop within 30 s of SIGTERM", file=sys.stderr)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rapport-hostile-") as folder:
        return measure_in(Path(folder), args)


def measure_in(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    url = args.database_url or f"sqlite:///{tmp / 'rapport.db'}"
    if args.postgres:
        from tests.support.postgres import PostgresServer

        bindir = PostgresServer.find_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL binaries: apt-get install -y postgresql")
        url = PostgresServer(bindir).start().create_database("bench")
    log_path = tmp / "server.log"
    phases: list[dict[str, Any]] = []
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
        port = free_port()
        server = start_server(env, port, log_path, args.profile)
        try:
            # Warm-up: connections, caches, dateparser.
            traffic(port, args.warmup, args.concurrency, standin.team_id, offset=10**6)
            per_round = args.requests // args.rounds
            for round_no in range(args.rounds):
                for name in ("quiet", "attack"):
                    offset = (2 * round_no + (name == "attack")) * per_round
                    phases.append(phase(name, server, port, args, standin.team_id, offset))
        finally:
            stop_server(server)
            if args.server_log is not None:
                shutil.copy(log_path, args.server_log)
    log_lines = log_path.read_text(errors="replace").splitlines()
    # What the server answered by its access log (its own 408s and 503s are not in it).
    statuses = Counter(m.group(1) for line in log_lines if (m := ACCESS_STATUS.search(line)))
    quiet = combine([p for p in phases if p["phase"] == "quiet"])
    attack = combine([p for p in phases if p["phase"] == "attack"])
    ratio = attack["p99_ms"] / quiet["p99_ms"]
    peak = max(quiet["peak_rss_mb"], attack["peak_rss_mb"])
    return {
        "database": url.split(":", 1)[0],
        "cores": os.cpu_count(),
        "requests_per_phase": (args.requests // args.rounds) * args.rounds,
        "concurrency": args.concurrency,
        "rounds": args.rounds,
        "attack_size": {
            "idle": args.idle,
            "trickle": args.trickle,
            "trickle_every_s": args.trickle_every,
            "body_streams": args.body_streams,
            "body_mb": args.body_mb,
        },
        "receive_deadline_s": RECEIVE_DEADLINE_SECONDS,
        "body_limit_bytes": BODY_LIMIT_BYTES,
        "quiet": quiet,
        "attack": attack,
        "p99_ratio": ratio,
        "p99_target_met": ratio <= P99_RATIO_TARGET,
        "peak_rss_mb": peak,
        "rss_target_met": peak < RSS_TARGET_MB,
        "peak_reset_per_phase": all(p["peak_reset"] for p in phases),
        "outcomes": attack_outcomes([p for p in phases if p["phase"] == "attack"], statuses),
        "server_log": {
            "lines": len(log_lines),
            "warnings": sum(" WARNING " in line for line in log_lines),
            "errors": sum(" ERROR " in line for line in log_lines),
            "statuses": dict(statuses),
        },
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }


# ----------------------------------------------------------------------------- the report


def print_report(f: dict[str, Any]) -> None:
    q, a, o = f["quiet"], f["attack"], f["outcomes"]
    size = f["attack_size"]
    print(
        f"/logcontact beside an attack: {f['requests_per_phase']} requests per phase, "
        f"concurrency {f['concurrency']}, {f['rounds']} quiet/attack rounds, database "
        f"{f['database']}, {f['cores']} cores"
    )
    print(
        f"attack: {size['idle']} idle + {size['trickle']} trickling connections (a header line "
        f"every {size['trickle_every_s']:g} s), {size['body_streams']} uploads of "
        f"{size['body_mb']} MB bodies at a time; receive deadline {f['receive_deadline_s']:g} s, "
        f"body limit {f['body_limit_bytes'] // 1024} KiB, connection cap {o['connection_cap']}"
    )
    print(f"{'':<30}{'quiet':>10}{'attack':>10}")
    rows = [
        ("answered", "count", "{:.0f}"),
        ("errors", "errors", "{:.0f}"),
        ("p50 (median) ms", "p50_ms", "{:.1f}"),
        ("p99 ms", "p99_ms", "{:.1f}"),
        ("max ms", "max_ms", "{:.1f}"),
        ("req/s", "rps", "{:.0f}"),
        ("server peak RSS MB", "peak_rss_mb", "{:.0f}"),
        ("server RSS at the end MB", "rss_mb_after", "{:.0f}"),
    ]
    for label, key, form in rows:
        print(f"{label:<30}{form.format(q[key]):>10}{form.format(a[key]):>10}")
    shares = [
        ("CPU (cores): server", "server_s"),
        ("  of it its event-loop thread", "server_loop_s"),
        ("CPU (cores): load client", "client_s"),
        ("CPU (cores): attacker", "attacker_s"),
        ("CPU (cores): other processes", "others_s"),
    ]
    for label, key in shares:
        print(f"{label:<30}{q['cpu_share'][key]:>10.2f}{a['cpu_share'][key]:>10.2f}")
    rounds = ["/".join(f"{x:.0f}" for x in s["per_round_p99_ms"]) for s in (q, a)]
    print(f"{'p99 ms per round':<30}{rounds[0]:>10}{rounds[1]:>10}")
    print(
        f"load average (1 min) at each phase's start and end: quiet {q['load_average']}, "
        f"attack {a['load_average']}"
    )
    for name, s in (("quiet", q), ("attack", a)):
        if s["error_kinds"]:
            print(f"errors ({name}): {s['error_kinds']}")
    verdict = {True: "met", False: "NOT met"}
    print(
        f"p99 attack/quiet {f['p99_ratio']:.2f}x (target <= {P99_RATIO_TARGET:g}x: "
        f"{verdict[f['p99_target_met']]}); server peak RSS {f['peak_rss_mb']:.0f} MB "
        f"(target < {RSS_TARGET_MB:g} MB: {verdict[f['rss_target_met']]})"
    )
    print(
        f"the attack, {o['seconds']:.0f} s in all, attacker CPU {o['attacker_cpu_s']:.1f} s: "
        f"{o['closed_by_deadline_408']} idle or trickling connections closed by the deadline "
        f"(408), {o['slow_closed_otherwise']} closed otherwise, none held longer than "
        f"{o['longest_held_s']:.1f} s; {o['bodies_started']} bodies started, "
        f"{o['server_413']} refused with 413 by the server's log ({o['bodies_413_seen']} seen "
        f"by the attacker, {o['bodies_reset']} reset before it could read the answer), "
        f"{o['body_mb_written']:.0f} MB written; {o['refused_503']} refused at the cap (503); "
        f"{o['connect_failed']} connections failed"
    )
    for kind, r in o["kinds"].items():
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(r["outcomes"].items())) or "none"
        held = f", held {r['lifetime_median_s']:.2f} s median" if r["lifetime_median_s"] else ""
        print(
            f"  {kind:<14} opened {r['opened']}, closed {r['closed']} ({outcomes}){held}, "
            f"open at the end {r['still_open']}"
        )
    log = f["server_log"]
    print(
        f"server log: {log['lines']} lines, {log['warnings']} warnings, {log['errors']} errors; "
        f"statuses in its access log {log['statuses']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="per phase (default 4000)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="quiet/attack alternations")
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring")
    parser.add_argument("--idle", type=int, default=1000, help="idle connections (default 1000)")
    parser.add_argument("--trickle", type=int, default=1000, help="trickling connections")
    parser.add_argument("--trickle-every", type=float, default=2.0, help="seconds between lines")
    parser.add_argument("--body-streams", type=int, default=4, help="uploads at a time (4)")
    parser.add_argument("--body-mb", type=int, default=100, help="size of each body in MB")
    parser.add_argument("--ramp", type=float, default=4.0, help="seconds to open the connections")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument(
        "--postgres", action="store_true", help="start a throwaway PostgreSQL server"
    )
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="PATH",
        help="run the server's event loop under cProfile (CPU time) and save it in PATH",
    )
    parser.add_argument("--server-log", type=Path, metavar="PATH", help="keep the server's log")
    parser.add_argument("--attacker", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attacker is not None:
        attacker_main(args)
        return
    if args.rounds < 1 or args.requests < args.rounds:
        parser.error("--requests must be at least --rounds, and --rounds at least 1")
    figures = measure(args)
    print_report(figures)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
