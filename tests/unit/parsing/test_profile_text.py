"""Reading a partner's profile in one line, English and German words, good and bad."""

from __future__ import annotations

import pytest

from bot.parsing.profile_text import CLEAR, ProfileChange, ProfileProblem, parse_profile


def values(text: str) -> dict[str, object]:
    found = parse_profile(text)
    assert isinstance(found, ProfileChange), found
    return dict(found.values)


def problem(text: str) -> ProfileProblem:
    found = parse_profile(text)
    assert isinstance(found, ProfileProblem), found
    return found


def test_every_setting_in_english() -> None:
    assert values(
        "tz Asia/Tokyo hours 9-18 days mon-fri prefers email lang en cadence 60 "
        'email ana@acme.example org "Acme GmbH"'
    ) == {
        "tz": "Asia/Tokyo",
        "hours": (540, 1080),
        "days": "12345",
        "channel": "email",
        "language": "en",
        "cadence": 60,
        "email": "ana@acme.example",
        "organisation": "Acme GmbH",
    }


def test_every_setting_in_german() -> None:
    assert values(
        "zeitzone europe/berlin zeiten 09:00–18:00 tage mo,mi,fr bevorzugt Telefon "
        "sprache deutsch rhythmus 3 monate e-mail ana@acme.example firma „Nordwind GmbH“"
    ) == {
        "tz": "Europe/Berlin",
        "hours": (540, 1080),
        "days": "135",
        "channel": "phone",
        "language": "de",
        "cadence": 90,
        "email": "ana@acme.example",
        "organisation": "Nordwind GmbH",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hours 9:30-17:30", {"hours": (570, 1050)}),
        ("zeiten 8 bis 16 uhr", {"hours": (480, 960)}),
        ("days mon,wed,fri", {"days": "135"}),
        ("tage mo-fr", {"days": "12345"}),
        ("cadence 90d", {"cadence": 90}),
        ("cadence 60 days", {"cadence": 60}),
        ("rhythmus 8 wochen", {"cadence": 56}),
        ("rhythmus 60 tage tage mo-fr", {"cadence": 60, "days": "12345"}),
        ("cadence 1 year", {"cadence": 365}),
        ("prefers email email a@b.example", {"channel": "email", "email": "a@b.example"}),
        ("bevorzugt treffen", {"channel": "meeting"}),
        ("prefers slack", {"channel": "slack"}),
        ("email <mailto:ana@acme.example|ana@acme.example>", {"email": "ana@acme.example"}),
        ("Zeitzone: UTC", {"tz": "UTC"}),
        ("org Acme Widgets Ltd", {"organisation": "Acme Widgets Ltd"}),
        ("tz clear", {"tz": CLEAR}),
        ("bevorzugt löschen cadence clear", {"channel": CLEAR, "cadence": 90}),
    ],
)
def test_each_value_in_its_forms(text: str, expected: dict[str, object]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "details"),
    [
        ("tz Mars/Olympus", "bad_zone", {"value": "Mars/Olympus"}),
        ("zeitzone MEZ", "bad_zone", {"value": "MEZ"}),
        ("tz JST", "bad_zone", {"value": "JST"}),
        ('org ""', "missing", {"word": "org"}),
        ("cadence 1000000000", "cadence_range", {"value": "1000000000", "min": "7", "max": "365"}),
        (
            "rhythmus 99999 monate",
            "cadence_range",
            {"value": "99999 monate", "min": "7", "max": "365"},
        ),
        ("firma „“", "missing", {"word": "firma"}),
        # zoneinfo knows these, but they are abbreviations or fixed offsets, not a place's time
        ("tz CET", "bad_zone", {"value": "CET"}),
        ("tz EST", "bad_zone", {"value": "EST"}),
        ("zeitzone est5edt", "bad_zone", {"value": "est5edt"}),
        ("tz Etc/GMT+5", "bad_zone", {"value": "Etc/GMT+5"}),
        ("tz Japan", "bad_zone", {"value": "Japan"}),
        ("hours 18-9", "overnight", {"start": "18:00", "end": "09:00"}),
        ("zeiten 17:30-09:00", "overnight", {"start": "17:30", "end": "09:00"}),
        ("hours 9-25", "bad_time", {"time": "25"}),
        ("hours nine to five", "bad_hours", {"value": "nine to five"}),
        (
            "hours 1-5pm",
            "ambiguous_hours",
            {"value": "1-5pm", "first": "01:00–17:00", "second": "13:00–17:00"},
        ),
        (
            "zeiten 6-10pm tage mo-fr",
            "ambiguous_hours",
            {"value": "6-10pm", "first": "06:00–22:00", "second": "18:00–22:00"},
        ),
        ("hours 13pm-5pm", "bad_time", {"time": "13pm"}),
        ("days mon-xyz", "bad_day", {"day": "xyz"}),
        ("cadence 0", "cadence_range", {"value": "0", "min": "7", "max": "365"}),
        ("cadence 6", "cadence_range", {"value": "6", "min": "7", "max": "365"}),
        ("rhythmus 2 jahre", "cadence_range", {"value": "2 jahre", "min": "7", "max": "365"}),
        ("cadence often", "bad_cadence", {"value": "often"}),
        ("email ana@", "bad_email", {"value": "ana@"}),
        ("e-mail ana.acme.example", "bad_email", {"value": "ana.acme.example"}),
        ("email ana@acme", "bad_email", {"value": "ana@acme"}),
        ("prefers fax", "bad_channel", {"value": "fax"}),
        ("sprache französisch", "bad_language", {"value": "französisch"}),
        ("lang auto", "bad_language", {"value": "auto"}),
        ("colour blue", "unknown_word", {"word": "colour"}),
        ("tz Asia/Tokyo colour blue", "unknown_word", {"word": "colour"}),
        ("tz UTC tz Asia/Tokyo", "repeated", {"word": "tz"}),
        # A value of several words none of which reads is named whole, not by its last word...
        ("prefers carrier pigeon", "bad_channel", {"value": "carrier pigeon"}),
        ("bevorzugt Brief per Post", "bad_channel", {"value": "Brief per Post"}),
        ("tz Mars Olympus", "bad_zone", {"value": "Mars Olympus"}),
        ("cadence every 8 weeks", "bad_cadence", {"value": "every 8 weeks"}),
        ("sprache Schweizer Deutsch", "bad_language", {"value": "Schweizer Deutsch"}),
        # ...while a good value followed by a stray word names the stray word.
        ("prefers email pigeon", "unknown_word", {"word": "pigeon"}),
        ("rhythmus 8 wochen bitte", "unknown_word", {"word": "bitte"}),
        ("tz", "missing", {"word": "tz"}),
        ("", "empty", {}),
    ],
)
def test_a_bad_part_is_named(text: str, code: str, details: dict[str, str]) -> None:
    found = problem(text)
    assert (found.code, dict(found.details)) == (code, details)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hours 9am-5pm days mon-fri", {"hours": (540, 1020), "days": "12345"}),
        ("hours 9:30am–5:30pm tz Asia/Tokyo", {"hours": (570, 1050), "tz": "Asia/Tokyo"}),
        ("hours 9 AM - 5 PM prefers email", {"hours": (540, 1020), "channel": "email"}),
        ("hours 12pm-8pm", {"hours": (720, 1200)}),
        ("zeiten 9 bis 17 Uhr tage mo-fr", {"hours": (540, 1020), "days": "12345"}),
        ("zeiten 9–17 Uhr sprache de", {"hours": (540, 1020), "language": "de"}),
        ("geschäftszeiten 9.30-17.30", {"hours": (570, 1050)}),
        ("zeiten von 8 bis 16.30 Uhr", {"hours": (480, 990)}),
    ],
)
def test_twelve_hour_and_german_hours_in_a_profile(text: str, expected: dict[str, object]) -> None:
    assert values(text) == expected


