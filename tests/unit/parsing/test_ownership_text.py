"""Ownership commands read without Slack or a database: hand-overs, the unowned list, names and
the partner a Take over button names."""

from __future__ import annotations

import pytest

from bot.parsing.ownership_text import (
    HandOver,
    ListUnowned,
    OwnershipProblem,
    as_typed,
    name_and_organisation,
    owner_mention,
    ownership_request,
    partner_id_of,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("partner Acme owner <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("Partner ACME Owner <@U0BOB>", HandOver("ACME", None, "U0BOB")),
        ("partners Acme owner: <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("partner Acme zuständig <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("partner Acme Inhaber <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("partner Acme besitzer <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        (
            "partner Jens Ohlsen (Nordwind GmbH) owner <@U0BOB|bob>",
            HandOver("Jens Ohlsen", "Nordwind GmbH", "U0BOB"),
        ),
        (
            'partner "Jens  Ohlsen" (Nordwind GmbH) zuständig <@U0BOB|bob>',
            HandOver("Jens Ohlsen", "Nordwind GmbH", "U0BOB"),
        ),
        ("partner „Müller & Söhne“ owner <@U0BOB|bob>", HandOver("Müller & Söhne", None, "U0BOB")),
        ("partner Tom &amp; Jerry owner <@U0BOB|bob>", HandOver("Tom & Jerry", None, "U0BOB")),
        # The owner word is read from the end, so a name may contain one.
        ("partner Owner Bank owner <@U0BOB|bob>", HandOver("Owner Bank", None, "U0BOB")),
        ("partners unowned", ListUnowned()),
        ("Partners   Unowned", ListUnowned()),
        ("partner unowned", ListUnowned()),
        ("partner ohne zuständige", ListUnowned()),
        ("Partner ohne Zuständigen", ListUnowned()),
        ("partner ohne zuständigkeit", ListUnowned()),
    ],
)
def test_ownership_commands_are_read_in_either_language(text: str, expected: object) -> None:
    assert ownership_request(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "partner Acme owner",
        "partner owner <@U0BOB|bob>",
        "partner Acme owner bob",
        "partner Acme owner <@U0BOB|bob> <@U0JONAS|jonas>",
        "partner Acme owner <@U0BOB|bob> from Monday",
        'partner "" owner <@U0BOB|bob>',
    ],
)
def test_a_misread_hand_over_is_answered_with_how_to_write_it(text: str) -> None:
    assert ownership_request(text) == OwnershipProblem("usage")


@pytest.mark.parametrize(
    "text",
    [
        "Acme call discussed the roadmap",
        "<@U0KENJI|kenji> call owner <@U0BOB>",
        "partner call kickoff",  # a partner called "partner" keeps being logged
        "partners",
        "settings",
        "",
    ],
)
def test_other_commands_are_left_to_contact_logging(text: str) -> None:
    assert ownership_request(text) is None


def test_the_new_owner_is_found_anywhere_in_a_hand_over_and_nowhere_else() -> None:
    assert owner_mention("partner Acme owner <@U0BOB|bob>") == "U0BOB"
    assert owner_mention("partner Acme owner bob") is None
    assert owner_mention("Acme call with <@U0BOB|bob>") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme", ("Acme", None)),
        ("  Jens   Ohlsen ", ("Jens Ohlsen", None)),
        ("Jens Ohlsen (Nordwind GmbH)", ("Jens Ohlsen", "Nordwind GmbH")),
        ('"Jens Ohlsen"(Nordwind)', ("Jens Ohlsen", "Nordwind")),
        ("Acme ()", ("Acme", None)),
        ("O'Neil", ("O'Neil", None)),
    ],
)
def test_names_and_organisations(text: str, expected: tuple[str, str | None]) -> None:
    assert name_and_organisation(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("17", 17), ("", None), (None, None), ("17:42", None), ("-3", None), ("²", None)],
)
def test_a_take_over_value_is_a_partner_id_or_was_tampered_with(value, expected) -> None:
    assert partner_id_of(value) == expected


def test_an_id_beyond_what_the_database_holds_was_tampered_with() -> None:
    assert partner_id_of("2147483647") == 2147483647
    assert partner_id_of("2147483648") is None


@pytest.mark.parametrize(
    ("name", "organisation", "typed"),
    [
        ("Acme", None, "Acme"),
        ("Acme GmbH", None, '"Acme GmbH"'),
        ("Jens Ohlsen", "Nordwind GmbH", '"Jens Ohlsen" (Nordwind GmbH)'),
        ("Müller", "Müller & Söhne", "Müller (Müller & Söhne)"),
        ("Made in Berlin", None, '"Made in Berlin"'),
    ],
)
def test_a_partner_as_typed_reads_back_as_itself(
    name: str, organisation: str | None, typed: str
) -> None:
    assert as_typed(name, organisation) == typed
    assert name_and_organisation(typed) == (name, organisation)
