"""Hand-overs announced: the new owner hears who handed them which partner, the previous owner
hears when someone else moved it, through the outbox, in their working hours, once.

Commands and buttons go to the running app over signed HTTP; time moves with the test's clock;
DMs are read back from the Slack stand-in. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.blocks.nudge_dm import ACTION_SHOW_CARD, ACTION_SNOOZE, SNOOZE_WEEK
from bot.blocks.ownership import ACTION_TAKE_OVER
from bot.blocks.partner_card import ACTION_HAND_OVER
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Bundle, Nudge
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, current, dms, jobs_for, log, press, travel
from tests.support.rows import Partner, all_of, owner_of
from tests.support.world import BERLIN, TEAM

# 09:00 in New York on Friday 27 November (the 26th is Thanksgiving, a day off there).
NEW_YORK_DAY_START = at_berlin(2026, 11, 27, 15, 0)


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


@pytest.fixture
def owen(rapport: RunningRapport, slack: SlackStandIn) -> str:
    """A workspace admin in Berlin, who may move anyone's partner."""
    slack.add_user("U0OWEN", name="owen", real_name="Owen Admin", tz="Europe/Berlin", is_owner=True)
    known(rapport, "U0OWEN")
    return "U0OWEN"


def sent_within_a_minute(at: datetime, minute: datetime) -> bool:
    """Sent in that minute: DMs to several people at once are paced a second or so apart."""
    return minute <= at < minute + timedelta(minutes=1)


def hand(rapport: RunningRapport, partner: str, to: str, by: str) -> str:
    """`/rapport partner NAME owner @to` as `by`; the reply's text."""
    known(rapport, to)
    command = rapport.command(f"partner {partner} owner <@{to}|x>", user=by, command="/rapport")
    reply = command.reply()
    return texts(reply)


def hand_over_rows(rapport: RunningRapport) -> list[Nudge]:
    return [n for n in all_of(rapport.db, Nudge) if n.kind in ("handed_over", "handed_away")]


def told(slack: SlackStandIn, user: str) -> list[tuple[Any, str]]:
    """(local arrival, the DM's text) of every nudge DM `user` received."""
    return [(at.replace(microsecond=0), texts(message)) for at, message in dms(slack, user)]


def show_card_buttons(message: dict[str, Any]) -> list[str]:
    return [
        block["accessory"]["value"]
        for block in message.get("blocks", [])
        if (block.get("accessory") or {}).get("action_id") == ACTION_SHOW_CARD
    ]


# --- a third person hands a partner over ----------------------------------------------------------


