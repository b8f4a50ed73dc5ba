"""The scheduler as separate processes: `rapport run-jobs`, `rapport outbox`, several schedulers
at once on PostgreSQL, and a dispatcher killed in the worst possible moment.

Each process is the real console command, pointed at the test's database and Slack stand-in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bot.sandbox.standin import ApiCall, SlackStandIn
from storage.models import Bundle
from tests.support.app import RunningRapport
from tests.support.nudges import dms
from tests.support.rows import all_of

# Thursday 26 November 2026, 09:30 in Berlin: the heads-up for a promise due on Friday is due.
HEADS_UP_AT = "2026-11-26T09:30:00+01:00"
PROCESS_TIMEOUT = 60


def environment(database_url: str, slack: SlackStandIn) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.base_url,
        "SLACK_SIGNING_SECRET": "",
        "SLACK_APP_TOKEN": "",
    }


def start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=cwd,  # no .env of a developer's is read
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    process = start(args, env, cwd)
    out, err = process.communicate(timeout=PROCESS_TIMEOUT)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def promises_due_friday(rapport: RunningRapport, slack: SlackStandIn, count: int) -> list[str]:
    users = [f"U0PEER{i:03d}" for i in range(count)]
    for user in users:
        slack.add_user(user, name=user.lower(), real_name=user, tz="Europe/Berlin")
        reply = rapport.command("Acme email promise: send the quote by Friday", user=user).reply()
        assert "Logged" in reply["text"]
    return users


def test_run_jobs_delivers_what_is_due_at_the_instant_given_and_reports_it(
    rapport, slack, database_url, tmp_path
) -> None:
    [user] = promises_due_friday(rapport, slack, 1)
    env = environment(database_url, slack)

    early = run(["run-jobs", "--at", "2026-11-26T07:00:00+01:00"], env, tmp_path)
    assert early.returncode == 0, early.stderr
    assert "planned 1; sent 0" in early.stdout and "1 waiting for working hours" in early.stdout
    listed = run(["outbox"], env, tmp_path)
    assert "waiting for the recipient's working hours" in listed.stdout

    due = run(["run-jobs", "--at", HEADS_UP_AT], env, tmp_path)

    assert due.returncode == 0, due.stderr
    assert "sent 1" in due.stdout
    assert len(dms(slack, user)) == 1
    assert "nothing waiting" in run(["outbox"], env, tmp_path).stdout


def test_the_outbox_lists_a_nudge_given_up_on_with_its_reason(
    rapport, slack, database_url, tmp_path
) -> None:
    promises_due_friday(rapport, slack, 1)
    slack.fail_next("chat.postMessage", error="user_not_found", status=200, retry_after=None)
    env = environment(database_url, slack)

    assert run(["run-jobs", "--at", HEADS_UP_AT], env, tmp_path).returncode == 0
    listed = run(["outbox"], env, tmp_path)

    assert "dead" in listed.stdout and "given up: user_not_found" in listed.stdout


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("tomorrow", "is not an ISO-8601 instant"),
        ("2027-01-04T09:30:00", "has no offset"),
    ],
)
def test_run_jobs_explains_an_instant_it_cannot_use(
    rapport, slack, database_url, tmp_path, at, message
) -> None:
    result = run(["run-jobs", "--at", at], environment(database_url, slack), tmp_path)

    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_schedulers_at_once_on_postgresql_deliver_every_nudge_exactly_once(
    rapport, slack, database_url, tmp_path
) -> None:
    users = promises_due_friday(rapport, slack, 40)
    slack.set_delay("chat.postMessage", 0.03)  # keeps the three busy at the same time
    env = environment(database_url, slack)

    processes = [start(["run-jobs", "--at", HEADS_UP_AT], env, tmp_path) for _ in range(3)]
    outputs = [process.communicate(timeout=PROCESS_TIMEOUT) for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    per_user = Counter(m["channel"] for m in slack.messages() if m.get("metadata"))
    assert len(per_user) == len(users) and set(per_user.values()) == {1}
    sent = [int(out.split("sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent) == len(users), sent
    assert {b.state for b in all_of(rapport.db, Bundle)} == {"sent"}


def test_a_dispatcher_killed_after_slack_accepted_a_dm_neither_loses_nor_repeats_it(
    rapport, clock, slack, database_url, tmp_path
) -> None:
    users = promises_due_friday(rapport, slack, 6)
    # Slack dates its messages as the process's clock does (the history check relies on it).
    clock.set(datetime.fromisoformat(HEADS_UP_AT))
    env = environment(database_url, slack)
    victim: dict[str, subprocess.Popen[str]] = {}
    posted = threading.Event()

    def kill_after_third_post(call: ApiCall) -> None:
        # Runs in the stand-in after the message is stored, before Slack's answer goes out.
        third = call.method == "chat.postMessage" and len(slack.calls_to(call.method)) == 3
        if third and call.ok:
            # The dispatcher renders the next DM (marking it `sending`) while this one is
            # being posted: die once it has, the worst moment for a crash.
            next_rendered.wait(rapport, expected=2)
            victim["process"].send_signal(signal.SIGKILL)
            posted.set()

    next_rendered = SendingCount()
    slack.on_call = kill_after_third_post
    victim["process"] = start(["run-jobs", "--at", HEADS_UP_AT], env, tmp_path)
    victim["process"].communicate(timeout=PROCESS_TIMEOUT)
    assert posted.is_set() and victim["process"].returncode == -signal.SIGKILL
    slack.on_call = None
    assert len(slack.messages()) == 3
    sending = [b for b in all_of(rapport.db, Bundle) if b.state == "sending"]
    assert len(sending) == 2  # the one Slack accepted, and the one rendered behind it

    # Six minutes on, the dead dispatcher's lease has run out: the DM Slack accepted is found
    # in its history; the other waits a minute for its own check (Slack allows one a minute),
    # which finds nothing, so it is sent then.
    restarted = run(["run-jobs", "--at", "2026-11-26T09:36:00+01:00"], env, tmp_path)
    assert restarted.returncode == 0, restarted.stderr
    again = run(["run-jobs", "--at", "2026-11-26T09:38:00+01:00"], env, tmp_path)

    assert again.returncode == 0, again.stderr
    assert [len(dms(slack, user)) for user in users] == [1] * len(users), restarted.stdout
    assert len(slack.calls_to("conversations.history")) == 2
    assert {b.state for b in all_of(rapport.db, Bundle)} == {"sent"}


class SendingCount:
    """Waits, in real time and at most PROCESS_TIMEOUT seconds, until the database holds
    `expected` bundles `sending`: another process's progress, not the test's clock."""

    def wait(self, rapport: RunningRapport, expected: int) -> None:
        finished = threading.Event()
        for _ in range(PROCESS_TIMEOUT * 100):
            states = [b.state for b in all_of(rapport.db, Bundle)]
            if states.count("sending") >= expected:
                return
            finished.wait(0.01)
        raise AssertionError(f"never {expected} bundles sending: {states}")
