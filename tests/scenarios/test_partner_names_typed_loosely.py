"""Known partners' names typed as people type them in Slack, over signed HTTP: all in lower
case, a number kept after a cut-short word, an organisation without its legal form. Each is
a known partner the person most likely meant, and each, when a question is asked, must keep
the rest of the text when answered: the medium and the day after the name are read, not
pushed into the note.

What each form did, and does now (in English and German):

- a lower-case word after a known name ended the name unless it was a legal form, so
  "schmidt log call" was logged to "Schmidt", silently, with "log call" as the note,
  although "Schmidt Logistik" exists; and "müller lo anruf gestern" was asked about
  "müller" alone, so choosing "Müller Logistik" took one typed word. Words that begin a
  known partner's name (`PartnerRef.cut_short`) now make Rapport ask, and the partner chosen
  takes them;
- "Fil 1 call" offered "Filiale 1" for "Fil" alone, and choosing it noted "1 call"; the
  number, whole, now belongs to the cut-short reading;
- "Filiale 2 call" beside "Filiale 1" and "Filiale 12" offered no new "Filiale 2" and noted
  "2 call": where partners are told apart by a number after a name, a number after that name
  may be more of it, as a capitalised word may, and is asked about (elsewhere it is how long,
  how many or how much: `test_partner_names_plain_text`);
- an organisation was near only when typed whole (`storage.vocabulary.closeness`), so
  "Nordwind call" created a new partner "Nordwind" without a question beside "Jens Ohlsen
  (Nordwind GmbH)", and '"Jens Ohlsen" (Nordwind) call' a second "Jens Ohlsen", after which
  "Jens Ohlsen call" was refused as naming two partners. An organisation now compares without
  its legal form, and after a known name also as the start of the known one's words
  (`storage.vocabulary.organisation_near`): both are asked about, the known partner offered
  (more in `test_partner_organisations_typed_loosely`).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.app import RunningRapport, known
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
from tests.support.rows import Interaction, Partner, count
from tests.support.world import NOW

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_lower_case_cut_short_word_after_a_known_name_is_asked_about(
    rapport: RunningRapport,
) -> None:
    """ "schmidt log" begins "Schmidt Logistik" as "Schmidt Log" does, which is asked about:
    nothing may be logged to "Schmidt" before the person says which one."""
    with_partners(rapport, ALICE, "Schmidt", "Schmidt Logistik")
    before = count(rapport.db, Interaction)

    reply = send(rapport, "schmidt log call about the tender", ALICE)

    assert count(rapport.db, Interaction) == before, "logged to Schmidt without a question"
    assert "Schmidt Logistik" in buttons(reply), texts(reply)


@pytest.mark.parametrize(
    ("partners", "typed", "user", "meant", "days_ago"),
    [
        (("Müller Logistik",), "müller lo anruf gestern", JONAS, "Müller Logistik", 1),
        (("Hansa Bau GmbH",), "hansa ba gmbh anruf gestern", JONAS, "Hansa Bau GmbH", 1),
        (("Filiale 1", "Filiale 12"), "Fil 1 call", ALICE, "Filiale 1", 0),
    ],
)
def test_the_partner_chosen_for_a_loosely_typed_name_keeps_the_rest_of_the_text(
    rapport: RunningRapport,
    partners: tuple[str, ...],
    typed: str,
    user: str,
    meant: str,
    days_ago: int,
) -> None:
    """The typed words of the name are the chosen partner's; the medium and the day after them
    are read as after its exact name."""
    with_partners(rapport, user, *partners)

    reply = send(rapport, typed, user)
    assert ASKED[user] in texts(reply), texts(reply)
    press(rapport, reply, meant, user)

    [contact] = [i for i in contacts_of(rapport, meant) if i.note != "kickoff"]
    day = (NOW.astimezone(BERLIN) - timedelta(days=days_ago)).date()
    assert (contact.medium, contact.note) == ("call", ""), (contact.medium, contact.note)
    assert contact.occurred_at.astimezone(BERLIN).date() == day


@pytest.mark.parametrize(
    ("partners", "typed", "user", "shorter", "meant", "note", "days_ago"),
    [
        (
            ("Schmidt", "Schmidt Logistik"),
            "schmidt log Telefonat gestern",
            JONAS,
            "Schmidt",
            "Schmidt Logistik",
            "log",
            1,
        ),
        (("Acme", "Acme Corp"), "acme cor call", ALICE, "Acme", "Acme Corp", "cor", 0),
    ],
)
def test_either_partner_chosen_for_a_known_name_and_a_cut_short_word_keeps_the_text(
    rapport: RunningRapport,
    partners: tuple[str, ...],
    typed: str,
    user: str,
    shorter: str,
    meant: str,
    note: str,
    days_ago: int,
) -> None:
    """The shorter known partner, the one the words begin, and Cancel, nothing else (a
    lower-case word is no new name); either chosen, the medium and the day are read, and the
    cut-short word is the shorter partner's note."""
    day = (NOW.astimezone(BERLIN) - timedelta(days=days_ago)).date()
    with_partners(rapport, user, *partners)

    reply = send(rapport, typed, user)
    assert ASKED[user] in texts(reply), texts(reply)
    assert sorted(buttons(reply)) == sorted([shorter, meant, CANCEL[user]]), buttons(reply)
    press(rapport, reply, meant, user)
    press(rapport, send(rapport, typed, user), shorter, user)

    [longer] = [i for i in contacts_of(rapport, meant) if i.note != "kickoff"]
    [short] = [i for i in contacts_of(rapport, shorter) if i.note != "kickoff"]
    assert (longer.medium, longer.note) == ("call", ""), (longer.medium, longer.note)
    assert (short.medium, short.note) == ("call", note), (short.medium, short.note)
    assert longer.occurred_at.astimezone(BERLIN).date() == day
    assert short.occurred_at.astimezone(BERLIN).date() == day


