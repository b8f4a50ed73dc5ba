"""Answering nudge DMs days later: every button, pressed through the real app over signed HTTP.

Each press carries a response_url whose 30 minutes are long over, as Slack's would on a DM from
days ago: the DM must be updated with chat.update on its stored channel and ts instead. Every test
runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Bundle, Interaction, Member, Nudge, Partner
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.support.app import RunningRapport
from tests.support.nudges import (
    acme,
    at_berlin,
    check_in_dm,
    current,
    dms,
    items_in,
    jobs_for,
    log,
    press,
    promise_dm,
    the_promise,
    travel,
)
from tests.support.rows import all_of, only


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


# --- reading the DM -------------------------------------------------------------------------------


def shown(message: dict[str, Any]) -> str:
    return str(message["blocks"]).replace("\u202f", " ") + "\n" + message["text"]


def assert_valid_dm(message: dict[str, Any]) -> None:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    assert message["metadata"]["event_type"] == "rapport_nudge"


def answers_of(rapport: RunningRapport, kind: str, subject: int) -> list[tuple[Any, ...]]:
    return [
        (n.answer, n.answer_until, n.answered_at)
        for n in all_of(rapport.db, Nudge)
        if n.kind == kind and n.subject_id == subject and n.answer
    ]


# --- promises -------------------------------------------------------------------------------------


def test_kept_days_later_marks_the_promise_and_updates_the_dm_in_place(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)

    url = press(rapport, message, "promise", promise_id, "nudge_kept")

    promise = the_promise(rapport)
    assert promise.status == "kept" and promise.resolved_at == clock.now()
    updated = current(slack, message)
    assert "Kept, marked by <@U0ALICE>, Tuesday, December 1, 2026." in shown(updated)
    assert "Done: kept send the quote (Acme)." in updated["text"]
    assert ("promise", promise_id) not in items_in(updated)
    assert_valid_dm(updated)
    assert slack.responses(url) == [] and slack.rejected_responses(url) == []
    [update] = slack.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (message["channel"], message["ts"])


def test_pressing_kept_twice_changes_nothing_more(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_kept")
    first = (the_promise(rapport).resolved_at, answers_of(rapport, "promise", promise_id))
    after_first = current(slack, message)

    # Later the same day, while the DM still offers Undo (the next day it would be gone).
    clock.set(at_berlin(2026, 12, 1, 16, 30))
    press(rapport, message, "promise", promise_id, "nudge_kept")

    assert (the_promise(rapport).resolved_at, answers_of(rapport, "promise", promise_id)) == first
    assert current(slack, message)["blocks"] == after_first["blocks"]


def test_kept_on_one_dm_shows_on_an_older_one_pressed_later(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    newer = [m for _, m in dms(slack) if m["ts"] != message["ts"]]
    assert newer, "the due day brought the promise again"
    press(rapport, newer[0], "promise", promise_id, "nudge_kept")

    press(rapport, message, "promise", promise_id, "nudge_kept")

    assert the_promise(rapport).status == "kept"
    assert "Kept, marked by <@U0ALICE>" in shown(current(slack, message))


def test_more_time_moves_the_due_day_and_offers_a_heads_up_to_copy(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)

    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")

    promise = the_promise(rapport)
    assert (promise.status, promise.due_on) == ("open", date(2026, 12, 11))
    updated = current(slack, message)
    assert "Now due Friday, December 11, 2026, moved by <@U0ALICE>." in shown(updated)
    assert "I need a little more time for “send the quote”" in shown(updated)
    assert_valid_dm(updated)

    before = len(dms(slack))
    travel(clock, jobs, at_berlin(2026, 12, 10, 17, 0))
    arrived = [(at, m) for at, m in dms(slack)[before:] if ("promise", promise_id) in items_in(m)]
    assert [at for at, _ in arrived] == [at_berlin(2026, 12, 10, 9, 0)], (
        "a heads-up for the new day"
    )


def test_a_day_in_the_past_is_refused_under_the_item_and_nothing_changes(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)

    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-11-30")

    assert the_promise(rapport).due_on == date(2026, 11, 27)
    assert answers_of(rapport, "promise", promise_id) == []
    updated = current(slack, message)
    assert "Pick a day after today (Monday, November 30, 2026 has passed" in shown(updated)
    assert ("promise", promise_id) in items_in(updated), "the answers stay to try again"


def test_drop_asks_for_an_optional_reason_then_drops(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)

    press(rapport, message, "promise", promise_id, "nudge_drop")
    [opened] = slack.views()
    assert opened["callback_id"] == "nudge_drop"
    assert the_promise(rapport).status == "open", "nothing changes before the modal is saved"
    answer = rapport.submit(
        opened, {"reason": {"reason_input": {"type": "plain_text_input", "value": "not needed"}}}
    )
    assert answer.status == 200 and answer.body in ("", b"")
    assert rapport.wait_until_idle()

    promise = the_promise(rapport)
    assert (promise.status, promise.drop_reason) == ("dropped", "not needed")
    updated = current(slack, message)
    assert "Dropped by <@U0ALICE>" in shown(updated) and "Reason: _not needed_" in shown(updated)

    press(rapport, message, "promise", promise_id, "nudge_drop")
    assert len(slack.views()) == 1, "a second Drop opens nothing"


# --- check-ins ------------------------------------------------------------------------------------


def test_log_check_in_opens_the_modal_prefilled_and_saving_answers_the_item(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)

    press(rapport, message, "check_in", partner_id, "nudge_check_in")

    [opened] = slack.views()
    values = {b["block_id"]: b["element"] for b in opened["blocks"] if b["type"] == "input"}
    assert values["partner"]["initial_option"]["value"] == str(partner_id)
    assert values["kind"]["initial_option"]["value"] == "check-in"
    assert values["when"]["initial_date"] == "2026-11-30"
    state = {
        "partner": {"partner_select": {"selected_option": {"value": str(partner_id)}}},
        "kind": {"kind_select": {"selected_option": {"value": "check-in"}}},
        "when": {"when_date": {"selected_date": "2026-11-30"}},
        # Left as prefilled: Slack sends it with the rest, and the form needs it.
        "direction": {"direction_select": {"selected_option": {"value": "mutual"}}},
        "medium": {"medium_select": {"selected_option": {"value": "call"}}},
        "note": {"note_input": {"value": "all good"}},
    }
    assert rapport.submit(opened, state).status == 200
    assert rapport.wait_until_idle()

    check_ins = [i for i in all_of(rapport.db, Interaction) if i.kind == "check-in"]
    assert len(check_ins) == 1 and check_ins[0].note == "all good"
    updated = current(slack, message)
    assert "Check-in logged by <@U0ALICE>, Monday, November 30, 2026." in shown(updated)
    assert_valid_dm(updated)

    press(rapport, message, "check_in", partner_id, "nudge_check_in")
    assert len(slack.views()) == 1, "a second press opens no second modal"


def test_snooze_for_a_week_brings_the_check_in_back_then_and_not_before(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)

    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="week")

    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 7)
    assert "Snoozed by <@U0ALICE> until Monday, December 7, 2026." in shown(current(slack, message))
    before = len(dms(slack))
    travel(clock, jobs, at_berlin(2026, 12, 8, 17, 0))
    back = [at for at, m in dms(slack)[before:] if ("check_in", partner_id) in items_in(m)]
    assert back == [at_berlin(2026, 12, 7, 9, 0)]


def test_snooze_until_next_month_waits_for_its_first_working_day(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)

    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="month")

    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 1)
    before = len(dms(slack))
    travel(clock, jobs, at_berlin(2026, 12, 2, 17, 0))
    back = [at for at, m in dms(slack)[before:] if ("check_in", partner_id) in items_in(m)]
    assert back == [at_berlin(2026, 12, 1, 9, 0)]


def test_a_paused_partner_is_not_nudged_until_it_resumes(rapport, clock, slack, jobs) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)

    press(rapport, message, "check_in", partner_id, "nudge_pause", selected_date="2027-01-11")

    assert acme(rapport).paused_until == date(2027, 1, 11)
    assert "Partner paused by <@U0ALICE> until Monday, January 11, 2027." in shown(
        current(slack, message)
    )
    before = len(dms(slack))
    travel(clock, jobs, at_berlin(2027, 1, 12, 17, 0))
    back = [at for at, m in dms(slack)[before:] if ("check_in", partner_id) in items_in(m)]
    assert back == [at_berlin(2027, 1, 11, 9, 0)]


def test_a_check_in_now_looked_after_by_someone_else_is_refused(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    log(rapport, "Globex call", user="U0BOB")  # Bob is now a member
    with rapport.db.transaction() as session:
        bob = session.query(Member).filter_by(slack_user_id="U0BOB").one()
        session.get(Partner, partner_id).owner_id = bob.id

    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="week")

    assert acme(rapport).check_in_snoozed_until is None
    [note] = slack.ephemerals(message["channel"])
    assert "Acme is now looked after by <@U0BOB>" in note["text"]


# --- what is refused ------------------------------------------------------------------------------


def test_a_press_naming_another_workspaces_partner_is_refused(rapport, clock, slack, jobs) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    bundle = only(rapport.db, Bundle)
    # Another workspace has a partner of its own (in a database two workspaces share); a
    # forged press names it on Alice's DM.
    slack.add_user("U0OTTO", team_id="T0OTHER", name="otto", tz="Europe/Berlin")
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", clock.now())
        theirs = add_partner(
            session, other.id, name="Initech", organisation=None, owner_id=None, now=clock.now()
        )

    press(
        rapport,
        message,
        "check_in",
        theirs.id,
        "nudge_snooze",
        option="week",
        block_id=f"nudge|{bundle.id}|check_in|{theirs.id}",
    )
    press(
        rapport,
        message,
        "check_in",
        partner_id,
        "nudge_snooze",
        option="week",
        user="U0OTTO",
        team="T0OTHER",
    )

    assert {p.name: p.check_in_snoozed_until for p in all_of(rapport.db, Partner)} == {
        "Acme": None,
        "Initech": None,
    }
    [note] = slack.ephemerals(message["channel"])
    assert "nothing was changed" in note["text"]
    # Otto's press was made in a workspace Rapport is not installed in: refused outright, in
    # his own DM with Rapport (his response_url has expired, as on a DM pressed days later).
    [otto_note] = slack.messages("U0OTTO")
    assert "Nothing was read or changed" in otto_note["text"]
    assert slack.calls_to("chat.update") == []


def test_a_forged_block_id_is_answered_plainly(rapport, clock, slack, jobs) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)

    press(rapport, message, "check_in", partner_id, "nudge_kept", block_id="nudge|x|promise|1")

    [note] = slack.ephemerals()
    assert "nothing was changed" in note["text"]


# --- a long DM ------------------------------------------------------------------------------------


def test_forty_items_fit_in_fifty_blocks_and_the_rest_come_the_next_day(
    rapport, clock, slack, jobs
) -> None:
    for i in range(40):
        log(rapport, f"Partner{i:02d} call 2026-08-26")
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))

    [(_, first)] = dms(slack)
    assert_valid_dm(first)
    # 21 with their buttons; the other 19 listed below them, one compact line each.
    assert len(items_in(first)) == 21
    listed = shown(first).split("*Also due (with buttons first thing in your next message)*")[1]
    assert listed.count("• *Partner") == 19
    assert first["text"] == "Rapport for today: 40 check-ins due."

    _, partner_id = items_in(first)[0]
    press(rapport, first, "check_in", partner_id, "nudge_snooze", option="week")
    assert_valid_dm(current(slack, first))

    travel(clock, jobs, at_berlin(2026, 11, 27, 10, 0))
    [_, (arrived, second)] = dms(slack)
    assert arrived == at_berlin(2026, 11, 27, 9, 0)
    assert len(items_in(second)) == 19
    assert not set(items_in(second)) & set(items_in(first))
    assert "Also due" not in shown(second)
