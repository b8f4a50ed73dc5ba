"""The form, its partner search, the "Log as contact" shortcut and the Drop modal: text that no
column could hold is refused under its field or, where Rapport takes it over from a message or a
profile, cleaned; a search for it finds nothing instead of failing. Signed HTTP against the
running app, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.vocabulary import NAME_MAX_CHARS
from tests.support.app import RunningRapport
from tests.support.blocks import state_from
from tests.support.nudges import jobs_for, press, promise_dm
from tests.support.rows import Interaction, Partner, Promise, count, only


def known(rapport: RunningRapport, user: str = "U0ALICE") -> None:
    assert rapport.command("help", user=user).reply()


# --- the partner search -----------------------------------------------------------------------


def suggested(rapport: RunningRapport, typed: str) -> list[str]:
    answer = rapport.suggest("partner_select", typed, user="U0ALICE")
    assert answer.status == 200, answer.body
    return [option["text"]["text"] for option in answer.json()["options"]]


@pytest.mark.parametrize(
    "typed",
    [
        "x" * 60000,  # a LIKE pattern past SQLite's 50,000 bytes
        "ä" * 30000,
        "%_" * 20000,  # every character escaped doubles the pattern
        "ß" * 700,  # folds to 1,400: longer than any key
        "nord\x00",  # PostgreSQL refuses NUL in text
        "nord\ud800",  # no UTF-8 column holds a lone surrogate
    ],
)
def test_a_search_no_partner_can_match_finds_nothing_and_fails_nothing(
    rapport: RunningRapport, typed: str, no_errors_logged: None
) -> None:
    known(rapport)
    rapport.command('"Nordwind" (Baltic Freight) call').reply()

    assert suggested(rapport, typed) == []
    assert suggested(rapport, "nord") == ["Nordwind (Baltic Freight)"]


# --- the form ---------------------------------------------------------------------------------


def open_form(rapport: RunningRapport, user: str = "U0ALICE") -> dict[str, Any]:
    known(rapport, user)
    rapport.command("", user=user)
    return rapport.slack.views()[-1]


@pytest.mark.parametrize(
    ("user", "field", "value", "error"),
    [
        (
            "U0ALICE",
            "new_partner",
            "Nord\x00wind",
            "Remove the invisible control character (U+0000).",
        ),
        (
            "U0ALICE",
            "organisation",
            "Baltic\ud800",
            "Remove the invisible control character (U+D800).",
        ),
        ("U0JONAS", "note", "Termin\x1b[0m", "Entferne das unsichtbare Steuerzeichen (U+001B)."),
        ("U0JONAS", "promise", "Angebot\x7f", "Entferne das unsichtbare Steuerzeichen (U+007F)."),
    ],
)
def test_a_control_character_is_refused_under_its_field(
    rapport: RunningRapport, user: str, field: str, value: str, error: str, no_errors_logged: None
) -> None:
    view = open_form(rapport, user)
    values = state_from(view, **{"new_partner": "Nordwind", field: value})

    answer = rapport.submit(view, values, user=user)

    assert answer.json()["errors"][field] == error
    assert count(rapport.db, Interaction) == 0


def test_line_breaks_of_any_keyboard_are_kept_in_a_form_note(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    view = open_form(rapport)

    answer = rapport.submit(
        view, state_from(view, new_partner="Nordwind", note="one\r\ntwo\tthree")
    )

    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Interaction).note == "one\ntwo\tthree"


def test_a_new_partner_of_101_eszett_is_stored_from_the_form(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    view = open_form(rapport)

    answer = rapport.submit(view, state_from(view, new_partner="ß" * 101))

    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Partner).name_key == "ss" * 101


def test_a_partner_value_no_row_can_have_is_read_as_no_partner(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    view = open_form(rapport)
    for value in ("²", "9" * 30, "-1"):
        values = state_from(view)
        values["partner"]["partner_select"]["selected_option"] = {
            "text": {"type": "plain_text", "text": "Acme"},
            "value": value,
        }

        answer = rapport.submit(view, values)

        assert answer.json()["errors"] == {
            "partner": "Pick a partner or type the name of a new one."
        }


# --- a message taken in by "Log as contact" ---------------------------------------------------


def test_a_message_with_controls_becomes_a_clean_multi_line_note(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)
    message = {
        "type": "message",
        "user": "U0KENJI",
        "ts": "1795000000.000300",
        "text": "Pilot figures\x00 &amp; deck\x07\r\nby Friday?\n\tthanks\ud800",
    }

    rapport.shortcut(message)

    assert rapport.wait_until_idle()
    view = rapport.slack.views()[-1]
    note = "Pilot figures & deck\nby Friday?\n\tthanks"
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert form["note"]["initial_value"] == note
    answer = rapport.submit(view, state_from(view))
    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Interaction).note == note


def test_an_author_with_an_outsized_profile_is_proposed_and_stored_within_the_columns(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    known(rapport)
    slack.add_user(
        "U0ODD",
        team_id="T0PARTNER",
        name="odd",
        real_name="Ødd\x00 Partner " + "x" * 400,
        tz="Mars/Olympus_Mons",
        locale="x" * 40,
        email="o" * 400 + "@partner.example",
    )
    message = {"type": "message", "user": "U0ODD", "ts": "1795000000.000400", "text": "Hi"}

    rapport.shortcut(message)

    assert rapport.wait_until_idle()
    view = rapport.slack.views()[-1]
    assert len(view["private_metadata"]) <= 3000
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    name = form["new_partner"]["initial_value"]
    assert name.startswith("Ødd Partner xxx") and len(name) == NAME_MAX_CHARS
    answer = rapport.submit(view, state_from(view))
    assert answer.status == 200 and answer.body == ""
    partner = only(rapport.db, Partner)
    assert (partner.name, partner.slack_user_id, partner.tz, partner.email) == (
        name,
        "U0ODD",
        None,
        None,
    )


# --- the reason a promise was dropped ---------------------------------------------------------


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def test_a_drop_reason_with_a_control_character_is_refused_under_its_field(
    rapport: RunningRapport,
    clock: ManualClock,
    slack: SlackStandIn,
    jobs: Jobs,
    no_errors_logged: None,
) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    press(rapport, message, "promise", promise_id, "nudge_drop")
    [opened] = slack.views()

    def reason(text: str) -> dict[str, Any]:
        return {"reason": {"reason_input": {"type": "plain_text_input", "value": text}}}

    refused = rapport.submit(opened, reason("not \x00needed"))

    assert refused.json()["errors"] == {
        "reason": "Remove the invisible control character (U+0000)."
    }
    assert only(rapport.db, Promise).status == "open"
    assert rapport.submit(opened, reason("not needed")).status == 200
    assert rapport.wait_until_idle()
    promise = only(rapport.db, Promise)
    assert (promise.status, promise.drop_reason) == ("dropped", "not needed")
