"""Today's weekday with a time still ahead, over signed HTTP, in English and German: "Schmidt
Wednesday 3pm call" typed on a Wednesday at 10:00.

A bare weekday said on that weekday is asked about, today or a week ago, and nothing is stored
until the member picks (README, "When"). With a time still ahead, today's reading would be
refused; a week back is the one reading left, and it is still asked about (with Cancel), as
the member most likely typed today's meeting early or the wrong time ("Schmidt heute 15 Uhr",
"Schmidt 15:00" and "Schmidt Mi 12:00" are refused as later than now). Before, the question
was dropped for that reading and the contact logged a week back, unasked.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, CANCEL, JONAS, contacts_of, send, with_partners
from tests.support.world import NOW


@pytest.mark.parametrize(
    ("typed", "user", "last_week"),
    [
        ("Schmidt Wednesday 3pm call", ALICE, "Wednesday, November 18, 2026"),
        ("Schmidt Mittwoch 14 Uhr Anruf", JONAS, "Mittwoch, 18. November 2026"),
    ],
)
def test_today_s_weekday_with_a_time_ahead_logs_nothing_a_week_back_unasked(
    rapport: RunningRapport, typed: str, user: str, last_week: str
) -> None:
    """No contact is stored for last week's Wednesday without the member choosing that day."""
    assert NOW.strftime("%A") == "Wednesday" and NOW.hour == 10
    with_partners(rapport, user, "Schmidt")

    reply = send(rapport, typed, user)

    assert len(contacts_of(rapport, "Schmidt")) == 1, texts(reply)
    assert sorted(buttons(reply)) == sorted([last_week, CANCEL[user]]), list(buttons(reply))
