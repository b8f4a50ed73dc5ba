"""The next digest a subscription will really post (`next_real_post`): the schedule's next post
time, skipping a period that already has its digest."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.rules.digests.schedule import PlainSchedule
from bot.usecases.digests.subscriptions import next_real_post

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 30)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def schedule(minute: int, every_weeks: int = 1) -> PlainSchedule:
    # Fortnights counted from this week: posts on 30 November, 14 December, …
    return PlainSchedule(every_weeks, 1, minute, "Europe/Berlin", MONDAY)


@pytest.mark.parametrize(
    ("now", "minute", "latest", "every_weeks", "expected"),
    [
        # 09:00 posted, moved to 10:00 at 09:05: today has its digest, so next Monday.
        (at(MONDAY, 9, 5), 600, MONDAY, 1, at(date(2026, 12, 7), 10)),
        # The same change before today's post: today at 10:00.
        (at(MONDAY, 8, 0), 600, date(2026, 11, 23), 1, at(MONDAY, 10)),
        # No digest yet at all.
        (at(MONDAY, 9, 5), 600, None, 1, at(MONDAY, 10)),
        # Fortnightly, today's posted: the one after next week's skipped week.
        (at(MONDAY, 9, 5), 600, MONDAY, 2, at(date(2026, 12, 14), 10)),
        # A digest of last week does not hold back this week's.
        (at(MONDAY, 9, 5), 600, date(2026, 11, 23), 1, at(MONDAY, 10)),
    ],
)
def test_next_real_post(
    now: datetime, minute: int, latest: date | None, every_weeks: int, expected: datetime
) -> None:
    assert next_real_post(schedule(minute, every_weeks), now, latest) == expected