def test_an_admin_hands_over_after_hours_both_owners_hear_next_morning(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, '"Dana Field" (Acme Corp) call promise: send the deck by 2026-12-11')
    log(rapport, '"Dana Field" (Acme Corp) meeting they promised: the contract by 2026-12-18')
    known(rapport, "U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 30))  # Wednesday evening: nobody is at work

    said = hand(rapport, "Dana Field", "U0JONAS", by=owen)
    assert "<@U0JONAS> now looks after *Dana Field (Acme Corp)*" in said

    travel(clock, jobs, at_berlin(2026, 11, 25, 23, 0))
    assert told(slack, "U0JONAS") == [] and told(slack, "U0ALICE") == []

    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    [(at, jonas)] = told(slack, "U0JONAS")
    assert sent_within_a_minute(at, at_berlin(2026, 11, 26, 9, 0))
    assert "<@U0OWEN> hat dir *Dana Field* übergeben." in jonas
    assert "Organisation: Acme Corp" in jonas
    assert "Letzter Kontakt: Treffen, gestern, von <@U0ALICE>." in jonas
    assert "Offene Zusagen: 1 von uns an sie, 1 von ihnen an uns" in jonas
    assert "Nächster Check-in: Dienstag, 23. Februar 2027" in jonas
    [(at, alice)] = told(slack, "U0ALICE")
    assert sent_within_a_minute(at, at_berlin(2026, 11, 26, 9, 0))
    assert "<@U0OWEN> handed *Dana Field* over to <@U0JONAS>." in alice
    assert "Open promises: 1 ours to them, 1 theirs to us" in alice
    [(_, jonas_message)] = dms(slack, "U0JONAS")
    assert jonas_message["text"].startswith("Rapport für heute: 1 Übergabe.")

    # Nothing more, however long the clock runs: each was told once.
    travel(clock, jobs, at_berlin(2026, 12, 2, 17, 0))
    assert len(told(slack, "U0JONAS")) == 1
    assert sorted(n.state for n in hand_over_rows(rapport)) == ["sent", "sent"]


def test_a_new_owner_in_new_york_hears_in_new_york_working_hours(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    clock.set(at_berlin(2026, 11, 25, 12, 0))  # 06:00 in New York

    hand(rapport, "Acme", "U0BOB", by="U0ALICE")
    travel(clock, jobs, at_berlin(2026, 11, 25, 14, 59))
    assert told(slack, "U0BOB") == []
    travel(clock, jobs, at_berlin(2026, 11, 25, 23, 0))

    [(at, bob)] = [(a.astimezone(BERLIN), t) for a, t in told(slack, "U0BOB")]
    assert sent_within_a_minute(
        at, at_berlin(2026, 11, 25, 15, 0)
    )  # 09:00 in New York, the same day
    assert "<@U0ALICE> handed *Acme* over to you." in bob
    assert "Open promises: 0 ours to them, 0 theirs to us" in bob
    # The owner handed it over herself: she is not told of her own act.
    assert told(slack, "U0ALICE") == []
    assert [n.kind for n in hand_over_rows(rapport)] == ["handed_over"]


def test_show_card_opens_the_card_below_the_dm_which_stays(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 30))
    hand(rapport, "Acme", "U0JONAS", by=owen)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack, "U0JONAS")
    [value] = show_card_buttons(message)

    card = rapport.click(ACTION_SHOW_CARD, value, user="U0JONAS").later()

    assert "replace_original" not in card
    assert "Zuständig" in texts(card) and "<@U0JONAS>" in texts(card)
    [(_, still)] = dms(slack, "U0JONAS")
    assert still["ts"] == message["ts"] and texts(still) == texts(message)


# --- taking a partner over oneself ------------------------------------------------------------


