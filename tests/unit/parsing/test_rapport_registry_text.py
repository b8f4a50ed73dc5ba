"""Reading `/rapport partner NAME rename NEW` and `/rapport forget NAME`, in English and German:
the new name checked as a new partner's is, and the readings a name holding the words allows."""

from __future__ import annotations

import pytest

from bot.parsing.ownership_text import HandOver
from bot.parsing.rapport_text import (
    ForgetPartner,
    RenamePartner,
    RenameProblem,
    SetProfile,
    ShowPartner,
    rapport_request,
    rename_readings,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("partner Acme rename Acme Corp", RenamePartner("Acme", None, "Acme Corp", None)),
        (
            'partner "Jens Ohlsen" (Nordwind GmbH) umbenennen "Jens Olsen"',
            RenamePartner("Jens Ohlsen", "Nordwind GmbH", "Jens Olsen", None),
        ),
        (
            "partner Acme rename Acme (Acme Holding)",
            RenamePartner("Acme", None, "Acme", "Acme Holding"),
        ),
        # Slack's entities are read; spaces folded; NFC.
        (
            "partner Acme rename  Smith &amp;  Sons",
            RenamePartner("Acme", None, "Smith & Sons", None),
        ),
        ("partner Acme rename Mu\u0308ller", RenamePartner("Acme", None, "Müller", None)),
        # An owner word in the new name without a mention after it is part of the name.
        ("partner Acme rename Owner Inc", RenamePartner("Acme", None, "Owner Inc", None)),
        # A quoted name is taken as typed, its link's address shown in it.
        (
            'partner Acme rename "<https://acme.example|Acme>"',
            RenamePartner("Acme", None, "Acme (https://acme.example)", None),
        ),
        # The words inside quotes or parentheses are part of the name.
        ('partner "Rename Set" rename Other', RenamePartner("Rename Set", None, "Other", None)),
        ("partner Acme (Set Rename) rename B", RenamePartner("Acme", "Set Rename", "B", None)),
        (
            "partner <@U0KENJI|kenji> rename Kenji",
            RenamePartner("@kenji", None, "Kenji", None, "U0KENJI"),
        ),
        # The first command word wins: a set before rename is a profile change.
        ("partner Acme set org Rename AG", SetProfile("Acme", None, "org Rename AG")),
        ("partner Rename", ShowPartner("Rename", None)),
        ("partner Acme owner <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
    ],
)
def test_rename_requests(typed: str, expected: object) -> None:
    assert rapport_request(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code", "values"),
    [
        (
            "partner Acme rename <https://evil.example|Acme>",
            "address",
            {"address": "https://evil.example"},
        ),
        (
            "partner Acme umbenennen Acme (ana@acme.example)",
            "address",
            {"address": "ana@acme.example"},
        ),
        ("partner Acme rename \u202eemcA", "character", {"char": "U+202E", "position": "1"}),
        ("partner Acme rename \u3164", "character", {"char": "U+3164", "position": "1"}),
        ("partner Acme rename", "empty", {}),
        ("partner Acme umbenennen ...", "empty", {}),
        ('partner Acme rename ""', "empty", {}),
        ("partner Acme rename " + "x" * 201, "too_long", {"length": "201", "limit": "200"}),
    ],
)
def test_a_new_name_no_partner_may_have(typed: str, code: str, values: dict[str, str]) -> None:
    assert rapport_request(typed) == RenameProblem("Acme", None, code, values)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("forget Acme", ForgetPartner("Acme", None)),
        ("Vergessen acme", ForgetPartner("acme", None)),
        ('vergiss "Jens Ohlsen" (Nordwind GmbH)', ForgetPartner("Jens Ohlsen", "Nordwind GmbH")),
        ("forget partner Acme", ForgetPartner("Acme", None)),
        ("forget <@U0KENJI|kenji>", ForgetPartner("@kenji", None, "U0KENJI")),
        ("forget", ForgetPartner("", None)),
        ("forget Rename Set Owner", ForgetPartner("Rename Set Owner", None)),
    ],
)
def test_forget_requests(typed: str, expected: ForgetPartner) -> None:
    assert rapport_request(typed) == expected


def test_every_split_at_a_rename_word_is_offered_in_order() -> None:
    readings = rename_readings("partner Data Rename Ltd rename Data Rename AG")
    assert [(r.name, r.new_name) for r in readings if isinstance(r, RenamePartner)] == [
        ("Data", "Ltd rename Data Rename AG"),
        ("Data Rename Ltd", "Data Rename AG"),
        ("Data Rename Ltd rename Data", "AG"),
    ]
    assert rename_readings("partners all") == []
    assert rename_readings("forget Acme") == []
