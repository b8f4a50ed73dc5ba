"""Workspace guests are refused on every surface, before any partner data is read.

Signed requests to the running app, Slack played by the stand-in, on SQLite and PostgreSQL. Each
surface is tried by a multi-channel guest writing English and a single-channel guest writing
German; the first look-up is tried by both kinds in both languages.
"""

from __future__ import annotations

import pytest

from bot.blocks.contact_form import PARTNER_ACTION
from bot.blocks.nudge_dm import SNOOZE_WEEK
from bot.blocks.ownership import ACTION_TAKE_OVER
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from tests.security.guests import (
    ALL_GUESTS,
    GUESTS,
    Guest,
    assert_refused,
    becomes_guest,
    cached_guest,
    in_slack,
    member,
    partner_data,
    slack_says,
    snapshot,
)
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, state_from, texts
from tests.support.nudges import at_berlin, dms, items_in, jobs_for, press, travel
from tests.support.rows import Partner, Promise, all_of, only


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


SHARED_MESSAGE = {
    "type": "message",
    "user": "U0KENJI",
    "user_team": "T0PARTNER",
    "ts": "1795000000.000300",
    "text": "Could you send the pilot figures by Friday?",
}


# --- the first time: refused once Slack has said who they are -----------------------------------


@pytest.mark.parametrize("guest", ALL_GUESTS)
def test_a_first_time_guest_is_refused_after_asking_slack_and_cached_as_a_guest(
    rapport, guest: Guest
) -> None:
    partner_data(rapport)
    in_slack(rapport, guest)
    before = snapshot(rapport)

    command = rapport.command("Acme call hello", user=guest.user_id)

    assert command.answer.status == 200 and command.answer.body == ""
    assert_refused(command.later(), guest.refused)
    assert [c.args["user"] for c in rapport.slack.calls_to("users.info")][-1] == guest.user_id
    gerda = member(rapport, guest.user_id)
    assert gerda.is_guest and gerda.locale == guest.locale
    assert snapshot(rapport)[:3] == before[:3]


@pytest.mark.parametrize("guest", GUESTS)
def test_an_empty_command_from_a_first_time_guest_opens_no_form(rapport, guest: Guest) -> None:
    partner_data(rapport)
    in_slack(rapport, guest)

    command = rapport.command("", user=guest.user_id)

    assert_refused(command.later(), guest.refused)
    assert rapport.slack.views() == []


@pytest.mark.parametrize("guest", GUESTS)
def test_a_first_time_guest_running_log_as_contact_gets_no_form(rapport, guest: Guest) -> None:
    partner_data(rapport)
    in_slack(rapport, guest)

    shortcut = rapport.shortcut(SHARED_MESSAGE, user=guest.user_id)

    assert shortcut.answer.status == 200
    assert_refused(shortcut.later(), guest.refused)
    assert rapport.slack.views() == []
    assert member(rapport, guest.user_id).is_guest


# --- a guest Rapport has met: refused in the ack, with no call to Slack ---------------------------


@pytest.mark.parametrize("guest", GUESTS)
@pytest.mark.parametrize(
    "text",
    [
        "Acme call hello promise: send the deck by Friday",
        "help",
        "settings hours 8-17 days mon-thu",
        "partner Acme owner <@U0GERDA|gerda>",
        "partners unowned",
        "",
    ],
    ids=["log", "help", "settings", "hand-over", "unowned-list", "form"],
)
def test_a_known_guest_is_refused_in_the_ack_on_every_command(
    rapport, guest: Guest, text: str
) -> None:
    partner_data(rapport)
    cached_guest(rapport, guest)
    before = snapshot(rapport)
    rapport.slack.reset()

    command = rapport.command(text, user=guest.user_id)

    assert_refused(command.ack, guest.refused)
    assert command.ack["response_type"] == "ephemeral"
    assert rapport.wait_until_idle()
    assert rapport.slack.calls == []
    assert snapshot(rapport) == before


@pytest.mark.parametrize("guest", GUESTS)
def test_a_known_guest_running_log_as_contact_is_refused_and_gets_no_form(
    rapport, guest: Guest
) -> None:
    partner_data(rapport)
    cached_guest(rapport, guest)
    rapport.slack.reset()

    shortcut = rapport.shortcut(SHARED_MESSAGE, user=guest.user_id)

    assert shortcut.answer.status == 200 and shortcut.answer.body == ""
    assert_refused(shortcut.later(), guest.refused)
    assert rapport.slack.views() == []
    assert rapport.slack.calls_to("users.info") == []


@pytest.mark.parametrize("guest", GUESTS)
def test_partner_suggestions_offer_a_guest_nothing(rapport, guest: Guest) -> None:
    partner_data(rapport)
    cached_guest(rapport, guest)

    offered = rapport.suggest(PARTNER_ACTION, "Ac", user=guest.user_id)
    to_alice = rapport.suggest(PARTNER_ACTION, "Ac")

    assert offered.status == 200 and offered.json() == {"options": []}
    assert [o["text"]["text"] for o in to_alice.json()["options"]] == ["Acme"]


# --- a member who became a guest, pressing what they were shown as a member ----------------------