def test_an_admin_taking_a_partner_over_is_not_told_and_the_owner_is(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    clock.set(at_berlin(2026, 11, 25, 19, 30))

    hand(rapport, "Acme", owen, by=owen)
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    assert owner_of(rapport, "Acme") == owen
    assert told(slack, owen) == []
    [(_, alice)] = told(slack, "U0ALICE")
    assert "<@U0OWEN> took *Acme* over from you." in alice
    assert [n.kind for n in hand_over_rows(rapport)] == ["handed_away"]


def test_a_german_admin_taking_over_tells_the_owner_in_her_language(
    rapport, clock, slack, jobs
) -> None:
    slack.add_user(
        "U0GRETA",
        name="greta",
        real_name="Greta Admin",
        tz="Europe/Berlin",
        locale="de-DE",
        is_admin=True,
    )
    known(rapport, "U0GRETA")
    log(rapport, "Acme Anruf Projektstart", user="U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 30))

    said = hand(rapport, "Acme", "U0GRETA", by="U0GRETA")
    assert "*Acme*" in said
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    assert told(slack, "U0GRETA") == []
    [(_, jonas)] = told(slack, "U0JONAS")
    assert "<@U0GRETA> hat *Acme* von dir übernommen." in jonas


def test_taking_over_a_partner_whose_owner_left_tells_nobody(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    profile = {"id": "U0ALICE", "team_id": TEAM, "real_name": "Alice", "deleted": True}
    assert rapport.event("EvLeft1", {"type": "user_change", "user": profile}).status == 200
    partner_id = next(p.id for p in all_of(rapport.db, Partner) if p.name == "Acme")

    pressed = rapport.click(ACTION_TAKE_OVER, str(partner_id), user="U0BOB")

    assert "*Acme*" in texts(pressed.reply())
    assert owner_of(rapport, "Acme") == "U0BOB"
    travel(clock, jobs, at_berlin(2026, 11, 27, 23, 0))
    assert hand_over_rows(rapport) == []
    assert told(slack, "U0BOB") == []


# --- moved back and forth the same day ----------------------------------------------------------


def test_handed_there_and_back_the_same_day_nothing_untrue_is_sent(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 0))

    hand(rapport, "Acme", "U0JONAS", by=owen)  # Alice → Jonas
    clock.advance(timedelta(minutes=5))
    hand(rapport, "Acme", "U0ALICE", by=owen)  # Jonas → Alice: as it was
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    # Jonas no longer has it and Alice has it again: neither "handed to you" nor "handed away"
    # is true of the day, so nobody gets a DM about it.
    assert told(slack, "U0JONAS") == [] and told(slack, "U0ALICE") == []
    assert {n.state for n in hand_over_rows(rapport)} == {"skipped"}


def test_handed_back_and_forth_each_hears_once_of_where_it_ended(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 0))

    for to in ("U0JONAS", "U0ALICE", "U0JONAS"):  # A → B → A → B
        hand(rapport, "Acme", to, by=owen)
        clock.advance(timedelta(minutes=5))
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    [(_, jonas)] = told(slack, "U0JONAS")
    assert jonas.count("übergeben") == 1 and "<@U0OWEN> hat dir *Acme* übergeben." in jonas
    [(_, alice)] = told(slack, "U0ALICE")
    assert alice.count("handed") == 1 and "<@U0OWEN> handed *Acme* over to <@U0JONAS>." in alice
    # One row per recipient, kind and day: the move back cancelled the first two, the last one
    # brought them back with the latest actor.
    assert sorted((n.kind, n.state) for n in hand_over_rows(rapport)) == [
        ("handed_away", "sent"),
        ("handed_over", "sent"),
    ]


def test_a_partner_handed_over_in_working_hours_is_told_at_the_next_dispatch(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 0))
    hand(rapport, "Acme", "U0JONAS", by=owen)
    hand(rapport, "Acme", "U0ALICE", by=owen)
    travel(clock, jobs, at_berlin(2026, 11, 26, 9, 30))
    assert told(slack, "U0JONAS") == [] and told(slack, "U0ALICE") == []

    # The next morning, at work: a row of that day, sent by the dispatcher's next tick.
    hand(rapport, "Acme", "U0JONAS", by=owen)
    clock.advance(timedelta(minutes=1))
    jobs.run_once()

    [(at, jonas)] = told(slack, "U0JONAS")
    assert sent_within_a_minute(at, at_berlin(2026, 11, 26, 9, 31))
    assert "<@U0OWEN> hat dir *Acme* übergeben." in jonas
    [(_, alice)] = told(slack, "U0ALICE")
    assert "<@U0OWEN> handed *Acme* over to <@U0JONAS>." in alice

    # Handed back after Jonas was told: he hears that too, tomorrow (one DM a day).
    hand(rapport, "Acme", "U0ALICE", by=owen)
    travel(clock, jobs, at_berlin(2026, 11, 27, 17, 0))
    [_, (at, again)] = told(slack, "U0JONAS")
    assert sent_within_a_minute(at, at_berlin(2026, 11, 27, 9, 0))
    assert "<@U0OWEN> hat *Acme* an <@U0ALICE> übergeben." in again
    # Alice was told it went, so she is told it came back.
    [_, (_, back)] = told(slack, "U0ALICE")
    assert "<@U0OWEN> handed *Acme* over to you." in back


# --- Slack says no, or says nothing ---------------------------------------------------------------


