"""Listeners answer every shape Slack sends for their kind, as designed, optional parts missing
included; each case here is one the replay corpus (tests/corpus/) found crashing."""

from __future__ import annotations

import logging

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.signing import view_submission
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Member
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.nudges import check_in_dm, jobs_for, press
from tests.support.rows import all_of, count
from tests.support.watch import watching_failures

REFUSED = {"status": 200, "retry_after": None}
FORM_NOT_OPENED = "Slack did not let me open the form"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def known(rapport: RunningRapport, user: str = "U0ALICE") -> None:
    assert rapport.command("help", user=user).reply()


def replies_lines(watch) -> list[str]:
    return [line for line in watch.warnings if line.startswith("bot.slack.delivery: ")]


# --- the contact form -------------------------------------------------------------------------


def test_a_contact_form_submitted_without_state_values_shows_field_errors(rapport) -> None:
    known(rapport)
    rapport.command("")
    view = rapport.slack.views()[-1]
    payload = view_submission(team_id="T0ACME", user_id="U0ALICE", view=view, values={})
    payload["view"]["state"] = {}

    with watching_failures() as watch:
        answer = rapport.sender.interaction(payload)
        assert rapport.wait_until_idle()
        assert watch.failures == []

    assert answer.status == 200
    # Nothing submitted: every field the form needs is named, the required ones and the partner.
    assert answer.json() == {
        "response_action": "errors",
        "errors": {
            "partner": "Pick a partner or type the name of a new one.",
            "kind": "Pick what kind of contact it was.",
            "direction": "Pick who gave and who took.",
            "when": "Pick the day of the contact.",
        },
    }


# --- a form Slack will not open ----------------------------------------------------------------


def test_logcontact_alone_explains_a_form_slack_would_not_open(rapport) -> None:
    known(rapport)
    rapport.slack.fail_next("views.open", error="expired_trigger_id", **REFUSED)

    with watching_failures() as watch:
        command = rapport.command("")
        assert watch.failures == []
        assert replies_lines(watch) == [
            "bot.slack.delivery: could not open a modal: views.open: expired_trigger_id"
        ]

    assert FORM_NOT_OPENED in command.ack["text"]
    assert command.ack["response_type"] == "ephemeral"


def test_logcontact_alone_explains_it_after_a_look_up_too(rapport) -> None:
    rapport.slack.fail_next("views.open", error="expired_trigger_id", **REFUSED)

    with watching_failures() as watch:
        command = rapport.command("", user="U0JONAS")
        later = command.later()
        assert watch.failures == []

    assert "Slack hat mich das Formular nicht öffnen lassen" in later["text"]


def test_log_as_contact_explains_a_form_slack_would_not_open(rapport) -> None:
    known(rapport)
    rapport.slack.fail_next("views.open", error="expired_trigger_id", **REFUSED)
    message = {"type": "message", "user": "U0BOB", "ts": "1795000000.000300", "text": "hi"}

    with watching_failures() as watch:
        shortcut = rapport.shortcut(message, channel="C0TEAM")
        assert FORM_NOT_OPENED in shortcut.later()["text"]
        assert watch.failures == []


def test_edit_explains_a_form_slack_would_not_open_below_the_summary(rapport) -> None:
    known(rapport)
    summary = rapport.command("Acme call talked prices").reply()
    edit = buttons(summary)["Edit"]
    rapport.slack.fail_next("views.open", error="expired_trigger_id", **REFUSED)

    with watching_failures() as watch:
        clicked = rapport.click(edit["action_id"], edit["value"])
        note = clicked.later()
        assert watch.failures == []

    assert FORM_NOT_OPENED in note["text"]
    assert "replace_original" not in note


def test_a_nudges_log_check_in_explains_a_form_slack_would_not_open(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    slack.fail_next("views.open", error="expired_trigger_id", **REFUSED)

    with watching_failures() as watch:
        press(rapport, message, "check_in", partner_id, "nudge_check_in")
        assert watch.failures == []

    [note] = slack.ephemerals(message["channel"])
    assert FORM_NOT_OPENED in note["text"]


# --- people of other organisations ------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "Acme call talked prices"])
def test_a_partner_of_another_organisation_is_told_rapport_is_for_members(rapport, text) -> None:
    with watching_failures() as watch:
        command = rapport.command(text, user="U0KENJI")
        later = command.later()
        assert watch.failures == []

    assert "Rapport is for this company's own members" in texts(later)
    assert [m.slack_user_id for m in all_of(rapport.db, Member)] == []
    assert rapport.slack.views() == []


def test_a_partner_running_the_shortcut_is_told_so_too(rapport) -> None:
    message = {"type": "message", "user": "U0ALICE", "ts": "1795000000.000300", "text": "hi"}

    with watching_failures() as watch:
        shortcut = rapport.shortcut(message, user="U0EMMA")
        assert "Rapport is for this company's own members" in shortcut.later()["text"]
        assert watch.failures == []
    assert count(rapport.db, Member) == 0


# --- events and what no listener takes -----------------------------------------------------------


def test_a_user_change_without_a_user_object_changes_nothing(rapport) -> None:
    with watching_failures() as watch:
        answer = rapport.event("Ev0NOUSER", {"type": "user_change", "event_ts": "1.2"})
        assert watch.failures == []
    assert answer.status == 200


def test_an_event_no_listener_takes_is_a_200_noted_in_one_short_line(rapport, caplog) -> None:
    """Slack retries an event answered with anything but a 2xx: an event type Rapport has no
    work for is acknowledged, and nothing is done."""
    caplog.set_level(logging.INFO)
    with watching_failures() as watch:
        answer = rapport.event("Ev0EMOJI", {"type": "emoji_changed", "subtype": "remove"})
        assert watch.failures == [] and watch.warnings == []

    assert answer.status == 200
    assert [r.getMessage() for r in caplog.records if r.name.startswith(("bot.", "handlers."))] == [
        "no work for an event of type emoji_changed; acknowledged"
    ]


def test_a_request_no_listener_takes_is_a_404_noted_in_one_short_line(rapport, caplog) -> None:
    caplog.set_level(logging.INFO)
    with watching_failures() as watch:
        answer = rapport.click("no_such_button", "1").answer
        assert watch.failures == [] and watch.warnings == []

    assert answer.status == 404
    assert [r.getMessage() for r in caplog.records if r.name == "bot.bootstrap"] == [
        "no listener for a request of kind block_actions"
    ]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"view": "a string"},
        {"view": {"blocks": "a string"}},
        {"view": {"blocks": [None, {"type": "input"}]}},
        {"response_url": 5},
        {"response_url": "not a url at all"},
        {"team": "T0ACME", "user": "U0ALICE"},
        {"team": ["T0ACME"], "user": {"id": 5}},
    ],
)
@pytest.mark.parametrize(
    "kind", ["slash_command", "view_submission", "block_suggestion", "block_actions", ""]
)
def test_the_error_handlers_answer_takes_any_body(kind, body) -> None:
    from bot.http.direct_answers import answer_by_kind

    answer = answer_by_kind(kind, body, "message", "http://127.0.0.1:9/api/")

    assert answer.status in (200, 503)
