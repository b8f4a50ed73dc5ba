"""Plain text after a known partner's name, over signed HTTP on both backends: where nothing
could be misread, the contact is logged at once, and never to the wrong partner unasked; where
a question is answered with the shorter name, the words set aside keep the text as typed.

- "acme 15 min call", "acme 30 minuten telefonat", "acme 500 EUR angebot": a duration, a count
  or an amount after a known name is the note. A number continues a name only where partners
  are told apart by a number after it ("Filiale 1"); before that rule, every number asked
  whether "acme 15" was a new partner.
- "stadtwerke am telefon", "stadtwerke hat angerufen", "acme at their office": an everyday
  short word (a preposition, an auxiliary) that begins another partner's next word ("Stadtwerke
  Amberg", "Acme Atlanta") is the start of the note, not a cut-short name.
- "Schmidt Logistik: Angebot besprochen" answered with "Schmidt": the set-aside "Logistik:"
  keeps its colon in the note.
- "globex 2. november telefonat" beside "Globex" and "Globex 2" (or "Acme 1 Nov call" beside
  "Acme" and "Acme 1"): the number may be the partner's or the day's. Read as "Globex 2", the
  contact was logged today with the note "november telefonat", silently; it is asked about,
  offering "Globex 2" (today, the rest as typed) and "Globex" on the day read, and Cancel.
  "globex 2 call" names no day: logged to "Globex 2" unasked, as before.
- "globex 2 hours call", "globex 2 stunden workshop", "Globex 2 new leads from the fair",
  "Globex 2 Angebot besprochen" beside "Globex" and "Globex 2" ("globex 30 min call" beside
  "Globex 30"): the number may be the partner's or the note's, as after any known name. Read
  as "Globex 2", the contact was logged with the note "hours call", silently; it is asked
  about, offering "Globex 2" (the rest as typed) and "Globex" (the number kept in the note),
  and Cancel. "globex 2 call", "Globex 2 Anruf gestern", "globex 2" and "globex 2: …" say
  where the name ends: logged to "Globex 2" unasked.
- More than `CANDIDATES_LIMIT` partners named "Stadtwerke …": "stadtwerke zweibrücken call"
  is logged to "Stadtwerke Zweibrücken", past the first word's read, and "stadtwerke zw call"
  asked about, as `rapport parse` and a smaller workspace read them (a full read is narrowed
  by the words typed after the first; before, the first was logged to "Stadtwerke" with the
  note "zweibrücken call", and the second not asked about); alike a third word past a full
  read of the first two ("Stadtwerke Zweibrücken Süd"), and "Stadtwerke" itself, which is the
  first of its word's read however many partners begin so.
- "stadtw zw call" past the limit of "stadtw" (the first word cut short) offers "Stadtwerke
  Zweibrücken", as `rapport parse` does: the first word's range is read again, filtered by
  "zw" at the start of each key's next word (before, the narrower read held names whose first
  word is "stadtw" whole, and the question asked about a new partner "stadtw" instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

import pytest

from storage.queries.partners import CANDIDATES_LIMIT, add_partner
from tests.support.app import RunningRapport, known
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
from tests.support.rows import Interaction, Member, all_of
from tests.support.world import BERLIN, NOW


def _logged(rapport: RunningRapport, name: str) -> list[tuple[str | None, str]]:
    """The medium and note of each contact logged for `name` after its set-up."""
    return [(i.medium, i.note) for i in contacts_of(rapport, name) if i.note != "kickoff"]


@pytest.mark.parametrize(
    ("typed", "user", "note"),
    [
        ("acme 15 min call", ALICE, "15 min call"),
        ("acme 2 new leads from the fair", ALICE, "2 new leads from the fair"),
        ("acme 30 minuten telefonat", JONAS, "30 minuten telefonat"),
        ("acme 3 stunden workshop", JONAS, "3 stunden workshop"),
        ("acme 500 EUR angebot", JONAS, "500 EUR angebot"),
    ],
)
def test_a_quantity_after_a_known_name_is_logged_without_a_question(
    rapport: RunningRapport, typed: str, user: str, note: str
) -> None:
    """A number followed by a unit or a lower-case word is how long, how many or how much,
    not a branch: the contact is logged to the known partner with the text as its note."""
    with_partners(rapport, user, "Acme")

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), (typed, list(buttons(reply)))
    assert _logged(rapport, "Acme") == [(None, note)]


@pytest.mark.parametrize(
    ("partners", "typed", "user"),
    [
        (("Stadtwerke", "Stadtwerke Amberg"), "stadtwerke am telefon", JONAS),
        (("Stadtwerke", "Stadtwerke Hattingen"), "stadtwerke hat angerufen", JONAS),
        (("Stadtwerke", "Stadtwerke Perleberg"), "stadtwerke per mail angebot", JONAS),
        (("Stadtwerke", "Stadtwerke Mittweida"), "stadtwerke mit herrn meier", JONAS),
        (("Acme", "Acme Atlanta"), "acme at their office", ALICE),
    ],
)
def test_an_everyday_word_after_a_known_name_is_not_asked_about(
    rapport: RunningRapport, partners: tuple[str, str], typed: str, user: str
) -> None:
    """A preposition or an auxiliary after a partner's exact name is the start of the note,
    not another partner's name cut short, whatever partner names it happens to begin."""
    with_partners(rapport, user, *partners)

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), (typed, list(buttons(reply)))
    assert len(_logged(rapport, partners[0])) == 1, texts(reply)


