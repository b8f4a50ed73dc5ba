"""CPU time of one `/logcontact` inside the process: Bolt's dispatch, no HTTP, no client.

Under closed-loop load the server's latency is its CPU time per request times the number of
clients, so this is the figure to move. Prints the median of several timed batches for an
ack-only listener and for Rapport's real command (a returning user logging a contact with a
promise on SQLite), both verifying signatures as in production.

    .venv/bin/python bench/dispatch.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import create_app
from bot.parsing.dates import warm_up
from bot.rules.clock import SystemClock
from bot.sandbox.signing import slash_command
from bot.sandbox.standin import SlackStandIn
from bot.settings import Settings
from bot.usecases.services import Services
from storage.db import Database
from storage.migrate import upgrade
from storage.queries.members import save_member, workspace_for

SECRET = "bench-secret"
BATCH, BATCHES = 500, 5


def request(i: int, team: str) -> BoltRequest:
    body = urlencode(
        slash_command(
            team_id=team,
            user_id="U0BENCH",
            text=f"Partner{i % 50} call discussed item {i} promise: send notes by Friday",
            response_url="http://127.0.0.1:9/unused",
            trigger_id="1.2.bench",
        )
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature,
    }
    return BoltRequest(body=body, headers=headers)


def per_request_ms(app: App, team: str) -> float:
    for i in range(100):
        app.dispatch(request(i, team))
    batches = []
    for b in range(BATCHES):
        requests = [request(b * BATCH + i, team) for i in range(BATCH)]
        started = time.perf_counter()
        for r in requests:
            assert app.dispatch(r).status == 200
        batches.append((time.perf_counter() - started) / BATCH * 1000)
    return statistics.median(batches)


def main() -> None:
    with SlackStandIn() as slack:
        bare = App(
            client=WebClient(token=slack.bot_token, base_url=slack.base_url),
            signing_secret=SECRET,
            process_before_response=True,
        )
        bare.command("/logcontact")(lambda ack: ack(text="ok"))

        db = Database(f"sqlite:///{tempfile.mkdtemp()}/rapport.db")
        upgrade(db.engine)
        with db.transaction() as session:
            workspace = workspace_for(session, slack.team_id, datetime.now(UTC))
            save_member(session, workspace.id, "U0BENCH", datetime.now(UTC), tz="Europe/Berlin")
        warm_up()
        settings = Settings(slack.bot_token, SECRET, None, slack.base_url, db.url, 0)
        services = Services(db, SystemClock())
        rapport = create_app(settings, services)

        bare_ms = per_request_ms(bare, slack.team_id)
        rapport_ms = per_request_ms(rapport, slack.team_id)
        services.close()
    print(f"in-process dispatch, median of {BATCHES} batches of {BATCH}:")
    print(f"  ack-only Bolt listener  {bare_ms:6.2f} ms")
    print(f"  rapport /logcontact     {rapport_ms:6.2f} ms  ({rapport_ms / bare_ms:.0f}x)")


if __name__ == "__main__":
    main()
