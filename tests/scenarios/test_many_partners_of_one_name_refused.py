"""A name more partners share than a question offers (`SEVERAL_PARTNERS_MAX`), over signed
HTTP, in English and German: the refusal lists them to say which organisation to type.

Echoed like any typed value, the list was cut at 300 characters, in the middle of a name
("… Jens Ohlsen (Nordwin…"), hiding the organisation the member had to type. It lists whole
names and says how many more there are.
"""

from __future__ import annotations

import re

import pytest

from bot.parsing.contact_text import SEVERAL_PARTNERS_MAX
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, CREATE, JONAS, press, send
from tests.support.rows import Interaction, Partner, count

HOW_MANY = SEVERAL_PARTNERS_MAX + 3
ORGANISATIONS = [f"Nordwind Logistik Hamburg {number} GmbH" for number in range(1, HOW_MANY + 1)]
LABELS = {f"Jens Ohlsen ({organisation})" for organisation in ORGANISATIONS}
REFUSED = {ALICE: "Several partners are called", JONAS: "Mehrere Partner heißen"}
MORE = {ALICE: r" and (\d+) more\.", JONAS: r" und (\d+) weitere\."}


def _with_partners(rapport: RunningRapport, user: str) -> None:
    """A Jens Ohlsen at each organisation, each created by a contact (a new one asked about
    as near the others is created as new)."""
    for organisation in ORGANISATIONS:
        reply = send(rapport, f'"Jens Ohlsen" ({organisation}) call kickoff', user)
        new = f"{CREATE[user]} Jens Ohlsen ({organisation})"
        if new in buttons(reply):
            press(rapport, reply, new, user)
    assert count(rapport.db, Partner) == HOW_MANY


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_refusal_lists_whole_names_and_how_many_more(
    rapport: RunningRapport, user: str
) -> None:
    """Every name listed whole, with its organisation; the rest counted, in the asker's
    language; nothing logged."""
    _with_partners(rapport, user)
    before = count(rapport.db, Interaction)

    reply = send(rapport, "Jens Ohlsen call follow-up", user)

    shown = texts(reply)
    assert REFUSED[user] in shown, shown
    assert count(rapport.db, Interaction) == before
    listed = shown[shown.index(":", shown.index(REFUSED[user])) + 1 :]
    more = re.search(MORE[user], listed)
    assert more is not None, listed
    names = [name.strip() for name in listed[: more.start()].split(",")]
    assert names and all(name in LABELS for name in names), names
    assert len(names) + int(more[1]) == HOW_MANY, (names, more[1])
    assert "…" not in listed, listed
