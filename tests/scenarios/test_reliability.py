"""The reliability figure end to end, over signed HTTP to the running app, on SQLite and
PostgreSQL: promises logged with `/logcontact`, answered in nudge DMs days later (Kept, Need
more time, Drop) or moved by an edit of the contact, and the figure read where its owner alone
sees it: their App Home ("My reliability") and, for one partner, the partner card they asked
for. Another member viewing the same card sees their own figure or none; a guest sees nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.usecases.partners.home import COALESCE_SECONDS
from scheduler.jobs import Jobs
from storage.models import Member, Promise
from tests.scenarios.test_app_home import home, opened, publishes
from tests.scenarios.test_undo_edit import edited, undo
from tests.scenarios.test_undo_edit import logged as logged_with_summary
from tests.security.guests import GUESTS, Guest, cached_guest
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, current, dms, items_in, jobs_for, log, press, travel
from tests.support.rows import all_of

ALICE, BOB, JONAS = "U0ALICE", "U0BOB", "U0JONAS"
FRIDAY = date(2026, 11, 27)
NONE_DUE = "No promises fell due in the last 90 days."


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


# --- reading the figure ---------------------------------------------------------------------------


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def figure(rapport: RunningRapport, clock: ManualClock, user: str = ALICE) -> str:
    """The line under "My reliability" on `user`'s Home, opened now (past the few seconds in
    which a second open publishes nothing)."""
    clock.advance(timedelta(seconds=COALESCE_SECONDS))
    opened(rapport, user)
    shown = [plain(text) for text in home(rapport, user)]
    titles = [
        i for i, text in enumerate(shown) if text in ("My reliability", "Meine Verlässlichkeit")
    ]
    assert len(titles) == 1, shown
    return shown[titles[0] + 1]


def card_text(rapport: RunningRapport, user: str, name: str = "Acme") -> str:
    reply = rapport.command(f"partner {name}", user=user, command="/rapport").reply()
    return plain(texts(reply) + "\n" + reply["text"])


def promise_of(rapport: RunningRapport, text: str) -> Promise:
    [found] = [p for p in all_of(rapport.db, Promise) if text in p.text]
    return found


def latest_dm_with(slack: SlackStandIn, promise_id: int, user: str = ALICE) -> dict[str, Any]:
    """The newest nudge DM of `user`'s that still offers answers for the promise."""
    for _, message in reversed(dms(slack, user)):
        now = current(slack, message)
        if ("promise", promise_id) in items_in(now):
            return now
    raise AssertionError(f"no DM offers promise {promise_id}")


def drop(rapport: RunningRapport, slack: SlackStandIn, promise_id: int) -> None:
    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_drop")
    view = slack.views()[-1]
    reason = {"reason": {"reason_input": {"type": "plain_text_input", "value": "not needed"}}}
    assert rapport.submit(view, reason).status == 200
    assert rapport.wait_until_idle()


def one_promise_of_alice(rapport: RunningRapport) -> int:
    log(rapport, "Acme email promise: send the quote by Friday")
    return promise_of(rapport, "send the quote").id


# --- keeping --------------------------------------------------------------------------------------


def test_kept_before_the_due_day_counts_once_the_day_is_over(rapport, clock, slack, jobs) -> None:
    promise_id = one_promise_of_alice(rapport)
    assert figure(rapport, clock) == NONE_DUE

    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))  # Thursday: the heads-up
    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_kept")
    # Friday is not over: nothing fell due yet.
    assert figure(rapport, clock) == NONE_DUE

    travel(clock, jobs, at_berlin(2026, 11, 28, 10, 0))
    assert figure(rapport, clock) == (
        "*100%* — 1 of 1 promise due in the last 90 days kept on time"
    )


def test_kept_after_the_due_day_is_not_on_time(rapport, clock, slack, jobs) -> None:
    promise_id = one_promise_of_alice(rapport)
    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))
    # Overdue and still open: due, and not kept.
    assert figure(rapport, clock).startswith("*0%* — 0 of 1 promise")

    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_kept")

    assert figure(rapport, clock) == "*0%* — 0 of 1 promise due in the last 90 days kept on time"


