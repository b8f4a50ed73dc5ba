"""When a channel's digest posts: weekly, fortnightly, across zones and DST, after downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.rules.digests.schedule import (
    PlainSchedule,
    latest_period,
    monday_of,
    next_post,
    posts_on,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 30 November 2026.
MONDAY = date(2026, 11, 30)
WEEKLY = PlainSchedule(
    every_weeks=1, weekday=1, minute=9 * 60, tz="Europe/Berlin", anchor_on=MONDAY
)
FORTNIGHTLY = PlainSchedule(
    every_weeks=2, weekday=2, minute=8 * 60 + 30, tz="Europe/Berlin", anchor_on=MONDAY
)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_weekly_digest_is_due_from_its_local_time_on() -> None:
    before = datetime(2026, 11, 30, 8, 59, tzinfo=BERLIN)
    at = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    assert latest_period(WEEKLY, before, LONG_AGO) == date(2026, 11, 23)
    assert latest_period(WEEKLY, at, LONG_AGO) == MONDAY
    assert latest_period(WEEKLY, datetime(2026, 12, 6, 23, 0, tzinfo=BERLIN), LONG_AGO) == MONDAY


def test_the_time_is_the_subscriptions_zone_not_utc() -> None:
    # 09:00 in Berlin is 08:00 UTC in winter.
    assert latest_period(WEEKLY, datetime(2026, 11, 30, 7, 59, tzinfo=UTC), LONG_AGO) != MONDAY
    assert latest_period(WEEKLY, datetime(2026, 11, 30, 8, 0, tzinfo=UTC), LONG_AGO) == MONDAY


def test_nothing_is_due_before_the_first_post_after_switching_on() -> None:
    switched_on = datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)
    assert latest_period(WEEKLY, switched_on, switched_on) is None
    assert next_post(WEEKLY, switched_on) == datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
    assert latest_period(WEEKLY, datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN), switched_on) == date(
        2026, 12, 7
    )


def test_after_weeks_of_downtime_only_the_latest_period_is_due() -> None:
    later = datetime(2027, 1, 20, 12, 0, tzinfo=BERLIN)  # a Wednesday
    assert latest_period(WEEKLY, later, LONG_AGO) == date(2027, 1, 18)


def test_a_fortnightly_digest_posts_in_every_other_week_from_its_anchor() -> None:
    assert posts_on(FORTNIGHTLY, date(2026, 12, 1))
    assert not posts_on(FORTNIGHTLY, date(2026, 12, 8))
    assert posts_on(FORTNIGHTLY, date(2026, 12, 15))
    assert not posts_on(FORTNIGHTLY, date(2026, 12, 2))
    in_the_off_week = datetime(2026, 12, 10, 12, 0, tzinfo=BERLIN)
    assert latest_period(FORTNIGHTLY, in_the_off_week, LONG_AGO) == date(2026, 12, 1)
    assert next_post(FORTNIGHTLY, in_the_off_week) == datetime(2026, 12, 15, 8, 30, tzinfo=BERLIN)


def test_a_fortnightly_rhythm_holds_across_the_new_year() -> None:
    # ISO week numbers restart in January; the count of weeks from the anchor does not.
    days = [date(2026, 12, 29), date(2027, 1, 12), date(2027, 1, 26)]
    assert all(posts_on(FORTNIGHTLY, day) for day in days)
    assert not posts_on(FORTNIGHTLY, date(2027, 1, 5))


def test_the_post_keeps_its_local_time_across_a_dst_change() -> None:
    # Berlin moves to summer time on Sunday 28 March 2027.
    after_change = next_post(WEEKLY, datetime(2027, 3, 27, tzinfo=UTC))
    assert after_change == datetime(2027, 3, 29, 9, 0, tzinfo=BERLIN)
    assert after_change.astimezone(UTC).hour == 7


def test_monday_of_is_the_iso_weeks_monday() -> None:
    assert monday_of(date(2026, 12, 6)) == MONDAY
    assert monday_of(MONDAY) == MONDAY


def test_switching_on_at_exactly_the_post_time_waits_for_the_next_post() -> None:
    at = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    assert latest_period(WEEKLY, at, at) is None
    assert next_post(WEEKLY, at) == datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
