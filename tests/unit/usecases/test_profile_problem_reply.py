"""A profile line that changed nothing: what was wrong, and an example of the setting that was,
in English and German."""

from __future__ import annotations

import pytest

from bot.parsing.profile_text import SETTING_WORDS, ProfileProblem, parse_profile
from bot.texts.catalog import TEXTS
from bot.texts.reader import Reader
from bot.usecases.partners.cards import profile_problem

EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")


def reply(reader: Reader, typed: str) -> str:
    found = parse_profile(typed)
    assert isinstance(found, ProfileProblem), typed
    return profile_problem(reader, found).text


@pytest.mark.parametrize(
    ("typed", "en", "de"),
    [
        ("kontaktgrenze 1", "1 is too small for a contact limit: 2 to 50", "1 ist zu klein"),
        ("max-contacts 0", "0 is too small", "0 ist zu klein für eine Kontaktgrenze: 2 bis 50"),
        ("max-contacts 51", "51 is too large for a contact limit: 2 to 50", "51 ist zu groß"),
        ("max-contacts lots", "I couldn't read “lots” as a contact limit", "„lots“ kann ich"),
    ],
)
def test_a_contact_limit_out_of_range_says_which_way(typed: str, en: str, de: str) -> None:
    assert en in reply(EN, typed)
    assert de in reply(DE, typed)


@pytest.mark.parametrize(
    ("typed", "en", "de"),
    [
        ("kontaktgrenze 1", "set max-contacts 5`", "setze kontaktgrenze 5`"),
        ("max-contacts", "set max-contacts 5`", "setze kontaktgrenze 5`"),
        ("feiertage XX", "set public-holidays JP`", "setze feiertage DE-BY`"),
        ("public-holidays DE-Bavaria", "set public-holidays JP`", "setze feiertage DE-BY`"),
        ("tz CET", "set tz Asia/Tokyo`", "setze zeitzone Europe/Berlin`"),
        ("hours 18-9", "set hours 9-18`", "setze zeiten 9-17`"),
        ("cadence 3", "set cadence 60`", "setze rhythmus 60`"),
        ("email x@", "set email ana@acme.example`", "setze e-mail ana@acme.example`"),
        ("prefers pigeon", "set prefers email`", "setze bevorzugt telefon`"),
    ],
)
def test_the_example_after_a_bad_value_is_that_setting(typed: str, en: str, de: str) -> None:
    english, german = reply(EN, typed), reply(DE, typed)
    assert english.endswith(en) and german.endswith(de)
    assert "cadence 60 email" not in english and "rhythmus 60 e-mail" not in german


def test_a_line_wrong_as_a_whole_keeps_the_full_example() -> None:
    assert "set tz Asia/Tokyo hours 9-18 days mon-fri" in reply(EN, "colour blue")
    assert "setze zeitzone Europe/Berlin zeiten 9-17" in reply(DE, "tz Asia/Tokyo tz UTC")


def test_every_setting_has_an_example_in_both_languages() -> None:
    for setting in SETTING_WORDS:
        entry = TEXTS[f"profile.problem.example.{setting}"]
        assert set(entry) == {"en", "de"}, setting
