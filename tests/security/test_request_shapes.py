"""What a signed body must look like before Bolt sees it (`bot.http.shapes`), and Bolt
dispatching the body as Rapport parsed it (`bot.http.endpoint.bolt_request`)."""

from __future__ import annotations

import json

import pytest

from bot.http.endpoint import parse_incoming
from bot.http.shapes import shape_problem
from bot.sandbox.signing import view_submission
from tests.support.blocks import texts
from tests.support.corpus import CONTENT_TYPES, FILES, encoded, load
from tests.support.watch import watching_failures


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_body_of_the_corpus_is_refused_unless_it_expects_a_400(path) -> None:
    case = load(path)
    incoming = parse_incoming(CONTENT_TYPES[case["content_type"]], encoded(case).encode())
    refused = incoming is None or shape_problem(incoming.kind, incoming.body) is not None
    assert refused == (case["expect"]["status"] == 400)


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("view_submission", {"type": "view_submission", "view": None}, "view"),
        ("view_submission", {"type": "view_submission"}, "view"),
        ("view_submission", {"type": "view_submission", "view": {"id": "V1"}}, "view.type"),
        ("view_closed", {"type": "view_closed", "view": {"type": None}}, "view.type"),
        ("block_actions", {"type": "block_actions", "actions": []}, "actions[]"),
        (
            "block_actions",
            {"type": "block_actions", "actions": [{"value": "1"}]},
            "actions[0].action_id",
        ),
        ("block_suggestion", {"type": "block_suggestion"}, "action_id"),
        ("message_action", {"type": "message_action", "callback_id": ["x"]}, "callback_id"),
        ("event_callback", {"type": "event_callback", "event": "user_change"}, "event"),
        ("event_callback", {"type": "event_callback", "event": {"user": "U1"}}, "event.type"),
        ("shortcut", {"type": "shortcut", "callback_id": "x", "team": ["T1"]}, "team"),
        ("", {"authorizations": "T1"}, "authorizations"),
        ("", {"response_urls": 3}, "response_urls"),
        (
            "view_submission",
            {"type": "view_submission", "view": {"type": "modal", "state": {"values": {"b": "x"}}}},
            "view.state.values.b",
        ),
        (
            "event_callback",
            {"type": "event_callback", "event": {"type": "user_change", "user": {"tz": 9}}},
            "event.user.tz",
        ),
        ("slash_command", {"command": "/logcontact", "team_id": "T0ACME"}, "user_id"),
    ],
)
def test_a_field_slack_never_sends_in_that_type_is_named(kind, body, problem) -> None:
    assert shape_problem(kind, body) == problem


def test_slacks_own_variations_pass() -> None:
    org_wide = {"type": "block_actions", "team": None, "actions": [{"action_id": "a"}]}
    event = {"type": "event_callback", "event": {"type": "message", "team": "T1", "user": "U1"}}
    dialog = {"type": "dialog_submission", "callback_id": "c", "state": "kept by the app"}
    assert shape_problem("block_actions", org_wide) is None
    assert shape_problem("event_callback", event) is None
    assert shape_problem("dialog_submission", dialog) is None


def test_a_signed_body_slack_never_sends_is_a_400_naming_only_the_field(rapport, caplog) -> None:
    with watching_failures() as watch:
        answer = rapport.sender.interaction(
            {"type": "view_submission", "team": {"id": "T0ACME"}, "view": None}
        )
        assert watch.failures == []
        assert watch.warnings == [
            "bot.http.endpoint: refused a signed view_submission whose view is not shaped as "
            "Slack sends it"
        ]
    assert answer.status == 400


# --- Bolt dispatches Rapport's parse --------------------------------------------------------------


def test_a_command_that_says_payload_is_answered(rapport) -> None:
    rapport.command("help").reply()

    command = rapport.command("Acme call talked about the payload of the next launch")

    assert command.answer.status == 200
    assert "Logged your contact with *Acme*" in texts(command.ack)


def test_a_submission_with_several_response_urls_is_answered(rapport) -> None:
    rapport.command("help").reply()
    rapport.command("")
    view = rapport.slack.views()[-1]
    payload = view_submission(team_id="T0ACME", user_id="U0ALICE", view=view, values={})
    payload["response_urls"] = [
        {"block_id": "a", "action_id": "a", "channel_id": "C0TEAM", "response_url": "https://x/1"},
        {"block_id": "b", "action_id": "b", "channel_id": "C0TEAM", "response_url": "https://x/2"},
    ]

    with watching_failures() as watch:
        answer = rapport.sender.interaction(payload)
        assert watch.failures == []

    assert answer.status == 200
    assert json.loads(answer.body)["response_action"] == "errors"
