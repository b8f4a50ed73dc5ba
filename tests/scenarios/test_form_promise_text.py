"""The "Log a contact" form keeps a promise as `/logcontact` does: the words saying when it is
due come out when they name the due date picked, so that no later DM quotes a stale "morgen
früh"; when they name another day, the form asks which under the date picker and stores
nothing. A web or mail address is refused as a partner name, as the command refuses it. Over
signed HTTP, on SQLite and PostgreSQL; today is Wednesday 25 November 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from
from tests.support.rows import Interaction, Partner, Promise, count, only

JONAS = "U0JONAS"  # de-DE, Europe/Berlin
ALICE = "U0ALICE"  # en-US


def _open_form(rapport: RunningRapport, user: str) -> dict:
    known(rapport, user)
    rapport.command("", user=user)
    return rapport.slack.views()[-1]


def _submit(
    rapport: RunningRapport, user: str, *, promise: str, due: str, partner: str = "Acme"
) -> tuple[int, dict]:
    view = _open_form(rapport, user)
    values = state_from(view, new_partner=partner)
    values["promise"]["promise_input"]["value"] = promise
    values["due"]["due_date"]["selected_date"] = due
    answer = rapport.submit(view, values, user=user)
    return answer.status, (answer.json() if answer.body else {})


@pytest.mark.parametrize(
    ("user", "typed", "due", "kept"),
    [
        (ALICE, "call back tomorrow morning", "2026-11-26", "call back"),
        (ALICE, "send the quote by Friday", "2026-11-27", "send the quote"),
        (JONAS, "Rückruf morgen früh", "2026-11-26", "Rückruf"),
        (JONAS, "Muster übermorgen schicken", "2026-11-27", "Muster schicken"),
        (JONAS, "Angebot ASAP", "2026-12-02", "Angebot"),  # names no day: any day picked
        (ALICE, "Send the volume forecast", "2026-12-04", "Send the volume forecast"),
    ],
)
def test_the_forms_promise_loses_the_words_that_name_the_due_date_picked(
    rapport: RunningRapport, user: str, typed: str, due: str, kept: str
) -> None:
    status, body = _submit(rapport, user, promise=typed, due=due)

    assert (status, body) == (200, {})
    stored = only(rapport.db, Promise)
    assert (stored.text, stored.due_on) == (kept, date.fromisoformat(due))


@pytest.mark.parametrize(
    ("user", "typed", "due", "expected"),
    [
        (
            ALICE,
            "call back tomorrow",
            "2026-11-27",
            "The promise says “tomorrow”, which is Thursday, November 26, 2026, but the due "
            "date picked is Friday, November 27, 2026. Which is it? Pick Thursday, November 26, "
            "2026 here, or change those words in the promise.",
        ),
        (
            JONAS,
            "Muster bis Freitag schicken",
            "2026-11-30",
            "Die Zusage sagt „Freitag“, also Freitag, 27. November 2026, aber als Fälligkeit ist "
            "Montag, 30. November 2026 gewählt. Was gilt? Wähle hier Freitag, 27. November 2026, "
            "oder ändere diese Wörter in der Zusage.",
        ),
    ],
)
def test_the_form_asks_which_day_when_the_promise_names_another_than_the_one_picked(
    rapport: RunningRapport, user: str, typed: str, due: str, expected: str
) -> None:
    status, body = _submit(rapport, user, promise=typed, due=due)

    assert status == 200
    assert body["response_action"] == "errors"
    assert {key: value.replace("\u202f", " ") for key, value in body["errors"].items()} == {
        "due": expected
    }
    assert count(rapport.db, Interaction) == 0 and count(rapport.db, Promise) == 0


@pytest.mark.parametrize(
    ("user", "typed", "days"),
    [
        (
            ALICE,
            "call back tomorrow about the Friday delivery",
            "Thursday, November 26, 2026 or Friday, November 27, 2026",
        ),
        (
            JONAS,
            "morgen wegen der Freitag Lieferung anrufen",
            "Donnerstag, 26. November 2026 oder Freitag, 27. November 2026",
        ),
    ],
)
def test_two_days_in_the_promise_neither_picked_are_both_named_in_the_question(
    rapport: RunningRapport, user: str, typed: str, days: str
) -> None:
    status, body = _submit(rapport, user, promise=typed, due="2026-11-30")

    assert (status, body["response_action"]) == (200, "errors")
    assert days in body["errors"]["due"].replace("\u202f", " ")
    assert count(rapport.db, Promise) == 0


def test_picking_one_of_two_days_the_promise_names_keeps_the_other_as_a_date(
    rapport: RunningRapport,
) -> None:
    status, body = _submit(
        rapport, ALICE, promise="call back tomorrow about the Friday delivery", due="2026-11-26"
    )

    assert (status, body) == (200, {})
    assert only(rapport.db, Promise).text == "call back about the 2026-11-27 delivery"


def test_editing_a_promise_with_new_relative_words_cuts_them_too(rapport: RunningRapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call promise: send the deck by Friday").reply()
    rapport.click(buttons(reply)["Edit"]["action_id"], buttons(reply)["Edit"]["value"])
    view = rapport.slack.views()[-1]

    answer = rapport.submit(
        view, state_from(view, promise="send the deck tomorrow", due="2026-11-26")
    )

    assert answer.status == 200 and answer.body == ""
    stored = only(rapport.db, Promise)
    assert (stored.text, stored.due_on) == ("send the deck", date(2026, 11, 26))


@pytest.mark.parametrize(
    ("user", "field", "typed", "expected"),
    [
        (ALICE, "new_partner", "https://acme.example", "A web or mail address can't name"),
        (ALICE, "new_partner", "Acme (mailto:jens@acme.example)", "mailto:jens@acme.example"),
        (JONAS, "organisation", "jens@nordwind.example", "Eine Web- oder Mailadresse"),
        (JONAS, "new_partner", "Nordwind https://nordwind.example/x", "https://nordwind.example"),
    ],
)
def test_the_form_refuses_an_address_as_a_partner_name(
    rapport: RunningRapport, user: str, field: str, typed: str, expected: str
) -> None:
    view = _open_form(rapport, user)
    changes = {"new_partner": "Jens", field: typed}

    answer = rapport.submit(view, state_from(view, **changes), user=user)

    errors = answer.json()["errors"]
    assert list(errors) == [field]
    assert expected in errors[field]
    assert count(rapport.db, Partner) == 0 and count(rapport.db, Interaction) == 0


def test_a_mail_address_in_a_name_is_kept_as_the_command_keeps_it(rapport: RunningRapport) -> None:
    """Only a link is refused in a name, as in the command: "jens@acme.example" may be how
    someone is known; in the organisation it is refused."""
    view = _open_form(rapport, ALICE)

    answer = rapport.submit(view, state_from(view, new_partner="jens@acme.example"))

    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Partner).name == "jens@acme.example"
