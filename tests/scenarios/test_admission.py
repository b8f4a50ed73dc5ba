"""Requests go into the dispatch threads a few at a time, in order of arrival
(`bot.http.admission`): a listener waiting on Slack gives its place up at once, so others
are answered meanwhile; a request that cannot get in before its deadline is told that
nothing was saved, and nothing is."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from bot.http.admission import Admission
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from storage.db import Database
from storage.models import SeenRequest
from tests.support.app import Command, RunningRapport, known
from tests.support.blocks import texts
from tests.support.rows import Interaction, count

ALICE, BOB = "U0ALICE", "U0BOB"
SLACK_STALLS = 3.0  # seconds views.open takes to answer
WAIT = 10.0
SEEN = SeenRequest.__tablename__


def open_form_while_slack_stalls(rapport: RunningRapport, slack: SlackStandIn) -> threading.Thread:
    """Alice's bare `/logcontact` opens the form; Slack holds `views.open` for `SLACK_STALLS`.
    Returns once her request is inside, waiting on Slack."""
    slack.stall_next("views.open", SLACK_STALLS)
    waiting = threading.Thread(target=lambda: rapport.command("", user=ALICE))
    waiting.start()
    deadline = time.monotonic() + WAIT
    while not slack.calls_to("views.open"):
        assert time.monotonic() < deadline, "views.open was never called"
        time.sleep(0.005)
    return waiting


def bob_is_answered_while_alice_waits_on_slack(
    rapport: RunningRapport, slack: SlackStandIn
) -> None:
    """Bob logs a contact while Alice's request waits on Slack, and is answered long before
    Slack answers her. Both are known members."""
    alice = open_form_while_slack_stalls(rapport, slack)

    logged = rapport.command("Acme call about the renewal", user=BOB)

    assert logged.answer.seconds < SLACK_STALLS / 2
    assert "Logged" in texts(logged.ack) + logged.ack.get("text", "")
    alice.join(WAIT)


def test_a_command_is_answered_while_another_waits_on_slack(
    rapport: RunningRapport, slack: SlackStandIn
) -> None:
    known(rapport, ALICE)
    known(rapport, BOB)
    bob_is_answered_while_alice_waits_on_slack(rapport, slack)


@contextmanager
def writes_held(db: Database) -> Iterator[None]:
    """Another writer holds the table of requests served, which every command writes first:
    SQLite's one write lock, or PostgreSQL's lock on the table."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with db.transaction() as session:
            if db.backend == "postgresql":
                session.execute(text(f"LOCK TABLE {SEEN} IN EXCLUSIVE MODE"))
            held.set()
            release.wait(WAIT)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(WAIT)
        yield
    finally:
        release.set()
        holder.join(WAIT)


@pytest.fixture
def one_slot(
    db: Database, clock: ManualClock, slack: SlackStandIn
) -> Iterator[tuple[RunningRapport, Admission]]:
    """Rapport letting one request in at a time, for as long as it runs, with a 1 s deadline;
    Alice and Bob are known members."""
    admission = Admission(1, slot_seconds=60.0)
    rapport = RunningRapport(db, clock, slack, answer_seconds=1.0, admission=admission).start()
    try:
        known(rapport, ALICE)
        known(rapport, BOB)
        yield rapport, admission
    finally:
        rapport.stop()


def refused_while_the_queue_is_full(
    rapport: RunningRapport, admission: Admission, db: Database, user: str
) -> Command:
    """`user`'s command, sent while Alice's request holds the one slot waiting on the database:
    answered by the front door itself."""
    with writes_held(db):
        alice = threading.Thread(target=lambda: rapport.command("help", user=ALICE))
        alice.start()
        deadline = time.monotonic() + WAIT
        while admission.free:
            assert time.monotonic() < deadline, "Alice's request never went in"
            time.sleep(0.005)
        refused = rapport.command("Acme call while the queue is full", user=user)
    alice.join(WAIT)
    return refused


def test_a_request_that_cannot_get_in_before_its_deadline_saves_nothing(
    one_slot: tuple[RunningRapport, Admission], db: Database
) -> None:
    # One slot, never given up early: Alice's request holds it while it waits on the database.
    rapport, admission = one_slot

    refused = refused_while_the_queue_is_full(rapport, admission, db, BOB)

    assert refused.answer.seconds < 1.0 + 1.0  # the deadline, and time for a loaded machine
    assert "Nothing was saved" in texts(refused.ack) + refused.ack.get("text", "")
    assert rapport.wait_until_idle()
    assert count(db, Interaction) == 0


def test_a_request_waiting_on_slack_gives_its_slot_up_at_once(
    one_slot: tuple[RunningRapport, Admission], slack: SlackStandIn
) -> None:
    # One slot, never given up for time: only the wait on Slack lets Bob in. With the 50 ms
    # bound alone, a burst of requests that each call Slack got in twenty a second, and the
    # rest of the burst was told "too slow" while the machine stood idle.
    rapport, _ = one_slot
    bob_is_answered_while_alice_waits_on_slack(rapport, slack)


def test_a_request_that_cannot_get_in_is_answered_in_the_language_just_chosen(
    one_slot: tuple[RunningRapport, Admission], db: Database
) -> None:
    # The front door answers from the locale an earlier request of Bob's found. He has just
    # chosen German: that is the language he is told in, not the English he had before.
    rapport, admission = one_slot
    chosen = rapport.command("settings language de", user=BOB).reply()
    assert "Deine Einstellungen sind gespeichert" in texts(chosen)

    refused = refused_while_the_queue_is_full(rapport, admission, db, BOB).ack

    assert "Es wurde nichts gespeichert" in texts(refused) + refused.get("text", "")


def test_a_request_that_cannot_get_in_follows_a_slack_language_changed_since(
    one_slot: tuple[RunningRapport, Admission], db: Database
) -> None:
    # Bob was answered in English; then he set Slack to German, and Slack said so.
    rapport, admission = one_slot
    assert "Logged your contact" in texts(rapport.command("Acme call", user=BOB).reply())
    bob = {"id": BOB, "team_id": "T0ACME", "real_name": "Bob Miller", "locale": "de-DE"}
    bob["tz"] = "America/New_York"
    assert rapport.event("Ev1", {"type": "user_change", "user": bob}).status == 200

    refused = refused_while_the_queue_is_full(rapport, admission, db, BOB).ack

    assert "Es wurde nichts gespeichert" in texts(refused) + refused.get("text", "")
