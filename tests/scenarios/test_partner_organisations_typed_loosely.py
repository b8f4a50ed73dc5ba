"""Organisations typed as people say them, over signed HTTP, in English and German: without
their legal form ("Nordwind" for "Nordwind GmbH"), with another one ("Nordwind AG"), in other
case, or after a known name cut to their first words ("Nordwind" for "Nordwind Logistik GmbH").

Each may mean the known partner of that organisation, so Rapport asks before it creates a new
partner (a second one of a known name made every later contact typed with the name alone a
refusal naming both), offering the known partner, a new partner as typed, and Cancel; the
partner chosen keeps the rest of the text. A known name without an organisation, typed with
one, is asked about alike: most likely the same person, now said with theirs. Where two
partners of one name exist, the name alone
asks which, a button for each. Another legal form is asked about, not taken: it may
be another company of the group. A word merely like the organisation ("Nord", "Wind") or a
clearly different organisation ("Acme") is a new partner, as before, without a question.
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
    press,
    send,
)
from tests.support.rows import Interaction, Partner, all_of, count
from tests.support.world import BERLIN, NOW

ORGANISATION_SET = {
    ALICE: "Organisation of *Jens Ohlsen* set to *{}*.",
    JONAS: "Organisation von *Jens Ohlsen* auf *{}* gesetzt.",
}


def _with_partner(rapport: RunningRapport, user: str, name: str, organisation: str) -> Partner:
    """The partner, created by a contact logged for it (note "kickoff")."""
    send(rapport, f'"{name}" ({organisation}) call kickoff', user)
    [partner] = all_of(rapport.db, Partner)
    return partner  # type: ignore[return-value]


def _contacts(rapport: RunningRapport, partner_id: int) -> list[Interaction]:
    """The partner's contacts but the one that created it."""
    return [
        i
        for i in all_of(rapport.db, Interaction)
        if i.partner_id == partner_id and i.note != "kickoff"  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(
    ("organisation", "typed", "user", "new", "days_ago"),
    [
        ("Nordwind GmbH", "Nordwind call", ALICE, "Nordwind", 0),
        ("Nordwind GmbH", "nordwind Anruf gestern", JONAS, "nordwind", 1),
        ("Nordwind GmbH", "NORDWIND gmbh call", ALICE, "NORDWIND gmbh", 0),
        ("Nordwind GmbH", "Nordwind AG Telefonat gestern", JONAS, "Nordwind AG", 1),
        ("Nordwind Ltd.", "Nordwind Inc call", ALICE, "Nordwind Inc", 0),
        ("Nordwind GmbH & Co. KG", "Nordwind Anruf", JONAS, "Nordwind", 0),
        ("Hansa Bau GmbH", "Hansa Bau Anruf gestern", JONAS, "Hansa Bau", 1),
        ("Hansa Bau e.V.", "Hansa Bau call", ALICE, "Hansa Bau", 0),
    ],
)
def test_an_organisation_typed_without_or_with_another_legal_form_offers_its_partner(
    rapport: RunningRapport,
    organisation: str,
    typed: str,
    user: str,
    new: str,
    days_ago: int,
) -> None:
    """The known partner first, a new partner as typed (with the legal form typed, also without
    it, as for any new name), and Cancel; nothing stored before the choice;
    the known partner chosen, the medium and the day after the organisation are read."""
    partner = _with_partner(rapport, user, "Jens Ohlsen", organisation)
    before = count(rapport.db, Interaction)

    reply = send(rapport, typed, user)

    assert ASKED[user] in texts(reply), texts(reply)
    assert count(rapport.db, Interaction) == before, "logged without a question"
    label = f"Jens Ohlsen ({organisation})"
    offered = list(buttons(reply))
    assert offered[0] == label and offered[-1] == CANCEL[user], offered
    assert f"{CREATE[user]} {new}" in offered, offered
    press(rapport, reply, label, user)
    [contact] = _contacts(rapport, partner.id)
    assert (contact.medium, contact.note) == ("call", ""), (contact.medium, contact.note)
    day = (NOW.astimezone(BERLIN) - timedelta(days=days_ago)).date()
    assert contact.occurred_at.astimezone(BERLIN).date() == day
    assert count(rapport.db, Partner) == 1


@pytest.mark.parametrize(
    ("organisation", "typed", "user"),
    [
        ("Nordwind GmbH", '"Jens Ohlsen" (Nordwind) call', ALICE),
        ("Nordwind GmbH", "Jens Ohlsen (NORDWIND AG) Anruf gestern", JONAS),
        ("Nordwind Logistik GmbH", '"Jens Ohlsen" (Nordwind) Anruf gestern', JONAS),
        ("Nordwind Logistik GmbH", "Jens Ohlsen (Nordwind Logistik) call", ALICE),
        # The legal form spelled otherwise: "e. V." as the Duden writes it, "und Co." for "&".
        ("Hansa e.V.", "Jens Ohlsen (Hansa e. V.) Anruf gestern", JONAS),
        ("Hansa e. V.", "Jens Ohlsen (Hansa e.V.) call", ALICE),
        ("Nordwind GmbH & Co. KG", "Jens Ohlsen (Nordwind GmbH und Co. KG) Anruf", JONAS),
        ("Nordwind GmbH & Co. KG", "Jens Ohlsen (Nordwind GmbH u. Co. KG) call", ALICE),
        # An umlaut typed as its base letter, on a keyboard without one.
        ("Müller Logistik GmbH", "Jens Ohlsen (Muller Logistik) call", ALICE),
        ("Böhm AG", "Jens Ohlsen (Bohm) Anruf gestern", JONAS),
        # A legal form alone names no company.
        ("Nordwind GmbH", "Jens Ohlsen (GmbH) call", ALICE),
    ],
)
def test_a_known_name_at_an_organisation_said_shorter_offers_the_known_partner(
    rapport: RunningRapport, organisation: str, typed: str, user: str
) -> None:
    """The same person with the organisation without its legal form, with another, or cut to
    its first words: chosen, the contact is his, with the medium read; "new partner" creates a
    second one of the name at the organisation as typed."""
    partner = _with_partner(rapport, user, "Jens Ohlsen", organisation)

    reply = send(rapport, typed, user)

    assert count(rapport.db, Partner) == 1, "a second Jens Ohlsen was created unasked"
    label = f"Jens Ohlsen ({organisation})"
    offered = sorted(buttons(reply))
    typed_organisation = typed[typed.index("(") + 1 : typed.index(")")]
    new = f"{CREATE[user]} Jens Ohlsen ({typed_organisation})"
    assert offered == sorted([label, new, CANCEL[user]]), offered
    press(rapport, reply, label, user)
    [contact] = _contacts(rapport, partner.id)
    assert (contact.medium, contact.note) == ("call", ""), (contact.medium, contact.note)

    press(rapport, send(rapport, typed, user), new, user)
    assert sorted(p.organisation or "" for p in all_of(rapport.db, Partner)) == sorted(
        [organisation, typed_organisation]
    )


@pytest.mark.parametrize(
    ("typed", "user", "organisation"),
    [
        ('"Jens Ohlsen" (Nordwind GmbH) call', ALICE, "Nordwind GmbH"),
        ("Jens Ohlsen (Acme) Anruf gestern", JONAS, "Acme"),
    ],
)
def test_a_known_name_without_an_organisation_typed_with_one_offers_the_known_partner(
    rapport: RunningRapport, typed: str, user: str, organisation: str
) -> None:
    """A partner first logged by name alone, later typed with an organisation: most likely the
    same person, now said with theirs, perhaps another of the name. Asked, not created: chosen,
    the contact is the known partner's, with the medium read, and the partner is given the
    organisation typed (the reply says so), so the same text is logged without a question."""
    send(rapport, '"Jens Ohlsen" call kickoff', user)
    [partner] = all_of(rapport.db, Partner)

    reply = send(rapport, typed, user)

    assert count(rapport.db, Partner) == 1, "a second Jens Ohlsen was created unasked"
    new = f"{CREATE[user]} Jens Ohlsen ({organisation})"
    assert sorted(buttons(reply)) == sorted(["Jens Ohlsen", new, CANCEL[user]]), buttons(reply)
    logged = press(rapport, reply, "Jens Ohlsen", user)
    [contact] = _contacts(rapport, partner.id)
    assert contact.medium == "call", contact.medium
    [partner] = all_of(rapport.db, Partner)
    assert partner.organisation == organisation, partner.organisation
    assert ORGANISATION_SET[user].format(organisation) in texts(logged), texts(logged)

    again = send(rapport, typed, user)

    assert not buttons(again).keys() - {"Undo", "Rückgängig", "Edit", "Bearbeiten"}, again
    assert len(_contacts(rapport, partner.id)) == 2
    assert count(rapport.db, Partner) == 1


@pytest.mark.parametrize(
    ("typed", "user", "organisation"),
    [
        ('"Jens Ohlsen" (Nordwind GmbH) call', ALICE, "Nordwind GmbH"),
        ("Jens Ohlsen (Acme) Anruf gestern", JONAS, "Acme"),
    ],
)
def test_a_new_partner_chosen_for_a_known_name_without_an_organisation_leaves_the_known_one(
    rapport: RunningRapport, typed: str, user: str, organisation: str
) -> None:
    """Choosing "New partner" creates the second one at the organisation typed; the known
    partner keeps none, and no line says an organisation was set."""
    send(rapport, '"Jens Ohlsen" call kickoff', user)

    new = f"{CREATE[user]} Jens Ohlsen ({organisation})"
    logged = press(rapport, send(rapport, typed, user), new, user)

    assert sorted((p.organisation or "") for p in all_of(rapport.db, Partner)) == sorted(
        ["", organisation]
    )
    assert ORGANISATION_SET[user].format(organisation) not in texts(logged), texts(logged)


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("Jens Ohlsen (GmbH) call", ALICE),
        ("Jens Ohlsen (AG) Anruf gestern", JONAS),
        ("Jens Ohlsen (GmbH & Co. KG) Anruf", JONAS),
    ],
)
def test_a_known_name_without_an_organisation_chosen_for_a_legal_form_alone_keeps_none(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """A legal form alone names no company (it is asked about as any organisation may be):
    the known partner chosen for it is not given "GmbH" as its organisation, which Undo would
    not take back, and no line says one was set."""
    send(rapport, '"Jens Ohlsen" call kickoff', user)

    logged = press(rapport, send(rapport, typed, user), "Jens Ohlsen", user)

    [partner] = all_of(rapport.db, Partner)
    assert partner.organisation is None, (partner.organisation, texts(logged))
    assert len(_contacts(rapport, partner.id)) == 1, texts(logged)


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("Jens Ohlsen (Nordwind) call", ALICE),
        ("Jens Ohlsen (Nordwind AG) Anruf gestern", JONAS),
    ],
)
def test_the_known_name_without_an_organisation_chosen_beside_one_at_a_near_one_keeps_none(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """Where "Jens Ohlsen" and "Jens Ohlsen (Nordwind GmbH)" are both known, choosing the one
    without an organisation for "Jens Ohlsen (Nordwind)" logs to him but does not make him a
    second Jens Ohlsen at Nordwind: the two would then differ by a legal form alone, and each
    later text would go silently to the one whose organisation was typed exactly."""
    send(rapport, '"Jens Ohlsen" call kickoff', user)
    asked = send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)
    press(rapport, asked, f"{CREATE[user]} Jens Ohlsen (Nordwind GmbH)", user)
    [bare] = [p for p in all_of(rapport.db, Partner) if p.organisation is None]

    reply = send(rapport, typed, user)
    assert "Jens Ohlsen (Nordwind GmbH)" in buttons(reply), list(buttons(reply))
    logged = press(rapport, reply, "Jens Ohlsen", user)

    assert len(_contacts(rapport, bare.id)) == 1, texts(logged)
    [bare] = [p for p in all_of(rapport.db, Partner) if p.id == bare.id]
    assert bare.organisation is None, (bare.organisation, texts(logged))


