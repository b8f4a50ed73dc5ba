"""Nudge DMs rendered while the DM before is being posted: what happens to both when that post
is refused, times out, or is told to wait, in one workspace or in several at once.

Every case must end with each colleague holding exactly one DM, no attempt counted for a DM
that was never posted, and a history check only where Slack may have posted. Each test runs on
SQLite and PostgreSQL; waits move the test's clock.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import Jobs
from storage.db import Database
from storage.models import Bundle
from tests.scenarios.test_posting_pace import (
    HEADS_UP_BERLIN,
    another_workspace_with_promisers,
    arrivals,
    deliver_all,
    dispatcher_on,
    one_each,
    promisers,
)
from tests.support.nudges import dms
from tests.support.rows import all_of


def _attempts(db: Database) -> list[tuple[str, int]]:
    return sorted((b.state, b.attempts) for b in all_of(db, Bundle))


def test_three_workspaces_told_to_wait_at_once_each_wait_and_send_every_dm_once(
    rapport, clock, slack
) -> None:
    """The first post of each of three workspaces meets a 429: each workspace's DM rendered
    behind it goes back unposted, the others' go meanwhile, and after the waits every DM is
    posted once, within one tick, with one attempt each."""
    acme = promisers(rapport, slack, "ACM", 4, "Europe/Berlin")
    beta = another_workspace_with_promisers(rapport.db, slack, "T0BETA", "BET", 4)
    gamma = another_workspace_with_promisers(rapport.db, slack, "T0GAMMA", "GAM", 4)
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack)
    slack.fail_next("chat.postMessage", retry_after=20, times=3)

    jobs.plan_once()
    result = jobs.dispatcher.tick()

    assert result.rate_limited == 3 and result.sent == 12 and result.stopped is None
    assert one_each(slack, acme) and one_each(slack, beta) and one_each(slack, gamma)
    assert _attempts(rapport.db) == [("sent", 1)] * 12
    assert not slack.calls_to("conversations.history")
    # Posts were accepted 12 times and refused 3: none went twice.
    assert len(slack.calls_to("chat.postMessage")) == 15


def test_a_tick_whose_every_dm_waits_an_hour_ends_and_later_runs_send_them_once(
    rapport, clock, slack
) -> None:
    """A Retry-After of an hour with one workspace only: the tick ends rather than wait it
    out, and the delivery runs after it (one a minute) send every DM once, none before the
    hour, with one attempt each."""
    users = promisers(rapport, slack, "HOUR", 3, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack)
    slack.fail_next("chat.postMessage", retry_after=3600)
    jobs.plan_once()

    result = jobs.dispatcher.tick()

    assert result.rate_limited == 1 and result.sent == 0
    assert clock.now() - HEADS_UP_BERLIN < timedelta(seconds=5)
    sent = 0
    while clock.now() < HEADS_UP_BERLIN + timedelta(hours=1, minutes=2):
        clock.advance(timedelta(minutes=1))
        sent += jobs.dispatcher.tick().sent
    assert sent == 3 and one_each(slack, users)
    assert min(arrivals(slack, users)) >= HEADS_UP_BERLIN.timestamp() + 3600
    assert _attempts(rapport.db) == [("sent", 1)] * 3
    assert len(slack.calls_to("chat.postMessage")) == 4


def _impatient(db: Database, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    """A dispatcher whose client gives up after one second of real time."""
    client = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[], timeout=1)
    dispatcher = Dispatcher(db, clock, client, pause=lambda s: clock.advance(timedelta(seconds=s)))
    return Jobs(db, clock, dispatcher)


def test_a_post_that_times_out_with_the_next_dm_rendered_is_checked_not_sent_again(
    rapport, clock, slack
) -> None:
    """Slack posts the first DM but its answer comes too late: the DM rendered behind it goes
    at once, the first is checked in its history a minute on and found, and nobody has two."""
    users = promisers(rapport, slack, "SLOW", 3, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = _impatient(rapport.db, clock, slack)
    slack.stall_next("chat.postMessage", 2.0)

    jobs.plan_once()
    result = jobs.dispatcher.tick()

    assert result.unsure == 1 and result.sent == 2
    clock.advance(timedelta(minutes=1))
    deliver_all(jobs, clock)
    assert one_each(slack, users)
    assert len(slack.calls_to("conversations.history")) == 1
    assert {b.state for b in all_of(rapport.db, Bundle)} == {"sent"}


def test_a_long_retry_after_in_one_workspace_does_not_hold_back_anothers_morning(
    rapport, clock, slack
) -> None:
    """One workspace (Berlin) is told to wait an hour at 9:30; the other's colleagues (London)
    start work at 9:00 London time, half an hour into that wait. Deliveries run every minute,
    as the scheduler runs them: the London DMs go when their day begins, not when Berlin's
    wait is over, and Berlin's go only after it."""
    london = promisers(rapport, slack, "LON", 4, "Europe/London")
    berlin = another_workspace_with_promisers(rapport.db, slack, "T0BERLIN", "BER", 4)
    clock.set(HEADS_UP_BERLIN)  # 9:30 in Berlin, 8:30 in London
    jobs = dispatcher_on(rapport.db, clock, slack)
    slack.fail_next("chat.postMessage", retry_after=3600)
    jobs.plan_once()

    end = HEADS_UP_BERLIN + timedelta(hours=1, minutes=15)
    while clock.now() < end:
        jobs.dispatcher.tick()
        clock.advance(timedelta(minutes=1))

    assert one_each(slack, london) and one_each(slack, berlin)
    assert min(arrivals(slack, berlin)) >= HEADS_UP_BERLIN.timestamp() + 3600
    # 9:00 in London is 10:00 in Berlin: a minute or two for the delivery run to come round.
    london_starts = HEADS_UP_BERLIN + timedelta(minutes=30)
    assert max(arrivals(slack, london)) <= london_starts.timestamp() + 180


