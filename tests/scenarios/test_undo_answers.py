"""Undo on a nudge DM's answer, pressed through the real app over signed HTTP.

Kept, Drop and Need more time on a promise, Snooze and Pause on a check-in can be undone from
the same item until the end of the presser's working day: the promise (or partner) is put back
exactly as it was, the item's buttons come back, and the DM is redrawn in place. Too late, a
second press, someone else's press, a forged item, or a promise changed since the answer change
nothing and say why, in the presser's language. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Nudge, Partner, Promise
from tests.scenarios.test_partner_registry import file_bytes, texts_holding
from tests.scenarios.test_undo_edit import edited
from tests.scenarios.test_undo_edit import undo as undo_contact
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
from tests.support.racing import at_once
from tests.support.rows import all_of

ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"
UNDO = "nudge_undo"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


# --- reading -------------------------------------------------------------------------------------


def shown(message: dict[str, Any]) -> str:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    return str(message["blocks"]).replace("\u202f", " ") + "\n" + message["text"]


def undo_buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(block id, label) of every Undo the DM offers, beside an answer or among its buttons."""
    found = []
    for block in message["blocks"]:
        elements = [block.get("accessory") or {}, *block.get("elements", [])]
        found += [
            (block["block_id"], e["text"]["text"]) for e in elements if e.get("action_id") == UNDO
        ]
    return found


def promise_state(promise: Promise) -> tuple[Any, ...]:
    return (
        promise.status,
        promise.resolved_at,
        promise.drop_reason,
        promise.due_on,
        promise.text,
    )


def outbox(rapport: RunningRapport, kind: str, subject: int) -> list[tuple[Any, ...]]:
    return sorted(
        (n.bundle_id, n.answer, n.answer_until, n.answered_at, n.undo_state is not None)
        for n in all_of(rapport.db, Nudge)
        if n.kind == kind and n.subject_id == subject and n.state == "sent"
    )


def notes(slack: SlackStandIn, message: dict[str, Any]) -> list[str]:
    return [n["text"] for n in slack.ephemerals(message["channel"])]


def german_promise_dm(rapport, clock, slack, jobs) -> tuple[dict[str, Any], int]:
    """Jonas's heads-up DM (in German) for a quote due Friday 27 November, read on 1 December."""
    log(rapport, "Acme Anruf Zusage: Angebot schicken bis Freitag", user=JONAS)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack, JONAS)
    promise = the_promise(rapport)
    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))
    return current(slack, message), promise.id


# --- each answer, undone -------------------------------------------------------------------------


