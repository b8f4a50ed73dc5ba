"""A known multi-word name followed by a capitalised word of the note, over signed HTTP.

"Acme Corp Q4 call yesterday" names "Acme Corp" exactly; "Q4" could start a longer, new
name, so Rapport asks. The partners like the longer reading offered since `6d35a0f` once
included "Acme", a partner whose name the typed words merely run on from, as taking all
three words "Acme Corp Q4": choosing it logged the contact to Acme with "Corp Q4" gone from
the text, and the question said the name was like some partners' although its first words
were one's exactly. The same in German with "Globex Asia Preise Anruf gestern" and
"Globex". A shorter partner is not offered (the known reading covers it). The words a shorter
name leaves, when one is chosen, are kept as the start of the note: see
test_partner_names_plain_text.py and tests/unit/parsing/test_partner_names.py.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, CREATE, JONAS, send, with_partners

FIRST_WORDS_NAME_ONE = {ALICE: "its first words name one", JONAS: "die ersten Wörter nennen einen"}


@pytest.mark.parametrize(
    ("partners", "typed", "user", "shorter", "known_name", "longer"),
    [
        (
            ("Acme", "Acme Corp"),
            "Acme Corp Q4 call yesterday",
            ALICE,
            "Acme",
            "Acme Corp",
            "Acme Corp Q4",
        ),
        (
            ("Globex", "Globex Asia"),
            "Globex Asia Preise Anruf gestern",
            JONAS,
            "Globex",
            "Globex Asia",
            "Globex Asia Preise",
        ),
    ],
)
def test_a_known_name_run_on_is_asked_about_as_a_known_name_not_a_like_one(
    rapport: RunningRapport,
    partners: tuple[str, str],
    typed: str,
    user: str,
    shorter: str,
    known_name: str,
    longer: str,
) -> None:
    """The question offers the partner the first words name and the longer new name, and says
    so; the shorter partner is no name like the typed one."""
    with_partners(rapport, user, *partners)

    reply = send(rapport, typed, user)

    assert FIRST_WORDS_NAME_ONE[user] in texts(reply), texts(reply)
    offered = buttons(reply)
    assert known_name in offered and f"{CREATE[user]} {longer}" in offered, offered
    assert shorter not in offered, offered