def test_at_a_pace_of_one_a_second_each_dm_is_rendered_once(
    rapport, clock, slack, monkeypatch
) -> None:
    """RAPPORT_DM_PER_SECOND=1 (or a learned rate as slow): the DM prepared behind each post
    must wait a second for its slot. It is rendered once and posted then, not rendered, put
    back and rendered again."""
    users = promisers(rapport, slack, "ONE", 6, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=1.0)
    renders: Counter[str] = Counter()
    render = Dispatcher._render

    def counted(self: Dispatcher, session: Any, bundle: Bundle, *args: Any) -> Any:
        renders[bundle.id] += 1
        return render(self, session, bundle, *args)

    monkeypatch.setattr(Dispatcher, "_render", counted)

    deliver_all(jobs, clock)

    assert one_each(slack, users)
    assert _attempts(rapport.db) == [("sent", 1)] * 6
    assert sorted(renders.values()) == [1] * 6


def test_a_429_then_a_revoked_token_loses_nothing_and_counts_no_attempt(
    rapport, clock, slack
) -> None:
    """The first workspace's first post meets a 429 and the next post, the other workspace's,
    finds the token revoked, each with a DM rendered behind it: the tick stops, no DM was
    posted, none counts an attempt, and once the token works again each colleague gets one DM
    without a history check."""
    acme = promisers(rapport, slack, "REV", 3, "Europe/Berlin")
    beta = another_workspace_with_promisers(rapport.db, slack, "T0REVB", "RVB", 3)
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack)
    slack.fail_next("chat.postMessage", retry_after=20)
    slack.fail_next("chat.postMessage", error="token_revoked", status=200, retry_after=None)
    jobs.plan_once()

    result = jobs.dispatcher.tick()

    assert result.stopped == "token_revoked" and result.sent == 0
    assert not any(dms(slack, user) for user in acme + beta)
    assert {(b.state, b.attempts, b.sending_since) for b in all_of(rapport.db, Bundle)} == {
        ("ready", 0, None)
    }
    clock.advance(timedelta(minutes=15))
    deliver_all(jobs, clock)
    assert one_each(slack, acme) and one_each(slack, beta)
    assert not slack.calls_to("conversations.history")