@pytest.mark.parametrize("guest", GUESTS)
def test_a_member_turned_guest_cannot_undo_edit_or_move_their_own_contact(
    rapport, guest: Guest
) -> None:
    in_slack(rapport, guest, as_guest=False)
    assert "Logged" in rapport.command('"Acme Corp" call kickoff').reply()["text"]
    summary = rapport.command(
        '"Globex" email pricing promise: send the price list by Friday', user=guest.user_id
    ).reply()
    # A near name is asked about before anything is stored: "Acme Corp" is a button of that
    # question.
    question = rapport.command('"Acme Crop" email pricing', user=guest.user_id).reply()
    pressable = {**buttons(summary), **buttons(question)}
    becomes_guest(rapport, guest)
    before = snapshot(rapport)
    rapport.slack.reset()

    for label in (["Undo", "Edit"] if guest.lang == "en" else ["Rückgängig", "Bearbeiten"]) + [
        "Acme Corp"
    ]:
        button = pressable[label]
        pressed = rapport.click(button["action_id"], button["value"], user=guest.user_id)
        assert pressed.answer.status == 200 and pressed.answer.body == ""
        assert_refused(pressed.later(), guest.refused)

    assert rapport.slack.views() == []
    assert snapshot(rapport) == before


@pytest.mark.parametrize("guest", GUESTS)
def test_a_member_turned_guest_cannot_take_a_partner_over(rapport, guest: Guest) -> None:
    partner_data(rapport)
    slack_says(
        rapport,
        {"id": "U0ALICE", "team_id": "T0ACME", "real_name": "Alice Berger", "deleted": True},
    )
    in_slack(rapport, guest, as_guest=False)
    listing = rapport.command("partners unowned", user=guest.user_id)
    take_over = next(
        block["accessory"]
        for block in listing.reply()["blocks"]
        if (block.get("accessory") or {}).get("action_id") == ACTION_TAKE_OVER
    )
    becomes_guest(rapport, guest)
    before = snapshot(rapport)
    posts = len(rapport.slack.responses(listing.response_url))

    pressed = rapport.click(
        ACTION_TAKE_OVER, take_over["value"], user=guest.user_id, response_url=listing.response_url
    )

    assert_refused(pressed.later(posts + 1), guest.refused)
    assert snapshot(rapport) == before


@pytest.mark.parametrize("guest", GUESTS)
def test_a_member_turned_guest_cannot_submit_the_contact_form(rapport, guest: Guest) -> None:
    partner_data(rapport)
    in_slack(rapport, guest, as_guest=False)
    assert guest.logged in rapport.command("Globex call intro", user=guest.user_id).reply()["text"]
    rapport.command("", user=guest.user_id)
    form = rapport.slack.views()[-1]
    becomes_guest(rapport, guest)
    before = snapshot(rapport)

    values = state_from(form)
    values["new_partner"]["new_partner_input"]["value"] = "Initech"
    answer = rapport.submit(form, values, user=guest.user_id)

    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors"
    [(block, error)] = body["errors"].items()
    assert block == "partner"
    assert_refused(error, guest.refused)
    assert snapshot(rapport) == before


@pytest.mark.parametrize("guest", GUESTS)
def test_a_member_turned_guest_cannot_answer_their_nudge_dm_or_its_forms(
    rapport, clock, slack, jobs, guest: Guest
) -> None:
    in_slack(rapport, guest, as_guest=False)
    for text in ("Acme call 2026-08-26 rollout", "Globex email promise: send the quote by Friday"):
        assert guest.logged in rapport.command(text, user=guest.user_id).reply()["text"]
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, dm)] = dms(slack, guest.user_id)
    acme = next(p.id for p in all_of(rapport.db, Partner) if p.name == "Acme")
    promise = only(rapport.db, Promise).id
    assert {("check_in", acme), ("promise", promise)} <= set(items_in(dm))
    # While still a member, she opens the forms two of the answers lead to.
    press(rapport, dm, "check_in", acme, "nudge_check_in", user=guest.user_id)
    press(rapport, dm, "promise", promise, "nudge_drop", user=guest.user_id)
    check_in_form, drop_form = slack.views()[-2:]
    becomes_guest(rapport, guest)
    before = snapshot(rapport)
    slack.reset()

    answers = [
        ("check_in", acme, "nudge_check_in", {}),
        ("check_in", acme, "nudge_snooze", {"option": SNOOZE_WEEK}),
        ("check_in", acme, "nudge_pause", {"selected_date": "2026-12-15"}),
        ("promise", promise, "nudge_kept", {}),
        ("promise", promise, "nudge_more_time", {"selected_date": "2026-12-04"}),
        ("promise", promise, "nudge_drop", {}),
    ]
    for kind, subject, action_id, choice in answers:
        press(rapport, dm, kind, subject, action_id, user=guest.user_id, **choice)
    check_in = rapport.submit(check_in_form, state_from(check_in_form), user=guest.user_id)
    reason = {"reason": {"reason_input": {"type": "plain_text_input", "value": "not needed"}}}
    drop = rapport.submit(drop_form, reason, user=guest.user_id)

    # Each press is told, in her DM: the response_url of a DM from days ago has expired.
    notes = [m for m in slack.messages(guest.user_id) if guest.refused in m["text"]]
    assert len(notes) == len(answers)
    for note in notes:
        assert_refused(note, guest.refused)
    assert_refused(check_in.json()["errors"]["partner"], guest.refused)
    assert_refused(drop.json()["errors"]["reason"], guest.refused)
    assert slack.views() == [] and slack.calls_to("chat.update") == []
    assert snapshot(rapport) == before


def test_every_guest_refusal_names_no_partner_even_in_the_fallback_text(rapport) -> None:
    guest = Guest("multi-channel", "en")
    partner_data(rapport)
    cached_guest(rapport, guest)

    ack = rapport.command("Acme", user=guest.user_id).ack

    assert ack["text"].startswith(":no_entry:")
    assert "Acme" not in ack["text"] and "Acme" not in texts(ack)
