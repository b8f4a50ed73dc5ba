"""The contact form's question about a new partner, answered with a known partner of that name
who has no organisation yet, over signed HTTP on both backends, in English and German: the
organisation typed in the form is given to the partner, and the summary says so, as when
`/logcontact "Jens Ohlsen" (Nordwind)` is answered so.

Found trying Rapport as a new user: with "Jens Ohlsen" known without an organisation, the form
with "Jens Ohlsen" and the organisation "Nordwind" asked, rightly; choosing "Jens Ohlsen" logged
the contact with him but dropped "Nordwind" without a word, where the command's same answer
sets it and says "Organisation of Jens Ohlsen set to Nordwind."."""

from __future__ import annotations

import pytest

from bot.blocks.contact_form import NEAR_BLOCK
from tests.support.app import RunningRapport, known
from tests.support.blocks import state_from, texts
from tests.support.rows import Partner, all_of

ALICE, JONAS = "U0ALICE", "U0JONAS"  # en-US, de-DE


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_organisation_typed_is_given_to_the_known_partner_chosen(
    rapport: RunningRapport, user: str
) -> None:
    known(rapport, user)
    rapport.command('"Jens Ohlsen" call kickoff', user=user).reply()
    [jens] = all_of(rapport.db, Partner)
    opened = rapport.command("", user=user)
    view = rapport.slack.views()[-1]
    typed = state_from(view, new_partner="Jens Ohlsen", organisation="Nordwind", note="Prices")
    asked = rapport.submit(view, typed, user=user).json()["view"]
    [question] = [b for b in asked["blocks"] if b["block_id"] == NEAR_BLOCK]
    assert question["element"]["options"][0]["value"] == f"p{jens.id}"

    answer = rapport.submit(asked, state_from(asked, near_partner=f"p{jens.id}"), user=user)

    assert answer.status == 200 and answer.body == "", answer.body
    [partner] = all_of(rapport.db, Partner)
    assert partner.organisation == "Nordwind"
    assert "Nordwind" in texts(opened.later())
