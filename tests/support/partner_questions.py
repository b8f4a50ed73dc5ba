"""Partners named in `/logcontact` texts, and the questions about them, over signed HTTP: two
askers (Alice's Slack speaks English, Jonas's German), the buttons' words in each language, and
how a test sends a text, presses an answer and sets up the partners it needs."""

from __future__ import annotations

from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons
from tests.support.rows import Interaction, Partner, all_of

ALICE, JONAS = "U0ALICE", "U0JONAS"
CREATE = {ALICE: "New partner", JONAS: "Neuer Partner"}
CANCEL = {ALICE: "Cancel", JONAS: "Abbrechen"}
# The end of "Did you mean one of them (that one), or is it a new partner?": said alike
# whether one known partner is offered or more.
ASKED = {ALICE: "or is it a new partner?", JONAS: "oder ist es ein neuer Partner?"}


def send(rapport: RunningRapport, text: str, user: str) -> dict:
    """The reply to `/logcontact text` from `user`, a returning member."""
    known(rapport, user)
    return rapport.command(text, user=user).reply()


def press(rapport: RunningRapport, reply: dict, label: str, user: str) -> dict:
    """What pressing the button labelled `label` under `reply` answers."""
    button = buttons(reply)[label]
    return rapport.click(button["action_id"], button["value"], user=user).later()


def with_partners(rapport: RunningRapport, user: str, *partners: str) -> None:
    """The partners, each created by a contact logged for its quoted name (a name like one
    created before is asked about, and created as new)."""
    for name in partners:
        reply = send(rapport, f'"{name}" call kickoff', user)
        if f"{CREATE[user]} {name}" in buttons(reply):
            press(rapport, reply, f"{CREATE[user]} {name}", user)
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == sorted(partners)


def contacts_of(rapport: RunningRapport, name: str) -> list[Interaction]:
    """The contacts logged for the partner called `name`."""
    [partner_id] = [p.id for p in all_of(rapport.db, Partner) if p.name == name]
    return [i for i in all_of(rapport.db, Interaction) if i.partner_id == partner_id]


def partners_logged(rapport: RunningRapport, user: str, *texts_: str) -> dict[str, int]:
    """The known partners, each created by a `/logcontact` text logging its first contact
    ("kickoff") after its name as `texts_` type it, by their labels ("Jens Ohlsen (Nordwind
    GmbH)")."""
    known(rapport, user)
    for text in texts_:
        rapport.command(f"{text} call kickoff", user=user).reply()
    return {
        f"{p.name} ({p.organisation})" if p.organisation else p.name: p.id
        for p in all_of(rapport.db, Partner)
    }
