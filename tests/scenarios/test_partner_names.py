"""Names that should match, over signed HTTP on both backends: every spelling of a partner's
name finds it; a new name that is more likely a slip, the start of a longer name, a longer form
of a shorter one, or a bare name with more words after it, is asked about before anything is
created (the question waits an hour, a button per reading); a clear name is never asked about."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import PartnerTrigram
from storage.vocabulary import name_trigrams
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.rows import Interaction, Partner, all_of, count

ALICE, JONAS = "U0ALICE", "U0JONAS"  # Alice's Slack speaks English, Jonas's German


def send(rapport: RunningRapport, text: str, user: str = ALICE) -> dict:
    known(rapport, user)
    return rapport.command(text, user=user).reply()


def press(rapport: RunningRapport, reply: dict, label: str, user: str = ALICE) -> dict:
    button = buttons(reply)[label]
    return rapport.click(button["action_id"], button["value"], user=user).later()


def names(rapport: RunningRapport) -> list[str]:
    return sorted(p.name for p in all_of(rapport.db, Partner))


@pytest.mark.parametrize(
    "typed",
    [
        "Mu\u0308ller AG",  # u and a combining diaeresis
        "MÜLLER AG",
        "Mueller AG",
        "mueller ag",
        "Müller\u200b AG",  # a zero-width space pasted from a web page
        "Müller-AG",
    ],
)
def test_every_spelling_of_a_known_name_logs_to_it_without_a_question(
    rapport: RunningRapport, typed: str
) -> None:
    send(rapport, '"Müller AG" call kickoff')

    reply = send(rapport, f"{typed} call prices")

    assert "Logged your contact with *Müller AG*" in texts(reply)
    assert names(rapport) == ["Müller AG"] and count(rapport.db, Interaction) == 2


@pytest.mark.parametrize(
    ("typed", "user", "asked"),
    [
        ("Müler", ALICE, "Did you mean that one"),  # a letter left out
        ("Mueller", ALICE, "Did you mean that one"),  # the first word of "Müller AG"
        ("Muller", JONAS, "Meintest du diesen"),  # the umlaut left out
        ("Nüller", JONAS, "Meintest du diesen"),  # the first letter wrong
        ("Mülller", ALICE, "Did you mean that one"),  # a letter too many
        ("Müler AG", JONAS, "Meintest du diesen"),
    ],
)
def test_a_slip_is_asked_about_and_the_chosen_partner_gets_the_contact(
    rapport: RunningRapport, typed: str, user: str, asked: str
) -> None:
    send(rapport, '"Müller AG" call kickoff', user)

    reply = send(rapport, f"{typed} call prices", user)

    assert asked in texts(reply)
    assert count(rapport.db, Interaction) == 1, "nothing stored before the answer"
    answer = press(rapport, reply, "Müller AG", user)
    assert "Müller AG" in texts(answer)
    assert names(rapport) == ["Müller AG"] and count(rapport.db, Interaction) == 2
    assert {i.medium for i in all_of(rapport.db, Interaction)} == {"call"}


def test_a_slip_can_still_be_a_new_partner(rapport: RunningRapport) -> None:
    send(rapport, '"Müller AG" call kickoff')
    reply = send(rapport, "Muller call prices")

    answer = press(rapport, reply, "New partner Muller")

    assert "Logged your contact with *Muller*" in texts(answer)
    assert "Did you mean" not in texts(answer), "asked already"
    assert names(rapport) == ["Muller", "Müller AG"]


def test_the_first_word_of_a_known_longer_name_is_asked_about(rapport: RunningRapport) -> None:
    send(rapport, '"Schmidt Logistik" call kickoff', JONAS)

    reply = send(rapport, "Schmidt Telefonat gestern Preise besprochen", JONAS)

    assert "Meintest du diesen" in texts(reply)
    assert set(buttons(reply)) == {"Schmidt Logistik", "Neuer Partner Schmidt", "Abbrechen"}
    press(rapport, reply, "Schmidt Logistik", JONAS)
    logged = all_of(rapport.db, Interaction)[-1]
    assert logged.partner_id == all_of(rapport.db, Partner)[0].id
    assert (logged.medium, logged.note) == ("call", "Preise besprochen")


@pytest.mark.parametrize(
    ("quoted", "user", "create"),
    [
        ('"Schmidt Logistik"', JONAS, "Neuer Partner Schmidt Logistik"),
        ("„Schmidt Logistik GmbH“", JONAS, "Neuer Partner Schmidt Logistik GmbH"),
        ('"Schmidt Logistics"', ALICE, "New partner Schmidt Logistics"),
    ],
)
def test_a_quoted_name_that_extends_a_known_one_is_asked_about(
    rapport: RunningRapport, quoted: str, user: str, create: str
) -> None:
    send(rapport, "Schmidt call kickoff", user)

    reply = send(rapport, f"{quoted} call prices", user)

    assert "Schmidt" in buttons(reply) and create in buttons(reply)
    assert names(rapport) == ["Schmidt"]
    press(rapport, reply, create, user)
    assert names(rapport) == sorted(["Schmidt", create.split(" ", 2)[2]])


def test_a_quoted_name_that_extends_a_known_one_can_be_the_known_one(
    rapport: RunningRapport,
) -> None:
    send(rapport, "Schmidt call kickoff", JONAS)
    reply = send(rapport, '"Schmidt Logistik" Telefonat Preise', JONAS)

    press(rapport, reply, "Schmidt", JONAS)

    assert names(rapport) == ["Schmidt"] and count(rapport.db, Interaction) == 2


@pytest.mark.parametrize(
    ("text", "user", "longer", "note_if_longer"),
    [
        (
            "Schmidt Logistik Telefonat gestern Preise besprochen",
            JONAS,
            "Schmidt Logistik",
            "Preise besprochen",
        ),
        ("Schmidt Logistik GmbH: Angebot besprochen", JONAS, "Schmidt Logistik GmbH", ""),
        ("Acme Robotics call yesterday about pricing", ALICE, "Acme Robotics", "about pricing"),
        ("Nordwind Shipping Ltd meeting", ALICE, "Nordwind Shipping Ltd", ""),
    ],
)
def test_an_unquoted_new_multi_word_name_is_asked_about(
    rapport: RunningRapport, text: str, user: str, longer: str, note_if_longer: str
) -> None:
    reply = send(rapport, text, user)

    new = "Neuer Partner" if user == JONAS else "New partner"
    first = text.split()[0]
    assert f"*{longer}*" in texts(reply)
    assert f"{new} {longer}" in buttons(reply) and f"{new} {first}" in buttons(reply)
    assert count(rapport.db, Partner) == 0
    press(rapport, reply, f"{new} {longer}", user)
    assert names(rapport) == [longer]
    note = all_of(rapport.db, Interaction)[0].note
    assert note.endswith(note_if_longer) and not note.startswith(longer.split()[1])


def test_an_unquoted_multi_word_name_may_still_be_its_first_word(
    rapport: RunningRapport,
) -> None:
    reply = send(rapport, "Schmidt Logistik Telefonat gestern", JONAS)

    press(rapport, reply, "Neuer Partner Schmidt", JONAS)

    assert names(rapport) == ["Schmidt"]
    assert all_of(rapport.db, Interaction)[0].note.startswith("Logistik")


@pytest.mark.parametrize(
    ("text", "user"),
    [
        ("Globex talked about the rollout", ALICE),
        ("Initech call yesterday", ALICE),
        ("Globex: Acme was mentioned", ALICE),  # a colon ends the name
        ("Hansa telefoniert wegen Angebot", JONAS),
        ("Hansa: Angebot besprochen", JONAS),
    ],
)
def test_a_clear_new_name_is_logged_without_a_question(
    rapport: RunningRapport, text: str, user: str
) -> None:
    reply = send(rapport, text, user)

    partner = text.split()[0].rstrip(":")
    assert f"*{partner}*" in texts(reply) and not buttons(reply).keys() & {"Cancel", "Abbrechen"}
    assert names(rapport) == [partner]


def test_a_chosen_partner_of_another_workspace_or_gone_is_refused(
    rapport: RunningRapport,
) -> None:
    send(rapport, '"Müller AG" call kickoff')
    reply = send(rapport, "Müler call prices")
    button = buttons(reply)["Müller AG"]
    pending, slot, _ = button["value"].split("|")

    forged = rapport.click(button["action_id"], f"{pending}|{slot}|p999999:1").later()

    assert "no longer exists" in texts(forged)
    assert names(rapport) == ["Müller AG"] and count(rapport.db, Interaction) == 1


def test_trigrams_come_and_go_with_the_partner(rapport: RunningRapport) -> None:
    reply = send(rapport, "Initech call kickoff")
    with rapport.db.reading() as session:
        stored = session.execute(select(PartnerTrigram.trigram, PartnerTrigram.weight)).all()
    assert dict(stored) == name_trigrams("initech")

    undo = buttons(reply)["Undo"]
    rapport.click(undo["action_id"], undo["value"]).later()

    assert count(rapport.db, Partner) == 0 and count(rapport.db, PartnerTrigram) == 0


@pytest.mark.parametrize(
    ("known_name", "typed", "user"),
    [
        ('"Nordwind 1"', '"Nordwind 2" call', ALICE),
        ('"Filiale 12"', '"Filiale 13" Telefonat', JONAS),
    ],
)
def test_names_that_differ_in_a_number_are_told_apart_without_a_question(
    rapport: RunningRapport, known_name: str, typed: str, user: str
) -> None:
    send(rapport, f"{known_name} call", user)

    reply = send(rapport, typed, user)

    assert not buttons(reply).keys() & {"Cancel", "Abbrechen"}
    assert count(rapport.db, Partner) == 2


@pytest.mark.parametrize(
    ("typed", "user", "logged"),
    [
        ('"Schmidt Logistik" Anruf heute', JONAS, "Kontakt mit *Schmidt Logistik*"),
        ("“schmidt-logistik” call today", ALICE, "contact with *Schmidt Logistik*"),
        ("'SCHMIDT LOGISTIK' call", ALICE, "contact with *Schmidt Logistik*"),
        ("Schmidt Logistik Telefonat", JONAS, "Kontakt mit *Schmidt Logistik*"),
    ],
)
def test_an_existing_partner_however_typed_is_never_asked_about_as_new(
    rapport: RunningRapport, typed: str, user: str, logged: str
) -> None:
    """Both "Schmidt" and "Schmidt Logistik" exist: the longer is near the shorter, and was
    asked about as if new when quoted."""
    send(rapport, '"Schmidt" call kickoff', user)
    asked = send(rapport, '"Schmidt Logistik" call kickoff', user)
    new = next(label for label in buttons(asked) if "Schmidt Logistik" in label)
    press(rapport, asked, new, user)
    assert names(rapport) == ["Schmidt", "Schmidt Logistik"]

    reply = send(rapport, typed, user)

    assert logged in texts(reply), texts(reply)
    assert not buttons(reply).keys() & {"Cancel", "Abbrechen"}
    assert count(rapport.db, Interaction) == 3


@pytest.mark.parametrize(
    ("typed", "user", "asked", "new", "existing"),
    [
        (
            "Schmidt Logistik Telefonat gestern Angebot besprochen",
            JONAS,
            "die ersten Wörter nennen einen",
            "Neuer Partner Schmidt Logistik",
            "Schmidt",
        ),
        (
            "schmidt Robotics call yesterday about pricing",
            ALICE,
            "its first words name one",
            "New partner schmidt Robotics",
            "Schmidt",
        ),
    ],
)
def test_a_known_name_followed_by_a_new_capitalised_word_is_asked_about(
    rapport: RunningRapport, typed: str, user: str, asked: str, new: str, existing: str
) -> None:
    send(rapport, '"Schmidt" call kickoff', user)

    reply = send(rapport, typed, user)

    assert asked in texts(reply), texts(reply)
    assert list(buttons(reply))[:2] == [existing, new]
    assert count(rapport.db, Interaction) == 1

    created = press(rapport, reply, new, user)

    assert names(rapport) == sorted(["Schmidt", new.split(" ", 2)[2]])
    schmidt = next(p.id for p in all_of(rapport.db, Partner) if p.name == "Schmidt")
    [contact] = [i for i in all_of(rapport.db, Interaction) if i.partner_id != schmidt]
    # The medium and the day after the longer name are read, not left in the note.
    assert contact.medium == "call" and contact.note in ("Angebot besprochen", "about pricing")
    assert "Logged" in texts(created) or "erfasst" in texts(created)


def test_the_known_name_can_still_be_chosen_with_the_rest_as_the_note(
    rapport: RunningRapport,
) -> None:
    send(rapport, '"Schmidt" call kickoff')
    reply = send(rapport, "Schmidt Logistik call yesterday")

    answer = press(rapport, reply, "Schmidt")

    assert "Logged your contact with *Schmidt*" in texts(answer)
    assert names(rapport) == ["Schmidt"] and count(rapport.db, Interaction) == 2


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("Schmidt Telefonat gestern Angebot besprochen", JONAS),
        ("Schmidt gestern Angebot besprochen", JONAS),
        ("Schmidt call yesterday about Logistik", ALICE),
    ],
)
def test_a_known_name_followed_by_a_keyword_is_logged_without_a_question(
    rapport: RunningRapport, typed: str, user: str
) -> None:
    send(rapport, '"Schmidt" call kickoff', user)

    reply = send(rapport, typed, user)

    assert "*Schmidt*" in texts(reply) and not buttons(reply).keys() & {"Cancel", "Abbrechen"}
    assert count(rapport.db, Interaction) == 2


@pytest.mark.parametrize(
    ("typed", "user", "refused"),
    [
        ('"Acme\u202e" call', ALICE, "can't be part of a name (U+202E"),
        ("Acme\u2067 call", ALICE, "can't be part of a name (U+2067"),
        ('"Jens" (Nord\u202bwind) Anruf', JONAS, "nicht Teil eines Namens sein kann (U+202B"),
        ('"\u3164" Anruf gestern', JONAS, "nicht Teil eines Namens sein kann (U+3164"),
    ],
)
def test_a_name_with_a_character_that_turns_or_blanks_it_is_refused(
    rapport: RunningRapport, typed: str, user: str, refused: str
) -> None:
    reply = send(rapport, typed, user)

    assert refused in texts(reply), texts(reply)
    assert count(rapport.db, Partner) == 0 and count(rapport.db, Interaction) == 0


def test_a_new_name_is_stored_composed_and_without_pasted_invisibles(
    rapport: RunningRapport,
) -> None:
    send(rapport, '"Mu\u0308ller\u200b" (Nord\ufeffwind) call kickoff')
    send(rapport, '"Cafe\u0301\u200b Central" call')

    assert names(rapport) == ["Café Central", "Müller"]
    assert [p.organisation for p in all_of(rapport.db, Partner) if p.name == "Müller"] == [
        "Nordwind"
    ]
    reply = send(rapport, "Müller (Nordwind) call prices")
    assert "Logged your contact with *Müller (Nordwind)*" in texts(reply)


def test_the_form_refuses_such_a_name_under_its_field(rapport: RunningRapport) -> None:
    known(rapport, ALICE)
    assert rapport.command("").answer.status == 200  # opens the form
    view = rapport.slack.views()[-1]

    answer = rapport.submit(view, state_from(view, new_partner="Acme\u202e", organisation="N"))
    other = rapport.submit(view, state_from(view, new_partner="Jens", organisation="\u3164"))

    assert "(U+202E)" in answer.json()["errors"]["new_partner"]
    assert "(U+3164)" in other.json()["errors"]["organisation"]
    assert count(rapport.db, Partner) == 0