def test_an_ordinal_date_after_a_numbered_name_is_not_logged_to_it_silently(
    rapport: RunningRapport,
) -> None:
    """ "2. dezember" is a day: read as "Globex 2" with the note "dezember call", the contact
    went to the wrong partner on the wrong day without a word. Asked, nothing is logged."""
    with_partners(rapport, JONAS, "Globex", "Globex 2")

    reply = send(rapport, "globex 2. dezember call", JONAS)

    assert list(buttons(reply)) == ["Globex 2", "Globex, 2. dezember", CANCEL[JONAS]]
    assert "*2. dezember* kann sagen, wann der Kontakt war" in texts(reply)
    assert _logged(rapport, "Globex 2") == _logged(rapport, "Globex") == []

    # "Globex" chosen, the day is read after it: still ahead, it is asked about in turn.
    later = press(rapport, reply, "Globex, 2. dezember", JONAS)
    assert "*2. dezember* liegt noch vor uns" in texts(later)
    assert _logged(rapport, "Globex 2") == _logged(rapport, "Globex") == []


def _contact(rapport: RunningRapport, name: str) -> tuple[date, time | None, str | None, str]:
    """The local day, time, medium and note of the one contact logged for `name` after its
    set-up."""
    [contact] = [i for i in contacts_of(rapport, name) if i.note != "kickoff"]
    local = contact.occurred_at.astimezone(BERLIN)
    return local.date(), local.time() if contact.has_time else None, contact.medium, contact.note


TODAY = NOW.date()


@pytest.mark.parametrize(
    ("partners", "typed", "user", "pressed", "logged"),
    [
        (
            ("Globex", "Globex 2"),
            "globex 2. november telefonat mit Jana",
            JONAS,
            "Globex, 2. november",
            ("Globex", date(2026, 11, 2), None, "call", "mit Jana"),
        ),
        (
            ("Globex", "Globex 2"),
            "globex 2. november telefonat mit Jana",
            JONAS,
            "Globex 2",
            ("Globex 2", TODAY, None, None, "november telefonat mit Jana"),
        ),
        (
            ("Acme", "Acme 1"),
            "Acme 1 Nov call about pricing",
            ALICE,
            "Acme, 1 Nov",
            ("Acme", date(2026, 11, 1), None, "call", "about pricing"),
        ),
        (
            ("Acme", "Acme 1"),
            "Acme 1 Nov call about pricing",
            ALICE,
            "Acme 1",
            ("Acme 1", TODAY, None, None, "Nov call about pricing"),
        ),
        (
            ("Stadtwerke Filiale", "Stadtwerke Filiale 3"),
            "stadtwerke filiale 3. november besuch",
            JONAS,
            "Stadtwerke Filiale, 3. november",
            ("Stadtwerke Filiale", date(2026, 11, 3), None, "meeting", ""),
        ),
        (
            ("Stadtwerke Filiale", "Stadtwerke Filiale 3"),
            "Stadtwerke Filiale 3 November meeting",
            ALICE,
            "Stadtwerke Filiale 3",
            ("Stadtwerke Filiale 3", TODAY, None, None, "November meeting"),
        ),
        (
            ("Globex", "Globex 9"),
            "globex 9 am call",
            ALICE,
            "Globex, 9 am",
            ("Globex", TODAY, time(9), "call", ""),
        ),
    ],
)
def test_either_answer_about_a_number_or_a_day_keeps_the_rest_of_the_text(
    rapport: RunningRapport,
    partners: tuple[str, str],
    typed: str,
    user: str,
    pressed: str,
    logged: tuple[str, date, time | None, str | None, str],
) -> None:
    """The shorter partner chosen, the day (or time) is read after its name, and the words
    after the day are keywords and note; the numbered partner chosen, the contact is today's,
    the rest its note as typed. Either way on the partner pressed, and no other."""
    with_partners(rapport, user, *partners)
    reply = send(rapport, typed, user)
    assert CANCEL[user] in buttons(reply), texts(reply)

    press(rapport, reply, pressed, user)

    name, *contact = logged
    assert _contact(rapport, name) == tuple(contact)
    [other] = [partner for partner in partners if partner != name]
    assert _logged(rapport, other) == []


