"""The reliability figure (`bot.rules.relationships.reliability`): the window's edges, kept on
time and late, moved in time and moved late, dropped before and after the due day, open, days
not recorded, the share's rounding, and what a move of the due day records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.rules.relationships.reliability import (
    RELIABILITY_DAYS,
    PromiseOutcome,
    Reliability,
    Verdict,
    fell_due_on,
    missed_on_move,
    reliability,
    verdict,
    window,
)

TODAY = date(2026, 11, 25)
YESTERDAY = TODAY - timedelta(days=1)
FIRST = TODAY - timedelta(days=RELIABILITY_DAYS)


def promise(
    due: date,
    status: str = "open",
    resolved: date | None = None,
    missed: date | None = None,
) -> PromiseOutcome:
    return PromiseOutcome(due_on=due, missed_on=missed, status=status, resolved_on=resolved)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- the window -----------------------------------------------------------------------------------


def test_the_window_is_ninety_days_ending_yesterday() -> None:
    assert window(TODAY) == (date(2026, 8, 27), date(2026, 11, 24))
    first, last = window(TODAY)
    assert (last - first).days + 1 == RELIABILITY_DAYS


@pytest.mark.parametrize(
    ("due", "counted"),
    [
        (TODAY, False),  # today is not over: it may still be kept tonight
        (TODAY + timedelta(days=3), False),
        (YESTERDAY, True),
        (FIRST, True),
        (FIRST - timedelta(days=1), False),
    ],
)
def test_a_kept_promise_counts_only_when_its_due_day_is_in_the_window(
    due: date, counted: bool
) -> None:
    kept = promise(due, "kept", resolved=due)
    assert (verdict(kept, TODAY) is Verdict.KEPT) is counted


def test_an_open_promise_due_today_is_not_yet_counted_and_one_due_yesterday_is_not_kept() -> None:
    assert verdict(promise(TODAY), TODAY) is None
    assert verdict(promise(YESTERDAY), TODAY) is Verdict.NOT_KEPT
    assert verdict(promise(TODAY + timedelta(days=10)), TODAY) is None


# --- kept -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        (days_ago(20), Verdict.KEPT),  # early
        (days_ago(10), Verdict.KEPT),  # on the due day
        (days_ago(9), Verdict.NOT_KEPT),  # a day late
        (TODAY, Verdict.NOT_KEPT),  # kept today, ten days late
    ],
)
def test_kept_on_or_before_the_due_day_is_on_time(resolved: date, expected: Verdict) -> None:
    assert verdict(promise(days_ago(10), "kept", resolved=resolved), TODAY) is expected


def test_a_kept_promise_without_the_day_it_was_kept_is_not_judged() -> None:
    assert verdict(promise(days_ago(10), "kept", resolved=None), TODAY) is None


# --- dropped --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["dropped", "renegotiated"])
@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        (days_ago(30), None),  # dropped well before: not counted
        (days_ago(10), None),  # on the due day: still in time
        (days_ago(9), Verdict.NOT_KEPT),  # after the due day had passed
        (None, None),
    ],
)
def test_dropped_in_time_is_not_counted_and_dropped_late_is_not_kept(
    status: str, resolved: date | None, expected: Verdict | None
) -> None:
    assert verdict(promise(days_ago(10), status, resolved=resolved), TODAY) is expected


# --- moved ----------------------------------------------------------------------------------------


def test_a_promise_moved_in_time_counts_by_its_new_day() -> None:
    # Originally due 40 days ago, moved before then to 20 days ago, kept 21 days ago.
    moved = promise(days_ago(20), "kept", resolved=days_ago(21))
    assert verdict(moved, TODAY) is Verdict.KEPT
    # Moved to a day not yet come: not counted at all, though its first day is in the window.
    assert verdict(promise(TODAY + timedelta(days=5)), TODAY) is None


def test_a_promise_moved_late_counts_on_the_day_missed_and_is_never_kept() -> None:
    late = promise(days_ago(5), "kept", resolved=days_ago(6), missed=days_ago(12))
    assert fell_due_on(late) == days_ago(12)
    assert verdict(late, TODAY) is Verdict.NOT_KEPT
    # Its new day is still ahead: it is due (on the day missed) and not kept.
    ahead = promise(TODAY + timedelta(days=7), missed=days_ago(3))
    assert verdict(ahead, TODAY) is Verdict.NOT_KEPT
    # Missed before the window: not counted, even if its new day is inside.
    old = promise(days_ago(30), "kept", resolved=days_ago(31), missed=days_ago(95))
    assert verdict(old, TODAY) is None


# --- the figure -----------------------------------------------------------------------------------


def test_no_figure_when_nothing_fell_due() -> None:
    assert reliability([], TODAY) is None
    not_yet = [promise(TODAY), promise(TODAY + timedelta(days=2), "kept", resolved=TODAY)]
    dropped_in_time = [promise(days_ago(3), "dropped", resolved=days_ago(4))]
    assert reliability(not_yet + dropped_in_time, TODAY) is None


def test_the_figure_counts_kept_on_time_out_of_all_due() -> None:
    promises = [
        *[promise(days_ago(d), "kept", resolved=days_ago(d)) for d in range(1, 12)],
        promise(days_ago(40), "kept", resolved=days_ago(39)),  # late
        promise(days_ago(50), "dropped", resolved=days_ago(60)),  # dropped in time
        promise(TODAY),  # not yet over
        promise(days_ago(120), "kept", resolved=days_ago(120)),  # before the window
    ]
    figure = reliability(promises, TODAY)
    assert figure == Reliability(kept=11, due=12)
    assert figure.percent == 92


@pytest.mark.parametrize(
    ("kept", "due", "percent"),
    [
        (11, 12, 92),
        (3, 4, 75),
        (1, 3, 33),
        (2, 3, 67),
        (199, 200, 99),  # rounds to 100, but one was not kept
        (1, 200, 1),  # rounds to 0, but one was kept
        (0, 5, 0),
        (5, 5, 100),
        (1, 1, 100),
    ],
)
def test_the_share_is_rounded_but_never_claims_all_or_none_wrongly(
    kept: int, due: int, percent: int
) -> None:
    assert Reliability(kept=kept, due=due).percent == percent


# --- recording a move -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "status", "resolved", "already", "expected"),
    [
        (TODAY + timedelta(days=2), "open", None, None, None),  # before the due day
        (TODAY, "open", None, None, None),  # on the due day: still in time
        (YESTERDAY, "open", None, None, YESTERDAY),  # after it passed: missed
        (days_ago(5), "kept", days_ago(3), None, days_ago(5)),  # kept late, then moved
        (days_ago(5), "kept", days_ago(6), None, None),  # kept in time: nothing hidden
        (days_ago(5), "dropped", days_ago(5), None, None),  # dropped in time
        (days_ago(5), "dropped", days_ago(2), None, days_ago(5)),  # dropped late
        (TODAY + timedelta(days=2), "open", None, days_ago(9), days_ago(9)),  # stays missed
    ],
)
def test_a_move_records_the_day_missed_only_when_it_had_passed(
    due: date, status: str, resolved: date | None, already: date | None, expected: date | None
) -> None:
    new_due = TODAY + timedelta(days=14)
    assert missed_on_move(due, new_due, status, resolved, already, TODAY) == expected


def test_a_move_to_the_same_day_records_nothing() -> None:
    assert missed_on_move(YESTERDAY, YESTERDAY, "open", None, None, TODAY) is None