def test_a_429_while_announcing_waits_and_the_dm_arrives_once(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")
    clock.set(at_berlin(2026, 11, 25, 19, 0))
    hand(rapport, "Acme", "U0JONAS", by=owen)
    clock.set(at_berlin(2026, 11, 26, 9, 0))
    slack.fail_next("chat.postMessage", retry_after=7, times=2)

    result = jobs.run_once()

    assert result.rate_limited == 2
    travel(clock, jobs, at_berlin(2026, 11, 27, 17, 0))
    [(_, jonas)] = told(slack, "U0JONAS")
    assert "<@U0OWEN> hat dir *Acme* übergeben." in jonas
    [(_, alice)] = told(slack, "U0ALICE")
    assert "<@U0OWEN> handed *Acme* over to <@U0JONAS>." in alice
    assert {n.state for n in hand_over_rows(rapport)} == {"sent"}


def test_a_500_after_slack_posted_the_announcement_is_not_sent_twice(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    clock.set(at_berlin(2026, 11, 25, 19, 0))
    hand(rapport, "Acme", "U0BOB", by="U0ALICE")
    clock.set(NEW_YORK_DAY_START)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )

    assert jobs.run_once().unsure == 1
    travel(clock, jobs, at_berlin(2026, 11, 28, 23, 0))

    [(_, bob)] = told(slack, "U0BOB")
    assert "<@U0ALICE> handed *Acme* over to you." in bob
    bundles = [b for b in all_of(rapport.db, Bundle) if b.state == "sent"]
    assert len(bundles) == 1
    assert [n.state for n in hand_over_rows(rapport)] == ["sent"]


def test_a_refused_hand_over_announces_nothing(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")

    said = hand(rapport, "Acme", "U0JONAS", by="U0JONAS")

    assert "Es hat sich nichts geändert." in said
    assert hand_over_rows(rapport) == []
    travel(clock, jobs, at_berlin(2026, 11, 27, 23, 0))
    assert told(slack, "U0JONAS") == []


# --- a DM with a hand-over and other items -------------------------------------------------------


def test_answering_another_item_keeps_the_hand_over_in_the_updated_dm(
    rapport, clock, slack, jobs, owen
) -> None:
    log(rapport, "Acme call 2026-08-26 talked about the rollout")  # check-in due 24 November
    log(rapport, "Globex call kickoff", user="U0JONAS")
    hand(rapport, "Globex", "U0ALICE", by=owen)  # Wednesday 10:00, before any tick
    clock.advance(timedelta(minutes=1))
    jobs.run_once()

    [(_, message)] = dms(slack)
    shown = texts(message)
    assert "<@U0OWEN> handed *Globex* over to you." in shown and "*Acme*" in shown
    assert message["text"].startswith("Rapport for today: 1 hand-over and 1 check-in due.")
    acme_id = next(p.id for p in all_of(rapport.db, Partner) if p.name == "Acme")

    press(rapport, message, "check_in", acme_id, ACTION_SNOOZE, option=SNOOZE_WEEK)

    updated = current(slack, message)
    assert "<@U0OWEN> handed *Globex* over to you." in texts(updated)
    assert show_card_buttons(updated) == show_card_buttons(message)
    assert "Snoozed" in texts(updated) or "snoozed" in texts(updated)


def test_a_hand_over_through_the_cards_form_is_announced(rapport, clock, slack, jobs) -> None:
    log(rapport, "Nordwind Anruf Projektstart", user="U0JONAS")
    known(rapport, "U0ALICE")
    clock.set(at_berlin(2026, 11, 25, 19, 0))
    shown = rapport.command("partner Nordwind", user="U0JONAS", command="/rapport").reply()
    [button] = [
        element
        for block in shown["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element.get("action_id") == ACTION_HAND_OVER
    ]
    rapport.click(ACTION_HAND_OVER, button["value"], user="U0JONAS")
    assert rapport.wait_until_idle()
    [view] = slack.views()
    chosen = {"owner": {"owner_select": {"type": "users_select", "selected_user": "U0ALICE"}}}

    assert rapport.submit(view, chosen, user="U0JONAS").status == 200
    assert rapport.wait_until_idle()
    assert owner_of(rapport, "Nordwind") == "U0ALICE"
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    [(at, alice)] = told(slack, "U0ALICE")
    assert sent_within_a_minute(at, at_berlin(2026, 11, 26, 9, 0))
    assert "<@U0JONAS> handed *Nordwind* over to you." in alice
    assert told(slack, "U0JONAS") == []