@pytest.mark.parametrize(
    ("typed", "user", "note"),
    [
        ("globex 2 call", ALICE, ""),
        ("Globex 2 Anruf gestern", JONAS, ""),
        ("globex 2: november telefonat", JONAS, "november telefonat"),
        ("globex 2", ALICE, ""),
        ("globex 2: hours call", ALICE, "hours call"),
        ("Globex 2 - neue Leads", JONAS, "neue Leads"),
        ("Globex 2 am Montag besucht", JONAS, ""),  # German "am" (on) before a day: no 2 a.m.
        ("globex 2 am 2. november angerufen", JONAS, ""),
    ],
)
def test_a_numbered_name_followed_by_no_day_is_logged_without_a_question(
    rapport: RunningRapport, typed: str, user: str, note: str
) -> None:
    """Nothing after the number reads as a day (a colon ends the name): the number is the
    partner's, as before."""
    with_partners(rapport, user, "Globex", "Globex 2")

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), (typed, list(buttons(reply)))
    assert [contact[1] for contact in _logged(rapport, "Globex 2")] == [note]
    assert _logged(rapport, "Globex") == []


QUANTITY_ASKED = {
    ALICE: "could be part of the note, or its number could be the end of a partner's name",
    JONAS: "kann zur Notiz gehören, oder die Zahl gehört zum Namen eines Partners",
}


@pytest.mark.parametrize(
    ("partners", "typed", "user", "phrase"),
    [
        (("Globex", "Globex 2"), "globex 2 hours call", ALICE, "2 hours"),
        (("Globex", "Globex 2"), "globex 2 stunden workshop", JONAS, "2 stunden"),
        (("Globex", "Globex 2"), "Globex 2 new leads from the fair", ALICE, "2 new"),
        (("Globex", "Globex 2"), "Globex 2 Angebot besprochen", JONAS, "2 Angebot"),
        (("Globex", "Globex 30"), "globex 30 min call", ALICE, "30 min"),
    ],
)
def test_a_quantity_after_a_numbered_name_is_not_logged_to_it_silently(
    rapport: RunningRapport, partners: tuple[str, str], typed: str, user: str, phrase: str
) -> None:
    """ "2 hours" after "Globex" is how long, as after any known name: read as "Globex 2"
    with the note "hours call", the contact may have gone to the wrong partner without a
    word. Asked, nothing is logged."""
    with_partners(rapport, user, *partners)

    reply = send(rapport, typed, user)

    assert list(buttons(reply)) == [partners[1], partners[0], CANCEL[user]]
    assert f"*{phrase}* {QUANTITY_ASKED[user]}" in texts(reply)
    assert _logged(rapport, partners[0]) == _logged(rapport, partners[1]) == []


@pytest.mark.parametrize(
    ("typed", "user", "medium"),
    [("globex 2 nordw call", ALICE, "call"), ("globex 2 nordw anruf", JONAS, "call")],
)
def test_a_known_name_the_words_after_the_number_begin_is_offered_too(
    rapport: RunningRapport, typed: str, user: str, medium: str
) -> None:
    """ "nordw" after "globex 2" may be note text or the start of "Globex 2 Nordwerk": the
    question about the number offers that partner as well (before, only "Globex 2" and
    "Globex", neither of them the one meant), and pressed, it takes the words that name it."""
    with_partners(rapport, user, "Globex", "Globex 2", "Globex 2 Nordwerk")

    reply = send(rapport, typed, user)

    assert list(buttons(reply)) == ["Globex 2", "Globex 2 Nordwerk", "Globex", CANCEL[user]]
    press(rapport, reply, "Globex 2 Nordwerk", user)
    assert _logged(rapport, "Globex 2 Nordwerk") == [(medium, "")]
    assert _logged(rapport, "Globex 2") == _logged(rapport, "Globex") == []


