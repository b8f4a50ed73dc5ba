"""Undo's reply names the partner with its organisation, as the summary it replaces did, over
signed HTTP, in English and German.

With two Jens Ohlsens known, "the contact with Jens Ohlsen is removed" did not say which of
them the contact was taken from.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, JONAS, send
from tests.support.rows import Interaction, Partner, count

UNDO = {ALICE: "Undo", JONAS: "Rückgängig"}
REMOVED = {
    ALICE: "Undone: the contact with *Jens Ohlsen (Acme)* is removed.",
    JONAS: "Rückgängig gemacht: der Kontakt mit *Jens Ohlsen (Acme)* ist entfernt.",
}
REMOVED_WITH_PARTNER = {
    ALICE: "Undone: the contact and the new partner *Jens Ohlsen (Acme)* are removed.",
    JONAS: "Rückgängig gemacht: der Kontakt und der neue Partner *Jens Ohlsen (Acme)* sind "
    "entfernt.",
}


def _undone(rapport: RunningRapport, summary: dict, user: str) -> str:
    undo = buttons(summary)[UNDO[user]]
    return texts(rapport.click(undo["action_id"], undo["value"], user=user).later())


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_undo_names_the_partner_with_its_organisation(rapport: RunningRapport, user: str) -> None:
    """The contact taken from Jens Ohlsen (Acme), not from the one at Nordwind GmbH: the reply
    says which, as the summary did."""
    send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)
    send(rapport, '"Jens Ohlsen" (Acme) call kickoff', user)

    summary = send(rapport, '"Jens Ohlsen" (Acme) call follow-up', user)

    assert REMOVED[user] in _undone(rapport, summary, user)
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (2, 2)


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_undo_names_the_partner_it_removes_with_its_organisation(
    rapport: RunningRapport, user: str
) -> None:
    """The partner the contact created goes with it, named with its organisation."""
    send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)
    summary = send(rapport, '"Jens Ohlsen" (Acme) call kickoff', user)

    assert REMOVED_WITH_PARTNER[user] in _undone(rapport, summary, user)
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (1, 1)