def test_undo_after_kept_reopens_the_promise_and_brings_its_buttons_back(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    before = promise_state(the_promise(rapport))
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered = current(slack, message)
    bundle_id = answered["metadata"]["event_payload"]["bundle"]
    assert undo_buttons(answered) == [(f"nudge|{bundle_id}|promise|{promise_id}", "Undo")]
    assert ("promise", promise_id) not in items_in(answered)

    clock.set(at_berlin(2026, 12, 1, 17, 59))
    press(rapport, answered, "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == before
    assert the_promise(rapport).status == "open" and the_promise(rapport).resolved_at is None
    assert all(answer is None for _, answer, *_ in outbox(rapport, "promise", promise_id))
    updated = current(slack, message)
    assert ("promise", promise_id) in items_in(updated), "the buttons are back"
    assert undo_buttons(updated) == [] and "Kept, marked by" not in shown(updated)
    assert notes(slack, message) == []
    [*_, update] = slack.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (message["channel"], message["ts"])


def test_undo_after_more_time_puts_back_the_due_day(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    before = promise_state(the_promise(rapport))
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    assert the_promise(rapport).due_on == date(2026, 12, 11)

    press(rapport, current(slack, message), "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == before
    updated = current(slack, message)
    assert ("promise", promise_id) in items_in(updated) and "Now due" not in shown(updated)


def test_in_german_undo_after_more_time_puts_back_the_words_written_for_the_day(
    rapport, clock, slack, jobs
) -> None:
    """ "am Montag oder Dienstag" is kept as dates; Need more time moved the due day's date in
    the words (`moved_due`), and Undo moves it back with the due day."""
    rapport.command(
        "Acme Anruf Zusage: Muster schicken am Montag oder Dienstag", user=JONAS
    ).reply()
    before = promise_state(the_promise(rapport))
    assert before[3:] == (date(2026, 11, 30), "Muster schicken am 2026-11-30 oder 2026-12-01")
    promise_id = the_promise(rapport).id
    travel(clock, jobs, at_berlin(2026, 12, 1, 10, 0))
    [*_, message] = [m for _, m in dms(slack, JONAS) if ("promise", promise_id) in items_in(m)]
    press(rapport, message, "promise", promise_id, "nudge_more_time",
          selected_date="2026-12-11", user=JONAS)  # fmt: skip
    assert the_promise(rapport).text == "Muster schicken am 2026-12-11 oder 2026-12-01"
    assert [label for _, label in undo_buttons(current(slack, message))] == ["Rückgängig"]

    press(rapport, current(slack, message), "promise", promise_id, UNDO, user=JONAS)

    assert promise_state(the_promise(rapport)) == before
    updated = shown(current(slack, message))
    assert "Jetzt fällig" not in updated and ("promise", promise_id) in items_in(
        current(slack, message)
    )
    assert notes(slack, message) == []


def test_undo_after_drop_takes_back_the_reason_too(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    before = promise_state(the_promise(rapport))
    press(rapport, message, "promise", promise_id, "nudge_drop")
    [opened] = slack.views()
    rapport.submit(
        opened, {"reason": {"reason_input": {"type": "plain_text_input", "value": "not needed"}}}
    )
    assert rapport.wait_until_idle()
    assert the_promise(rapport).drop_reason == "not needed"

    press(rapport, current(slack, message), "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == before
    assert "Dropped by" not in shown(current(slack, message))


def test_in_german_kept_is_undone_with_rueckgaengig(rapport, clock, slack, jobs) -> None:
    message, promise_id = german_promise_dm(rapport, clock, slack, jobs)
    before = promise_state(the_promise(rapport))
    press(rapport, message, "promise", promise_id, "nudge_kept", user=JONAS)
    answered = current(slack, message)
    assert [label for _, label in undo_buttons(answered)] == ["Rückgängig"]

    press(rapport, answered, "promise", promise_id, UNDO, user=JONAS)

    assert promise_state(the_promise(rapport)) == before
    assert ("promise", promise_id) in items_in(current(slack, message))


def test_snooze_and_pause_are_undone_to_what_they_were(rapport, clock, slack, jobs) -> None:
    log(rapport, "Globex call 2026-08-26 the same day as Acme")  # never snoozed: the yardstick
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    globex = next(p.id for p in all_of(rapport.db, Partner) if p.name == "Globex")
    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="week")
    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 7)
    assert [label for _, label in undo_buttons(current(slack, message))] == ["Undo"]

    press(rapport, current(slack, message), "check_in", partner_id, UNDO)

    assert acme(rapport).check_in_snoozed_until is None
    assert ("check_in", partner_id) in items_in(current(slack, message))

    press(rapport, message, "check_in", partner_id, "nudge_pause", selected_date="2027-01-11")
    assert acme(rapport).paused_until == date(2027, 1, 11)
    press(rapport, current(slack, message), "check_in", partner_id, UNDO)

    assert (acme(rapport).paused_until, acme(rapport).check_in_snoozed_until) == (None, None)
    # Nudged again as if never snoozed or paused: in the same DMs as Globex.
    before = len(dms(slack))
    travel(clock, jobs, at_berlin(2026, 12, 31, 17, 0))
    later = dms(slack)[before:]
    acme_again = [at for at, m in later if ("check_in", partner_id) in items_in(m)]
    assert acme_again and acme_again == [
        at for at, m in later if ("check_in", globex) in items_in(m)
    ]


# --- the end of the working day ------------------------------------------------------------------


def test_after_work_end_undo_is_gone_and_an_old_press_says_how_to_change_it_now(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered = current(slack, message)
    kept = promise_state(the_promise(rapport))

    clock.set(at_berlin(2026, 12, 1, 18, 0))  # Alice's work ends at 18:00
    press(rapport, answered, "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == kept
    [note] = notes(slack, message)
    assert "too late to undo" in note and "*Edit*" in note and "Nothing was changed" in note
    redrawn = current(slack, message)
    assert undo_buttons(redrawn) == [] and "Kept, marked by <@U0ALICE>" in shown(redrawn)


def test_an_answer_given_after_work_may_be_undone_until_midnight(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    before = promise_state(the_promise(rapport))
    clock.set(at_berlin(2026, 12, 1, 21, 0))
    press(rapport, message, "promise", promise_id, "nudge_drop")
    rapport.submit(slack.views()[-1], {"reason": {"reason_input": {"value": None}}})
    assert rapport.wait_until_idle()
    assert the_promise(rapport).status == "dropped"
    assert undo_buttons(current(slack, message)), "offered after work"

    clock.set(at_berlin(2026, 12, 1, 23, 59))
    press(rapport, current(slack, message), "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == before
    press(rapport, current(slack, message), "promise", promise_id, "nudge_kept")
    clock.set(at_berlin(2026, 12, 2, 0, 0))  # midnight: the day of the answer is over
    press(rapport, current(slack, message), "promise", promise_id, UNDO)

    assert the_promise(rapport).status == "kept"
    [note] = notes(slack, message)
    assert "too late" in note


def test_in_german_too_late_for_a_snooze_points_to_the_card(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme Anruf 2026-08-26 Rollout besprochen", user=JONAS)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack, JONAS)
    partner_id = acme(rapport).id
    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="month", user=JONAS)
    assert [label for _, label in undo_buttons(current(slack, message))] == ["Rückgängig"]

    clock.set(at_berlin(2026, 11, 27, 8, 0))  # the next morning: yesterday's day is over
    press(rapport, current(slack, message), "check_in", partner_id, UNDO, user=JONAS)

    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 1)
    [note] = notes(slack, message)
    assert "Dafür ist es zu spät" in note and "`/rapport partner Acme`" in note
    assert "Es wurde nichts geändert." in note
    assert undo_buttons(current(slack, message)) == []


# --- what is refused -----------------------------------------------------------------------------


def test_a_second_undo_changes_nothing_more(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered = current(slack, message)
    press(rapport, answered, "promise", promise_id, UNDO)
    reopened = promise_state(the_promise(rapport))

    press(rapport, answered, "promise", promise_id, UNDO)  # the stale button, pressed again

    assert promise_state(the_promise(rapport)) == reopened
    [note] = notes(slack, message)
    assert "no answer here to undo" in note


def test_two_undos_at_once_restore_once(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    answered = current(slack, message)
    clock.set(at_berlin(2026, 12, 1, 12, 0))
    # A new answer right after the undo would be lost to a second restore: none may happen.

    at_once(2, lambda _: press(rapport, answered, "promise", promise_id, UNDO))

    assert the_promise(rapport).due_on == date(2026, 11, 27)
    assert len([n for n in notes(slack, message) if "no answer here to undo" in n]) == 1


def test_someone_else_and_forged_items_change_nothing(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_kept")
    answered = current(slack, message)
    kept = promise_state(the_promise(rapport))
    bundle_id = answered["metadata"]["event_payload"]["bundle"]
    log(rapport, "Globex call", user=BOB)  # Bob is a member

    press(rapport, answered, "promise", promise_id, UNDO, user=BOB)
    for forged in (
        f"nudge|{bundle_id}|promise|{promise_id + 1000}",  # an item the DM never showed
        f"nudge|{bundle_id}|check_in|{promise_id}",  # the wrong kind
        "nudge|x|promise|1",  # no such DM
        f"nudge|{bundle_id}|promise|-1",
    ):
        press(rapport, answered, "promise", promise_id, UNDO, block_id=forged)

    assert promise_state(the_promise(rapport)) == kept
    # Bob is told in his own DM with Rapport: Alice's DM is not a channel he is in.
    [to_bob] = [m["text"] for m in slack.messages(BOB)]
    assert "belongs to a message Rapport sent someone else" in to_bob
    said = notes(slack, answered)
    assert len(said) == 4, said
    assert all("nothing was changed" in n or "nothing was saved" in n for n in said), said


def test_undo_after_the_promise_was_kept_in_another_dm_is_refused(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    newer = next(m for _, m in dms(slack) if m["ts"] != message["ts"])
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    press(rapport, current(slack, newer), "promise", promise_id, "nudge_kept")
    kept = promise_state(the_promise(rapport))
    assert kept[0] == "kept" and kept[3] == date(2026, 12, 11)

    press(rapport, current(slack, message), "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == kept
    [note] = notes(slack, message)
    assert "changed since the answer" in note and "Nothing was changed" in note


def test_undo_after_the_same_day_was_picked_again_in_another_dm_is_refused(
    rapport, clock, slack, jobs
) -> None:
    """The promise reads as the first answer left it, but a later answer elsewhere stands on
    it: undoing the first would take the second's day away behind its back."""
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    newer = next(m for _, m in dms(slack) if m["ts"] != message["ts"])
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    clock.set(at_berlin(2026, 12, 1, 11, 5))
    press(rapport, newer, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    moved = promise_state(the_promise(rapport))

    press(rapport, current(slack, message), "promise", promise_id, UNDO)

    assert promise_state(the_promise(rapport)) == moved
    assert "changed since the answer" in notes(slack, message)[-1]
    press(rapport, current(slack, newer), "promise", promise_id, UNDO)  # the latest one may
    assert the_promise(rapport).due_on == date(2026, 12, 11), "back to the first answer's day"


def test_undo_after_the_promise_was_edited_is_refused_in_german(
    rapport, clock, slack, jobs
) -> None:
    summary = rapport.command("Acme Anruf Zusage: Angebot schicken bis Freitag", user=JONAS)
    summary = summary.reply()
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack, JONAS)
    promise_id = the_promise(rapport).id
    press(
        rapport,
        message,
        "promise",
        promise_id,
        "nudge_more_time",
        selected_date="2026-12-11",
        user=JONAS,
    )
    edited(rapport, summary, JONAS, promise="Angebot und Preisliste schicken")
    changed = promise_state(the_promise(rapport))
    assert changed[4] == "Angebot und Preisliste schicken"

    press(rapport, current(slack, message), "promise", promise_id, UNDO, user=JONAS)

    assert promise_state(the_promise(rapport)) == changed
    [note] = notes(slack, message)
    assert "hat sich seit der Antwort geändert" in note


def test_undo_of_a_snooze_on_a_partner_handed_over_since_is_refused(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    press(rapport, message, "check_in", partner_id, "nudge_snooze", option="week")
    log(rapport, "Globex call", user=BOB)  # Bob is a member
    reply = rapport.command("partner Acme owner <@U0BOB|bob>").reply()
    assert "<@U0BOB>" in reply["text"], reply["text"]

    press(rapport, current(slack, message), "check_in", partner_id, UNDO)

    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 7)
    [note] = notes(slack, message)
    assert "Acme is now looked after by <@U0BOB>; nothing was changed." in note


# --- copies in other DMs, and the planner after ---------------------------------------------------


def test_undo_takes_back_the_copy_an_older_dm_was_given(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    newer = next(m for _, m in dms(slack) if m["ts"] != message["ts"])
    press(rapport, newer, "promise", promise_id, "nudge_kept")
    press(rapport, message, "promise", promise_id, "nudge_kept")  # the older DM gets a copy
    assert "Kept, marked by <@U0ALICE>" in shown(current(slack, message))
    assert undo_buttons(current(slack, message)) == [], "Undo lives where the answer was given"

    press(rapport, message, "promise", promise_id, UNDO)  # on the copy: not here
    assert "given elsewhere" in notes(slack, message)[-1]
    assert the_promise(rapport).status == "kept"

    press(rapport, current(slack, newer), "promise", promise_id, UNDO)

    assert the_promise(rapport).status == "open"
    assert all(answer is None for _, answer, *_ in outbox(rapport, "promise", promise_id))
    for dm in (message, newer):
        assert ("promise", promise_id) in items_in(current(slack, dm)), "both DMs redrawn"


def test_a_promise_undone_from_kept_is_nudged_as_an_open_one_is(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme email promise: send the quote by Friday")
    log(rapport, "Globex email promise: send the slides by Friday")
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack)
    ids = {p.text: p.id for p in all_of(rapport.db, Promise)}
    quote, slides = (next(i for t, i in ids.items() if word in t) for word in ("quote", "slides"))
    press(rapport, message, "promise", quote, "nudge_kept")
    press(rapport, current(slack, message), "promise", quote, UNDO)

    travel(clock, jobs, at_berlin(2026, 12, 20, 17, 0))

    arrived = dms(slack)[1:]
    assert arrived, "the overdue promises are nudged"
    with_quote = [at for at, m in arrived if ("promise", quote) in items_in(m)]
    with_slides = [at for at, m in arrived if ("promise", slides) in items_in(m)]
    assert with_quote and with_quote == with_slides


# --- forget -------------------------------------------------------------------------------------


def test_forgetting_the_partner_erases_the_words_kept_for_undo(rapport, clock, slack, jobs) -> None:
    log(rapport, "Quorvexo email promise: send the Plumbago quote by 2026-11-27")
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack)
    promise_id = the_promise(rapport).id
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    assert "Plumbago" in next(n.undo_state for n in all_of(rapport.db, Nudge) if n.undo_state)

    forget(rapport, "Quorvexo")

    assert texts_holding(rapport.db, ["Quorvexo", "Plumbago"]) == []
    if rapport.db.backend == "sqlite":
        for name, data in file_bytes(rapport.db).items():
            assert b"plumbago" not in data.lower(), name
    # The DM's Undo, pressed after: the promise is gone, and nothing comes back.
    press(rapport, message, "promise", promise_id, UNDO)
    [note] = notes(slack, message)
    assert "no longer exists" in note
    assert all_of(rapport.db, Promise) == []


def forget(rapport: RunningRapport, name: str) -> None:
    question = rapport.command(f"forget {name}", command="/rapport").reply()
    button = next(
        e
        for b in question["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("style") == "danger"
    )
    rapport.click(button["action_id"], button["value"]).later()


def test_the_words_kept_for_undo_go_with_a_promise_whose_contact_was_undone(
    rapport, clock, slack, jobs
) -> None:
    """The contact is undone (its promise with it) and the partner, which keeps a contact of
    its own, is forgotten afterwards: the outbox rows no longer name the partner through the
    promise, and still the words kept for Undo are gone."""
    log(rapport, "Quorvexo call 2026-08-26 kickoff")
    summary = rapport.command("Quorvexo email promise: send the Plumbago quote by 2026-11-27")
    summary = summary.reply()
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [message] = [m for _, m in dms(slack) if ("promise", the_promise(rapport).id) in items_in(m)]
    press(rapport, message, "promise", the_promise(rapport).id, "nudge_more_time",
          selected_date="2026-12-11")  # fmt: skip
    undo_contact(rapport, summary)
    assert all_of(rapport.db, Promise) == []
    assert set(texts_holding(rapport.db, ["Plumbago"])) == {"outbox.undo_state"}

    forget(rapport, "Quorvexo")

    assert texts_holding(rapport.db, ["Quorvexo", "Plumbago"]) == []
    if rapport.db.backend == "sqlite":
        for name, data in file_bytes(rapport.db).items():
            assert b"plumbago" not in data.lower(), name


def test_the_planner_drops_the_words_kept_for_undo_once_the_day_is_over(
    rapport, clock, slack, jobs
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")
    clock.set(at_berlin(2026, 12, 1, 17, 55))
    jobs.plan_once()  # before work end: kept
    assert set(texts_holding(rapport.db, ["send the quote"])) == {
        "promises.text",
        "outbox.undo_state",
    }

    clock.set(at_berlin(2026, 12, 1, 18, 5))
    jobs.plan_once()  # the planner's tick, every five minutes

    assert set(texts_holding(rapport.db, ["send the quote"])) == {"promises.text"}
    press(rapport, current(slack, message), "promise", promise_id, UNDO)
    [note] = notes(slack, message)
    assert "too late to undo" in note
    assert the_promise(rapport).due_on == date(2026, 12, 11)
