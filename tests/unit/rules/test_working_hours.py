"""Working hours as people read them: minutes of the day on a 24-hour clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.rules.working_hours import WorkingHours, clock_label

H = 60


@pytest.mark.parametrize(
    ("minute", "label"), [(0, "00:00"), (8 * H, "08:00"), (17 * H + 15, "17:15"), (24 * H, "24:00")]
)
def test_clock_labels_use_24_hours(minute: int, label: str) -> None:
    assert clock_label(minute) == label


# --- the end of a working day: how long an answer on a nudge DM may be undone ----------------

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def _at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize(
    ("pressed", "ends"),
    [
        # During work on a Tuesday: until work end that day.
        (_at(BERLIN, 2026, 12, 1, 11, 0), _at(BERLIN, 2026, 12, 1, 18, 0)),
        # Before work starts: the same day's work end.
        (_at(BERLIN, 2026, 12, 1, 7, 30), _at(BERLIN, 2026, 12, 1, 18, 0)),
        # At work end exactly, and after it: until local midnight of that day.
        (_at(BERLIN, 2026, 12, 1, 18, 0), _at(BERLIN, 2026, 12, 2, 0, 0)),
        (_at(BERLIN, 2026, 12, 1, 23, 59), _at(BERLIN, 2026, 12, 2, 0, 0)),
        # A Saturday, not a working day: until midnight.
        (_at(BERLIN, 2026, 12, 5, 10, 0), _at(BERLIN, 2026, 12, 6, 0, 0)),
    ],
)
def test_the_working_day_ends_at_work_end_or_else_at_midnight(
    pressed: datetime, ends: datetime
) -> None:
    hours = WorkingHours(9 * H, 18 * H, "12345", "Europe/Berlin")

    assert hours.end_of_working_day(pressed) == ends.astimezone(UTC)


def test_the_day_is_the_persons_own_not_utcs() -> None:
    """17:30 UTC on Monday is 02:30 on Tuesday in Tokyo: before work, so Tuesday's 17:00."""
    hours = WorkingHours(8 * H, 17 * H, "12345", "Asia/Tokyo")

    ends = hours.end_of_working_day(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))

    assert ends == _at(TOKYO, 2026, 12, 1, 17, 0).astimezone(UTC)


def test_hours_to_midnight_end_at_the_end_of_the_day() -> None:
    hours = WorkingHours(9 * H, 24 * H, "1234567", "Europe/Berlin")

    ends = hours.end_of_working_day(_at(BERLIN, 2026, 12, 1, 23, 0))

    assert ends.astimezone(BERLIN).date() == date(2026, 12, 1)
    assert ends > _at(BERLIN, 2026, 12, 1, 23, 59)


def test_the_day_the_clocks_go_back_still_ends_at_work_end_on_the_wall_clock() -> None:
    """Sunday 25 October 2026 has 25 hours in Berlin; someone working Sundays ends at 18:00."""
    hours = WorkingHours(9 * H, 18 * H, "1234567", "Europe/Berlin")

    ends = hours.end_of_working_day(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))

    assert ends == datetime(2026, 10, 25, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "tz", ["UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati"]
)
@pytest.mark.parametrize("days", ["12345", "6", "1"])
def test_the_search_ends_at_the_end_of_the_calendar_without_overflowing(tz: str, days: str) -> None:
    """An away day of 9999-12-31 asks for a window from its midnight: the search finds one on
    that very day or none, never stepping past Python's last date."""
    hours = WorkingHours(days=days, tz=tz, region=None)
    last = datetime.combine(date.max, time(), tzinfo=hours.zone)
    window = hours.next_window(last)
    opening = hours.next_opening(last)
    friday = str(date.max.isoweekday()) in days  # 9999-12-31 is a Friday
    assert (window is not None) == friday
    assert (opening is not None) == friday
    if window is not None:
        assert hours.today(window) == date.max


def test_a_window_late_on_the_last_day_in_a_zone_west_of_utc_is_none() -> None:
    """Past work end on 9999-12-31 in Los Angeles the next day does not exist."""
    hours = WorkingHours(days="1234567", tz="America/Los_Angeles")
    late = datetime.combine(date.max, time(20), tzinfo=hours.zone)
    assert hours.next_window(late) is None
    assert hours.next_opening(late) is None