def test_one_bad_part_refuses_the_whole_line() -> None:
    assert problem("tz Asia/Tokyo hours 9-18 cadence 0").code == "cadence_range"


def test_a_long_typed_value_is_quoted_back_short() -> None:
    found = problem("tz " + "x" * 200)
    assert len(found.details["value"]) == 40 and found.details["value"].endswith("…")


# --- public holidays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("public-holidays JP", "JP"),
        ("feiertage DE-BY", "DE-BY"),
        ("Feiertage: de by", "DE-BY"),
        ("public_holidays us-ny", "US-NY"),
        ("public-holidays none", "none"),  # none means none here, not unset
        ("feiertage keine", "none"),
        ("public-holidays auto", CLEAR),
        ("feiertage automatisch", CLEAR),
        ("public-holidays clear", CLEAR),
        ("feiertage löschen", CLEAR),
    ],
)
def test_a_partners_public_holidays_are_read_in_english_and_german(
    text: str, value: object
) -> None:
    assert parse_profile(text) == ProfileChange({"holidays": value})


def test_public_holidays_combine_with_the_zone_and_hours() -> None:
    assert parse_profile("tz Asia/Tokyo feiertage JP hours 9-18") == ProfileChange(
        {"tz": "Asia/Tokyo", "hours": (540, 1080), "holidays": "JP"}
    )


@pytest.mark.parametrize(
    ("text", "code", "value"),
    [
        ("public-holidays XX", "unknown_country", "XX"),
        ("feiertage Bayern", "unknown_country", "Bayern"),
        ("feiertage DE-Bavaria", "unknown_subdivision", "Bavaria"),
        ("public-holidays JP-Tokyo", "no_subdivisions", "Tokyo"),
    ],
)
def test_a_bad_partner_region_is_named(text: str, code: str, value: str) -> None:
    found = parse_profile(text)
    assert isinstance(found, ProfileProblem)
    assert (found.code, found.details["value"]) == (code, value)


def test_public_holidays_without_a_value_or_with_a_stray_word_are_refused() -> None:
    assert parse_profile("feiertage") == ProfileProblem(
        "missing", {"word": "feiertage"}, "holidays"
    )
    # A region of four words and one more: the word too many is named.
    found = parse_profile("public-holidays BR São Paulo Capital please")
    assert found == ProfileProblem("unknown_word", {"word": "please"}, "holidays")
    # Words that are no region at all are named whole, as the region that is not one.
    whole = parse_profile("public-holidays DE BY and more words")
    assert isinstance(whole, ProfileProblem) and whole.code == "unknown_subdivision"
    assert whole.details["value"] == "BY and more words"


def test_a_profiles_public_holidays_may_be_typed_as_two_words_and_by_country_name() -> None:
    assert parse_profile("public holidays Vereinigtes Königreich") == ProfileChange(
        {"holidays": "GB"}
    )
    assert parse_profile("Public Holidays JP cadence 30d") == ProfileChange(
        {"holidays": "JP", "cadence": 30}
    )


def test_after_hours_is_no_setting_of_a_profile() -> None:
    assert parse_profile('org "After Hours Ltd"') == ProfileChange(
        {"organisation": "After Hours Ltd"}
    )
