"""The sandbox sends what the real scheduler sends, the day it sends it.

The real scheduler plans every five minutes, so whatever the commands typed at an instant made
due goes out within minutes. The shell's clock stops only where something can fall due later;
without a tick at the instant it leaves, a nudge made due by a command (a window opened by new
hours, a heads-up for tomorrow, a check-in brought back) waited for the next window, a day late,
or a heads-up was lost altogether.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.shell import Shell
from bot.sandbox.timeline import move
from bot.sandbox.workspace import Sandbox
from tests.support.shell import BERLIN, START, console, play


@pytest.fixture
def german() -> Iterator[Shell]:
    with Sandbox(lang="de", start=START) as running:
        _, shown = console()
        yield Shell(running, shown)


def dm_heads(shown: str) -> list[str]:
    """The header of each nudge DM the shell drew, in order: who got it and when."""
    return [line.strip("╭─ ") for line in shown.splitlines() if "Rapport · DM to You ·" in line]


def head(day_and_time: str) -> str:
    return f"Rapport · DM to You · {day_and_time} their time (Europe/Berlin)"


# --- the tick that follows the commands typed -------------------------------------------------


def test_hours_that_open_at_this_instant_bring_the_check_in_today(shell: Shell) -> None:
    play(shell, "/logcontact Foo call hi", "/rapport partner Foo set cadence 7")

    shown = play(shell, ":at 2026-12-02 08:00", "/rapport settings hours 8-17", ":advance 4h")

    assert dm_heads(shown)[0].startswith(head("Wed 02 Dec 08:00"))
    assert "Foo: no check-in yet; first contact 7 days ago" in shown
    assert "Nothing arrived on the way" in shown.split("› :advance 4h")[0]  # the :at itself


def test_hours_that_open_a_minute_later_bring_it_that_minute(shell: Shell) -> None:
    play(shell, "/logcontact Foo call hi", "/rapport partner Foo set cadence 7")

    shown = play(shell, ":at 2026-12-02 08:00", "/rapport settings hours 8:01-17", ":advance 4h")

    assert [h.split(" their")[0] for h in dm_heads(shown)] == [
        "Rapport · DM to You · Wed 02 Dec 08:01"
    ]


def test_a_promise_due_tomorrow_logged_mid_morning_gets_its_heads_up_today(shell: Shell) -> None:
    play(shell, ":at 2026-12-01 10:00", "/logcontact Foo call promise: send Z by tomorrow")

    shown = play(shell, ":advance 1d")

    heads = dm_heads(shown)
    assert [h.split(" their")[0] for h in heads] == [
        "Rapport · DM to You · Tue 01 Dec 10:00",
        "Rapport · DM to You · Wed 02 Dec 09:00",
    ]
    heads_up, on_the_day = shown.split(heads[1])
    assert "send Z (to Foo): due tomorrow." in heads_up
    assert "send Z (to Foo): due today." in on_the_day


def test_german_new_hours_that_open_at_this_instant_bring_the_check_in_today(
    german: Shell,
) -> None:
    play(german, "/logcontact Foo Anruf hallo", "/rapport partner Foo set rhythmus 7")

    shown = play(
        german, ":at 2026-12-02 08:00", "/rapport einstellungen arbeitszeit 8-17", ":advance 4h"
    )

    assert dm_heads(shown)[0].startswith(head("Wed 02 Dec 08:00"))
    assert "Foo: noch kein Check-in" in shown


def test_german_a_promise_due_tomorrow_gets_its_heads_up_today(german: Shell) -> None:
    play(german, ":at 2026-12-02 12:00", "/logcontact Bar Anruf Zusage: Z schicken bis morgen")

    shown = play(german, ":advance 1d")

    heads = dm_heads(shown)
    assert [h.split(" their")[0] for h in heads] == [
        "Rapport · DM to You · Wed 02 Dec 12:00",
        "Rapport · DM to You · Thu 03 Dec 09:00",
    ]
    heads_up, on_the_day = shown.split(heads[1])
    assert "Z schicken (an Bar): morgen fällig." in heads_up
    assert "Z schicken (an Bar): heute fällig." in on_the_day


def test_a_cadence_shortened_on_friday_brings_the_check_in_that_friday(shell: Shell) -> None:
    play(shell, "/logcontact Foo call hi", ":at 2026-12-11 12:00")

    shown = play(shell, "/rapport partner Foo set cadence 7", ":advance 1h")

    assert dm_heads(shown)[0].startswith(head("Fri 11 Dec 12:00"))
    assert "Foo: no check-in yet" in shown


def test_an_undone_check_in_brings_its_nudge_back_the_same_day(german: Shell) -> None:
    # Bar's check-in falls due Friday 4 December; it is logged before the window opens, then
    # undone mid-morning: the check-in is due again, and the server would nudge at once.
    play(german, "/logcontact Bar Anruf hallo", "/rapport partner Bar set rhythmus 7")
    play(german, ":at 2026-12-02 08:30", "/logcontact Bar Check-in kurz")
    quiet = play(german, ":at 2026-12-02 10:00")
    assert dm_heads(quiet) == []

    shown = play(german, ":click 1", ":advance 1h")

    assert "Rückgängig" in shown or "entfernt" in shown
    assert dm_heads(shown)[0].startswith(head("Wed 02 Dec 10:00"))
    assert "Bar:" in shown


def test_a_tick_at_the_same_instant_again_sends_nothing_twice(shell: Shell) -> None:
    play(shell, ":at 2026-12-01 10:00", "/logcontact Foo call promise: send Z by tomorrow")

    first = play(shell, ":at 2026-12-01 10:00")
    again = play(shell, ":at 2026-12-01 10:00", ":advance 1h")

    assert len(dm_heads(first)) == 1
    assert dm_heads(again) == []


# --- move() itself ----------------------------------------------------------------------------


class Recorded:
    """Jobs with one instant due an hour on; records where they ran."""

    def __init__(self, due: datetime) -> None:
        self.due = due
        self.ran: list[datetime] = []

    def next_due(self, after: datetime, until: datetime) -> datetime | None:
        return self.due if after < self.due <= until else None

    def run(self, at: datetime) -> None:
        self.ran.append(at)


@pytest.mark.parametrize("tick_first", [True, False])
def test_move_ticks_at_the_instant_it_leaves_only_when_asked(tick_first: bool) -> None:
    clock = ManualClock(START)
    jobs = Recorded(START + timedelta(hours=1))
    shown: list[datetime] = []

    stops = move(clock, START + timedelta(hours=2), jobs, shown.append, tick_first=tick_first)

    expected = [START, jobs.due] if tick_first else [jobs.due]
    assert jobs.ran == shown == expected
    assert stops == len(expected)
    assert clock.now() == START + timedelta(hours=2)


def test_move_to_the_same_instant_is_one_tick_there() -> None:
    clock = ManualClock(START)
    jobs = Recorded(START + timedelta(hours=1))

    assert move(clock, START, jobs, lambda _: None, tick_first=True) == 1
    assert jobs.ran == [START] and clock.now() == START.astimezone(BERLIN)
