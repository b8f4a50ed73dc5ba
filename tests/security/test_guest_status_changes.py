"""A member who becomes a guest loses access, partners and nudges; a guest made a member gets in.

Slack tells Rapport with `user_change`, and the daily refresh catches what an event missed.
Signed requests to the running app, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.blocks.ownership import ACTION_TAKE_OVER
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from tests.security.guests import (
    GUESTS,
    Guest,
    assert_refused,
    becomes_guest,
    becomes_member,
    in_slack,
    member,
    snapshot,
)
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, dms, jobs_for, travel
from tests.support.rows import Promise, all_of, only, owner_of


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def logs(rapport: RunningRapport, guest: Guest, text: str) -> None:
    reply = rapport.command(text, user=guest.user_id).reply()
    assert guest.logged in reply["text"], reply["text"]


@pytest.mark.parametrize("guest", GUESTS)
def test_a_member_who_becomes_a_guest_is_refused_from_then_on(rapport, guest: Guest) -> None:
    in_slack(rapport, guest, as_guest=False)
    logs(rapport, guest, "Acme call pricing talk promise: send the price list by Friday")

    becomes_guest(rapport, guest)
    before = snapshot(rapport)

    for text in ("Acme email follow-up", "help", "settings"):
        assert_refused(rapport.command(text, user=guest.user_id).ack, guest.refused)
    assert member(rapport, guest.user_id).is_guest
    assert snapshot(rapport) == before


@pytest.mark.parametrize("guest", GUESTS)
def test_the_partners_of_a_member_turned_guest_are_unowned_and_can_be_taken_over(
    rapport, guest: Guest
) -> None:
    in_slack(rapport, guest, as_guest=False)
    logs(rapport, guest, "Acme call kickoff promise: send the deck by Friday")
    known(rapport)
    becomes_guest(rapport, guest)

    listing = rapport.command("partners unowned").ack
    shown = texts(listing)
    assert "*Acme*" in shown and f"<@{guest.user_id}>" in shown
    value = next(
        b["accessory"]["value"]
        for b in listing["blocks"]
        if (b.get("accessory") or {}).get("action_id") == ACTION_TAKE_OVER
    )
    taken = rapport.click(ACTION_TAKE_OVER, value)

    assert "You now look after *Acme*" in texts(taken.later())
    assert owner_of(rapport, "Acme") == "U0ALICE"
    # Her open promise moves with the partner, so that someone is reminded of it.
    assert only(rapport.db, Promise).member_id == member(rapport, "U0ALICE").id


@pytest.mark.parametrize("guest", GUESTS)
def test_a_partner_cannot_be_handed_to_a_guest(rapport, guest: Guest) -> None:
    rapport.command("Acme call kickoff").reply()
    in_slack(rapport, guest)

    first = rapport.command("partner Acme owner <@U0GERDA|gerda>").later()  # Slack is asked
    again = rapport.command("partner Acme owner <@U0GERDA|gerda>").ack  # she is cached now

    for answer in (first, again):
        assert "<@U0GERDA> is a guest in this workspace" in texts(answer)
    assert member(rapport, guest.user_id).is_guest
    assert owner_of(rapport, "Acme") == "U0ALICE"


@pytest.mark.parametrize("guest", GUESTS)
def test_a_member_turned_guest_gets_no_nudges(rapport, clock, slack, jobs, guest: Guest) -> None:
    in_slack(rapport, guest, as_guest=False)
    logs(rapport, guest, "Acme call 2026-08-26 talked about the rollout")
    logs(rapport, guest, "Globex email promise: send the quote by Friday")
    rapport.command("Initech call 2026-08-26 talked about the rollout", user="U0JONAS").reply()

    becomes_guest(rapport, guest)
    travel(clock, jobs, at_berlin(2026, 11, 30, 17, 0))

    assert dms(slack, guest.user_id) == []
    assert dms(slack, "U0JONAS") != []
    assert [p.status for p in all_of(rapport.db, Promise)] == ["open"]


@pytest.mark.parametrize("guest", GUESTS)
def test_a_refused_guest_made_a_member_gets_in(rapport, guest: Guest) -> None:
    in_slack(rapport, guest)
    assert_refused(rapport.command("Acme call hello", user=guest.user_id).later(), guest.refused)

    becomes_member(rapport, guest)

    logs(rapport, guest, "Acme call hello")
    assert not member(rapport, guest.user_id).is_guest


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_made_a_member_gets_in_after_the_daily_refresh_when_the_event_was_missed(
    rapport, clock, guest: Guest
) -> None:
    in_slack(rapport, guest)
    assert_refused(rapport.command("Acme call hello", user=guest.user_id).later(), guest.refused)
    in_slack(rapport, guest, as_guest=False)  # promoted in Slack; the event never arrived

    assert_refused(rapport.command("Acme call hello", user=guest.user_id).ack, guest.refused)
    clock.advance(timedelta(hours=25))
    refused = rapport.command("Acme call hello", user=guest.user_id)
    assert_refused(refused.ack, guest.refused)
    assert rapport.wait_until_idle()  # the day-old profile is read again after the refusal

    logs(rapport, guest, "Acme call hello")
    assert not member(rapport, guest.user_id).is_guest