def test_the_figure_leaves_the_window_ninety_days_after_the_due_day(
    rapport, clock, slack, jobs
) -> None:
    promise_id = one_promise_of_alice(rapport)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_kept")

    clock.set(at_berlin(2027, 2, 25, 12, 0))  # the 90th day after Friday: still counted
    assert figure(rapport, clock).startswith("*100%* — 1 of 1")
    clock.set(at_berlin(2027, 2, 26, 12, 0))
    assert figure(rapport, clock) == NONE_DUE


# --- moving the due day ---------------------------------------------------------------------------


def test_more_time_asked_before_the_due_day_counts_by_the_new_day(
    rapport, clock, slack, jobs
) -> None:
    promise_id = one_promise_of_alice(rapport)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    message = latest_dm_with(slack, promise_id)
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-04")

    travel(clock, jobs, at_berlin(2026, 11, 30, 10, 0))
    # The Friday it was first due passed, but it was renegotiated before it: nothing due yet.
    assert figure(rapport, clock) == NONE_DUE

    travel(clock, jobs, at_berlin(2026, 12, 4, 10, 0))  # kept on the new day
    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_kept")
    travel(clock, jobs, at_berlin(2026, 12, 5, 10, 0))

    promise = promise_of(rapport, "send the quote")
    assert (promise.due_on, promise.missed_on, promise.status) == (date(2026, 12, 4), None, "kept")
    assert figure(rapport, clock) == (
        "*100%* — 1 of 1 promise due in the last 90 days kept on time"
    )


def test_more_time_asked_after_the_due_day_had_passed_stays_late(
    rapport, clock, slack, jobs
) -> None:
    promise_id = one_promise_of_alice(rapport)
    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))
    message = latest_dm_with(slack, promise_id)
    press(rapport, message, "promise", promise_id, "nudge_more_time", selected_date="2026-12-11")

    promise = promise_of(rapport, "send the quote")
    assert (promise.due_on, promise.missed_on) == (date(2026, 12, 11), FRIDAY)
    # Missed on Friday, whatever the new day.
    assert figure(rapport, clock).startswith("*0%* — 0 of 1 promise")

    travel(clock, jobs, at_berlin(2026, 12, 10, 10, 0))
    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_kept")
    travel(clock, jobs, at_berlin(2026, 12, 12, 10, 0))

    assert figure(rapport, clock) == "*0%* — 0 of 1 promise due in the last 90 days kept on time"


def test_an_edit_moving_the_due_day_counts_by_when_it_was_made(rapport, clock) -> None:
    early = logged_with_summary(rapport, "Acme email promise: send the quote by Friday")
    late = logged_with_summary(rapport, "Globex call promise: send the deck by Friday")

    # Thursday: the quote's day moves before it passed.
    clock.set(at_berlin(2026, 11, 26, 15, 0))
    edited(rapport, early, due="2026-12-04")
    # Monday: the deck's day moves after Friday had passed.
    clock.set(at_berlin(2026, 11, 30, 15, 0))
    edited(rapport, late, due="2026-12-04")

    quote, deck = promise_of(rapport, "send the quote"), promise_of(rapport, "send the deck")
    assert (quote.due_on, quote.missed_on) == (date(2026, 12, 4), None)
    assert (deck.due_on, deck.missed_on) == (date(2026, 12, 4), FRIDAY)
    assert figure(rapport, clock) == "*0%* — 0 of 1 promise due in the last 90 days kept on time"

    # A second edit after the new day passed keeps the first day missed.
    clock.set(at_berlin(2026, 12, 7, 15, 0))
    edited(rapport, late, due="2026-12-18")
    assert promise_of(rapport, "send the deck").missed_on == FRIDAY
    # The quote, left open past its new day, is due and not kept too.
    assert figure(rapport, clock) == "*0%* — 0 of 2 promises due in the last 90 days kept on time"


# --- dropping -------------------------------------------------------------------------------------


