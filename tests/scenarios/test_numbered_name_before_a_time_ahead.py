"""A known numbered name followed by a time of day still ahead, over signed HTTP, in English and
German: "globex 2 pm call" at 10:00 beside "Globex" and "Globex 2".

The number may begin a time ("Globex, 2 pm") only when that time has passed: a contact is
logged after it happened, and a contact later than now is refused. Today the question offers
"Globex, 2 pm" at 10:00 anyway; pressed, the answer is the refusal "later than now", and the
text is gone (with any answer given before it, such as a promise's due day), so the member
types it all again. Where only one reading can be logged the text is plain: it should go to
"Globex 2", or at least the question should not offer what cannot be logged.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, JONAS, send, with_partners


@pytest.mark.parametrize(
    ("typed", "user", "reading"),
    [
        ("globex 2 pm call", ALICE, "Globex, 2 pm"),
        ("Globex 2 pm call promise: send the quote by Friday", ALICE, "Globex, 2 pm"),
        ("Globex 2 pm Anruf", JONAS, "Globex, 2 pm"),
    ],
)
def test_a_time_still_ahead_is_not_offered_as_the_contact_s_time(
    rapport: RunningRapport, typed: str, user: str, reading: str
) -> None:
    """At 10:00 a time later today cannot be the contact's: it is not offered as a reading."""
    with_partners(rapport, user, "Globex", "Globex 2")

    reply = send(rapport, typed, user)

    assert reading not in buttons(reply), (texts(reply), list(buttons(reply)))
