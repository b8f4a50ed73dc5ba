"""A person partner named by the surname, or after an honorific ("Herr", "Frau Dr.", "Mr."),
over signed HTTP, in English and German, on both backends.

A known partner whose last words are the name typed, whole, is offered before a new partner is
created: the known partner, a new one as typed, and Cancel; the one chosen keeps the rest of
the text (medium, day, note, promise). Two persons of one surname are both offered; a surname
that begins another partner's name offers both, that one first. A word that names no one by
itself (one letter, a legal form) is a new partner as before, without a question. Where no
partner has the name after the honorific, the question stays as it was: the new partner is
called as typed ("Herr Krause"), for Rapport does not know the first name, and a name that
keeps its honorific is predictable (a rename fixes it later). After an honorific the next word
is read as more of the name whatever its case ("herr ohlsen"), so that "herr" alone is never a
new partner created unasked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import (
    ALICE,
    ASKED,
    CANCEL,
    CREATE,
    JONAS,
    contacts_of,
    press,
    send,
    with_partners,
)
from tests.support.rows import Interaction, Partner, Promise, all_of, count
from tests.support.world import BERLIN, NOW


def _day(days_ago: int) -> object:
    return (NOW.astimezone(BERLIN) - timedelta(days=days_ago)).date()


@pytest.mark.parametrize(
    ("typed", "user", "new", "note", "days_ago"),
    [
        ("Ohlsen call about the tender", ALICE, "Ohlsen", "about the tender", 0),
        ("ohlsen Telefonat gestern Angebot besprochen", JONAS, "ohlsen", "Angebot besprochen", 1),
        ("Herr Ohlsen Anruf gestern", JONAS, "Herr Ohlsen", "", 1),
        ("Mr. Ohlsen call", ALICE, "Mr. Ohlsen", "", 0),
        ("Hr. Jens Ohlsen Anruf", JONAS, "Hr. Jens Ohlsen", "", 0),
        ("herr ohlsen anruf gestern", JONAS, "herr ohlsen", "", 1),
        ("mr ohlsen call about the tender", ALICE, "mr ohlsen", "about the tender", 0),
    ],
)
def test_a_surname_offers_the_person_and_the_one_chosen_keeps_the_text(
    rapport: RunningRapport, typed: str, user: str, new: str, note: str, days_ago: int
) -> None:
    """The known person first, a new partner as typed, and Cancel; nothing stored before the
    choice, nothing after Cancel; the known one chosen, the medium, day and note are read as
    after the name; "new partner" creates the name as typed."""
    with_partners(rapport, user, "Jens Ohlsen")

    reply = send(rapport, typed, user)

    assert ASKED[user] in texts(reply), texts(reply)
    offered = list(buttons(reply))
    assert offered[0] == "Jens Ohlsen" and offered[-1] == CANCEL[user], offered
    assert f"{CREATE[user]} {new}" in offered, offered
    assert count(rapport.db, Interaction) == 1
    press(rapport, send(rapport, typed, user), CANCEL[user], user)
    assert count(rapport.db, Interaction) == 1
    press(rapport, reply, "Jens Ohlsen", user)
    [_, contact] = contacts_of(rapport, "Jens Ohlsen")
    assert (contact.medium, contact.note) == ("call", note), (contact.medium, contact.note)
    assert contact.occurred_at.astimezone(BERLIN).date() == _day(days_ago)
    press(rapport, send(rapport, typed, user), f"{CREATE[user]} {new}", user)
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == sorted(["Jens Ohlsen", new])


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("ohlsen telefonat vorgestern Zusage: Muster schicken bis Freitag", JONAS),
        ("Ohlsen call promise: send samples by Friday", ALICE),
    ],
)
def test_a_promise_after_a_surname_goes_to_the_person_chosen(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """The promise is the known person's, so that its nudges name them, not a second partner."""
    with_partners(rapport, user, "Jens Ohlsen")

    reply = send(rapport, typed, user)

    assert count(rapport.db, Promise) == 0, texts(reply)
    press(rapport, reply, "Jens Ohlsen", user)
    [promise] = all_of(rapport.db, Promise)
    [jens] = all_of(rapport.db, Partner)
    assert promise.partner_id == jens.id


