"""Names that would show as something else: characters that turn the order text reads in are
refused in a partner or organisation name, a name of Hangul fillers alone is no name, and a name
is stored composed and without the invisible characters pasting brings along."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.checks import display_name, name_character, person_name
from bot.parsing.contact_text import ParseProblem, parse_logcontact

TODAY = date(2027, 1, 6)


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Acme\u202e", (5, "U+202E")),  # right-to-left override
        ("\u202aAcme", (1, "U+202A")),
        ("Ac\u202dme", (3, "U+202D")),
        ("Müller \u2066AG\u2069", (8, "U+2066")),  # isolates
        ("Acme\u2069", (5, "U+2069")),
        ("Acme\u200f", (5, "U+200F")),  # right-to-left mark
        ("\u3164", (1, "U+3164")),  # Hangul filler alone
        ("\u115f\u1160", (1, "U+115F")),
        ("\u3164 \uffa0", (1, "U+3164")),
    ],
)
def test_characters_that_turn_or_blank_a_name_are_found(name: str, found: tuple[int, str]) -> None:
    assert name_character(name) == found


@pytest.mark.parametrize(
    "name", ["Acme", "Müller AG", "שלום", "مرحبا", "김철수", "Zoë\u200d", None, ""]
)
def test_names_in_any_script_are_fine(name: str | None) -> None:
    assert name_character(name) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Mu\u0308ller", "Müller"),
        ("Cafe\u0301  Central", "Café Central"),
        ("Acme\u200b Corp", "Acme Corp"),
        ("\ufeffGlobex", "Globex"),
        ("Bau\u00adhaus", "Bauhaus"),
        ("Zoë\u200d", "Zoë\u200d"),  # a joiner is part of some names
    ],
)
def test_a_name_is_stored_composed_without_pasted_invisibles(typed: str, stored: str) -> None:
    assert display_name(typed) == stored
    assert person_name(typed, "fallback") == stored


@pytest.mark.parametrize(
    "text",
    [
        '"Acme\u202e" call',
        "Acme\u202e call",
        '"Jens" (Nord\u2067wind) call',
        '"\u3164" call',
        "\u3164 Anruf gestern",
    ],
)
def test_a_typed_name_with_such_a_character_is_refused(text: str) -> None:
    with pytest.raises(ParseProblem) as refused:
        parse_logcontact(text, today=TODAY)
    assert refused.value.code == "name_character"
    assert str(refused.value.details["char"]).startswith("U+")


@pytest.mark.parametrize(
    ("text", "name", "organisation"),
    [
        ('"Mu\u0308ller" call', "Müller", None),
        ("Mu\u0308ller\u200b Anruf", "Müller", None),
        ('"Jens" (Nordwind\u200b GmbH) call', "Jens", "Nordwind GmbH"),
    ],
)
def test_a_typed_name_is_read_as_it_will_be_stored(
    text: str, name: str, organisation: str | None
) -> None:
    partner = parse_logcontact(text, today=TODAY).partner
    assert (partner.name, partner.organisation) == (name, organisation)
