"""The contact limit in a partner's one-line profile, in English and German."""

from __future__ import annotations

import pytest

from bot.parsing.profile_text import CLEAR, ProfileChange, ProfileProblem, parse_profile


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("max-contacts 5", 5),
        ("Max-Contacts 2", 2),
        ("contact-limit 50", 50),
        ("kontaktgrenze 4", 4),
        ("max-kontakte 10", 10),
        ("max-contacts off", 0),
        ("kontaktgrenze aus", 0),
        ("max-contacts never", 0),
        ("kontaktgrenze nie", 0),
        ("max-contacts clear", CLEAR),
        ("kontaktgrenze löschen", CLEAR),
    ],
)
def test_a_contact_limit_is_read(typed: str, value: object) -> None:
    assert parse_profile(typed) == ProfileChange({"max_contacts": value})


def test_a_contact_limit_goes_with_other_settings() -> None:
    found = parse_profile("cadence 60 max-contacts 4 tz Asia/Tokyo")
    assert isinstance(found, ProfileChange)
    assert found.values["max_contacts"] == 4 and found.values["cadence"] == 60


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1", "max_contacts_too_small"),
        ("0", "max_contacts_too_small"),
        ("00", "max_contacts_too_small"),
        ("51", "max_contacts_too_large"),
        ("999999999999", "max_contacts_too_large"),
        ("-3", "bad_max_contacts"),
        ("drei", "bad_max_contacts"),
        ("three", "bad_max_contacts"),
        ("5.5", "bad_max_contacts"),
        ("٣", "bad_max_contacts"),
        ("1000000000000", "bad_max_contacts"),
        ("5x", "bad_max_contacts"),
    ],
)
def test_a_bad_contact_limit_is_refused_naming_the_range(typed: str, code: str) -> None:
    found = parse_profile(f"max-contacts {typed}")
    assert isinstance(found, ProfileProblem)
    assert found.code == code and found.setting == "max_contacts"
    assert found.details["value"] == typed
    assert (found.details["min"], found.details["max"], found.details["default"]) == (
        "2",
        "50",
        "3",
    )


def test_a_contact_limit_takes_one_word_and_needs_one() -> None:
    assert parse_profile("kontaktgrenze") == ProfileProblem(
        "missing", {"word": "kontaktgrenze"}, "max_contacts"
    )
    found = parse_profile("max-contacts 5 7")
    assert isinstance(found, ProfileProblem) and found.code == "unknown_word"