@pytest.mark.parametrize(
    ("typed", "user", "created"),
    [
        ("Nord call", ALICE, ("Nord", None)),
        ("Wind Anruf", JONAS, ("Wind", None)),
        ("Nordwinde call", ALICE, ("Nordwinde", None)),
        ("Logistik call", ALICE, ("Logistik", None)),
        ('"Jens Ohlsen" (Acme) call', ALICE, ("Jens Ohlsen", "Acme")),
        ('"Jens Ohlsen" (Nord) Anruf', JONAS, ("Jens Ohlsen", "Nord")),
        ('"Jens Ohlsen" (Logistik GmbH) call', ALICE, ("Jens Ohlsen", "Logistik GmbH")),
    ],
)
def test_a_word_merely_like_the_organisation_is_a_new_partner_without_a_question(
    rapport: RunningRapport, typed: str, user: str, created: tuple[str, str | None]
) -> None:
    """Part of a word ("Nord", "Wind"), a longer word ("Nordwinde"), a later word of it
    ("Logistik"), or another organisation after the known name: logged for a new partner, as
    before, the known one never offered."""
    _with_partner(rapport, user, "Jens Ohlsen", "Nordwind Logistik GmbH")

    reply = send(rapport, typed, user)

    assert not any("Nordwind" in label for label in buttons(reply)), buttons(reply)
    assert count(rapport.db, Partner) == 2, texts(reply)
    assert created in [(p.name, p.organisation) for p in all_of(rapport.db, Partner)]