def test_dropped_in_time_is_not_counted_and_dropped_late_is_not_kept(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme email promise: send the quote by Friday")
    log(rapport, "Globex call promise: send the deck by Friday")
    log(rapport, "Initech call promise: send the contract by Friday")
    quote, deck, contract = (
        promise_of(rapport, text).id for text in ("the quote", "the deck", "the contract")
    )
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    drop(rapport, slack, quote)
    press(rapport, latest_dm_with(slack, contract), "promise", contract, "nudge_kept")

    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))
    drop(rapport, slack, deck)

    statuses = {p.id: p.status for p in all_of(rapport.db, Promise)}
    assert [statuses[i] for i in (quote, deck, contract)] == ["dropped", "dropped", "kept"]
    assert figure(rapport, clock) == (
        "*50%* — 1 of 2 promises due in the last 90 days kept on time"
    )


# --- who sees what --------------------------------------------------------------------------------


def test_the_card_shows_the_viewers_own_figure_for_that_partner_alone(
    rapport, clock, slack, jobs
) -> None:
    promise_id = one_promise_of_alice(rapport)
    log(rapport, "Globex call promise: send the deck by Friday")  # another partner's
    log(rapport, "Acme call promise: send the slides by Friday", user=BOB)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    press(rapport, latest_dm_with(slack, promise_id), "promise", promise_id, "nudge_kept")
    travel(clock, jobs, at_berlin(2026, 11, 28, 10, 0))

    alice = card_text(rapport, ALICE)
    assert "Your promises to Acme: 1 of 1 kept on time (last 90 days)" in alice
    assert "0 of 1" not in alice, "never Bob's figure"

    bob = card_text(rapport, BOB)
    assert "Your promises to Acme: 0 of 1 kept on time (last 90 days)" in bob
    assert "1 of 1" not in bob, "never Alice's figure"

    # Jonas made Acme no promise: his card (in German) says nothing of reliability.
    jonas = card_text(rapport, JONAS)
    assert "Acme" in jonas
    assert "rechtzeitig gehalten" not in jonas and "kept on time" not in jonas

    # Each Home has its owner's figure over all their promises: Alice's deck to Globex too.
    assert figure(rapport, clock, ALICE).startswith("*50%* — 1 of 2 promises")
    assert figure(rapport, clock, BOB).startswith("*0%* — 0 of 1 promise")


