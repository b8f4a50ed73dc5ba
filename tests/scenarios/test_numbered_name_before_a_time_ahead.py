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
from tests.support.partner_questions import (
    ALICE,
    CANCEL,
    JONAS,
    contacts_of,
    press,
    send,
    with_partners,
)


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


@pytest.mark.parametrize(
    ("typed", "user", "note"),
    [
        ("globex 2 pm call", ALICE, "pm call"),
        ("Globex 2 pm Anruf", JONAS, "pm Anruf"),
        ("Globex 2 pm call promise: send the quote by Friday", ALICE, "pm call"),
        ("Globex 2 pm Anruf Zusage: Angebot bis Freitag", JONAS, "pm Anruf"),
    ],
)
def test_with_one_reading_left_the_text_is_logged_unasked(
    rapport: RunningRapport, typed: str, user: str, note: str
) -> None:
    """A time later today read after "Globex" would be refused: "Globex 2" is the one reading,
    logged without a question, its promise with it."""
    with_partners(rapport, user, "Globex", "Globex 2")

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), (texts(reply), list(buttons(reply)))
    assert [i.note for i in contacts_of(rapport, "Globex 2") if i.note != "kickoff"] == [note]
    assert [i.note for i in contacts_of(rapport, "Globex") if i.note != "kickoff"] == []


@pytest.mark.parametrize(
    ("typed", "user", "reading", "asked"),
    [
        ("globex 2 am call", ALICE, "Globex, 2 am", None),
        ("globex 2. dezember call", JONAS, "Globex, 2. dezember", "liegt noch vor uns"),
        ("Globex 2 Dec call", ALICE, "Globex, 2 Dec", "is still ahead"),
    ],
)
def test_a_reading_still_offered_leads_to_a_contact_or_a_question(
    rapport: RunningRapport, typed: str, user: str, reading: str, asked: str | None
) -> None:
    """A time passed, or a day ahead whose year before is asked about, stays a reading; pressed,
    it logs the contact or asks on, never refuses."""
    with_partners(rapport, user, "Globex", "Globex 2")
    reply = send(rapport, typed, user)
    assert reading in buttons(reply), (texts(reply), list(buttons(reply)))

    later = press(rapport, reply, reading, user)

    if asked is None:
        assert len([i for i in contacts_of(rapport, "Globex") if i.note != "kickoff"]) == 1
    else:
        assert asked in texts(later), texts(later)


@pytest.mark.parametrize(
    ("typed", "user", "refused"),
    [
        ("Schmidt Logistik Telefonat 14:00", JONAS, "später als jetzt"),
        ("Schmidt Logistics call 3 pm", ALICE, "later than now"),
    ],
)
def test_a_question_whose_every_reading_would_be_refused_is_not_asked(
    rapport: RunningRapport, typed: str, user: str, refused: str
) -> None:
    """Either name ("Schmidt", "Schmidt Logistik") sets the other word aside and reads the time
    after it, later than now: no reading can be logged, so the refusal comes at once, rather
    than a question whose every answer is refused and loses the text."""
    with_partners(rapport, user, "Schmidt")

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), (texts(reply), list(buttons(reply)))
    assert refused in texts(reply), texts(reply)
