"""Nudge DMs rendered while the DM before is being posted: what happens to both when that post
is refused, times out, or is told to wait, in one workspace or in several at once; and at a
pace too slow for that (a slot further off than the dispatcher waits in place), each DM
rendered once, when its slot is near.

Every case must end with each colleague holding exactly one DM, no attempt counted for a DM
that was never posted, and a history check only where Slack may have posted. Each test runs on
SQLite and PostgreSQL; waits move the test's clock.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler import dispatcher
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
from tests.support.after_hours import workspace_id_of
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


def _count_renders(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each bundle's DM is rendered from here on, by bundle id."""
    renders: Counter[str] = Counter()
    render = Dispatcher._render

    def counted(self: Dispatcher, session: Any, bundle: Bundle, *args: Any) -> Any:
        renders[bundle.id] += 1
        return render(self, session, bundle, *args)

    monkeypatch.setattr(Dispatcher, "_render", counted)
    return renders


def _count_outbox_writes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Claims that leased bundles ("claimed") and holds that put some back ("held")."""
    writes: Counter[str] = Counter()
    claim, hold = dispatcher.claim_bundles, dispatcher.hold_bundles

    def claimed(*args: Any) -> list[Bundle]:
        batch = claim(*args)
        writes["claimed"] += bool(batch)
        return batch

    def held(*args: Any) -> None:
        writes["held"] += 1
        hold(*args)

    monkeypatch.setattr(dispatcher, "claim_bundles", claimed)
    monkeypatch.setattr(dispatcher, "hold_bundles", held)
    return writes


def test_at_a_pace_of_one_a_second_each_dm_is_rendered_once(
    rapport, clock, slack, monkeypatch
) -> None:
    """RAPPORT_DM_PER_SECOND=1 (or a learned rate as slow): the DM prepared behind each post
    must wait a second for its slot. It is rendered once and posted then, not rendered, put
    back and rendered again."""
    users = promisers(rapport, slack, "ONE", 6, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=1.0)
    renders = _count_renders(monkeypatch)

    deliver_all(jobs, clock)

    assert one_each(slack, users)
    assert _attempts(rapport.db) == [("sent", 1)] * 6
    assert sorted(renders.values()) == [1] * 6


def test_two_workspaces_at_half_a_dm_a_second_share_the_wait_and_render_each_dm_once(
    rapport, clock, slack, monkeypatch
) -> None:
    """A pace of one DM every two seconds in two workspaces: while one waits for its slot the
    other's DM goes, each DM is rendered once, and the batch is claimed once and never put
    back: waiting for a slot costs no write."""
    acme = promisers(rapport, slack, "HLF", 4, "Europe/Berlin")
    beta = another_workspace_with_promisers(rapport.db, slack, "T0HALF", "HLB", 4)
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=0.5)
    jobs.plan_once()
    renders = _count_renders(monkeypatch)
    writes = _count_outbox_writes(monkeypatch)

    result = jobs.dispatcher.tick()

    assert result.sent == 8 and result.rate_limited == 0
    assert one_each(slack, acme) and one_each(slack, beta)
    assert _attempts(rapport.db) == [("sent", 1)] * 8
    assert sorted(renders.values()) == [1] * 8
    assert writes == {"claimed": 1}
    start = HEADS_UP_BERLIN.timestamp()
    for times in (arrivals(slack, acme), arrivals(slack, beta)):
        assert min(b - a for a, b in pairwise(times)) >= 2.0 - 1e-3
        # Both from the start, side by side: four slots two seconds apart, not eight.
        assert times[0] - start < 1.0 and times[-1] - start < 6.5


def test_a_pace_learned_down_by_429s_mid_run_still_renders_each_dm_once(
    rapport, clock, slack, monkeypatch
) -> None:
    """Slack takes one post in a second and a half; RAPPORT_DM_PER_SECOND=1 is above that, so
    429s teach the dispatcher a slower pace as it goes. No DM is rendered again but one Slack
    refused (rendered anew when its wait is over, as it is then), and none goes twice."""
    users = promisers(rapport, slack, "LRN", 8, "Europe/Berlin")
    slack.limit_rate("chat.postMessage", 1, 1.5)
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=1.0)
    renders = _count_renders(monkeypatch)
    refused: Counter[str] = Counter()
    refuse = Dispatcher._refused

    def counted(self: Dispatcher, bundle: Bundle, *args: Any) -> None:
        refused[bundle.id] += 1
        refuse(self, bundle, *args)

    monkeypatch.setattr(Dispatcher, "_refused", counted)

    deliver_all(jobs, clock)

    assert one_each(slack, users)
    assert _attempts(rapport.db) == [("sent", 1)] * 8
    assert sum(refused.values()) == slack.rate_limited_count("chat.postMessage") >= 1
    assert renders == {id: 1 + refused[id] for id in renders} and len(renders) == 8
    learned = jobs.dispatcher.pacer.rate(workspace_id_of(rapport.db))
    assert learned is not None and learned < 1.0
    # Each 429 costs its wait, not a slot after it as well: within twice the 10.5 s that
    # Slack's limit needs for eight posts.
    assert max(arrivals(slack, users)) - HEADS_UP_BERLIN.timestamp() < 2 * 10.5


def test_at_a_pace_slower_than_a_tick_waits_each_dm_is_rendered_once_across_ticks(
    rapport, clock, slack, monkeypatch
) -> None:
    """One DM every fifty seconds: the slot after the first is further off than a tick waits
    (LONGEST_TICK_WAIT), so the first tick posts one DM and gives the others back to the
    outbox until that slot, unrendered; the delivery runs after it (one a minute) post the
    rest, each DM rendered once, and each tick that ends early gives back what it claimed."""
    users = promisers(rapport, slack, "SLW", 4, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=0.02)
    jobs.plan_once()
    renders = _count_renders(monkeypatch)
    writes = _count_outbox_writes(monkeypatch)

    sent = []
    while clock.now() < HEADS_UP_BERLIN + timedelta(minutes=5):
        sent.append(jobs.dispatcher.tick().sent)
        clock.advance(timedelta(minutes=1))

    # At 0 s, 60 s (the slot of 50 s), 120 s (that of 100 s) and, waited for, 150 s.
    assert sent == [1, 1, 2, 0, 0]
    assert one_each(slack, users)
    assert _attempts(rapport.db) == [("sent", 1)] * 4
    assert sorted(renders.values()) == [1] * 4
    assert writes == {"claimed": 3, "held": 2}


def test_a_dm_set_aside_past_its_lease_is_claimed_again_and_posted_in_its_slot(
    rapport, clock, slack, monkeypatch
) -> None:
    """A lease of ninety seconds and one DM every twenty: the last DM's slot (100 s) comes
    after the lease of its batch ran out. Found not held when it is prepared, it is claimed
    again and goes in that slot: nothing skipped or late, each DM rendered once."""
    users = promisers(rapport, slack, "LSE", 6, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    monkeypatch.setattr(dispatcher, "LEASE", timedelta(seconds=90))
    jobs = dispatcher_on(rapport.db, clock, slack, pace=0.05)
    jobs.plan_once()
    renders = _count_renders(monkeypatch)
    writes = _count_outbox_writes(monkeypatch)

    result = jobs.dispatcher.tick()

    assert result.sent == 6 and one_each(slack, users)
    assert _attempts(rapport.db) == [("sent", 1)] * 6
    assert sorted(renders.values()) == [1] * 6
    start = HEADS_UP_BERLIN.timestamp()
    assert [round(t - start) for t in arrivals(slack, users)] == [0, 20, 40, 60, 80, 100]
    assert writes == {"claimed": 2}


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


def test_a_dispatcher_whose_lease_ran_out_leaves_a_dm_to_check_to_the_one_holding_it(
    rapport, clock, slack
) -> None:
    """A DM left `sending` by an unclear answer is claimed for its history check by one
    dispatcher, which is then held up past its lease (its slot far off, say); another claims
    it. The first, coming back to it, neither asks Slack nor changes the row: only the holder
    checks it, so nobody's check runs on a window another rewrote."""
    users = promisers(rapport, slack, "LST", 1, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    first = dispatcher_on(rapport.db, clock, slack)
    second = dispatcher_on(rapport.db, clock, slack)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )
    first.plan_once()
    assert first.dispatcher.tick().unsure == 1
    clock.advance(dispatcher.HISTORY_INTERVAL + timedelta(seconds=1))
    [mine] = first.dispatcher._claim()
    assert mine.state == "sending"
    clock.advance(dispatcher.LEASE + timedelta(seconds=1))
    assert len(second.dispatcher._claim()) == 1
    checks = len(slack.calls_to("conversations.history"))

    assert first.dispatcher._recover(mine, dispatcher.TickResult()) is False

    assert len(slack.calls_to("conversations.history")) == checks
    [row] = all_of(rapport.db, Bundle)
    assert (row.state, row.claimed_by) == ("sending", second.dispatcher.owner)
    second.dispatcher.tick()
    assert one_each(slack, users) and len(dms(slack, users[0])) == 1
