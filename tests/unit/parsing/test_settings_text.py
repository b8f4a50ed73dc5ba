"""Reading `/logcontact settings`: hours, days, language and an absence, and what is refused;
no Slack, no database."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.dates import parse_due
from bot.parsing.settings_text import (
    AWAY_WORDS,
    BACK_WORDS,
    DAY_NAMES,
    DAYS_WORDS,
    FOLLOW_SLACK,
    HELP_WORDS,
    HINTS_WORDS,
    HOURS_WORDS,
    LANGUAGE_WORDS,
    LANGUAGES,
    NOT_AWAY,
    PROBLEM_CODES,
    PUBLIC_HOLIDAY_WORDS,
    SETTINGS_WORDS,
    ZONE_COUNTRY,
    SettingsChange,
    SettingsProblem,
    parse_settings,
    region_problem,
    settings_text,
)
from bot.rules.public_holidays import RegionProblem
from bot.texts.catalog import TEXTS

H = 60
TODAY = date(2026, 11, 25)  # a Wednesday


def parse(text: str) -> SettingsChange | SettingsProblem:
    return parse_settings(text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("settings", ""),
        ("settings hours 8-17", "hours 8-17"),
        ("  Settings   days mon-fri ", "days mon-fri"),
        ("einstellungen tage mo-fr", "tage mo-fr"),
        ("EINSTELLUNGEN", ""),
        ("settings: hours 8-17", "hours 8-17"),
        ("Acme call settings discussed", None),
        ("settingsx hours 8-17", None),
        ("help", None),
        ("", None),
    ],
)
def test_settings_is_a_subcommand_only_as_the_first_word(text: str, rest: str | None) -> None:
    assert settings_text(text) == rest


@pytest.mark.parametrize(
    ("text", "hours", "days"),
    [
        # hours, English and German keywords
        ("hours 8-17", (8 * H, 17 * H), None),
        ("hours 8:30-17:15", (8 * H + 30, 17 * H + 15), None),
        ("hours 08:00–17:30", (8 * H, 17 * H + 30), None),
        ("hours 08:00—17:30", (8 * H, 17 * H + 30), None),
        ("hours 8 - 17", (8 * H, 17 * H), None),
        ("hours 8 to 17", (8 * H, 17 * H), None),
        ("hours 7.45-16.30", (7 * H + 45, 16 * H + 30), None),
        ("hours 0-24", (0, 24 * H), None),
        ("hours 22-24:00", (22 * H, 24 * H), None),
        ("Hours: 9-18", (9 * H, 18 * H), None),
        ("hours=9-18", (9 * H, 18 * H), None),
        ("arbeitszeit 8-17", (8 * H, 17 * H), None),
        ("Arbeitszeiten 8–17 Uhr", (8 * H, 17 * H), None),
        ("stunden 8 bis 17", (8 * H, 17 * H), None),
        ("stunden 8:30 Uhr - 17 Uhr", (8 * H + 30, 17 * H), None),
        # days: ranges, lists, both languages, full names
        ("days mon-fri", None, "12345"),
        ("days mon,tue,thu", None, "124"),
        ("days mon, tue, thu", None, "124"),
        ("days mo-fr", None, "12345"),
        ("days mon-wed,fri", None, "1235"),
        ("days monday-friday", None, "12345"),
        ("days Monday to Thursday", None, "1234"),
        ("days mon and wed", None, "13"),
        ("days sat,sun", None, "67"),
        ("days fri-mon", None, "1567"),
        ("days wed", None, "3"),
        ("days mon-fri,tue", None, "12345"),
        ("tage mo-fr", None, "12345"),
        ("tage Mo.-Fr.", None, "12345"),
        ("tage di,do", None, "24"),
        ("tage mo-mi, fr", None, "1235"),
        ("tage montag bis freitag", None, "12345"),
        ("tage montags und mittwochs", None, "13"),
        ("tage Mittwoch-Sonntag", None, "34567"),
        ("tage sa/so", None, "67"),
        ("Arbeitstage Samstag-Sonnabend", None, "6"),
        # both, in either order and either language
        ("hours 8-17 days mon-fri", (8 * H, 17 * H), "12345"),
        ("days mon-thu hours 7:30-16", (7 * H + 30, 16 * H), "1234"),
        ("arbeitszeit 8-17 tage mo-fr", (8 * H, 17 * H), "12345"),
        ("tage mo-fr stunden 9-18", (9 * H, 18 * H), "12345"),
        ("hours 8-17 tage mo-fr", (8 * H, 17 * H), "12345"),
    ],
)
def test_good_input_is_read_as_a_change(text: str, hours: tuple | None, days: str | None) -> None:
    assert parse(text) == SettingsChange(hours=hours, days=days)


@pytest.mark.parametrize("text", ["", "   ", "help", "hilfe", "?"])
def test_nothing_to_change_means_show_the_settings(text: str) -> None:
    change = parse(text)
    assert change == SettingsChange()
    assert isinstance(change, SettingsChange) and change.is_empty


@pytest.mark.parametrize(
    ("text", "code", "details"),
    [
        ("8-17", "unknown_word", {"word": "8-17"}),
        ("timezone Europe/Paris", "unknown_word", {"word": "timezone"}),
        ("zeitzone Europe/Paris", "unknown_word", {"word": "zeitzone"}),
        ("hours 8-17 hours 9-18", "repeated", {"word": "hours"}),
        ("tage mo-fr Tage sa", "repeated", {"word": "Tage"}),
        ("hours", "hours_missing", {"word": "hours"}),
        ("Stunden", "hours_missing", {"word": "Stunden"}),
        ("hours days mon-fri", "hours_missing", {"word": "hours"}),
        ("hours 8", "bad_hours", {"value": "8"}),
        ("hours 9xm-5pm", "bad_hours", {"value": "9xm-5pm"}),
        ("hours 8-17 lunch", "bad_hours", {"value": "8-17 lunch"}),
        ("hours 8:5-17", "bad_hours", {"value": "8:5-17"}),
        ("arbeitszeit acht bis fünf", "bad_hours", {"value": "acht bis fünf"}),
        ("hours 8-25", "bad_time", {"time": "25"}),
        ("hours 8:60-17", "bad_time", {"time": "8:60"}),
        ("hours 8-24:30", "bad_time", {"time": "24:30"}),
        ("hours 17-8", "overnight", {"start": "17:00", "end": "08:00"}),
        ("hours 22-6", "overnight", {"start": "22:00", "end": "06:00"}),
        ("hours 9-9", "overnight", {"start": "09:00", "end": "09:00"}),
        ("hours 24-24", "overnight", {"start": "24:00", "end": "24:00"}),
        ("days", "days_missing", {"word": "days"}),
        ("tage ,", "days_missing", {"word": "tage"}),
        ("days mon-fri hours", "hours_missing", {"word": "hours"}),
        ("hours 8-17 days", "days_missing", {"word": "days"}),
        ("days weekdays", "bad_day", {"day": "weekdays"}),
        ("days mon-fry", "bad_day", {"day": "fry"}),
        ("tage mo-", "bad_day", {"day": "mo-"}),
        ("days mon-wed-fri", "bad_day", {"day": "mon-wed-fri"}),
        ("tage montag,dienstags,feiertag", "bad_day", {"day": "feiertag"}),
    ],
)
def test_bad_input_names_its_problem(text: str, code: str, details: dict) -> None:
    assert parse(text) == SettingsProblem(code, details)


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        # 12-hour forms, any case, with or without spaces and dots
        ("9am-5pm", (9 * H, 17 * H)),
        ("9:30am–5:30pm", (9 * H + 30, 17 * H + 30)),
        ("9 AM - 5 PM", (9 * H, 17 * H)),
        ("9 a.m. to 5 p.m.", (9 * H, 17 * H)),
        ("from 8:15am until 4:45pm", (8 * H + 15, 16 * H + 45)),
        ("12pm-6pm", (12 * H, 18 * H)),
        ("9pm-12am", (21 * H, 24 * H)),
        ("12am-6am", (0, 6 * H)),
        ("11am-1pm", (11 * H, 13 * H)),
        # one side without am/pm: only one reading makes business hours
        ("9-5pm", (9 * H, 17 * H)),
        ("10-2pm", (10 * H, 14 * H)),
        ("8am-6", (8 * H, 18 * H)),
        ("9am-17:30", (9 * H, 17 * H + 30)),
        ("12-5pm", (12 * H, 17 * H)),
        # German forms
        ("9 bis 17 Uhr", (9 * H, 17 * H)),
        ("von 9 bis 17 Uhr", (9 * H, 17 * H)),
        ("9 Uhr bis 17 Uhr", (9 * H, 17 * H)),
        ("9–17 Uhr", (9 * H, 17 * H)),
        ("9.30-17.30", (9 * H + 30, 17 * H + 30)),
        ("ab 7.45 bis 16.15 Uhr", (7 * H + 45, 16 * H + 15)),
    ],
)
def test_twelve_hour_and_german_hours(typed: str, hours: tuple[int, int]) -> None:
    assert parse(f"hours {typed}") == SettingsChange(hours=hours)
    assert parse(f"arbeitszeit {typed}") == SettingsChange(hours=hours)


@pytest.mark.parametrize(
    ("typed", "first", "second"),
    [
        ("1-5pm", "01:00–17:00", "13:00–17:00"),
        ("9am-11", "09:00–11:00", "09:00–23:00"),
        ("6-10pm", "06:00–22:00", "18:00–22:00"),
        ("7:30am-8", "07:30–08:00", "07:30–20:00"),
    ],
)
def test_hours_that_read_two_ways_are_refused_naming_both(
    typed: str, first: str, second: str
) -> None:
    assert parse(f"hours {typed}") == SettingsProblem(
        "ambiguous_hours", {"value": typed, "first": first, "second": second}
    )
    # Typed again as the reply shows it, each reading is taken as it stands.
    for shown in (first, second):
        found = parse(f"hours {shown}")
        assert isinstance(found, SettingsChange) and found.hours is not None


@pytest.mark.parametrize(
    ("typed", "code", "details"),
    [
        ("13pm-5pm", "bad_time", {"time": "13pm"}),
        ("0am-5pm", "bad_time", {"time": "0am"}),
        ("9:75am-5pm", "bad_time", {"time": "9:75am"}),
        ("5pm-9am", "overnight", {"start": "17:00", "end": "09:00"}),
        ("9-5", "overnight", {"start": "09:00", "end": "05:00"}),
        ("9 Uhr", "bad_hours", {"value": "9 Uhr"}),
    ],
)
def test_bad_twelve_hour_times_are_named(typed: str, code: str, details: dict) -> None:
    assert parse(f"hours {typed}") == SettingsProblem(code, details)


def test_a_long_unreadable_value_is_quoted_back_cut_short() -> None:
    problem = parse("hours " + "9" * 200)
    assert isinstance(problem, SettingsProblem)
    assert len(problem.details["value"]) == 40 and problem.details["value"].endswith("…")


def test_every_problem_code_has_a_text() -> None:
    for code in PROBLEM_CODES:
        assert f"settings.problem.{code}" in TEXTS


# --- language and holidays ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("language de", "de"),
        ("language German", "de"),
        ("language deutsch", "de"),
        ("sprache Deutsch", "de"),
        ("Sprache: de", "de"),
        ("language=en", "en"),
        ("language english", "en"),
        ("sprache englisch", "en"),
        ("language auto", FOLLOW_SLACK),
        ("language slack", FOLLOW_SLACK),
        ("sprache automatisch", FOLLOW_SLACK),
        ("sprache auto", FOLLOW_SLACK),
    ],
)
def test_a_language_is_read_in_either_languages_words(text: str, language: object) -> None:
    assert parse(text) == SettingsChange(language=language)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("away until 2026-12-31", date(2026, 12, 31)),
        ("away until 31.12.", date(2026, 12, 31)),
        ("away until Jan 4", date(2027, 1, 4)),
        ("away until next monday", date(2026, 11, 30)),
        ("away until tomorrow", date(2026, 11, 26)),
        ("Away: until Friday", date(2026, 11, 27)),
        ("away 2027-01-04", date(2027, 1, 4)),
        ("away until Monday, 4 January 2027", date(2027, 1, 4)),
        ("abwesend bis 4. Januar", date(2027, 1, 4)),
        ("abwesend bis zum 4. Januar", date(2027, 1, 4)),
        ("urlaub bis 04.01.2027", date(2027, 1, 4)),
        ("Urlaub bis Montag", date(2026, 11, 30)),
    ],
)
def test_an_away_date_is_the_day_back_read_forward_from_today(text: str, back: date) -> None:
    assert parse(text) == SettingsChange(away_until=back)


@pytest.mark.parametrize("phrase", ["Jan 4", "31.12.", "next monday", "4. Januar", "in 2 weeks"])
def test_away_dates_mean_what_they_mean_in_a_promise(phrase: str) -> None:
    due = parse_due(phrase, today=TODAY)
    assert due is not None
    assert parse(f"away until {phrase}") == SettingsChange(away_until=due[0])


@pytest.mark.parametrize(
    "text", ["away off", "away OFF", "abwesend aus", "urlaub aus", "back", "Back", "zurück"]
)
def test_off_or_back_ends_an_absence(text: str) -> None:
    assert parse(text) == SettingsChange(away_until=NOT_AWAY)


def test_every_setting_can_change_at_once_in_mixed_languages() -> None:
    assert parse("hours 8-17 tage mo-do sprache en away until Jan 4") == SettingsChange(
        hours=(8 * H, 17 * H), days="1234", language="en", away_until=date(2027, 1, 4)
    )


@pytest.mark.parametrize(
    ("text", "code", "details"),
    [
        ("language", "language_missing", {"word": "language"}),
        ("sprache tage mo-fr", "language_missing", {"word": "sprache"}),
        ("language fr", "bad_language", {"value": "fr"}),
        ("sprache französisch", "bad_language", {"value": "französisch"}),
        ("language de en", "bad_language", {"value": "de en"}),
        ("away", "away_missing", {"word": "away"}),
        ("urlaub bis", "away_missing", {"word": "urlaub"}),
        ("away until whenever", "bad_date", {"value": "whenever"}),
        ("urlaub bis nächsten Freitag", "bad_date", {"value": "nächsten Freitag"}),
        ("away until Friday lunch", "bad_date", {"value": "Friday lunch"}),
        ("away until off", "bad_date", {"value": "off"}),
        ("abwesend bis 31.02.", "bad_date", {"value": "31.02."}),
        ("away until today", "past_date", {"value": "today"}),
        ("away until yesterday", "past_date", {"value": "yesterday"}),
        ("urlaub bis 1.1.2020", "past_date", {"value": "1.1.2020"}),
        ("back tomorrow", "unknown_word", {"word": "tomorrow"}),
        ("holiday until Jan 4", "unknown_word", {"word": "holiday"}),
        ("language de sprache en", "repeated", {"word": "sprache"}),
        ("away until Jan 4 back", "repeated", {"word": "back"}),
    ],
)
def test_a_bad_language_or_away_date_names_its_problem(text: str, code: str, details: dict) -> None:
    assert parse(text) == SettingsProblem(code, details)


# --- public holidays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("public-holidays DE-BY", "DE-BY"),
        ("public_holidays de-by", "DE-BY"),
        ("feiertage de by", "DE-BY"),
        ("Feiertage: DE_BE", "DE-BE"),
        ("feiertag=jp", "JP"),
        ("public-holidays US-CA", "US-CA"),
        ("public-holidays DEU", "DE"),
        ("public-holidays none", "none"),
        ("feiertage keine", "none"),
        ("feiertage aus", "none"),
        ("public-holidays off", "none"),
        ("public-holidays auto", ZONE_COUNTRY),
        ("feiertage automatisch", ZONE_COUNTRY),
    ],
)
def test_public_holidays_are_read_in_english_and_german(text: str, value: object) -> None:
    assert parse(text) == SettingsChange(public_holidays=value)  # type: ignore[arg-type]


def test_public_holidays_combine_with_other_settings() -> None:
    assert parse("arbeitszeit 8-17 feiertage DE-BY sprache de") == SettingsChange(
        hours=(8 * H, 17 * H), language="de", public_holidays="DE-BY"
    )


def test_holidays_and_urlaub_still_mean_being_away() -> None:
    change = parse("urlaub bis 4. Januar")
    assert isinstance(change, SettingsChange)
    assert change.away_until == date(2027, 1, 4) and change.public_holidays is None


@pytest.mark.parametrize(
    ("text", "code", "details"),
    [
        ("public-holidays", "region_missing", {"word": "public-holidays"}),
        ("feiertage", "region_missing", {"word": "feiertage"}),
        ("public-holidays XX", "unknown_country", {"value": "XX"}),
        ("feiertage Narnia", "unknown_country", {"value": "Narnia"}),
        ("feiertage 12", "unknown_country", {"value": "12"}),
        ("public-holidays RU-XX", "no_subdivisions", {"value": "XX", "country": "RU"}),
        ("public-holidays DE-BY feiertage DE", "repeated", {"word": "feiertage"}),
    ],
)
def test_a_bad_region_is_named(text: str, code: str, details: dict[str, str]) -> None:
    assert parse(text) == SettingsProblem(code, details)


def test_an_unknown_region_of_a_known_country_lists_its_regions() -> None:
    problem = parse("feiertage DE-Bavaria")
    assert isinstance(problem, SettingsProblem)
    assert problem.code == "unknown_subdivision"
    assert (problem.details["value"], problem.details["country"]) == ("Bavaria", "DE")
    assert "BY" in problem.details["regions"].split(", ")


def test_a_long_list_of_regions_is_cut_short_at_a_comma() -> None:
    # Italy's 100-odd provinces are the longest list today (under 500 characters); a library
    # that lists more must still fit a section block.
    codes = tuple(f"R{n:03d}" for n in range(600))
    problem = region_problem(RegionProblem("unknown_subdivision", "X", "ZZ", codes))
    shown = problem.details["regions"]
    assert len(shown) <= 1500 and shown.startswith("R000, R001") and shown.endswith(", …")
    assert all(part in codes for part in shown.split(", ")[:-1])


def test_italys_provinces_are_listed_whole() -> None:
    problem = parse("feiertage IT-XX")
    assert isinstance(problem, SettingsProblem) and problem.code == "unknown_subdivision"
    assert {"RM", "MI", "TO"} <= set(problem.details["regions"].split(", "))


# --- after-hours hints in shared channels ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("hints on", True),
        ("hints off", False),
        ("Hinweise an", True),
        ("hinweise aus", False),
        ("hinweise ein", True),
        ("HINTS: off", False),
        ("hints=on", True),
        ("hints off.", False),
    ],
)
def test_hints_are_turned_on_or_off_in_either_language(text: str, on: bool) -> None:
    assert parse_settings(text, today=date(2026, 11, 25)) == SettingsChange(hints=on)


def test_hints_go_along_with_other_settings() -> None:
    change = parse_settings("language de hinweise aus", today=date(2026, 11, 25))
    assert change == SettingsChange(language="de", hints=False)


@pytest.mark.parametrize(
    ("text", "code", "details"),
    [
        ("hints", "hints_missing", {"word": "hints"}),
        ("Hinweise", "hints_missing", {"word": "Hinweise"}),
        ("hints maybe", "bad_hints", {"value": "maybe"}),
        ("hinweise vielleicht später", "bad_hints", {"value": "vielleicht später"}),
        ("hints on hints off", "repeated", {"word": "hints"}),
    ],
)
def test_hints_without_on_or_off_name_the_problem(text: str, code: str, details: dict) -> None:
    assert parse_settings(text, today=date(2026, 11, 25)) == SettingsProblem(code, details)


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("hint off", False),
        ("Hinweis aus", False),
        ("hinweis an", True),
        ("after-hours off", False),
        ("After-Hours: on", True),
        ("hint=aus", False),
    ],
)
def test_the_singular_and_after_hours_name_the_hints_setting_too(text: str, on: bool) -> None:
    assert parse_settings(text, today=date(2026, 11, 25)) == SettingsChange(hints=on)


def test_hint_and_hints_together_are_the_same_setting_twice() -> None:
    problem = parse_settings("hint off hinweise an", today=date(2026, 11, 25))
    assert problem == SettingsProblem("repeated", {"word": "hinweise"})


@pytest.mark.parametrize("word", sorted(HINTS_WORDS))
def test_the_hints_words_start_no_other_setting(word: str) -> None:
    for other in (HOURS_WORDS, DAYS_WORDS, LANGUAGE_WORDS, AWAY_WORDS, BACK_WORDS, HELP_WORDS):
        assert word not in other
    assert word not in PUBLIC_HOLIDAY_WORDS and word not in SETTINGS_WORDS
    # Nor a value another setting reads: "days hint" must not become the hints setting.
    assert word not in DAY_NAMES and word not in LANGUAGES


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("public holidays DE-BY", "DE-BY"),
        ("Public Holidays Deutschland Bayern", "DE-BY"),
        ("public holiday JP", "JP"),
        ("feiertage Deutschland", "DE"),
        ("hours 9-17 public holidays Österreich", "AT"),
    ],
)
def test_public_holidays_may_be_typed_as_two_words_and_a_country_by_name(typed, region) -> None:
    change = parse_settings(typed, today=date(2026, 11, 29))
    assert isinstance(change, SettingsChange)
    assert change.public_holidays == region


def test_public_alone_is_still_an_unknown_word() -> None:
    problem = parse_settings("public DE", today=date(2026, 11, 29))
    assert isinstance(problem, SettingsProblem)
    assert problem.code == "unknown_word"


@pytest.mark.parametrize(
    ("typed", "on"),
    [
        ("hints “off”", False),  # as phones and Macs type quotes
        ("hinweise „aus“", False),
        ('hints "on"', True),
        ("hints off everywhere", False),  # the settings line's own words
        ("hinweise überall aus", False),
        ("after hours on", True),
        ("After Hours off", False),
    ],
)
def test_hints_read_quoted_words_the_settings_own_words_and_after_hours(typed, on) -> None:
    change = parse_settings(typed, today=date(2026, 11, 29))
    assert isinstance(change, SettingsChange)
    assert change.hints is on


def test_a_quoted_word_that_is_no_value_is_echoed_once_quoted() -> None:
    problem = parse_settings("hints “maybe”", today=date(2026, 11, 29))
    assert isinstance(problem, SettingsProblem)
    assert problem.details["value"] == "maybe"
