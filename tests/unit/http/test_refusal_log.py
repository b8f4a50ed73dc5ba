"""Refusals are logged a few per kind and window, then counted: a flood of requests the front
door refuses costs the log a handful of lines and one summary, and hides no other kind."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest

from bot.http.refusal_log import BURST, WINDOW_SECONDS, RefusalLog

log = logging.getLogger("tests.refusals")

Logged = Callable[[], list[str]]


class Clock:
    """`time.monotonic` as the test sets it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Logged:
    """The lines logged through `log` so far."""
    caplog.set_level(logging.INFO, logger=log.name)
    return lambda: [r.getMessage() for r in caplog.records if r.name == log.name]


def refuse(refusals: RefusalLog, kind: str, times: int) -> None:
    for number in range(times):
        refusals.warning(log, kind, "refused a request: %s (number %d)", kind, number)


def test_the_first_few_of_a_kind_are_logged_as_they_come(clock: Clock, logged: Logged) -> None:
    refusals = RefusalLog(clock)
    refuse(refusals, "wrong_signature", BURST)
    assert logged() == [f"refused a request: wrong_signature (number {n})" for n in range(BURST)]


def test_beyond_the_burst_they_are_counted_and_summed_up_when_the_window_has_ended(
    clock: Clock, logged: Logged
) -> None:
    refusals = RefusalLog(clock)
    refuse(refusals, "wrong_signature", 5000)
    assert len(logged()) == BURST  # nothing more while the window lasts

    clock.now += WINDOW_SECONDS
    refuse(refusals, "wrong_signature", 1)

    assert logged()[BURST] == "… and 4,995 more refused requests: wrong_signature, in the last 60 s"
    assert logged()[BURST + 1] == "refused a request: wrong_signature (number 0)"  # a new window
    assert len(logged()) == BURST + 2


def test_a_window_that_left_nothing_out_has_no_summary(clock: Clock, logged: Logged) -> None:
    refusals = RefusalLog(clock)
    refuse(refusals, "wrong_signature", BURST)
    clock.now += WINDOW_SECONDS
    refuse(refusals, "wrong_signature", BURST)
    refusals.flush()
    assert len(logged()) == 2 * BURST
    assert not [line for line in logged() if "more refused" in line]


def test_each_kind_has_its_own_burst_and_count(clock: Clock, logged: Logged) -> None:
    """A flood of forged signatures must not hide the stale timestamps of a drifted clock."""
    refusals = RefusalLog(clock)
    refuse(refusals, "wrong_signature", 100)
    refuse(refusals, "stale_timestamp", 3)
    refuse(refusals, "stale_timestamp", 10)

    assert sum("wrong_signature" in line for line in logged()) == BURST
    assert sum("stale_timestamp" in line for line in logged()) == BURST

    clock.now += WINDOW_SECONDS
    refusals.flush()
    summaries = sorted(line for line in logged() if "more refused" in line)
    assert summaries == [
        "… and 8 more refused requests: stale_timestamp, in the last 60 s",
        "… and 95 more refused requests: wrong_signature, in the last 60 s",
    ]


def test_a_summary_due_is_written_by_a_refusal_of_another_kind(
    clock: Clock, logged: Logged
) -> None:
    """The flood stopped; the next refusal, whatever its kind, writes the count it left."""
    refusals = RefusalLog(clock)
    refuse(refusals, "wrong_signature", 20)
    clock.now += WINDOW_SECONDS + 600
    refuse(refusals, "headers too large", 1)

    assert logged()[BURST:] == [
        "… and 15 more refused requests: wrong_signature, in 60 s that ended 600 s ago",
        "refused a request: headers too large (number 0)",
    ]


def test_flush_writes_the_count_of_a_window_still_open(clock: Clock, logged: Logged) -> None:
    """At shutdown no later refusal will come to write it."""
    refusals = RefusalLog(clock)
    refuse(refusals, "replayed", 7)
    clock.now += 12
    refusals.flush()
    refusals.flush()  # said once
    assert logged()[BURST:] == ["… and 2 more refused requests: replayed, in the last 12 s"]


@pytest.mark.parametrize(
    ("lasted", "span"),
    [(0.12, "in the last 120 ms"), (3.44, "in the last 3.4 s"), (0.0, "in the last 0 ms")],
)
def test_flush_right_after_a_flood_says_how_long_it_lasted(
    clock: Clock, logged: Logged, lasted: float, span: str
) -> None:
    """`rapport serve` stopped right after a flood: the window lasted less than a second, from
    its first refusal to the shutdown, and the summary says so rather than "0 s"."""
    refusals = RefusalLog(clock)
    refuse(refusals, "wrong_signature", 500)
    clock.now += lasted
    refusals.flush()
    assert logged()[BURST:] == [f"… and 495 more refused requests: wrong_signature, {span}"]


def test_the_summary_keeps_the_level_and_logger_of_its_kind(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    refusals = RefusalLog(clock, burst=1)
    other = logging.getLogger("tests.refusals.other")
    for _ in range(3):
        refusals.log(logging.INFO, other, "replayed", "ignored a replayed %s", "block_actions")
    clock.now += 0.25
    refusals.flush()
    records = [r for r in caplog.records if r.name == other.name]
    assert [r.levelno for r in records] == [logging.INFO, logging.INFO]
    assert records[1].getMessage() == "… and 2 more refused requests: replayed, in the last 250 ms"


def test_refusals_from_several_threads_are_each_logged_or_counted_once(
    clock: Clock, logged: Logged
) -> None:
    """Refusals come from the event loop and the dispatch threads at once."""
    refusals = RefusalLog(clock)
    start = threading.Barrier(8)

    def flood(kind: str) -> None:
        start.wait()
        refuse(refusals, kind, 1000)

    threads = [
        threading.Thread(target=flood, args=("wrong_signature" if n % 2 else "replayed",))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clock.now += WINDOW_SECONDS
    refusals.flush()

    assert sum("refused a request: wrong_signature" in line for line in logged()) == BURST
    assert sum("refused a request: replayed" in line for line in logged()) == BURST
    summaries = sorted(line for line in logged() if "more refused" in line)
    assert summaries == [
        f"… and {4000 - BURST:,} more refused requests: replayed, in the last 60 s",
        f"… and {4000 - BURST:,} more refused requests: wrong_signature, in the last 60 s",
    ]


def test_a_line_names_the_place_of_its_refusal_as_before(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator's format may show where a line comes from (`%(module)s:%(lineno)d`)."""
    caplog.set_level(logging.INFO, logger=log.name)
    refusals = RefusalLog(clock)
    refusals.warning(log, "wrong_signature", "refused a request")
    refusals.log(logging.INFO, log, "replayed", "ignored a replayed request")
    assert [r.funcName for r in caplog.records] == [
        "test_a_line_names_the_place_of_its_refusal_as_before"
    ] * 2
