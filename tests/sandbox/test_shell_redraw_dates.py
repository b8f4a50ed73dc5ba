"""An older nudge DM answered days later: its redrawn lines name later events by their date.

The DM keeps its own day (its title says "For today", Slack shows when it came); the check-in
logged from it three days on is no "last check-in in 3 days".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sandbox.shell import Shell
from bot.sandbox.workspace import Sandbox
from tests.support.shell import START, console, play


@pytest.fixture
def german() -> Iterator[Shell]:
    with Sandbox(lang="de", start=START) as running:
        _, shown = console()
        yield Shell(running, shown)


def redrawn(shown: str) -> str:
    """The DM as Rapport redrew it, borders dropped and lines joined."""
    box = shown[shown.index("Rapport updated its message") :].split("╰")[0]
    return " ".join(line.strip("│ ").strip() for line in box.splitlines()[1:])


def test_log_check_in_from_a_dm_three_days_old(shell: Shell) -> None:
    # Bar's check-in falls due Wednesday 2 December; its DM comes that morning.
    play(shell, "/logcontact Bar call hi", "/rapport partner Bar set cadence 7")
    play(shell, ":at 2026-12-05 10:00")

    shown = play(shell, ":click 1", ":submit")

    assert "DM to You · Wed 02 Dec 09:00 their time" in shown
    line = redrawn(shown)
    assert "Bar: last check-in on Saturday, December 5, 2026; a check-in every 7 days." in line
    assert "✅ Check-in logged by @You, Saturday, December 5, 2026." in line
    assert "in 3 days" not in line


def test_german_log_check_in_from_a_dm_a_week_old(german: Shell) -> None:
    play(german, "/logcontact Bar Anruf hallo", "/rapport partner Bar set rhythmus 7")
    play(german, ":at 2026-12-09 10:00", ":messages dm")

    # The first DM of the list: Wednesday 2 December's, a week before.
    shown = play(german, ":click 1.1", ":submit")

    assert "DM to You · Wed 02 Dec 09:00 their time" in shown
    line = redrawn(shown)
    assert "Bar: letzter Check-in am Mittwoch, 9. Dezember 2026; ein Check-in alle 7 Tage." in line
    assert "in 7 Tagen" not in line and "in 1 Woche" not in line
