"""People from other organisations are refused: from the payload when it says so, else once Slack
has been asked. Signed requests to the running app, on SQLite and PostgreSQL.

Kenji works at a partner (team T0PARTNER) and shares `#acme-partners` with Alice through Slack
Connect. Rapport does not know his language, so a refusal read from the payload alone is given in
English and German.
"""

from __future__ import annotations

import pytest

from bot.blocks.contact_form import PARTNER_ACTION
from bot.blocks.ownership import ACTION_TAKE_OVER
from bot.sandbox.loopback import SHORTCUT_CALLBACK_ID
from bot.sandbox.signing import message_shortcut
from storage.models import Workspace
from tests.security.guests import REFUSED, assert_refused, partner_data, slack_says, snapshot
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, state_from
from tests.support.rows import all_of, count

KENJI, PARTNER_TEAM = "U0KENJI", "T0PARTNER"


def refused_in_both_languages(message) -> None:
    assert_refused(message, REFUSED["en"])
    assert_refused(message, REFUSED["de"])


def test_a_button_pressed_by_someone_of_another_organisation_is_refused_unread(rapport) -> None:
    undo = buttons(partner_data(rapport))["Undo"]
    before = snapshot(rapport)
    rapport.slack.reset()

    pressed = rapport.click(
        undo["action_id"], undo["value"], user=KENJI, user_team=PARTNER_TEAM, channel="C0SHARED"
    )

    assert pressed.answer.status == 200 and pressed.answer.body == ""
    refused_in_both_languages(pressed.later())
    assert rapport.slack.calls_to("users.info") == []
    assert snapshot(rapport) == before


def test_take_over_pressed_by_someone_of_another_organisation_changes_nothing(rapport) -> None:
    partner_data(rapport)
    slack_says(rapport, {"id": "U0ALICE", "team_id": "T0ACME", "real_name": "A", "deleted": True})
    listing = rapport.command("partners unowned", user="U0BOB")
    value = next(
        b["accessory"]["value"]
        for b in listing.reply()["blocks"]
        if (b.get("accessory") or {}).get("action_id") == ACTION_TAKE_OVER
    )
    before = snapshot(rapport)

    pressed = rapport.click(ACTION_TAKE_OVER, value, user=KENJI, user_team=PARTNER_TEAM)

    refused_in_both_languages(pressed.later())
    assert snapshot(rapport) == before


def test_a_form_submitted_by_someone_of_another_organisation_is_refused(rapport) -> None:
    partner_data(rapport)
    rapport.command("")
    form = rapport.slack.views()[-1]
    values = state_from(form)
    values["new_partner"]["new_partner_input"]["value"] = "Initech"
    before = snapshot(rapport)

    answer = rapport.submit(form, values, user=KENJI, user_team=PARTNER_TEAM)

    body = answer.json()
    assert body["response_action"] == "errors"
    refused_in_both_languages(body["errors"]["partner"])
    assert snapshot(rapport) == before


def test_partner_suggestions_offer_someone_of_another_organisation_nothing(rapport) -> None:
    partner_data(rapport)

    offered = rapport.suggest(PARTNER_ACTION, "Ac", user=KENJI, user_team=PARTNER_TEAM)

    assert offered.status == 200 and offered.json() == {"options": []}


def test_log_as_contact_run_by_someone_of_another_organisation_opens_no_form(rapport) -> None:
    partner_data(rapport)
    message = {"type": "message", "user": "U0ALICE", "ts": "1795000000.000400", "text": "Hi"}

    shortcut = rapport.shortcut(message, user=KENJI, user_team=PARTNER_TEAM)

    refused_in_both_languages(shortcut.later())
    assert rapport.slack.views() == []


def test_a_command_from_someone_slack_places_in_another_organisation_is_refused(rapport) -> None:
    partner_data(rapport)
    before = snapshot(rapport)

    command = rapport.command("Acme call hello", user=KENJI, channel="C0SHARED")

    assert command.answer.body == ""
    # Slack said Kenji's locale is ja-JP: Rapport answers such readers in English.
    assert_refused(command.later(), REFUSED["en"])
    assert snapshot(rapport) == before
    assert KENJI in [c.args["user"] for c in rapport.slack.calls_to("users.info")]


@pytest.mark.parametrize("team", [None, ""])
def test_a_shortcut_that_names_no_workspace_is_refused_without_an_error(
    rapport: RunningRapport, team: str | None, no_errors_logged: None
) -> None:
    """Slack always names the workspace; a signed body that does not is answered, never with
    a workspace created for nobody."""
    url = rapport.slack.response_url()
    payload = message_shortcut(
        team_id="T0RAPPORT",
        user_id="U0NEWCOMER",
        callback_id=SHORTCUT_CALLBACK_ID,
        message={"type": "message", "user": "U0EXT", "text": "hello", "ts": "1.2"},
        channel_id="C0SHARED",
        response_url=url,
        trigger_id=rapport.slack.new_trigger_id(),
    )
    payload["team"] = {"id": team}
    payload["user"] = {"id": "U0NEWCOMER", "team_id": team}

    answer = rapport.sender.interaction(payload)

    assert answer.status == 200
    assert count(rapport.db, Workspace) == 0 or all(
        w.team_id for w in all_of(rapport.db, Workspace)
    )
