"""Undo of a nudge-DM answer attacked: raced by a second answer in another DM about the same
promise, by a merge of the partner, and pressed by guests and people of another organisation.
Signed HTTP against the running app, on SQLite and PostgreSQL; every outcome is one that the
presses, taken one after the other in some order, could have had."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Nudge
from tests.scenarios.test_partner_merge import ask
from tests.scenarios.test_undo_answers import notes, promise_state
from tests.security.guests import GUESTS, Guest, cached_guest
from tests.security.test_merge_attacks import merge_button, pressed
from tests.support.nudges import (
    check_in_dm,
    current,
    dms,
    jobs_for,
    log,
    press,
    promise_dm,
    the_promise,
)
from tests.support.racing import at_once
from tests.support.rows import Partner, all_of

UNDO = "nudge_undo"
KENJI, PARTNER_TEAM = "U0KENJI", "T0PARTNER"


@pytest.fixture
def jobs(rapport: Any, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def test_undo_of_more_time_racing_kept_in_another_dm_never_loses_the_kept(
    rapport, clock, slack, jobs, no_errors_logged: None
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    newer = next(m for _, m in dms(slack) if m["ts"] != message["ts"])
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    answered, other = current(slack, message), current(slack, newer)

    def act(i: int) -> str:
        if i == 0:
            return press(rapport, answered, "promise", promise_id, UNDO)
        return press(rapport, other, "promise", promise_id, "nudge_kept")

    at_once(2, act)

    state = promise_state(the_promise(rapport))
    assert state[0] == "kept", state
    # Undone first (the day back to Friday 27 November), or refused after the Kept.
    undone = [n for n in notes(slack, message) if "changed since" in n]
    assert state[3] == (date(2026, 12, 11) if undone else date(2026, 11, 27)), (state, undone)


# The race is lost in a narrow window: tried afresh several times.
@pytest.mark.parametrize("attempt", range(10))
def test_undo_of_kept_racing_more_time_in_another_dm_leaves_one_order(
    rapport, clock, slack, jobs, no_errors_logged: None, attempt: int
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    newer = next(m for _, m in dms(slack) if m["ts"] != message["ts"])
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered, other = current(slack, message), current(slack, newer)

    def act(i: int) -> str:
        if i == 0:
            return press(rapport, answered, "promise", promise_id, UNDO)
        return press(
            rapport, other, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11"
        )

    at_once(2, act)

    promise = the_promise(rapport)
    answers = {n.bundle_id: n.answer for n in all_of(rapport.db, Nudge) if n.kind == "promise"}
    # Whatever the order, an open promise has no Kept answer standing, and a kept one has.
    if promise.status == "open":
        assert "kept" not in answers.values(), answers
    else:
        assert promise.status == "kept" and "kept" in answers.values(), (promise.status, answers)


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_pressing_undo_on_a_members_dm_changes_nothing(
    rapport, clock, slack, jobs, guest: Guest
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered = current(slack, message)
    kept = promise_state(the_promise(rapport))
    cached_guest(rapport, guest)

    press(rapport, answered, "promise", promise_id, UNDO, user=guest.user_id)

    assert promise_state(the_promise(rapport)) == kept
    told = " ".join(m["text"] for m in slack.messages(guest.user_id)) + " ".join(
        str(r) for r in slack.ephemerals(message["channel"])
    )
    assert "Acme" not in told and "quote" not in told, told


def test_someone_of_another_organisation_pressing_undo_changes_nothing(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered = current(slack, message)
    kept = promise_state(the_promise(rapport))

    press(rapport, answered, "promise", promise_id, UNDO, user=KENJI, team=PARTNER_TEAM)

    assert promise_state(the_promise(rapport)) == kept


def test_undo_of_a_snooze_after_the_partner_was_merged_away_is_answered(
    rapport, clock, slack, jobs, no_errors_logged: None
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="week")
    answered = current(slack, message)
    log(rapport, "Globex call kickoff")
    merge = merge_button(ask(rapport, "merge Acme into Globex"))
    assert "Merged" in pressed(rapport, merge)
    globex = next(p for p in all_of(rapport.db, Partner) if p.name == "Globex")
    snoozed = globex.check_in_snoozed_until

    press(rapport, answered, "check_in", partner_id, UNDO)

    assert rapport.wait_until_idle()
    globex = next(p for p in all_of(rapport.db, Partner) if p.name == "Globex")
    assert globex.check_in_snoozed_until == snoozed
    assert notes(slack, message), "the press is answered"
