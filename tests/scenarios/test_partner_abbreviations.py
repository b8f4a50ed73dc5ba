"""A name typed with its last word cut short, over signed HTTP on both backends: someone who
types the start of a known partner's word ("Acme Co" for "Acme Corp", "Glob" for "Globex") is
offered that partner before anything is logged or created, also where the first words name
another partner exactly ("Acme" exists too), and the chosen partner takes the typed words, so
that the keywords and the day after them are read. A partner's exact name is still logged to
without a question."""

from __future__ import annotations

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
from tests.support.rows import Interaction, Partner, all_of, count


@pytest.mark.parametrize(
    ("partners", "typed", "user", "meant", "note"),
    [
        (("Acme", "Acme Corp"), "Acme Co call about pricing", ALICE, "Acme Corp", "about pricing"),
        (
            ("Schmidt", "Schmidt Logistik"),
            "Schmidt Log Telefonat gestern Angebot besprochen",
            JONAS,
            "Schmidt Logistik",
            "Angebot besprochen",
        ),
        (
            ("Hansa", "Hansa Bau GmbH"),
            "Hansa Ba GmbH Anruf gestern",
            JONAS,
            "Hansa Bau GmbH",
            "",
        ),
        # A slip in the words after a known name is offered alike.
        (("Acme", "Acme Robotics"), "Acme Robotcs call", ALICE, "Acme Robotics", ""),
    ],
)
def test_a_cut_short_word_after_a_known_name_offers_the_partner_it_begins(
    rapport: RunningRapport,
    partners: tuple[str, str],
    typed: str,
    user: str,
    meant: str,
    note: str,
) -> None:
    """The first word names one partner exactly; the words with it begin another's name. Both
    are offered, and a new partner of the words as typed; nothing is stored before the
    answer."""
    known_name = partners[0]
    with_partners(rapport, user, *partners)
    before = count(rapport.db, Interaction)

    reply = send(rapport, typed, user)

    assert ASKED[user] in texts(reply), texts(reply)
    offered = set(buttons(reply))
    assert {known_name, meant, CANCEL[user]} <= offered, offered
    assert any(label.startswith(CREATE[user]) for label in offered), offered
    assert count(rapport.db, Interaction) == before, "nothing stored before the answer"

    answer = press(rapport, reply, meant, user)

    assert f"*{meant}*" in texts(answer), texts(answer)
    assert count(rapport.db, Partner) == len(partners), "no partner created"
    [contact] = [i for i in contacts_of(rapport, meant) if i.note != "kickoff"]
    # The chosen partner took the typed words: the medium after them is read, not noted.
    assert (contact.medium, contact.note) == ("call", note)


@pytest.mark.parametrize(
    ("partner", "typed", "user", "note"),
    [
        ("Globex", "Glob call about the rollout", ALICE, "about the rollout"),
        ("Nordwind", "Nordw Telefonat Angebot", JONAS, "Angebot"),
        ("Müller Logistik", "Müller Lo Anruf gestern", JONAS, ""),
        ("Acme Corporation", "Acme Co call", ALICE, ""),
    ],
)
def test_a_new_name_that_begins_a_known_partner_is_asked_about(
    rapport: RunningRapport, partner: str, typed: str, user: str, note: str
) -> None:
    """No partner has the typed name: one whose name it begins is offered (with the words the
    typed name took), and a new partner; the chosen one gets the contact."""
    with_partners(rapport, user, partner)

    reply = send(rapport, typed, user)

    assert ASKED[user] in texts(reply), texts(reply)
    assert partner in buttons(reply) and CANCEL[user] in buttons(reply)
    assert count(rapport.db, Interaction) == 1, "nothing stored before the answer"

    press(rapport, reply, partner, user)

    assert count(rapport.db, Partner) == 1, "no partner created"
    [contact] = [i for i in contacts_of(rapport, partner) if i.note != "kickoff"]
    assert (contact.medium, contact.note) == ("call", note)


def test_a_cut_short_name_can_still_be_a_new_partner(rapport: RunningRapport) -> None:
    with_partners(rapport, ALICE, "Acme", "Acme Corp")
    reply = send(rapport, "Acme Co call", ALICE)

    answer = press(rapport, reply, "New partner Acme Co", ALICE)

    assert "Logged your contact with *Acme Co*" in texts(answer), texts(answer)
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == ["Acme", "Acme Co", "Acme Corp"]


@pytest.mark.parametrize(
    ("typed", "user", "logged"),
    [
        ("Acme call", ALICE, "Logged your contact with *Acme*"),
        ("Acme Corp call", ALICE, "Logged your contact with *Acme Corp*"),
        ("Acme Co Telefonat", JONAS, "Kontakt mit *Acme Co*"),
    ],
)
def test_an_exact_name_is_logged_to_without_a_question_whatever_it_begins(
    rapport: RunningRapport, typed: str, user: str, logged: str
) -> None:
    """ "Acme" begins "Acme Co" and "Acme Corp", and "Acme Co" begins "Acme Corp": each typed
    whole is the partner meant."""
    with_partners(rapport, user, "Acme", "Acme Co", "Acme Corp")

    reply = send(rapport, typed, user)

    assert logged in texts(reply), texts(reply)
    assert CANCEL[user] not in buttons(reply)
    assert count(rapport.db, Partner) == 3