@pytest.mark.parametrize(
    ("typed", "user"),
    [("Nordwind call", ALICE), ("Nordwind Anruf gestern", JONAS)],
)
def test_an_organisation_without_its_legal_form_is_asked_about(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """ "Nordwind" is how people say "Nordwind GmbH": the partner of that organisation is
    offered before a new partner "Nordwind" is created."""
    known(rapport, user)
    rapport.command('"Jens Ohlsen" (Nordwind GmbH) call kickoff', user=user).reply()

    reply = send(rapport, typed, user)

    assert count(rapport.db, Partner) == 1, "a new partner Nordwind was created unasked"
    assert "Jens Ohlsen (Nordwind GmbH)" in buttons(reply), texts(reply)


@pytest.mark.parametrize(
    ("typed", "user"),
    [('"Jens Ohlsen" (Nordwind) call', ALICE), ('"Jens Ohlsen" (Nordwind) Anruf', JONAS)],
)
def test_a_known_name_with_its_organisation_cut_short_is_asked_about(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """The same person with the organisation said shorter: a second "Jens Ohlsen" created
    unasked makes every later "Jens Ohlsen call" a refusal naming both."""
    known(rapport, user)
    rapport.command('"Jens Ohlsen" (Nordwind GmbH) call kickoff', user=user).reply()

    reply = send(rapport, typed, user)

    assert count(rapport.db, Partner) == 1, "a second Jens Ohlsen was created unasked"
    assert "Jens Ohlsen (Nordwind GmbH)" in buttons(reply), texts(reply)


@pytest.mark.parametrize(
    ("partners", "typed", "user", "new", "shorter"),
    [
        (("Filiale 1", "Filiale 12"), "Filiale 2 call", ALICE, "Filiale 2", None),
        (("Globex", "Globex 1"), "Globex 2 call", ALICE, "Globex 2", "Globex"),
        (("Globex", "Globex 1"), "Globex 2 Anruf gestern", JONAS, "Globex 2", "Globex"),
    ],
)
def test_a_number_after_a_name_may_be_part_of_it_and_is_asked_about(
    rapport: RunningRapport,
    partners: tuple[str, ...],
    typed: str,
    user: str,
    new: str,
    shorter: str | None,
) -> None:
    """ "Filiale 2" beside "Filiale 1" and "Filiale 12" (or "Globex 2" beside "Globex 1") is a
    new branch as likely as a note "2": nothing is logged before the person says which;
    chosen, the new name takes the number, and the medium after it is read."""
    with_partners(rapport, user, *partners)
    before = count(rapport.db, Interaction)

    reply = send(rapport, typed, user)

    assert count(rapport.db, Interaction) == before, "logged without a question"
    offered = buttons(reply)
    assert f"{CREATE[user]} {new}" in offered, offered
    assert shorter is None or shorter in offered, offered
    press(rapport, reply, f"{CREATE[user]} {new}", user)
    [contact] = contacts_of(rapport, new)
    assert (contact.medium, contact.note) == ("call", ""), (contact.medium, contact.note)
