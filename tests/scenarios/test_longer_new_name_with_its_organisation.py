"""A new, longer name offered for the words after a name, with the organisation typed right
after them, over signed HTTP, in English and German: "Jens Ohlsen Berger (Nordwind GmbH) call"
with a known "Jens Ohlsen" offers the known partner, a new "Jens Ohlsen Berger (Nordwind GmbH)"
and Cancel. The button names the partner its press creates: before, it read "New partner Jens
Ohlsen Berger" and the press created him at Nordwind GmbH."""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons
from tests.support.partner_questions import ALICE, CANCEL, CREATE, JONAS, press, send
from tests.support.rows import Interaction, Partner, all_of


@pytest.mark.parametrize(
    ("known", "typed", "user", "new"),
    [
        (
            "Jens Ohlsen",
            "Jens Ohlsen Berger (Nordwind GmbH) call",
            ALICE,
            "Jens Ohlsen Berger (Nordwind GmbH)",
        ),
        (
            "Jens Ohlsen",
            "Jens Ohlsen Berger (Nordwind) Anruf",
            JONAS,
            "Jens Ohlsen Berger (Nordwind)",
        ),
    ],
)
def test_the_new_longer_name_offered_carries_the_organisation_it_is_created_with(
    rapport: RunningRapport, known: str, typed: str, user: str, new: str
) -> None:
    send(rapport, f'"{known}" call kickoff', user)

    reply = send(rapport, typed, user)

    offered = list(buttons(reply))
    assert offered == [known, f"{CREATE[user]} {new}", CANCEL[user]], offered
    press(rapport, reply, f"{CREATE[user]} {new}", user)
    created = [p for p in all_of(rapport.db, Partner) if p.name != known]
    assert [f"{p.name} ({p.organisation})" for p in created] == [new]
    [contact] = [i for i in all_of(rapport.db, Interaction) if i.partner_id == created[0].id]
    assert (contact.medium, contact.note) == ("call", "")
