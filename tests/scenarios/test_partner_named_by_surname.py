"""A person partner named as colleagues speak of them, by the surname alone, over signed HTTP,
in English and German: "Ohlsen call" or "Herr Ohlsen Anruf" when "Jens Ohlsen (Nordwind GmbH)"
is known.

Today the surname is a new bare name: "Ohlsen call" creates a second partner "Ohlsen" without
a question (the reply says so, Undo removes it), and "Herr Ohlsen Anruf" asks only between a
new "Herr Ohlsen" and a new "Herr". Either way the contact Jens Ohlsen's colleagues meant is
not offered, and a team that logs by surname ends with two partners for one person, the
check-ins and promises split between them. A known partner whose last word is the name typed
should be offered before a new partner is created, as its first words are ("Schmidt" for
"Schmidt Logistik").
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, JONAS, send
from tests.support.rows import Interaction, Partner, all_of

KNOWN = "Jens Ohlsen (Nordwind GmbH)"


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("Ohlsen call", ALICE),
        ("ohlsen Anruf gestern", JONAS),
        ("Herr Ohlsen Anruf", JONAS),
        ("Mr Ohlsen call", ALICE),
    ],
)
def test_a_known_person_s_surname_alone_offers_them_before_a_new_partner(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """The surname of a known person partner is asked about, offering that partner, and no
    second partner is created, nor a contact logged, before the member chooses."""
    send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)

    reply = send(rapport, typed, user)

    assert KNOWN in buttons(reply), (texts(reply), list(buttons(reply)))
    assert [p.name for p in all_of(rapport.db, Partner)] == ["Jens Ohlsen"], texts(reply)
    assert len(all_of(rapport.db, Interaction)) == 1, texts(reply)