@pytest.mark.parametrize(
    ("typed", "user", "meant"),
    [
        ("Frau Dr. Meier call", ALICE, "Anna Meier"),
        ("Frau Dr. Meier Anruf", JONAS, "Anna Meier"),
        ("Prof. Müller Anruf", JONAS, "Jonas Mueller"),
        ("Berg call", ALICE, "Klaus von Berg"),
        ("von Berg Anruf", JONAS, "Klaus von Berg"),
    ],
)
def test_honorifics_titles_and_a_surname_of_more_words_offer_the_person(
    rapport: RunningRapport, typed: str, user: str, meant: str
) -> None:
    """Honorifics and titles together, a name as its key compares ("Müller" = "Mueller"), a
    surname of two words or its last one: the person is offered, and chosen, gets the contact."""
    with_partners(rapport, user, "Anna Meier", "Jonas Mueller", "Klaus von Berg")

    reply = send(rapport, typed, user)

    assert meant in buttons(reply), (texts(reply), list(buttons(reply)))
    press(rapport, reply, meant, user)
    [_, contact] = contacts_of(rapport, meant)
    assert (contact.medium, contact.note) == ("call", ""), (contact.medium, contact.note)
    assert count(rapport.db, Partner) == 3


@pytest.mark.parametrize(("typed", "user"), [("Meier call", ALICE), ("Herr Meier Anruf", JONAS)])
def test_a_surname_two_persons_share_offers_both(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    with_partners(rapport, user, "Anna Meier", "Peter Meier")

    reply = send(rapport, typed, user)

    offered = list(buttons(reply))
    assert {"Anna Meier", "Peter Meier"} <= set(offered), offered
    assert count(rapport.db, Partner) == 2


@pytest.mark.parametrize(("typed", "user"), [("Peter call", ALICE), ("Peter Anruf", JONAS)])
def test_a_surname_that_begins_another_name_offers_both_that_one_first(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """ "Peter" is Hans Peter's surname and Peter Weber's first name: both may be meant."""
    with_partners(rapport, user, "Hans Peter", "Peter Weber")

    reply = send(rapport, typed, user)

    offered = list(buttons(reply))
    assert offered[:2] == ["Peter Weber", "Hans Peter"], offered
    assert count(rapport.db, Partner) == 2


@pytest.mark.parametrize(
    ("known", "typed", "user", "new"),
    [
        ("Anna B.", "B call about the tender", ALICE, "B"),
        ("Anna B.", "B Anruf wegen Angebot", JONAS, "B"),
        ("Schmidt & Co", "Co call about the tender", ALICE, "Co"),
        ("Schmidt & Co", "Co Anruf wegen Angebot", JONAS, "Co"),
    ],
)
def test_a_word_that_names_no_one_alone_is_a_new_partner_without_a_question(
    rapport: RunningRapport, known: str, typed: str, user: str, new: str
) -> None:
    """One letter, or a legal form, ends many names and means none of them."""
    with_partners(rapport, user, known)

    reply = send(rapport, typed, user)

    assert ASKED[user] not in texts(reply), texts(reply)
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == sorted([known, new])


@pytest.mark.parametrize(
    ("typed", "user"),
    [("Herr Krause Anruf", JONAS), ("Mr Krause call", ALICE), ("herr krause anruf", JONAS)],
)
def test_an_honorific_before_an_unknown_name_keeps_the_question_as_it_was(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """No known partner of the name: the name with its honorific is offered as a new partner,
    named as typed, and chosen, created so."""
    with_partners(rapport, user, "Jens Ohlsen")
    name = " ".join(typed.split()[:2])

    reply = send(rapport, typed, user)

    assert "Jens Ohlsen" not in buttons(reply), list(buttons(reply))
    press(rapport, reply, f"{CREATE[user]} {name}", user)
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == sorted(["Jens Ohlsen", name])
    [contact] = contacts_of(rapport, name)
    assert contact.medium == "call"
