"""Today's weekday with a time still ahead, over signed HTTP, in English and German: "Schmidt
Wednesday 3pm call" typed on a Wednesday at 10:00.

A bare weekday said on that weekday is asked about, today or a week ago, and nothing is stored
until the member picks (README, "When"). With a time still ahead, today's reading would be
refused; a week back is the one reading left, and it is still asked about (with Cancel), as
the member most likely typed today's meeting early or the wrong time ("Schmidt heute 15 Uhr",
"Schmidt 15:00" and "Schmidt Mi 12:00" are refused as later than now). Before, the question
was dropped for that reading and the contact logged a week back, unasked. With one day left the
question asks to confirm it, saying why today is not offered, rather than claiming the words
could mean more than one day beside a single day's button.
"""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import (
    ALICE,
    CANCEL,
    JONAS,
    contacts_of,
    press,
    send,
    with_partners,
)
from tests.support.world import BERLIN, NOW


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


CONFIRM = {
    ALICE: (
        "*{phrase}* could be today, but the time typed is still ahead, and a contact is logged "
        "once it has happened. Did you mean {day}?"
    ),
    JONAS: (
        "*{phrase}* kann heute sein, aber die angegebene Uhrzeit liegt noch vor uns, und ein "
        "Kontakt wird erfasst, wenn er stattgefunden hat. Meintest du {day}?"
    ),
}
SEVERAL = {ALICE: "could mean more than one day", JONAS: "kann mehr als einen Tag meinen"}
LOGGED = {ALICE: "Logged your contact with", JONAS: "Dein Kontakt mit"}
CANCELLED = {ALICE: "Nothing was logged.", JONAS: "Es wurde nichts erfasst."}


@pytest.mark.parametrize(
    ("typed", "phrase", "user", "last_week"),
    [
        ("Schmidt Wednesday 3pm call", "Wednesday", ALICE, "Wednesday, November 18, 2026"),
        ("Schmidt Mittwoch 14 Uhr Anruf", "Mittwoch", JONAS, "Mittwoch, 18. November 2026"),
    ],
)
def test_the_one_day_left_is_asked_to_be_confirmed_and_logged_when_pressed(
    rapport: RunningRapport, typed: str, phrase: str, user: str, last_week: str
) -> None:
    """The question names the day left and why today is not offered, in the member's language,
    and no longer says the words could mean more than one day; pressed, the contact is logged
    on that day, at the time typed."""
    with_partners(rapport, user, "Schmidt")

    reply = send(rapport, typed, user)

    assert CONFIRM[user].format(phrase=phrase, day=last_week) in texts(reply), texts(reply)
    assert SEVERAL[user] not in texts(reply), texts(reply)
    logged = press(rapport, reply, last_week, user)

    assert LOGGED[user] in texts(logged), texts(logged)
    [answered] = [c for c in contacts_of(rapport, "Schmidt") if c.note != "kickoff"]
    assert answered.occurred_at.astimezone(BERLIN).date().isoformat() == "2026-11-18"


@pytest.mark.parametrize(("typed", "user"), [("Schmidt Wednesday 3pm call", ALICE)])
def test_cancel_under_the_confirmation_logs_nothing(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    with_partners(rapport, user, "Schmidt")

    cancelled = press(rapport, send(rapport, typed, user), CANCEL[user], user)

    assert CANCELLED[user] in texts(cancelled), texts(cancelled)
    assert len(contacts_of(rapport, "Schmidt")) == 1
