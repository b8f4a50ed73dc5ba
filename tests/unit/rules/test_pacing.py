"""The posting pace: slow start, the fall on a 429, probing, the ceiling and floor, and slots."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.rules import pacing
from bot.rules.pacing import Budget, fresh, grant, limited, observed_rate, reported

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def seconds(s: float) -> timedelta:
    return timedelta(seconds=s)


def test_a_fresh_budget_starts_at_one_a_second_in_slow_start() -> None:
    budget = fresh(NOW)
    assert (budget.rate, budget.limited_at, budget.next_slot) == (1.0, None, NOW)
    assert fresh(NOW, ceiling=0.6).rate == 0.6


def test_slow_start_grows_the_rate_several_fold_a_second() -> None:
    """Sending at the rate for a second reports `rate` posts: the rate grows with them."""
    budget, now, sent = fresh(NOW), NOW, 0
    while now < NOW + seconds(3):
        budget, slots = grant(budget, now, 25, None)
        now = slots.at(slots.count - 1)  # a sender that keeps up: its last slot, then reports
        budget = reported(budget, now, slots.count, None)
        sent += slots.count
    assert budget.rate > 100
    assert sent < 250  # what reaching it cost: under three seconds at the rate found
    assert reported(fresh(NOW), NOW, 10, None).rate == 1.0 + 10 * pacing.START_STEP


def test_after_a_limit_is_met_the_rate_creeps_up_by_a_fraction_a_second() -> None:
    budget = replace(fresh(NOW), rate=95.0, limited_at=NOW, next_slot=NOW + seconds(1))
    after_a_second = reported(budget, NOW + seconds(1), 95, None)
    assert after_a_second.rate == pytest.approx(95 + 95 * pacing.PROBE_STEP)
    assert after_a_second.rate < 95 * 1.01


def test_nothing_reported_changes_no_rate() -> None:
    budget = replace(fresh(NOW), rate=40.0, limited_at=NOW)
    assert reported(budget, NOW, 0, None).rate == 40.0
    assert reported(budget, NOW, -3, None).rate == 40.0


def test_the_ceiling_is_never_exceeded_and_the_floor_never_undercut() -> None:
    budget = reported(fresh(NOW), NOW, 1000, ceiling=20.0)
    assert budget.rate == 20.0
    budget, slots = grant(replace(budget, rate=500.0), NOW, 25, ceiling=20.0)
    assert slots.spacing_s == pytest.approx(1 / 20)
    assert budget.rate == 20.0
    low = limited(replace(fresh(NOW), rate=0.51, limited_at=None), NOW, 30, None)
    assert low.rate == pacing.FLOOR
    assert pacing.bounded(0.01, None) == pacing.FLOOR


def test_a_429_sets_the_rate_just_under_what_was_accepted_in_the_second_before() -> None:
    # Slow start overshot: 300 a second asked for, Slack took 100 in the last second.
    budget = replace(fresh(NOW), rate=300.0, window_start=NOW - seconds(1), window_posts=100)
    after = limited(budget, NOW, 1, None)
    assert after.rate == pytest.approx(100 * pacing.BACKOFF)
    assert after.limited_at == NOW
    assert after.next_slot == NOW + seconds(1)


def test_a_429_never_raises_the_rate_and_counts_the_senders_own_posts() -> None:
    """The shared window may hold only part of what went (reports come with the next grant);
    the sender's own count of the last second stands in, never above the rate then."""
    budget = replace(fresh(NOW), rate=80.0, window_start=NOW - seconds(1), window_posts=30)
    assert limited(budget, NOW, 1, None, accepted_last_second=70).rate == pytest.approx(
        70 * pacing.BACKOFF
    )
    assert limited(budget, NOW, 1, None, accepted_last_second=200).rate == pytest.approx(
        80 * pacing.BACKOFF
    )


def test_a_429_with_nothing_observed_falls_from_the_rate_itself() -> None:
    budget = replace(fresh(NOW), rate=50.0, window_start=NOW - seconds(0.1), window_posts=0)
    assert limited(budget, NOW, 2, None).rate == pytest.approx(50 * pacing.BACKOFF)


def test_a_second_429_of_the_same_excess_lowers_the_rate_once() -> None:
    budget = replace(fresh(NOW), rate=300.0, window_start=NOW - seconds(1), window_posts=100)
    first = limited(budget, NOW, 1, None)
    again = limited(first, NOW + seconds(0.2), 3, None, accepted_last_second=10)
    assert again.rate == first.rate
    assert again.next_slot == NOW + seconds(3.2)  # but its wait is kept
    later = limited(first, NOW + seconds(5), 1, None, accepted_last_second=90)
    assert later.rate == pytest.approx(min(first.rate, 90) * pacing.BACKOFF)


def test_the_observed_rate_is_the_current_window_or_the_last() -> None:
    budget = replace(fresh(NOW), window_start=NOW, window_posts=0)
    assert observed_rate(budget, NOW + seconds(0.1)) is None
    closed = reported(budget, NOW + seconds(1.25), 100, None)
    assert closed.last_window_rate == pytest.approx(80.0)
    assert (closed.window_start, closed.window_posts) == (NOW + seconds(1.25), 0)
    assert observed_rate(closed, NOW + seconds(1.3)) == pytest.approx(80 * 0.95)
    # Part of the second in this window (45 posts), the rest at the last window's rate.
    half = reported(closed, NOW + seconds(1.85), 45, None)
    assert observed_rate(half, NOW + seconds(1.85)) == pytest.approx(45 + 80 * 0.4)
    # With no window before it, half a second of one is taken as a rate.
    first = reported(budget, NOW + seconds(0.6), 30, None)
    assert observed_rate(first, NOW + seconds(0.6)) == pytest.approx(50.0)


