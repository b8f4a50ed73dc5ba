"""An honorific alone ("Herr", "Frau", "Dr", "Mr") names no partner, over signed HTTP, in
English and German.

Rapport reads "Herr Ohlsen" as a person's name (`HONORIFICS`): the honorific says a name
follows. Where none follows ("Herr Anruf gestern", a name forgotten, or "Dr call" typed in a
hurry), the honorific is today a new partner's whole name, created without a question, and the
contact is logged to a partner "Herr" the member never meant; and a question about "Herr
Ohlsen" offers "New partner Herr", the name "Ohlsen" then the note.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, CREATE, JONAS, send, with_partners
from tests.support.rows import Interaction, Partner, all_of


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("Herr Anruf gestern", JONAS),
        ("Frau Anruf", JONAS),
        ("Dr call yesterday", ALICE),
        ("Mr call", ALICE),
    ],
)
def test_an_honorific_alone_creates_no_partner_unasked(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """No partner called "Herr" or "Dr" is created, nor a contact logged, without the member
    choosing it."""
    with_partners(rapport, user, "Heike Meier")

    reply = send(rapport, typed, user)

    assert [p.name for p in all_of(rapport.db, Partner)] == ["Heike Meier"], texts(reply)
    assert len(all_of(rapport.db, Interaction)) == 1, texts(reply)


@pytest.mark.parametrize(
    ("typed", "user", "honorific"),
    [
        ("Herr Meier Anruf", JONAS, "Herr"),
        ("Mr Meier call", ALICE, "Mr"),
    ],
)
def test_a_question_about_a_surname_after_an_honorific_offers_no_partner_of_the_honorific(
    rapport: RunningRapport, typed: str, user: str, honorific: str
) -> None:
    """The known person is offered, and a new partner of the whole name, but not one called by
    the honorific alone with the surname as its note."""
    with_partners(rapport, user, "Heike Meier")

    reply = send(rapport, typed, user)

    assert "Heike Meier" in buttons(reply), texts(reply)
    assert f"{CREATE[user]} {honorific}" not in buttons(reply), list(buttons(reply))


@pytest.mark.parametrize(
    ("typed", "user", "offered"),
    [
        ("Frau hat angerufen", JONAS, "Frau hat"),
        ("Herr ist heute krank", JONAS, "Herr ist"),
    ],
)
def test_an_everyday_word_after_an_honorific_is_not_offered_as_a_name(
    rapport: RunningRapport, typed: str, user: str, offered: str
) -> None:
    """A name follows an honorific whatever its case ("herr ohlsen"), but a short everyday word
    ("hat", "ist", `EVERYDAY_WORDS`) starts the sentence: "Frau hat" is offered today as a new
    partner's name, the first button."""
    with_partners(rapport, user, "Heike Meier")

    reply = send(rapport, typed, user)

    assert f"{CREATE[user]} {offered}" not in buttons(reply), list(buttons(reply))
