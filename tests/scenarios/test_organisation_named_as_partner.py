"""A company with its legal form typed where a partner's name goes, over signed HTTP, in
English and German, with "Jens Ohlsen (Nordwind GmbH)" known: "Nordwind AG call" offered "New
partner Nordwind" beside "New partner Nordwind AG", and the first created "Nordwind" with the
note "AG": a new partner's name offered keeps the legal form typed.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, CREATE, JONAS, press, send
from tests.support.rows import Interaction, Partner, all_of


def _with_jens(rapport: RunningRapport, user: str, organisation: str) -> None:
    send(rapport, f'"Jens Ohlsen" ({organisation}) call kickoff', user)
    assert [(p.name, p.organisation) for p in all_of(rapport.db, Partner)] == [
        ("Jens Ohlsen", organisation)
    ]


@pytest.mark.parametrize(
    ("typed", "user", "note"),
    [("Nordwind AG call", ALICE, ""), ("Nordwind AG Anruf Angebot", JONAS, "Angebot")],
)
def test_a_new_partner_offered_keeps_the_legal_form_typed(
    rapport: RunningRapport, typed: str, user: str, note: str
) -> None:
    """The new name offered is "Nordwind AG", not "Nordwind" with "AG" in the note."""
    _with_jens(rapport, user, "Nordwind GmbH")

    reply = send(rapport, typed, user)
    offered = [label for label in buttons(reply) if label.startswith(CREATE[user])]
    assert offered == [f"{CREATE[user]} Nordwind AG"], (texts(reply), list(buttons(reply)))

    press(rapport, reply, f"{CREATE[user]} Nordwind AG", user)
    [created] = [p for p in all_of(rapport.db, Partner) if p.name != "Jens Ohlsen"]
    assert created.name == "Nordwind AG"
    [contact] = [i for i in all_of(rapport.db, Interaction) if i.partner_id == created.id]
    assert contact.note == note