@pytest.mark.parametrize(
    ("partners", "typed", "user", "pressed", "note"),
    [
        (("Globex", "Globex 2"), "globex 2 hours call", ALICE, "Globex", "2 hours call"),
        (("Globex", "Globex 2"), "globex 2 hours call", ALICE, "Globex 2", "hours call"),
        (
            ("Globex", "Globex 2"),
            "globex 2 stunden workshop gestern",
            JONAS,
            "Globex",
            "2 stunden workshop gestern",
        ),
        (
            ("Globex", "Globex 2"),
            "globex 2 stunden workshop gestern",
            JONAS,
            "Globex 2",
            "stunden workshop gestern",
        ),
        (
            ("Globex", "Globex 2"),
            "Globex 2 Angebot besprochen",
            JONAS,
            "Globex",
            "2 Angebot besprochen",
        ),
        (
            ("Globex", "Globex 2"),
            "Globex 2 Angebot besprochen",
            JONAS,
            "Globex 2",
            "Angebot besprochen",
        ),
        (("Globex", "Globex 30"), "globex 30 min call", ALICE, "Globex", "30 min call"),
        (("Globex", "Globex 30"), "globex 30 min call", ALICE, "Globex 30", "min call"),
    ],
)
def test_either_answer_about_a_quantity_keeps_the_rest_of_the_text(
    rapport: RunningRapport,
    partners: tuple[str, str],
    typed: str,
    user: str,
    pressed: str,
    note: str,
) -> None:
    """The shorter partner chosen, the number begins its note; the numbered one chosen, the
    rest is its note as typed. Today, either way, on the partner pressed and no other."""
    with_partners(rapport, user, *partners)
    reply = send(rapport, typed, user)

    press(rapport, reply, pressed, user)

    assert _contact(rapport, pressed) == (TODAY, None, None, note)
    [other] = [partner for partner in partners if partner != pressed]
    assert _logged(rapport, other) == []


def _add(rapport: RunningRapport, user: str, names: Iterable[str]) -> None:
    """The partners, added straight to the database in this order (ids rise with it), in the
    workspace of `user`, who is a returning member from here on."""
    known(rapport, user)
    [workspace_id] = {m.workspace_id for m in all_of(rapport.db, Member)}
    with rapport.db.transaction() as session:
        for name in names:
            add_partner(session, workspace_id, name=name, organisation=None, owner_id=None, now=NOW)


# More partners whose names begin with "Stadtwerke" than one read of candidates takes.
NUMBERED = [f"Stadtwerke {number:03}" for number in range(CANDIDATES_LIMIT + 10)]
# As many beginning with "Stadtwerke Zweibrücken": the second word's read is full too.
ZWEIBRUECKEN = [f"Stadtwerke Zweibrücken {number:03}" for number in range(CANDIDATES_LIMIT + 10)]


@pytest.mark.parametrize(
    ("typed", "user", "asks"),
    [
        ("stadtwerke zweibrücken call", JONAS, False),
        ("stadtwerke zw call", JONAS, True),
        ("Stadtwerke Zweibrücken call", ALICE, False),
        ("stadtwerke zw call", ALICE, True),
    ],
)
def test_a_partner_past_the_candidates_read_is_not_passed_over_silently(
    rapport: RunningRapport, typed: str, user: str, asks: bool
) -> None:
    """More partners begin with "Stadtwerke" than are read for the first word: one of those
    not read is named, and as `rapport parse` reads it, the contact goes to it when typed
    whole, and a question offers it when cut short; never logged to "Stadtwerke" unasked."""
    meant = "Stadtwerke Zweibrücken"
    with_partners(rapport, user, "Stadtwerke")
    _add(rapport, user, [*NUMBERED, meant])

    reply = send(rapport, typed, user)

    assert not _logged(rapport, "Stadtwerke"), texts(reply)
    if asks:
        assert meant in buttons(reply), (texts(reply), list(buttons(reply)))
        assert CANCEL[user] in buttons(reply) and not _logged(rapport, meant)
    else:
        assert CANCEL[user] not in buttons(reply), texts(reply)
        assert _logged(rapport, meant) == [("call", "")]


