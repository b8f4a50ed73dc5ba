"""A move of the clock that ends exactly where nudges are delivered.

The dispatcher paces its posts by moving the sandbox's clock (`Sandbox._scheduled_jobs`'s
pause), so after two DMs sent at 09:00 the clock stands a moment past 09:00. A move that ends
at 09:00, the start of everyone's working hours and so the likeliest instant to type, then
tried to set the clock back to 09:00: the shell answered "that failed unexpectedly:
ValueError: time only moves forwards", after the DMs, and left the clock unsaved and the
move's last redraw and notes undone. `bot.sandbox.timeline.move` now leaves a clock the jobs
moved past its target where they left it.
"""

from __future__ import annotations

import pytest

from bot.sandbox.shell import Shell
from tests.support.shell import play


@pytest.mark.parametrize("move", [":at 2026-11-26 09:00", ":advance 23h"])
def test_a_move_ending_where_two_dms_go_out_ends_without_a_failure(shell: Shell, move: str) -> None:
    """Two colleagues with promises due Friday get their heads-up on Thursday at 09:00; the
    clock is moved to exactly then (from Wednesday 10:00)."""
    play(shell, "/logcontact Acme call kickoff promise: send the quote by Friday")
    play(shell, ":as lena", "/logcontact Globex call kickoff promise: send the deck by Friday")

    shown = play(shell, move)

    assert shown.count("Rapport · DM to ") == 2, shown
    assert "failed unexpectedly" not in shown, shown