def test_slots_are_spaced_at_the_rate_and_granted_a_quarter_second_at_a_time() -> None:
    budget = replace(fresh(NOW), rate=100.0, limited_at=NOW, next_slot=NOW + seconds(0.5))
    after, slots = grant(budget, NOW, 60, None)
    assert slots.first == NOW + seconds(0.5)
    assert slots.count == 25
    assert slots.at(24) == NOW + seconds(0.5 + 24 * 0.01)
    assert after.next_slot == NOW + seconds(0.75)
    _, fewer = grant(budget, NOW, 3, None)
    assert fewer.count == 3
    _, slow = grant(replace(budget, rate=1.0), NOW, 60, None)
    assert slow.count == 1


def test_slots_gone_by_unused_are_not_made_up_in_a_burst() -> None:
    idle = replace(fresh(NOW), rate=10.0, next_slot=NOW - timedelta(hours=3))
    _, slots = grant(idle, NOW, 25, None)
    assert (slots.first, slots.at(1)) == (NOW, NOW + seconds(0.1))
    busy = replace(idle, next_slot=NOW - seconds(0.5))
    _, late = grant(busy, NOW, 25, None)
    assert late.first == NOW
    # Less than a slot behind (the sender was busy a moment), the schedule stands.
    _, moment = grant(replace(idle, next_slot=NOW - seconds(0.05)), NOW, 25, None)
    assert moment.first == NOW - seconds(0.05)


def test_two_senders_sharing_a_budget_get_slots_one_after_the_other() -> None:
    """What one was granted, the other is not: the shared `next_slot` moves past it."""
    budget = replace(fresh(NOW), rate=40.0, limited_at=NOW, next_slot=NOW)
    budget, first = grant(budget, NOW, 25, None)
    budget, second = grant(budget, NOW, 25, None)
    assert first.count == second.count == 10
    assert second.first == first.at(first.count)
    assert budget.next_slot == NOW + seconds(0.5)


def test_a_budget_is_a_plain_value() -> None:
    budget = fresh(NOW)
    assert isinstance(budget, Budget)
    with pytest.raises(AttributeError):
        budget.rate = 3.0  # type: ignore[misc]


def test_times_written_on_another_clock_far_ahead_do_not_hold_posts_back() -> None:
    """A `run-jobs --at` a week ahead wrote the budget; the scheduler on today's clock posts."""
    ahead = NOW + timedelta(days=7)
    budget = replace(fresh(ahead), rate=50.0, limited_at=ahead)
    _, slots = grant(budget, NOW, 10, None)
    assert NOW - seconds(1) <= slots.first <= NOW
    after = limited(budget, NOW, 1, None, accepted_last_second=40)
    assert after.rate == pytest.approx(40 * pacing.BACKOFF)  # a new excess, not the old one
    assert after.next_slot == NOW + seconds(1)
    # A Retry-After of a minute is a real wait, not a stale time.
    waiting = limited(replace(fresh(NOW), rate=50.0), NOW, 60, None)
    _, later = grant(waiting, NOW + seconds(1), 10, None)
    assert later.first == NOW + seconds(60)


def test_a_rate_the_senders_do_not_keep_up_with_rises_no_further() -> None:
    """Senders a grant behind their slots (a busy machine) learn nothing of Slack's limit."""
    behind = replace(fresh(NOW), rate=30.0, next_slot=NOW - seconds(0.5))
    assert reported(behind, NOW, 20, None).rate == 30.0
    keeping_up = replace(behind, next_slot=NOW - seconds(0.1))
    assert reported(keeping_up, NOW, 20, None).rate == 30.0 + 20 * pacing.START_STEP


def test_a_retry_after_longer_than_the_stale_margin_holds_every_sender_sharing_the_budget() -> None:
    """A 429 asking to wait ten minutes: another sender (a digest tick, a second scheduler)
    granting a second later must wait too, not take the wait for a time from another clock."""
    for wait_s in (301, 600, 3600):
        waiting = limited(replace(fresh(NOW), rate=50.0), NOW, wait_s, None)
        _, later = grant(waiting, NOW + seconds(1), 10, None)
        assert later.first >= NOW + seconds(wait_s), wait_s
        after = reported(waiting, NOW + seconds(2), 3, None)
        assert after.next_slot >= NOW + seconds(wait_s), wait_s


def test_a_ceiling_slower_than_one_post_in_the_stale_margin_holds_for_two_senders() -> None:
    """RAPPORT_DM_PER_SECOND=0.002 (one post in 500 s): the second sender's slot is 500 s
    after the first's, not now because the shared next slot is more than STALE_AHEAD ahead."""
    ceiling = 0.002
    budget, first = grant(fresh(NOW, ceiling), NOW, 1, ceiling)
    _, second = grant(budget, NOW + seconds(1), 1, ceiling)
    assert second.first - first.first >= seconds(1 / ceiling)


def test_a_corrupt_wait_far_ahead_holds_posts_back_an_hour_at_most() -> None:
    """A row whose 429 is now and whose resume lies years ahead is corrupt, not a wait: the
    wait a 429 explains is taken as at most MAX_WAIT."""
    years = NOW + timedelta(days=3650)
    corrupt = replace(fresh(NOW), rate=50.0, limited_at=NOW, next_slot=years, window_start=years)
    _, slots = grant(corrupt, NOW + seconds(1), 10, None)
    assert slots.first <= NOW + seconds(1)