def test_a_german_member_reads_their_figure_in_german(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme Anruf Zusage: Angebot bis Freitag schicken", user=JONAS)
    travel(clock, jobs, at_berlin(2026, 11, 30, 10, 0))

    assert figure(rapport, clock, JONAS) == (
        "*0 %* — 0 von 1 Zusage, die in den letzten 90 Tagen fällig war, rechtzeitig gehalten"
    )
    assert "Deine Zusagen an Acme: 0 von 1 rechtzeitig gehalten (letzte 90 Tage)" in card_text(
        rapport, JONAS
    )


def test_promises_the_partner_made_to_us_are_not_counted(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme call they promised: send the signed contract by Friday")
    assert promise_of(rapport, "signed contract").promised_by == "partner"
    travel(clock, jobs, at_berlin(2026, 11, 30, 10, 0))

    assert figure(rapport, clock) == NONE_DUE
    assert "kept on time" not in card_text(rapport, ALICE)


@pytest.mark.parametrize("guest", GUESTS[:2])
def test_a_guest_sees_no_figure(rapport, clock, guest: Guest) -> None:
    log(rapport, "Acme call promise: send the quote by Friday")
    cached_guest(rapport, guest)
    clock.set(at_berlin(2026, 11, 30, 10, 0))

    opened(rapport, guest.user_id)
    assert publishes(rapport) == 0
    answer = card_text(rapport, guest.user_id)
    assert "kept on time" not in answer and "rechtzeitig" not in answer


def test_a_member_who_became_a_guest_no_longer_sees_their_own_figure(rapport, clock) -> None:
    log(rapport, "Acme call promise: send the quote by Friday")
    clock.set(at_berlin(2026, 11, 30, 10, 0))
    assert figure(rapport, clock).startswith("*0%* — 0 of 1")
    before = publishes(rapport)
    with rapport.db.transaction() as session:
        session.execute(update(Member).where(Member.slack_user_id == ALICE).values(is_guest=True))

    clock.advance(timedelta(seconds=COALESCE_SECONDS))
    opened(rapport, ALICE)
    assert publishes(rapport) == before
    assert "kept on time" not in card_text(rapport, ALICE)


# --- a miss outlives the contact's changes --------------------------------------------------------


ONE_MISSED = "*0%* — 0 of 1 promise due in the last 90 days kept on time"


def test_clearing_a_missed_promise_by_an_edit_keeps_the_miss(rapport, clock) -> None:
    missed = logged_with_summary(rapport, "Acme email promise: send the quote by Friday")
    in_time = logged_with_summary(rapport, "Globex call promise: send the deck by 2026-12-04")
    clock.set(at_berlin(2026, 11, 30, 15, 0))  # Friday passed, the quote not sent
    assert figure(rapport, clock) == ONE_MISSED

    edited(rapport, missed, no_due=True, promise="")
    edited(rapport, in_time, no_due=True, promise="")  # cleared before its day: gone

    [kept] = all_of(rapport.db, Promise)
    assert (kept.text, kept.status, kept.missed_on, kept.interaction_id) == (
        "send the quote",
        "dropped",
        FRIDAY,
        None,
    )
    assert figure(rapport, clock) == ONE_MISSED
    # Nothing else shows it: no open promise on the Home, the lists or the card.
    assert "No open promises of yours." in home(rapport)
    assert "send the quote" not in texts(rapport.command("partner Acme").reply())


def test_a_missed_promise_made_the_partners_by_an_edit_still_counts(rapport, clock) -> None:
    summary = logged_with_summary(rapport, "Acme email promise: send the quote by Friday")
    clock.set(at_berlin(2026, 11, 30, 15, 0))

    edited(rapport, summary, promised_by="partner", due="2026-12-11")

    by = sorted((p.promised_by, p.status, p.missed_on) for p in all_of(rapport.db, Promise))
    assert by == [("partner", "open", None), ("us", "dropped", FRIDAY)]
    assert figure(rapport, clock) == ONE_MISSED


def test_undoing_the_edit_takes_the_same_promise_back_and_counts_it_once(rapport, clock) -> None:
    summary = logged_with_summary(rapport, "Acme email promise: send the quote by Friday")
    clock.set(at_berlin(2026, 11, 30, 15, 0))
    after_edit = edited(rapport, summary, no_due=True, promise="")
    kept = promise_of(rapport, "send the quote")

    undo(rapport, after_edit)

    [back] = all_of(rapport.db, Promise)
    assert (back.id, back.status, back.missed_on) == (kept.id, "open", FRIDAY)
    assert back.interaction_id is not None
    assert figure(rapport, clock) == ONE_MISSED


def test_undoing_a_contact_keeps_its_missed_promise_and_a_kept_one_goes(rapport, clock, jobs):
    missed = logged_with_summary(rapport, "Acme email promise: send the quote by Friday")
    kept = logged_with_summary(rapport, "Globex call promise: send the deck by Friday")
    deck = promise_of(rapport, "send the deck").id
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    press(rapport, latest_dm_with(rapport.slack, deck), "promise", deck, "nudge_kept")
    clock.set(at_berlin(2026, 11, 30, 15, 0))
    assert figure(rapport, clock) == "*50%* — 1 of 2 promises due in the last 90 days kept on time"

    undo(rapport, missed)
    undo(rapport, kept)

    assert [(p.text, p.status) for p in all_of(rapport.db, Promise)] == [
        ("send the quote", "dropped")
    ]
    assert figure(rapport, clock) == ONE_MISSED


def test_a_german_member_keeps_the_miss_after_an_edit(rapport, clock) -> None:
    summary = logged_with_summary(
        rapport, "Acme E-Mail Zusage: Angebot schicken bis Freitag", user=JONAS
    )
    clock.set(at_berlin(2026, 11, 30, 15, 0))
    edited(rapport, summary, JONAS, no_due=True, promise="")

    said = figure(rapport, clock, JONAS)
    assert said.startswith("*0") and said.endswith(
        "* — 0 von 1 Zusage, die in den letzten 90 Tagen fällig war, rechtzeitig gehalten"
    ), said
