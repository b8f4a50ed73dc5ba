"""Message events in shared channels: ack latency, and Slack calls per new channel or person.

Starts `rapport serve --no-scheduler` (HTTP, SQLite or --postgres) against a loopback Slack
stand-in holding 20 channels shared with other organisations (half of them small, half of them
large) and fires signed `message` events at it, paced to `--events` over `--seconds` (1,000 a
minute by default), from a few keep-alive connections: mentions of partners, @here, plain
messages, files, edits and bot posts, each with its own event id. Prints the ack latency
(median, p99), how many Slack calls the directory made per method, and how many distinct
channels and people there were to ask about: a cached directory asks once per new channel
(conversations.info, plus conversations.members) and once per new person (users.info).

    .venv/bin/python bench/shared_channels.py                       # 1,000 events in a minute
    .venv/bin/python bench/shared_channels.py --seconds 0           # as fast as acks come
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.logcontact import free_port, peak_rss_mb, start_server  # noqa: E402
from bot.sandbox.signing import event_callback, message_event  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

SECRET = "bench-signing-secret"
CHANNELS = [f"C0SHARE{n:02d}" for n in range(20)]
OWN = [f"U0OWN{n:02d}" for n in range(12)]
# Partners in three other organisations and zones.
EXTERNAL = [
    (f"U0EXT{n:02d}", f"T0ORG{n % 3}", ("Asia/Tokyo", "America/New_York", "Europe/London")[n % 3])
    for n in range(24)
]
CROWD = [f"U0CROWD{n:02d}" for n in range(20)]
# What the traffic is made of, in turn: most messages mention a partner or nobody.
KINDS = ("mention", "plain", "mention", "here", "plain", "file", "edit", "bot", "mention", "plain")


def workspace(standin: SlackStandIn) -> dict[str, list[str]]:
    """The stand-in's people and channels; each channel's members by id."""
    for user in OWN + CROWD:
        standin.add_user(user, name=user.lower(), tz="Europe/Berlin")
    for user, team, tz in EXTERNAL:
        standin.add_user(user, team_id=team, name=user.lower(), tz=tz)
    members: dict[str, list[str]] = {}
    for n, channel in enumerate(CHANNELS):
        own = [OWN[n % len(OWN)], OWN[(n + 1) % len(OWN)]]
        external = [EXTERNAL[n % len(EXTERNAL)][0], EXTERNAL[(n + 7) % len(EXTERNAL)][0]]
        crowd = CROWD if n % 2 else []  # the odd ones are large; the even ones have 5 with the bot
        members[channel] = own + external + crowd
        standin.add_channel(
            channel, name=channel.lower(), members=members[channel], is_ext_shared=True
        )
    return members


def signed_event(
    verifier: SignatureVerifier, team_id: str, members: dict[str, list[str]], i: int
) -> tuple[str, dict[str, str]]:
    """The `i`th event of the traffic: its JSON body and the headers Slack would send."""
    channel = CHANNELS[i % len(CHANNELS)]
    people = members[channel]
    author = people[i % 2]  # one of the two own members
    partner = people[2 + i % 2]
    kind = KINDS[i % len(KINDS)]
    text = {
        "mention": f"<@{partner}> could you check item {i}?",
        "here": f"<!here> item {i} is ready",
        "file": f"<@{partner}> the file for item {i}",
    }.get(kind, f"a note about item {i}")
    event = message_event(
        channel=channel, user=author, user_team=team_id, text=text, ts=f"{time.time():.6f}"
    )
    if kind == "file":
        event["subtype"] = "file_share"
    elif kind == "edit":
        event["subtype"] = "message_changed"
    elif kind == "bot":
        event.update(subtype="bot_message", bot_id="B0OTHER")
    body = json.dumps(
        event_callback(
            team_id=team_id, event_id=f"Ev0BENCH{i:07d}", event=event, is_ext_shared_channel=True
        )
    )
    stamp = str(int(time.time()))
    return body, {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body),
    }


def fire(
    port: int,
    events: int,
    seconds: float,
    connections: int,
    team_id: str,
    members: dict[str, list[str]],
) -> tuple[list[float], int, float]:
    """`events` events paced evenly over `seconds` (0: no pacing) on `connections` keep-alive
    connections; the ack latencies, how many were not a 200, and the seconds it took."""
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(events))
    interval = seconds / events if seconds else 0.0
    started = time.perf_counter()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        for n in counter:
            due = started + n * interval
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            body, headers = signed_event(verifier, team_id, members, n)
            sent = time.perf_counter()
            connection.request("POST", "/slack/events", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - sent)
            if response.status != 200:
                with lock:
                    failures[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0, help="0: as fast as acks come")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    url = f"sqlite:///{tmp / 'rapport.db'}"
    if args.postgres:
        from tests.support.postgres import PostgresServer

        bindir = PostgresServer.find_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL binaries: apt-get install -y postgresql")
        url = PostgresServer(bindir).start().create_database("bench")
    with SlackStandIn() as standin:
        members = workspace(standin)
        db = Database(url)
        upgrade(db.engine)
        db.dispose()
        port = free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": standin.bot_token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.base_url,
            "DATABASE_URL": url,
            "PORT": str(port),
        }
        env.pop("SLACK_APP_TOKEN", None)
        command = [
            str(Path(sys.executable).with_name("rapport")),
            "serve",
            "--no-scheduler",
            "--host",
            "127.0.0.1",
        ]
        server = start_server(command, env, port)
        try:
            latencies, failures, took = fire(
                port, args.events, args.seconds, args.connections, standin.team_id, members
            )
            time.sleep(2.0)  # the work after the acks finishes (look-ups, hints)
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
        # Messages the server skipped unchecked, as its log counts them (a full pool).
        log = server.stderr.read() if server.stderr is not None else ""
        skipped = sum(int(n) for n in re.findall(r"check skipped for (\d+) message", log))
        calls = {
            method: len(standin.calls_to(method))
            for method in ("conversations.info", "conversations.members", "users.info")
        }
        # The most calls made about any one channel or person: 1 when each was asked once.
        most = {
            method: max(
                Counter(str(call.args.get(key)) for call in standin.calls_to(method)).values(),
                default=0,
            )
            for method, key in (("conversations.info", "channel"), ("users.info", "user"))
        }
        hints = len(standin.ephemerals())

    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    people = {user for channel in CHANNELS for user in members[channel]}
    print(
        f"message events in shared channels: {args.events} in {took:.1f} s over "
        f"{args.connections} connections, {len(CHANNELS)} channels, database "
        f"{url.split(':', 1)[0]}, {os.cpu_count()} cores"
    )
    print(
        f"ack latency: median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms; failed {failures}; "
        f"peak RSS {rss:.0f} MB"
    )
    print(
        f"Slack calls: conversations.info {calls['conversations.info']}, conversations.members "
        f"{calls['conversations.members']} (channels: {len(CHANNELS)}); users.info "
        f"{calls['users.info']} (people in them: {len(people)}, the bot not counted); "
        f"hints shown: {hints}; messages skipped unchecked (pool full): {skipped}"
    )
    print(
        f"most calls about one channel: {most['conversations.info']}; "
        f"about one person: {most['users.info']}"
    )


if __name__ == "__main__":
    main()