@pytest.mark.parametrize(("typed", "user"), [("Nordwind AG call", ALICE), ("Nordwind AG", JONAS)])
def test_a_partner_named_with_another_legal_form_is_offered_too(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    """A partner whose own name carries the legal form ("Nordwind GmbH", no organisation):
    "Nordwind AG" may be that company or another of the group, and is asked about."""
    send(rapport, '"Nordwind GmbH" call kickoff', user)

    reply = send(rapport, typed, user)

    assert "Nordwind GmbH" in buttons(reply), texts(reply)
    assert count(rapport.db, Partner) == 1


@pytest.mark.parametrize(
    ("typed", "user", "note", "days_ago"),
    [
        ("Jens Ohlsen call about the tender", ALICE, "about the tender", 0),
        ('"Jens Ohlsen" Anruf gestern Angebot besprochen', JONAS, "Angebot besprochen", 1),
        ("jens ohlsen Telefonat gestern", JONAS, "", 1),
    ],
)
def test_a_name_two_partners_share_asks_which_and_the_one_chosen_keeps_the_text(
    rapport: RunningRapport, typed: str, user: str, note: str, days_ago: int
) -> None:
    """ "Jens Ohlsen" at Nordwind GmbH and at Acme, typed without the organisation: a button for
    each, shown with its organisation, and Cancel, in the asker's language; chosen, the medium,
    the day and the note are read as after the name. Cancel logs nothing."""
    nordwind = _with_partner(rapport, user, "Jens Ohlsen", "Nordwind GmbH")
    send(rapport, '"Jens Ohlsen" (Acme) call kickoff', user)
    before = count(rapport.db, Interaction)

    reply = send(rapport, typed, user)

    asked = {ALICE: "Several partners are called", JONAS: "Mehrere Partner heißen"}[user]
    assert asked in texts(reply), texts(reply)
    offered = ["Jens Ohlsen (Acme)", "Jens Ohlsen (Nordwind GmbH)", CANCEL[user]]
    assert sorted(buttons(reply)) == sorted(offered), buttons(reply)
    assert count(rapport.db, Interaction) == before
    press(rapport, send(rapport, typed, user), CANCEL[user], user)
    assert count(rapport.db, Interaction) == before
    press(rapport, reply, "Jens Ohlsen (Nordwind GmbH)", user)
    [contact] = _contacts(rapport, nordwind.id)
    assert (contact.medium, contact.note) == ("call", note), (contact.medium, contact.note)
    day = (NOW.astimezone(BERLIN) - timedelta(days=days_ago)).date()
    assert contact.occurred_at.astimezone(BERLIN).date() == day
