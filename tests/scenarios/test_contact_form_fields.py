"""The "Log a contact" form over signed HTTP, on SQLite and PostgreSQL: each field left empty in
turn is either saved without it (the field is marked optional) or named under the field with
nothing stored (it is not), in English and German; and "Log as contact" on a message sets How
to Message. Today is Wednesday 25 November 2026.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.app import RunningRapport, known
from tests.support.blocks import state_from
from tests.support.rows import Interaction, Partner, Promise, all_of, count, only

ALICE = "U0ALICE"  # en-US
JONAS = "U0JONAS"  # de-DE

# What the form says under a field left empty that it needs, per language.
NEEDED = {
    "kind": ("Pick what kind of contact it was.", "Wähle, welche Art von Kontakt es war."),
    "direction": ("Pick who gave and who took.", "Wähle, wer gegeben und wer genommen hat."),
    "when": ("Pick the day of the contact.", "Wähle den Tag des Kontakts."),
    "partner": (
        "Pick a partner or type the name of a new one.",
        "Wähle einen Partner oder gib den Namen eines neuen ein.",
    ),
    "due": ("When is the promise due?", "Wann ist die Zusage fällig?"),
    "promised_by": ("Who promised it: we or they?", "Wer hat es zugesagt: wir oder sie?"),
    "promise": (
        "A due date needs a promise: say what you promised.",
        "Ein Fälligkeitsdatum braucht eine Zusage: schreib, was du zugesagt hast.",
    ),
}


def _open_form(rapport: RunningRapport, user: str) -> dict[str, Any]:
    rapport.command("", user=user)
    return rapport.slack.views()[-1]


def _complete(
    rapport: RunningRapport, view: dict[str, Any], *, picked: int | None, promise: bool
) -> dict[str, Any]:
    """Every field filled in as a person would: the partner picked (`picked`, a partner's id) or
    typed, a promise with its due date and who made it when `promise`."""
    values = state_from(
        view,
        organisation="" if picked else "Acme Inc",
        new_partner="" if picked else "Acme",
        medium="call",
        kind="update",
        direction="gave",
        when="2026-11-24",
        at="14:30",
        note="Talked prices",
        promised_by="partner",
    )
    if picked is not None:
        values["partner"]["partner_select"]["selected_option"] = {
            "text": {"type": "plain_text", "text": "Acme"},
            "value": str(picked),
        }
    if promise:
        values["promise"]["promise_input"]["value"] = "Send the quote"
        values["due"]["due_date"]["selected_date"] = "2026-12-04"
    else:
        values["promised_by"]["promised_by_select"]["selected_option"] = None
    return values


def _emptied(values: dict[str, Any], block: str) -> dict[str, Any]:
    """`values` with `block` left empty, as Slack sends an untouched field: its state without a
    value."""
    state = next(iter(values[block].values()))
    for key in ("value", "selected_option", "selected_date", "selected_time"):
        if key in state:
            state[key] = None
    return values


CASES = [
    # (field left empty, partner picked from the list, with a promise, the error it gets)
    ("partner", False, False, None),
    ("new_partner", True, False, None),
    ("organisation", False, False, None),
    ("medium", False, False, None),
    ("at", False, False, None),
    ("note", False, False, None),
    ("promise", False, False, None),
    ("due", False, False, None),
    ("promised_by", False, False, None),
    ("kind", False, False, "kind"),
    ("direction", False, False, "direction"),
    ("when", False, False, "when"),
    ("new_partner", False, False, "partner"),
    ("due", True, True, "due"),
    ("promised_by", True, True, "promised_by"),
    ("promise", True, True, "promise"),
]


@pytest.mark.parametrize("user", [ALICE, JONAS], ids=["en", "de"])
@pytest.mark.parametrize(("block", "picked", "promise", "error"), CASES)
def test_each_field_left_empty_is_saved_without_it_or_named_as_needed(
    rapport: RunningRapport, user: str, block: str, picked: bool, promise: bool, error: str | None
) -> None:
    known(rapport, user)
    partner_id = None
    if picked:
        rapport.command("Acme call intro", user=user).reply()
        partner_id = only(rapport.db, Partner).id
    before = count(rapport.db, Interaction)
    view = _open_form(rapport, user)
    field = next(b for b in view["blocks"] if b.get("block_id") == block)
    values = _emptied(_complete(rapport, view, picked=partner_id, promise=promise), block)

    answer = rapport.submit(view, values, user=user)

    assert answer.status == 200
    if error is None:
        assert field.get("optional") is True, f"{block} is saved without but not marked optional"
        assert answer.body == ""
        assert count(rapport.db, Interaction) == before + 1
        return
    if block == error:
        assert not field.get("optional") or block in ("due", "promised_by", "promise")
    en, de = NEEDED[error]
    assert answer.json() == {
        "response_action": "errors",
        "errors": {error: en if user == ALICE else de},
    }
    assert count(rapport.db, Interaction) == before
    assert count(rapport.db, Promise) == 0


@pytest.mark.parametrize("user", [ALICE, JONAS], ids=["en", "de"])
def test_a_field_left_empty_is_stored_empty(rapport: RunningRapport, user: str) -> None:
    known(rapport, user)
    view = _open_form(rapport, user)
    values = _complete(rapport, view, picked=None, promise=False)
    for block in ("medium", "at", "note", "organisation"):
        _emptied(values, block)

    assert rapport.submit(view, values, user=user).body == ""

    logged = only(rapport.db, Interaction)
    assert (logged.medium, logged.has_time, logged.note) == (None, False, "")
    assert (logged.kind, logged.direction) == ("update", "gave")
    assert only(rapport.db, Partner).organisation is None


# --- "Log as contact" -------------------------------------------------------------------------


def _shortcut(rapport: RunningRapport, user: str, author: str, team: str, ts: str) -> dict:
    message = {
        "type": "message",
        "user": author,
        "user_team": team,
        "ts": ts,
        "text": "Could you send the pilot figures by Friday?",
    }
    rapport.shortcut(message, user=user)
    assert rapport.wait_until_idle()
    return rapport.slack.views()[-1]


@pytest.mark.parametrize(
    ("user", "label"), [(ALICE, "Message"), (JONAS, "Nachricht")], ids=["en", "de"]
)
@pytest.mark.parametrize(
    ("author", "team"),
    [("U0KENJI", "T0PARTNER"), ("U0BOB", "T0ACME")],
    ids=["partner", "colleague"],
)
def test_log_as_contact_sets_how_to_message(
    rapport: RunningRapport, user: str, label: str, author: str, team: str
) -> None:
    known(rapport, user)
    known(rapport, "U0BOB")

    view = _shortcut(rapport, user, author, team, "1795000000.000500")

    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert form["medium"]["initial_option"]["value"] == "message"
    assert form["medium"]["initial_option"]["text"]["text"] == label
    values = state_from(view) if author == "U0KENJI" else state_from(view, new_partner="Acme")
    assert rapport.submit(view, values, user=user).body == ""
    assert only(rapport.db, Interaction).medium == "message"


def test_log_as_contact_on_a_known_partners_message_sets_message_and_can_be_changed(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    first = _shortcut(rapport, ALICE, "U0KENJI", "T0PARTNER", "1795000000.000600")
    assert rapport.submit(first, state_from(first)).body == ""

    again = _shortcut(rapport, ALICE, "U0KENJI", "T0PARTNER", "1795000000.000700")

    form = {b["block_id"]: b["element"] for b in again["blocks"] if b["type"] == "input"}
    assert form["partner"]["initial_option"]["text"]["text"].startswith("Kenji Sato")
    assert form["medium"]["initial_option"]["value"] == "message"
    assert rapport.submit(again, state_from(again, medium="call")).body == ""
    media = sorted(i.medium or "" for i in all_of(rapport.db, Interaction))
    assert media == ["call", "message"]


@pytest.mark.parametrize("user", ["U0ALICE", "U0JONAS"])
def test_the_blank_form_chooses_no_medium_for_the_asker(rapport: RunningRapport, user: str) -> None:
    known(rapport, user)
    view = _open_form(rapport, user)
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert "initial_option" not in form["medium"], "How is not chosen for the asker"
    assert rapport.submit(view, state_from(view, new_partner="Initech"), user=user).body == ""
    assert only(rapport.db, Interaction).medium is None
