"""A partner's card asked for by name and an organisation typed as people say it, over signed
HTTP, in English and German: `/rapport partner "Jens Ohlsen" (Nordwind)` when "Jens Ohlsen
(Nordwind GmbH)" is known.

`/logcontact "Jens Ohlsen" (Nordwind) call` offers Jens Ohlsen (Nordwind GmbH), and the card
for "Nordwind" alone names him ("Did you mean …?"); but the card for the name with the
organisation said without its legal form, or with another, answers only that no such partner
is known and points to a search, as if nobody were near. The member who just logged the
contact that way is told Rapport does not know the person.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, JONAS, send

KNOWN = "Jens Ohlsen (Nordwind GmbH)"


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ('"Jens Ohlsen" (Nordwind)', ALICE),
        ('"Jens Ohlsen" (Nordwind AG)', JONAS),
        ("jens ohlsen (nordwind)", JONAS),
    ],
)
def test_the_card_for_a_name_at_an_organisation_said_loosely_names_the_known_partner(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """Not the card of a partner of that exact name and organisation: the answer names the
    known partner, as `/logcontact` offers it for the same words."""
    send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)

    reply = rapport.command(f"partner {typed}", user=user, command="/rapport").reply()

    shown = texts(reply) + "\n" + reply.get("text", "")
    assert KNOWN in shown, shown


@pytest.mark.parametrize(
    ("typed", "user", "heading"),
    [
        ('"Jens Ohlsen" (Nordwind)', ALICE, "Did you mean"),
        ("jens ohlsen (nordwind ag)", JONAS, "Meintest du"),
    ],
)
def test_each_partner_a_card_suggests_is_a_button_that_opens_its_card(
    rapport: RunningRapport, typed: str, user: str, heading: str
) -> None:
    """The "Did you mean …?" names the partner with a button for it: pressed, the reply is
    that partner's card, without the command typed again."""
    send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)
    reply = rapport.command(f"partner {typed}", user=user, command="/rapport").reply()
    assert heading in texts(reply), texts(reply)

    button = buttons(reply)[KNOWN]
    card = rapport.click(button["action_id"], button["value"], user=user).later()

    shown = texts(card)
    assert KNOWN in shown and heading not in shown, shown
