"""`/logcontact` text that no database could take is refused, in the user's language, before any
branch of the command reads it; text that fits is stored whole. Signed HTTP against the running
app, on SQLite and PostgreSQL.

A refusal here must never be "the database did not answer": that would send people retrying
something that can never work.
"""

from __future__ import annotations

import pytest

from storage.vocabulary import NAME_KEY_MAX_CHARS
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.rows import Interaction, Member, Partner, Promise, count, only

DATABASE_BLAMED = ("database did not answer", "Datenbank hat nicht geantwortet")


def known(rapport: RunningRapport, user: str = "U0ALICE") -> None:
    assert rapport.command("help", user=user).reply()


def stored(rapport: RunningRapport) -> tuple[int, int, int]:
    return count(rapport.db, Partner), count(rapport.db, Interaction), count(rapport.db, Promise)


def answered(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> str:
    """The reply to `text`, checked not to blame the database."""
    shown = texts(rapport.command(text, user=user).reply())
    assert not any(blame in shown for blame in DATABASE_BLAMED), shown
    return shown


# --- control characters, in every branch ------------------------------------------------------

BRANCHES = [
    "\x00Acme call",
    "Acme call\x00",
    "\x00",
    "help\x00",
    "settings\x00",
    "settings hours 8-17\x00",
    "einstellungen sprache de\x00",
    "partner Acme owner \x00<@U0BOB|bob>",
    "partner Ac\x00me owner <@U0BOB|bob>",
    "partners unowned\x00",
    "partner ohne zuständige\x00",
    "<@U0KENJI|kenji> call\x00",
]


@pytest.mark.parametrize("text", BRANCHES)
def test_nul_is_refused_in_every_branch_of_the_command(
    rapport: RunningRapport, text: str, no_errors_logged: None
) -> None:
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    before = stored(rapport), only(rapport.db, Member).work_start_minute

    shown = answered(rapport, text)

    position = text.index("\x00") + 1
    assert f"invisible control character (U+0000) at position {position}" in shown
    assert (stored(rapport), only(rapport.db, Member).work_start_minute) == before


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
def test_other_c0_and_c1_controls_are_refused_in_german_too(
    rapport: RunningRapport, char: str, no_errors_logged: None
) -> None:
    known(rapport, "U0JONAS")

    # Inside the text: at its ends Python's strip() would take NEL (U+0085) away as a space.
    shown = answered(rapport, f"einstellungen arbeitszeit 8-17 {char}tage mo-fr", user="U0JONAS")

    assert f"unsichtbares Steuerzeichen (U+{ord(char):04X}) an Position 32" in shown
    assert only(rapport.db, Member).work_start_minute == 9 * 60


def test_a_first_time_user_is_refused_after_the_look_up_without_asking_about_the_mention(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    command = rapport.command("<@U0KENJI|kenji> call \x00 hello", user="U0JONAS")

    shown = texts(command.later())

    assert "unsichtbares Steuerzeichen (U+0000)" in shown
    assert [c.args["user"] for c in rapport.slack.calls_to("users.info")] == ["U0JONAS"]
    assert stored(rapport) == (0, 0, 0)


def test_tab_and_line_breaks_of_any_keyboard_are_kept_in_the_note(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)

    shown = answered(rapport, "Acme call first line\r\nsecond\tline\rthird")

    assert "Logged your contact with *Acme*" in shown
    assert only(rapport.db, Interaction).note == "first line\nsecond\tline\nthird"


# --- length -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("U0ALICE", "The text has 40005 characters; a command holds at most 8000"),
        ("U0JONAS", "Der Text hat 40005 Zeichen; ein Befehl fasst höchstens 8000"),
    ],
)
def test_a_40000_character_first_word_is_refused_as_too_long(
    rapport: RunningRapport, user: str, expected: str, no_errors_logged: None
) -> None:
    known(rapport, user)
    rapport.command("Acme call kickoff", user=user).reply()  # a partner to compare names with

    shown = answered(rapport, "ä" * 40000 + " call", user=user)

    assert expected in shown
    assert stored(rapport) == (1, 1, 0)


def test_a_first_word_longer_than_any_name_is_refused_without_searching(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)
    rapport.command("Acme call kickoff").reply()

    shown = answered(rapport, ("a%_" * 2400)[:7000] + " call")

    assert "A partner or organisation name has 7000 characters; at most 200 fit" in shown
    assert stored(rapport) == (1, 1, 0)


def test_a_full_note_and_a_full_promise_fit_in_one_command(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)
    note, promise = "n" * 3000, "p" * 2982 + " by Friday"

    shown = answered(rapport, f'"Jens Ohlsen" (Nordwind GmbH) call {note} promise: {promise}')

    assert "Logged your contact with *Jens Ohlsen (Nordwind GmbH)*" in shown
    # The promise is kept without its due words (`bot.parsing.promise_text`).
    assert (only(rapport.db, Interaction).note, only(rapport.db, Promise).text) == (
        note,
        promise.removesuffix(" by Friday"),
    )


def test_a_long_promise_quoted_back_in_a_refusal_is_cut_to_fit(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)

    shown = answered(rapport, "Acme call promise: " + "send the figures " * 170)

    assert "but not when it is due" in shown
    assert "…" in shown
    assert stored(rapport) == (0, 0, 0)


# --- names, after case folding ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["ß" * 101, "ß" * 200, "ﬃ" * 200])
def test_a_name_that_fits_is_stored_though_folding_makes_its_key_longer(
    rapport: RunningRapport, name: str, no_errors_logged: None
) -> None:
    known(rapport)

    shown = answered(rapport, f'"{name}" call')

    assert "Logged your contact with" in shown
    partner = only(rapport.db, Partner)
    assert partner.name == name
    assert len(partner.name_key) <= NAME_KEY_MAX_CHARS
    assert "Logged your contact with" in answered(rapport, f'"{name}" call')
    assert count(rapport.db, Partner) == 1, "the same name again is the same partner"


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("U0ALICE", "A partner or organisation name has 201 characters; at most 200 fit"),
        ("U0JONAS", "Ein Partner- oder Organisationsname hat 201 Zeichen; höchstens 200 passen"),
    ],
)
def test_a_name_one_character_too_long_is_refused(
    rapport: RunningRapport, user: str, expected: str, no_errors_logged: None
) -> None:
    known(rapport, user)

    assert expected in answered(rapport, '"' + "ß" * 201 + '" call', user=user)
    assert expected in answered(rapport, "Acme (" + "ß" * 201 + ") call", user=user)
    assert stored(rapport) == (0, 0, 0)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("U0ALICE", "names and organisations have at most 200 characters"),
        ("U0JONAS", "Namen und Organisationen haben höchstens 200 Zeichen"),
    ],
)
def test_handing_over_a_partner_with_a_name_no_partner_has_is_refused(
    rapport: RunningRapport, user: str, expected: str, no_errors_logged: None
) -> None:
    known(rapport, user)
    known(rapport, "U0BOB")

    shown = answered(rapport, "partner " + "ß" * 5000 + " owner <@U0BOB|bob>", user=user)

    assert expected in shown
