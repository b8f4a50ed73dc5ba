"""The pure rules behind nudges: working hours, due days, repeats, and the DM's shape."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.rules.nudges import (
    History,
    Planned,
    check_in_due_on,
    heads_up_day,
    next_promise_day,
    next_repeat_day,
    promise_is_current,
    promise_nudge,
    repeat,
)
from bot.rules.working_hours import WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = WorkingHours(9 * 60, 18 * 60, "12345", "Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


# --- working hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "at_work"),
    [
        (berlin(2026, 11, 25, 8, 59), False),
        (berlin(2026, 11, 25, 9, 0), True),
        (berlin(2026, 11, 25, 17, 59), True),
        (berlin(2026, 11, 25, 18, 0), False),
        (berlin(2026, 11, 28, 10, 0), False),  # Saturday
        (berlin(2027, 3, 29, 9, 30), True),  # the Monday after DST began
    ],
)
def test_at_work_means_inside_the_hours_on_a_working_day_on_the_local_clock(
    instant, at_work
) -> None:
    assert OFFICE.is_at_work(instant) is at_work


@pytest.mark.parametrize(
    ("after", "opens"),
    [
        (berlin(2026, 11, 25, 7, 0), berlin(2026, 11, 25, 9, 0)),
        (berlin(2026, 11, 25, 12, 0), berlin(2026, 11, 25, 12, 0)),
        (berlin(2026, 11, 27, 18, 0), berlin(2026, 11, 30, 9, 0)),  # Friday evening → Monday
        (berlin(2027, 3, 26, 19, 0), berlin(2027, 3, 29, 9, 0)),  # across the DST change
    ],
)
def test_the_next_window_is_the_next_working_morning_or_now(after, opens) -> None:
    assert OFFICE.next_window(after) == opens


def test_someone_with_no_working_days_has_no_window() -> None:
    assert WorkingHours(days="").next_window(berlin(2026, 11, 25, 9)) is None


def test_hours_in_tokyo_are_tokyo_hours() -> None:
    tokyo = WorkingHours(tz="Asia/Tokyo")
    assert tokyo.is_at_work(datetime(2026, 11, 25, 0, 30, tzinfo=UTC))  # 09:30 in Tokyo
    assert not tokyo.is_at_work(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))  # 18:30 in Tokyo


# --- check-ins ---------------------------------------------------------------------------------


def test_a_check_in_is_due_a_cadence_after_the_last_one_on_the_owners_calendar() -> None:
    late_evening = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # already the 26th in Berlin
    assert check_in_due_on(late_evening, None, 90, BERLIN) == date(2027, 2, 24)


def test_without_a_check_in_the_first_contact_counts() -> None:
    first = berlin(2026, 11, 24, 12)
    assert check_in_due_on(None, first, 90, BERLIN) == date(2027, 2, 22)
    assert check_in_due_on(None, None, 90, BERLIN) is None


@pytest.mark.parametrize(
    ("today", "history", "planned"),
    [
        (date(2027, 2, 22), None, None),
        (date(2027, 2, 23), None, Planned(date(2027, 2, 23), date(2027, 2, 23))),
        (date(2027, 2, 26), None, Planned(date(2027, 2, 23), date(2027, 2, 23))),
        (date(2027, 2, 26), History(pending=True), None),
        (date(2027, 3, 1), History(sent=1, last_sent_on=date(2027, 2, 23)), None),
        (
            date(2027, 3, 2),
            History(sent=1, last_sent_on=date(2027, 2, 23)),
            Planned(date(2027, 2, 23), date(2027, 3, 2)),
        ),
        # Delivered late (a holiday): the next one still waits a full week after it.
        (date(2027, 3, 5), History(sent=1, last_sent_on=date(2027, 3, 1)), None),
        (date(2027, 6, 1), History(sent=3, last_sent_on=date(2027, 3, 9)), None),
    ],
)
def test_an_unanswered_item_repeats_weekly_after_the_last_nudge_three_times_at_most(
    today, history, planned
) -> None:
    assert repeat(date(2027, 2, 23), today, history) == planned


# --- promises ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "heads_up"),
    [
        (date(2026, 11, 27), date(2026, 11, 26)),  # Friday → Thursday
        (date(2026, 11, 30), date(2026, 11, 27)),  # Monday → Friday
        (date(2026, 11, 29), date(2026, 11, 27)),  # Sunday → Friday
    ],
)
def test_a_promise_heads_up_comes_on_the_last_working_day_before_it(due_on, heads_up) -> None:
    assert heads_up_day(due_on, OFFICE) == heads_up


@pytest.mark.parametrize(
    ("today", "planned"),
    [
        (date(2026, 11, 25), None),
        (date(2026, 11, 26), Planned(date(2026, 11, 27), date(2026, 11, 26))),
        (date(2026, 11, 27), Planned(date(2026, 11, 27), date(2026, 11, 27))),
        (date(2026, 11, 30), Planned(date(2026, 11, 28), date(2026, 11, 28))),
    ],
)
def test_a_promise_is_nudged_before_on_and_after_its_due_day(today, planned) -> None:
    assert promise_nudge(date(2026, 11, 27), today, OFFICE, None) == planned


def test_a_promise_moved_later_no_longer_belongs_in_todays_dm() -> None:
    assert promise_is_current(date(2026, 11, 27), date(2026, 11, 26), OFFICE)
    assert not promise_is_current(date(2026, 12, 11), date(2026, 11, 26), OFFICE)


# --- when the planner may leave an item alone ---------------------------------------------------


def test_an_item_not_due_yet_is_asked_about_again_on_its_due_day() -> None:
    assert next_repeat_day(date(2026, 12, 7), date(2026, 12, 1), None, None) == date(2026, 12, 7)


def test_a_nudge_written_or_pending_is_asked_about_again_a_week_later() -> None:
    today = date(2026, 12, 1)
    planned = repeat(date(2026, 11, 20), today, None)
    assert next_repeat_day(date(2026, 11, 20), today, None, planned) == date(2026, 12, 8)
    pending = History(pending=True, sent=1, last_sent_on=date(2026, 11, 24))
    assert next_repeat_day(date(2026, 11, 20), today, pending, None) == date(2026, 12, 8)


def test_a_repeat_waits_for_a_week_after_the_last_delivery_and_three_unanswered_end_it() -> None:
    sent = History(sent=2, last_sent_on=date(2026, 11, 27))
    assert next_repeat_day(date(2026, 11, 20), date(2026, 12, 1), sent, None) == date(2026, 12, 4)
    spent = History(sent=3, last_sent_on=date(2026, 11, 27))
    assert next_repeat_day(date(2026, 11, 20), date(2026, 12, 1), spent, None) is None


def test_a_promise_is_asked_about_again_on_its_heads_up_its_due_day_and_the_day_after() -> None:
    due = date(2026, 11, 30)  # a Monday: the heads-up is on the Friday before
    assert next_promise_day(due, date(2026, 11, 23), OFFICE, None, None) == date(2026, 11, 27)
    heads_up = promise_nudge(due, date(2026, 11, 27), OFFICE, None)
    assert next_promise_day(due, date(2026, 11, 27), OFFICE, None, heads_up) == due
    assert next_promise_day(due, due, OFFICE, None, Planned(due, due)) == date(2026, 12, 1)
    overdue = promise_nudge(due, date(2026, 12, 1), OFFICE, None)
    assert next_promise_day(due, date(2026, 12, 1), OFFICE, None, overdue) == date(2026, 12, 8)


@pytest.mark.parametrize("delivery_delay", [0, 1, 3, 9])
@pytest.mark.parametrize("start_gap", [-5, 0, 4])
def test_no_day_before_the_next_one_would_have_planned_anything_new(
    delivery_delay: int, start_gap: int
) -> None:
    """Day by day over two months, with nudges delivered some days late: on every day the
    planner leaves the item alone, `repeat` and `promise_nudge` plan nothing it has not written
    already, so leaving it alone never loses a nudge."""
    due = date(2026, 11, 20) + timedelta(days=start_gap)
    for plan_of, next_of, episode_from in (
        (lambda d, h: repeat(due, d, h), lambda d, h, p: next_repeat_day(due, d, h, p), due),
        (
            lambda d, h: promise_nudge(due, d, OFFICE, h),
            lambda d, h, p: next_promise_day(due, d, OFFICE, h, p),
            due + timedelta(days=1),  # a promise's repeats count its overdue nudges alone
        ),
    ):
        written: dict[date, date | None] = {}  # period -> delivered on (None: pending)
        asked_again: date | None = date(2026, 11, 1)
        day = date(2026, 11, 1)
        while day < date(2027, 1, 1):
            history = _history({p: on for p, on in written.items() if p >= episode_from})
            planned = plan_of(day, history)
            new = planned is not None and planned.period not in written
            if asked_again is None or day < asked_again:
                assert not new, (day, planned, asked_again)
            else:
                if new:
                    assert planned is not None
                    written[planned.period] = None
                asked_again = next_of(day, history, planned)
                assert asked_again is None or asked_again > day
            # Delivered the day it is planned for at the earliest, some days late at worst.
            for period, sent_on in written.items():
                if sent_on is None and day >= period + timedelta(days=delivery_delay):
                    written[period] = day
            day += timedelta(days=1)


def _history(written: dict[date, date | None]) -> History | None:
    if not written:
        return None
    sent = [on for on in written.values() if on is not None]
    return History(
        pending=any(on is None for on in written.values()),
        sent=len(sent),
        last_sent_on=max(sent, default=None),
    )