@pytest.mark.parametrize(
    ("typed", "user", "note"),
    [
        ("stadtwerke zweibrücken süd angebot besprochen", JONAS, "angebot besprochen"),
        ("Stadtwerke Zweibrücken Süd discussed the offer", ALICE, "discussed the offer"),
    ],
)
def test_a_name_past_a_full_read_of_its_first_two_words_is_logged_to(
    rapport: RunningRapport, typed: str, user: str, note: str
) -> None:
    """More partners begin with "Stadtwerke", and with "Stadtwerke Zweibrücken", than a read
    takes, and "Stadtwerke Zweibrücken Süd" sorts after both: its exact name is still read
    (the third word narrows the read again), and the contact logged to it without a question."""
    _add(rapport, user, ["Stadtwerke", *NUMBERED, *ZWEIBRUECKEN, "Stadtwerke Zweibrücken Süd"])

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), texts(reply)
    assert _logged(rapport, "Stadtwerke Zweibrücken Süd") == [(None, note)]


@pytest.mark.parametrize(
    ("typed", "user"),
    [("stadtwerke zweibrücken sü angebot", JONAS), ("stadtwerke zweibrücken sü offer", ALICE)],
)
def test_a_name_cut_short_past_a_full_read_of_its_first_two_words_is_asked_about(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """As above, the last word cut short: the question offers "Stadtwerke Zweibrücken Süd",
    as `rapport parse` and a smaller workspace do, and nothing is logged unasked."""
    _add(rapport, user, ["Stadtwerke", *NUMBERED, *ZWEIBRUECKEN, "Stadtwerke Zweibrücken Süd"])

    reply = send(rapport, typed, user)

    assert "Stadtwerke Zweibrücken Süd" in buttons(reply), (texts(reply), list(buttons(reply)))
    assert CANCEL[user] in buttons(reply)
    assert not [i for i in all_of(rapport.db, Interaction)], texts(reply)


@pytest.mark.parametrize(
    ("typed", "user", "note"),
    [
        ("stadtwerke angebot besprochen", JONAS, "angebot besprochen"),
        ("stadtwerke re the offer", ALICE, "re the offer"),
    ],
)
def test_the_first_word_s_own_partner_is_read_whatever_its_id(
    rapport: RunningRapport, typed: str, user: str, note: str
) -> None:
    """A partner named by the first word alone cannot be past the limit: its key is the least
    of the range the first word reads (every other key there begins with it, and is longer),
    so it is the first row, however many partners begin so and whenever it was created (here
    last, after more than a read takes). Logged to it, without a question."""
    _add(rapport, user, [*NUMBERED, "Stadtwerke"])

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), texts(reply)
    assert _logged(rapport, "Stadtwerke") == [(None, note)]


@pytest.mark.parametrize(("typed", "user"), [("stadtw zw anruf", JONAS), ("stadtw zw call", ALICE)])
def test_a_partner_past_the_read_of_a_cut_short_first_word_is_offered(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """ "stadtw zw" begins "Stadtwerke Zweibrücken" word by word, and `rapport parse` offers it
    first. Past the limit of the first word's read, which went on into names "stadtw" only
    begins, the keys beginning "stadtw zw" would hold none of them: the first word's range is
    read again for names whose next word begins "zw", and the question offers the one meant."""
    _add(rapport, user, ["Stadtwerke", *NUMBERED, "Stadtwerke Zweibrücken"])

    reply = send(rapport, typed, user)

    assert "Stadtwerke Zweibrücken" in buttons(reply), (texts(reply), list(buttons(reply)))


def test_a_set_aside_word_keeps_its_punctuation(rapport: RunningRapport) -> None:
    """Answered with the shorter partner, the words of the longer name begin the note as
    typed: "Logistik: Angebot besprochen", not "Logistik Angebot besprochen"."""
    with_partners(rapport, JONAS, "Schmidt")
    reply = send(rapport, "Schmidt Logistik: Angebot besprochen", JONAS)

    press(rapport, reply, "Schmidt", JONAS)

    assert _logged(rapport, "Schmidt") == [(None, "Logistik: Angebot besprochen")]


def test_set_aside_words_alone_are_the_note_without_their_comma(rapport: RunningRapport) -> None:
    """Nothing after them but a keyword: "Logistik", as before, not "Logistik,"."""
    with_partners(rapport, JONAS, "Schmidt")
    reply = send(rapport, "Schmidt Logistik, Telefonat", JONAS)

    press(rapport, reply, "Schmidt", JONAS)

    assert _logged(rapport, "Schmidt") == [("call", "Logistik")]
