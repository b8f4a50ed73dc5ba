"""The "Log a contact" modal says which fields are optional, and means it: each input's
`optional` flag is checked against what the submission's checks (`read_form`, `form_errors`)
accept with that field left empty, field by field, in English and German. No Slack, no
database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.blocks.contact_form import (
    REQUIRED_BLOCKS,
    ContactForm,
    ModalContext,
    contact_modal,
    form_errors,
    read_form,
)
from bot.texts.reader import Reader

TODAY = date(2026, 11, 25)
EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")


def modal(reader: Reader, form: ContactForm | None = None) -> dict[str, Any]:
    view = contact_modal(reader, form or ContactForm(on=TODAY), ModalContext())
    assert isinstance(view, View)
    view.validate_json()  # slack_sdk's own limits for views and blocks
    return view.to_dict()


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def filled(
    view: dict[str, Any], *, partner: str, promise: bool = True
) -> dict[str, dict[str, Any]]:
    """A complete submission as Slack sends it: every field set, the partner picked (`partner`
    "picked") or typed ("typed"), with a promise, its due date and who made it, or none."""
    by_block: dict[str, dict[str, Any]] = {
        "partner": {"selected_option": {"value": "7", "text": {"type": "plain_text", "text": "A"}}},
        "new_partner": {"value": "Acme"},
        "organisation": {"value": "Acme Inc"},
        "medium": {"selected_option": {"value": "call"}},
        "kind": {"selected_option": {"value": "update"}},
        "direction": {"selected_option": {"value": "gave"}},
        "when": {"selected_date": "2026-11-24"},
        "at": {"selected_time": "14:30"},
        "note": {"value": "Talked prices"},
        "promise": {"value": "Send the quote"},
        "promised_by": {"selected_option": {"value": "partner"}},
        "due": {"selected_date": "2026-12-04"},
    }
    del by_block["new_partner" if partner == "picked" else "partner"]
    if not promise:
        for block in ("promise", "promised_by", "due"):
            del by_block[block]
    blocks = inputs(view)
    assert set(by_block) <= set(blocks)
    return {
        block: {blocks[block]["element"]["action_id"]: state} for block, state in by_block.items()
    }


# Every complete form: the partner picked or typed, with a promise or without.
COMPLETE = [
    {"partner": partner, "promise": promise}
    for partner in ("picked", "typed")
    for promise in (True, False)
]


def errors_with_empty(
    reader: Reader, view: dict[str, Any], block: str, complete: dict[str, Any]
) -> dict[str, str]:
    values = filled(view, **complete)
    values.pop(block, None)  # left empty: Slack sends the block with nothing selected, or not
    return form_errors(reader, read_form(values, today=TODAY), today=TODAY)


@pytest.mark.parametrize("reader", [EN, DE], ids=["en", "de"])
def test_a_complete_form_is_accepted_every_way_it_can_be_complete(reader: Reader) -> None:
    view = modal(reader)
    assert set(filled(view, partner="picked")) | {"new_partner"} == set(inputs(view)), (
        "a field this test does not fill in"
    )
    for complete in COMPLETE:
        form = read_form(filled(view, **complete), today=TODAY)
        assert form_errors(reader, form, today=TODAY) == {}, complete


@pytest.mark.parametrize("reader", [EN, DE], ids=["en", "de"])
def test_every_field_is_optional_exactly_when_the_form_can_be_saved_without_it(
    reader: Reader,
) -> None:
    view = modal(reader)
    for block_id, block in inputs(view).items():
        outcomes = [errors_with_empty(reader, view, block_id, c) for c in COMPLETE]
        if block.get("optional"):
            # Some complete form stays saveable with this field emptied.
            assert {} in outcomes, f"{block_id} is marked optional but the form needs it"
        else:
            # Emptied from any complete form, the field itself is named as missing.
            assert all(block_id in errors for errors in outcomes), (
                f"{block_id} is marked required but the form goes without it"
            )
    assert {b for b, block in inputs(view).items() if not block.get("optional")} == REQUIRED_BLOCKS


@pytest.mark.parametrize(
    ("reader", "block", "said"),
    [
        (EN, "kind", "Pick what kind of contact it was."),
        (EN, "direction", "Pick who gave and who took."),
        (EN, "when", "Pick the day of the contact."),
        (DE, "kind", "Wähle, welche Art von Kontakt es war."),
        (DE, "direction", "Wähle, wer gegeben und wer genommen hat."),
        (DE, "when", "Wähle den Tag des Kontakts."),
    ],
)
def test_a_required_field_left_empty_is_named_under_it(
    reader: Reader, block: str, said: str
) -> None:
    values = filled(modal(reader), partner="typed")
    del values[block]
    assert form_errors(reader, read_form(values, today=TODAY), today=TODAY) == {block: said}


@pytest.mark.parametrize(
    ("reader", "block", "said"),
    [
        (EN, "due", "When is the promise due?"),
        (EN, "promised_by", "Who promised it: we or they?"),
        (EN, "promise", "A due date needs a promise: say what you promised."),
        (DE, "due", "Wann ist die Zusage fällig?"),
        (DE, "promised_by", "Wer hat es zugesagt: wir oder sie?"),
    ],
)
def test_a_promises_companions_are_needed_with_it_and_only_then(
    reader: Reader, block: str, said: str
) -> None:
    values = filled(modal(reader), partner="picked")
    del values[block]
    assert form_errors(reader, read_form(values, today=TODAY), today=TODAY) == {block: said}
    for companion in ("promise", "due", "promised_by"):
        values.pop(companion, None)
    assert form_errors(reader, read_form(values, today=TODAY), today=TODAY) == {}


@pytest.mark.parametrize(
    ("reader", "hint", "promise_hint"),
    [
        (
            EN,
            "Needed: pick a partner here, or type a new one in the next field.",
            "Needed when there is a promise.",
        ),
        (
            DE,
            "Nötig: Wähle hier einen Partner oder gib im nächsten Feld einen neuen ein.",
            "Nötig, wenn es eine Zusage gibt.",
        ),
    ],
)
def test_optional_fields_needed_together_with_another_say_so(
    reader: Reader, hint: str, promise_hint: str
) -> None:
    blocks = inputs(modal(reader))
    assert blocks["partner"]["hint"]["text"] == hint
    assert blocks["due"]["hint"]["text"] == promise_hint
    assert blocks["promised_by"]["hint"]["text"] == promise_hint
    values = filled(modal(reader), partner="picked")
    del values["partner"]
    missing = form_errors(reader, read_form(values, today=TODAY), today=TODAY)
    assert set(missing) == {"partner"}


def test_an_edit_form_keeps_the_same_flags() -> None:
    edited = ContactForm(on=TODAY, partner_id=3, partner_label="Acme", medium="email")
    flags = {b: block.get("optional", False) for b, block in inputs(modal(EN, edited)).items()}
    assert flags == {b: block.get("optional", False) for b, block in inputs(modal(EN)).items()}


@pytest.mark.parametrize(
    ("reader", "said"),
    [
        (EN, "Today at 10:00\u202fPM is later than now: the contact can't be in the future."),
        (DE, "Heute um 22:00 ist später als jetzt: Der Kontakt kann nicht in der Zukunft liegen."),
    ],
)
def test_a_time_later_today_is_refused_under_the_time_picker(reader: Reader, said: str) -> None:
    form = ContactForm(on=TODAY, partner_id=3, medium="email", at=time(22, 0))
    assert form_errors(reader, form, today=TODAY, now=time(10, 30)) == {"at": said}
    # Earlier today, another day, or no time of day: nothing in the future.
    assert form_errors(reader, form, today=TODAY, now=time(22, 0, 30)) == {}
    yesterday = replace(form, on=date(2026, 11, 24))
    assert form_errors(reader, yesterday, today=TODAY, now=time(10, 30)) == {}
    assert form_errors(reader, replace(form, at=None), today=TODAY, now=time(10, 30)) == {}


def test_a_time_without_a_day_is_not_judged_against_now() -> None:
    form = ContactForm(
        on=TODAY, partner_id=3, medium="email", at=time(22), missing=frozenset({"when"})
    )
    assert set(form_errors(EN, form, today=TODAY, now=time(10, 30))) == {"when"}
