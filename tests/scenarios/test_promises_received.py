"""Promises the partner made to us, marked received or dropped from the partner card (a menu on
each) and from a nudge DM (a menu on the item that lists them), over signed HTTP to the running
app, on SQLite and PostgreSQL, in English and German.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.nudge_dm import ACTION_THEIR_PROMISE as DM_ACTION
from bot.blocks.partner_card import ACTION_THEIR_PROMISE as CARD_ACTION
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Interaction, Member, Partner, Promise
from storage.queries.contacts import add_promise
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.security.guests import GUESTS, Guest, cached_guest
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.nudges import (
    at_berlin,
    current,
    dms,
    items_in,
    jobs_for,
    log,
    press,
    travel,
)
from tests.support.rows import all_of

ALICE, BOB, JONAS = "U0ALICE", "U0BOB", "U0JONAS"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


# --- helpers -------------------------------------------------------------------------------------


def card(rapport: RunningRapport, name: str = "Acme", user: str = ALICE) -> dict[str, Any]:
    return checked(rapport.command(f"partner {name}", user=user, command="/rapport").reply())


def checked(message: dict[str, Any]) -> dict[str, Any]:
    """The message, once its blocks pass slack_sdk's checks and Slack's 50-block limit."""
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    return message


def shown(message: dict[str, Any]) -> str:
    return (texts(message) + "\n" + message.get("text", "")).replace("\u202f", " ")


def menus(message: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Each of their promises with a menu on the card: (its line, {option label: value})."""
    found = []
    for block in message["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "static_select":
            assert accessory["action_id"] == CARD_ACTION
            options = {o["text"]["text"]: o["value"] for o in accessory["options"]}
            found.append((block["text"]["text"], options))
    return found


def choose(rapport: RunningRapport, value: str, user: str = ALICE, **kw: Any) -> Any:
    """Pick an option of a card's menu, as Slack sends a menu's choice."""
    return rapport.click(CARD_ACTION, None, user=user, selected_option={"value": value}, **kw)


def theirs(rapport: RunningRapport) -> dict[str, Promise]:
    return {p.text: p for p in all_of(rapport.db, Promise) if p.promised_by == "partner"}


def states(rapport: RunningRapport) -> dict[str, tuple[str, Any]]:
    return {p.text: (p.status, p.resolved_at) for p in all_of(rapport.db, Promise)}


# --- on the card ---------------------------------------------------------------------------------


def test_received_on_the_card_marks_it_kept_and_the_card_comes_back_without_it(
    rapport, clock
) -> None:
    log(rapport, "Acme meeting they promised: the signed contract by Friday")
    log(rapport, "Acme call they promised: the pilot figures by 2026-12-04")
    log(rapport, "Acme email promise: send the quote by Friday")
    clock.advance(timedelta(days=3))  # Saturday: the contract is overdue
    message = card(rapport)
    [(first, contract), (second, figures)] = menus(message)
    assert "the signed contract" in first and "overdue since" in first
    assert "the pilot figures" in second
    assert set(contract) == {"Received", "Drop"}
    # Our own promise has no menu: Kept is for the one who promised, in their DM.
    assert "send the quote" in shown(message)

    answer = choose(rapport, contract["Received"]).later()

    checked(answer)
    text = shown(answer)
    assert "Marked as received: the signed contract (from *Acme*)" in text
    assert "*Their open promises to us* (1)" in text
    assert [line for line, _ in menus(answer)] == [second]
    contract_row = theirs(rapport)["the signed contract"]
    assert (contract_row.status, contract_row.resolved_at) == ("kept", clock.now())
    assert theirs(rapport)["the pilot figures"].status == "open"

    # The old card pressed again, a minute later: nothing changes, and it says so.
    before = states(rapport)
    clock.advance(timedelta(minutes=1))
    again = choose(rapport, contract["Drop"]).later()
    assert "is already marked as received; nothing changed" in shown(again)
    assert states(rapport) == before

    # The last of theirs dropped: the card no longer lists any.
    dropped = choose(rapport, figures["Drop"]).later()
    assert "Dropped: the pilot figures (from *Acme*); it is no longer tracked." in shown(dropped)
    assert "Their open promises" not in shown(dropped) and menus(dropped) == []
    assert theirs(rapport)["the pilot figures"].status == "dropped"
    assert {p.text: p.status for p in all_of(rapport.db, Promise)}["send the quote"] == "open"


def test_in_german_any_member_may_mark_them_not_only_the_owner(rapport) -> None:
    log(rapport, '"Jens Ohlsen" meeting their promise: the offer by 2026-12-10')  # Alice's
    log(rapport, "Globex Anruf Auftakt", user=JONAS)  # Jonas is a member who does not own Jens
    message = card(rapport, '"Jens Ohlsen"', user=JONAS)
    [(_, options)] = menus(message)
    assert set(options) == {"Erhalten", "Verwerfen"}

    answer = choose(rapport, options["Verwerfen"], user=JONAS).later()

    said = "Verworfen: the offer (von *Jens Ohlsen*); sie wird nicht mehr verfolgt."
    assert said in shown(answer)
    assert theirs(rapport)["the offer"].status == "dropped"
    log(rapport, "Initech call kickoff", user=BOB)
    again = choose(rapport, options["Erhalten"], user=BOB).later()
    assert "is already dropped; nothing changed" in shown(again)
    again_de = choose(rapport, options["Erhalten"], user=JONAS).later()
    assert "ist schon verworfen; nichts geändert" in shown(again_de)
    assert theirs(rapport)["the offer"].status == "dropped"


def test_at_most_five_a_side_with_a_menu_each_and_the_rest_counted(rapport) -> None:
    for n in range(7):
        log(rapport, f"Acme call they promised: part {n} by 2026-12-{10 + n}")

    message = card(rapport)

    assert len(menus(message)) == 5
    assert "*Their open promises to us* (7)" in shown(message)
    assert "…and 2 more" in shown(message)
    # Marking one brings the sixth into view.
    first = menus(message)[0][1]["Received"]
    answer = choose(rapport, first).later()
    assert len(menus(answer)) == 5 and "…and 1 more" in shown(answer)
    assert "part 5" in shown(answer) and "part 0" not in "".join(line for line, _ in menus(answer))


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_is_refused_and_nothing_changes(rapport, guest: Guest) -> None:
    log(rapport, "Acme meeting they promised: the signed contract by Friday")
    [(_, options)] = menus(card(rapport))
    cached_guest(rapport, guest)
    before = states(rapport)

    answer = choose(rapport, options["Received"], user=guest.user_id).later()

    assert guest.refused in answer["text"]
    assert "contract" not in shown(answer)
    assert states(rapport) == before


def test_someone_of_another_organisation_is_refused(rapport) -> None:
    log(rapport, "Acme meeting they promised: the signed contract by Friday")
    [(_, options)] = menus(card(rapport))
    before = states(rapport)

    pressed = choose(rapport, options["Received"], user="U0KENJI", user_team="T0PARTNER")

    assert pressed.answer.status == 200
    assert rapport.wait_until_idle()
    assert states(rapport) == before


def test_a_promise_of_another_workspace_ours_or_a_forged_value_changes_nothing(
    rapport, clock
) -> None:
    log(rapport, "Acme meeting they promised: the signed contract by Friday")
    log(rapport, "Acme email promise: send the quote by Friday")
    acme = next(p for p in all_of(rapport.db, Partner) if p.name == "Acme")
    ours = next(p for p in all_of(rapport.db, Promise) if p.promised_by == "us")
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", clock.now())
        stranger = add_partner(
            session, other.id, name="Secret Ltd", organisation=None, owner_id=None, now=clock.now()
        )
        assert stranger is not None
        otto = Member(workspace_id=other.id, slack_user_id="U0OTTO", refreshed_at=clock.now())
        session.add(otto)
        session.flush()
        contact = Interaction(
            workspace_id=other.id,
            partner_id=stranger.id,
            member_id=otto.id,
            occurred_at=clock.now(),
            created_at=clock.now(),
        )
        session.add(contact)
        refresh_contact_times(session, [stranger.id])
        secret = add_promise(
            session,
            contact,
            text="secret plans",
            due_on=clock.now().date(),
            promised_by="partner",
            now=clock.now(),
        )
        session.flush()
        stranger_id, secret_id = stranger.id, secret.id
    before = states(rapport)

    for value in (f"received:{acme.id}:{secret_id}", f"drop:{acme.id}:{ours.id}"):
        answer = choose(rapport, value).later()
        assert "That promise is no longer there" in shown(answer), value
        assert "*Acme*" in shown(answer)  # the card, as it is
    gone = choose(rapport, f"received:{stranger_id}:{secret_id}").later()
    assert "That partner is no longer in this workspace's list" in shown(gone)
    assert "secret" not in shown(gone)
    for forged in ("kept:1:2", f"received:x:{secret_id}", "received:1", ""):
        answer = choose(rapport, forged).later()
        assert "secret" not in shown(answer)
    assert states(rapport) == before


# --- in a nudge DM -------------------------------------------------------------------------------


def dm_with_their_promise(
    rapport: RunningRapport,
    clock: ManualClock,
    slack: SlackStandIn,
    jobs: Jobs,
    user: str,
    line: str,
) -> tuple[dict[str, Any], int]:
    """`user`'s check-in DM for a partner whose promise to us is overdue by then."""
    log(rapport, line, user=user)
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack, user)
    [(kind, partner_id)] = items_in(message)
    assert kind == "check_in"
    travel(clock, jobs, at_berlin(2026, 11, 30, 14, 0))
    return checked(current(slack, message)), partner_id


