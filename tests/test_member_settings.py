"""Reading and showing a member's working hours (`bot.member_settings`), no Slack, no database."""

from __future__ import annotations

import pytest

from bot.i18n import Reader
from bot.member_settings import (
    PROBLEM_CODES,
    SettingsChange,
    SettingsProblem,
    clock_label,
    days_label,
    parse_settings,
    settings_problem_reply,
    settings_reply,
    settings_text,
    window_line,
)
from bot.texts import TEXTS

H = 60


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
    assert parse_settings(text) == SettingsChange(hours=hours, days=days)


@pytest.mark.parametrize("text", ["", "   ", "help", "hilfe", "?"])
def test_nothing_to_change_means_show_the_settings(text: str) -> None:
    change = parse_settings(text)
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
        ("hours 9am-5pm", "bad_hours", {"value": "9am-5pm"}),
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
    assert parse_settings(text) == SettingsProblem(code, details)


def test_a_long_unreadable_value_is_quoted_back_cut_short() -> None:
    problem = parse_settings("hours " + "9" * 200)
    assert isinstance(problem, SettingsProblem)
    assert len(problem.details["value"]) == 40 and problem.details["value"].endswith("…")


def test_every_problem_code_has_a_text() -> None:
    for code in PROBLEM_CODES:
        assert f"settings.problem.{code}" in TEXTS


@pytest.mark.parametrize(
    ("minute", "label"), [(0, "00:00"), (8 * H, "08:00"), (17 * H + 15, "17:15"), (24 * H, "24:00")]
)
def test_clock_labels_use_24_hours(minute: int, label: str) -> None:
    assert clock_label(minute) == label


@pytest.mark.parametrize(
    ("days", "en", "de"),
    [
        ("12345", "Mon–Fri", "Mo–Fr"),
        ("135", "Mon, Wed, Fri", "Mo, Mi, Fr"),
        ("12", "Mon, Tue", "Mo, Di"),
        ("1235", "Mon–Wed, Fri", "Mo–Mi, Fr"),
        ("67", "Sat, Sun", "Sa, So"),
        ("1567", "Mon, Fri–Sun", "Mo, Fr–So"),
        ("1234567", "Mon–Sun", "Mo–So"),
        ("4", "Thu", "Do"),
    ],
)
def test_days_are_shown_compactly(days: str, en: str, de: str) -> None:
    assert days_label(days, "en") == en
    assert days_label(days, "de") == de


def test_the_window_is_one_sentence_in_the_readers_language() -> None:
    english = window_line(Reader("en-GB", "Europe/Berlin"), 8 * H, 17 * H, "12345")
    german = window_line(Reader("de-AT", "Europe/Vienna"), 8 * H + 30, 24 * H, "135")
    assert english == "Rapport will nudge you Mon–Fri, 08:00–17:00 (Europe/Berlin)."
    assert german == "Rapport erinnert dich Mo, Mi, Fr, 08:30–24:00 (Europe/Vienna)."


def test_showing_says_how_to_change_and_saving_confirms() -> None:
    reader = Reader("en-US", "America/New_York")
    shown = settings_reply(reader, 9 * H, 18 * H, "12345", saved=False)
    saved = settings_reply(reader, 9 * H, 18 * H, "12345", saved=True)
    assert "Your working hours" in shown.text
    assert "`/logcontact settings hours 8:30-17 days mon-fri`" in shown.text
    assert "Slack profile" in shown.text
    assert "Saved your working hours." in saved.text
    assert "Mon–Fri, 09:00–18:00 (America/New_York)" in saved.text
    assert len(shown.blocks) == len(saved.blocks) == 2


def test_a_problem_reply_says_what_was_wrong_with_an_example_in_german() -> None:
    problem = parse_settings("arbeitszeit 17-8")
    assert isinstance(problem, SettingsProblem)
    reply = settings_problem_reply(Reader("de-DE", "Europe/Berlin"), problem)
    assert reply.text.startswith(":warning: Deine Arbeitszeit konnte ich nicht ändern.")
    assert "17:00–08:00" in reply.text
    assert "Über Mitternacht" in reply.text
    assert "Zum Beispiel: `/logcontact einstellungen arbeitszeit 8:30-17 tage mo-fr`" in reply.text


def test_user_text_in_a_problem_is_escaped_for_slack() -> None:
    problem = parse_settings("<!channel> hours 8-17")
    assert isinstance(problem, SettingsProblem)
    reply = settings_problem_reply(Reader(), problem)
    assert "&lt;!channel&gt;" in reply.text and "<!channel>" not in reply.text