def dm_menu(message: dict[str, Any]) -> dict[str, str]:
    """The DM's menu for their promises: {option label: value}."""
    for block in message["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == DM_ACTION:
                return {o["text"]["text"]: o["value"] for o in element["options"]}
    return {}


def test_received_in_the_dm_marks_it_and_the_dm_is_drawn_again_without_it(
    rapport, clock, slack, jobs
) -> None:
    line = (
        "Acme call 2026-08-26 talked about the rollout they promised: the pilot data by 2026-11-27"
    )
    message, partner_id = dm_with_their_promise(rapport, clock, slack, jobs, ALICE, line)
    assert "They promised and it is still open: the pilot data (due Friday" in str(
        message["blocks"]
    )
    options = dm_menu(message)
    assert set(options) == {"Received: the pilot data", "Drop: the pilot data"}

    press(
        rapport,
        message,
        "check_in",
        partner_id,
        DM_ACTION,
        option=options["Received: the pilot data"],
    )

    promise = theirs(rapport)["the pilot data"]
    assert (promise.status, promise.resolved_at) == ("kept", clock.now())
    updated = checked(current(slack, message))
    assert "They promised" not in str(updated["blocks"]) and dm_menu(updated) == {}
    # The check-in itself is still to answer.
    assert ("check_in", partner_id) in items_in(updated)
    [note] = slack.ephemerals(message["channel"])
    assert "Marked as received: the pilot data (from *Acme*)" in note["text"]

    # The old DM's menu pressed again: nothing more changes.
    press(
        rapport, message, "check_in", partner_id, DM_ACTION, option=options["Drop: the pilot data"]
    )
    assert theirs(rapport)["the pilot data"].status == "kept"
    assert "already marked as received; nothing changed" in slack.ephemerals()[-1]["text"]


def test_drop_in_a_german_dm_and_a_value_naming_another_partner_is_refused(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Globex Anruf ihre zusage: die Preise bis 2026-12-20", user=JONAS)
    line = '"Jens Ohlsen" Anruf 2026-08-26 Rollout ihre zusage: die Unterlagen bis 2026-11-27'
    message, partner_id = dm_with_their_promise(rapport, clock, slack, jobs, JONAS, line)
    options = dm_menu(message)
    assert set(options) == {"Erhalten: die Unterlagen", "Verwerfen: die Unterlagen"}
    # A forged value naming Globex's promise on Jens's item changes nothing.
    globex = theirs(rapport)["die Preise"]
    forged = (
        options["Erhalten: die Unterlagen"].rsplit(":", 2)[0] + f":{globex.partner_id}:{globex.id}"
    )

    press(rapport, message, "check_in", partner_id, DM_ACTION, option=forged, user=JONAS)

    assert theirs(rapport)["die Preise"].status == "open"
    assert "nichts" in slack.ephemerals()[-1]["text"].lower()

    press(
        rapport,
        message,
        "check_in",
        partner_id,
        DM_ACTION,
        option=options["Verwerfen: die Unterlagen"],
        user=JONAS,
    )

    assert theirs(rapport)["die Unterlagen"].status == "dropped"
    assert "Verworfen: die Unterlagen (von *Jens Ohlsen*)" in slack.ephemerals()[-1]["text"]
    assert dm_menu(checked(current(slack, message))) == {}
