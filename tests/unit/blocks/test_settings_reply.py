"""Showing a member's settings, and what was wrong with a change, in the reader's language; no
Slack, no database."""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks.settings import (
    MUTES_NAMED,
    SettingsView,
    days_label,
    hints_line,
    settings_problem_reply,
    settings_reply,
    window_line,
)
from bot.parsing.settings_text import SettingsChange, SettingsProblem, parse_settings
from bot.texts.reader import Reader

H = 60
TODAY = date(2026, 11, 25)  # a Wednesday


def parse(text: str) -> SettingsChange | SettingsProblem:
    return parse_settings(text, today=TODAY)


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
    view = SettingsView(9 * H, 18 * H, "12345")
    shown = settings_reply(reader, view, saved=False)
    saved = settings_reply(reader, view, saved=True)
    assert "Your settings" in shown.text
    assert "`/rapport settings hours 8:30-17 days mon-fri`" in shown.text
    assert "`/rapport settings language de`" in shown.text
    assert "`/rapport settings away until Jan 4`" in shown.text
    assert "`/rapport settings back`" in shown.text
    assert "Slack profile" in shown.text
    assert "Saved your settings." in saved.text
    assert "Mon–Fri, 09:00–18:00 (America/New_York)" in saved.text
    assert len(shown.blocks) == len(saved.blocks) == 2


def test_a_problem_reply_says_what_was_wrong_with_an_example_in_german() -> None:
    problem = parse("arbeitszeit 17-8")
    assert isinstance(problem, SettingsProblem)
    reply = settings_problem_reply(Reader("de-DE", "Europe/Berlin"), problem)
    assert reply.text.startswith(":warning: Deine Einstellungen konnte ich nicht ändern.")
    assert "17:00–08:00" in reply.text
    assert "Über Mitternacht" in reply.text
    assert "Zum Beispiel: `/rapport einstellungen arbeitszeit 8:30-17 tage mo-fr`" in reply.text


def test_user_text_in_a_problem_is_escaped_for_slack() -> None:
    problem = parse("<!channel> hours 8-17")
    assert isinstance(problem, SettingsProblem)
    reply = settings_problem_reply(Reader(), problem)
    assert "&lt;!channel&gt;" in reply.text and "<!channel>" not in reply.text


# --- language and holidays ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "details", "expected"),
    [
        ("bad_language", {"value": "fr"}, "`/rapport settings language de`"),
        ("language_missing", {"word": "language"}, "`/rapport settings language de`"),
        ("bad_date", {"value": "christmas"}, "`/rapport settings away until Jan 4`"),
        ("past_date", {"value": "today"}, "`/rapport settings away until Jan 4`"),
        ("away_missing", {"word": "away"}, "`/rapport settings away until Jan 4`"),
    ],
)
def test_a_language_or_away_problem_comes_with_an_example_of_that_setting(
    code: str, details: dict, expected: str
) -> None:
    reply = settings_problem_reply(Reader(), SettingsProblem(code, details))
    assert reply.text.startswith(":warning: I couldn't change your settings.")
    assert f"For example: {expected}" in reply.text


def test_the_reply_names_the_language_and_where_it_comes_from() -> None:
    slack = settings_reply(
        Reader("en-US", "Europe/Berlin"), SettingsView(540, 1080, "12345"), saved=False
    )
    chosen = settings_reply(
        Reader("de", "Europe/Berlin"), SettingsView(540, 1080, "12345", "de"), saved=True
    )
    assert "Language: English (from Slack)." in slack.text
    assert "Sprache: Deutsch (von Hand gesetzt)." in chosen.text


def test_an_absence_is_shown_with_the_day_back_in_the_readers_language() -> None:
    view = SettingsView(540, 1080, "12345", away_until=date(2027, 1, 4))
    english = settings_reply(Reader("en-GB", "Europe/Berlin"), view, saved=True)
    german = settings_reply(Reader("de-DE", "Europe/Berlin"), view, saved=True)
    assert (
        "Away until Monday, 4 January 2027: nudges wait and come in one message that day."
        in english.text
    )
    assert "Abwesend bis Montag, 4. Januar 2027:" in german.text


@pytest.mark.parametrize(
    ("tz", "choice", "region", "en", "de"),
    [
        (
            "Europe/Berlin",
            None,
            "DE",
            "Public holidays: DE (Germany), from your time zone Europe/Berlin; no nudges on them.",
            "Feiertage: DE (Deutschland), aus deiner Zeitzone Europe/Berlin; an ihnen keine "
            "Erinnerungen.",
        ),
        (
            "Europe/Berlin",
            "DE-BY",
            "DE-BY",
            "Public holidays: DE-BY (Germany, Bayern), set by hand; no nudges on them.",
            "Feiertage: DE-BY (Deutschland, Bayern), von Hand gesetzt; an ihnen keine "
            "Erinnerungen.",
        ),
        (
            "Asia/Tokyo",
            "none",
            None,
            "Public holidays: none, set by hand; nudges come on public holidays too.",
            "Feiertage: keine, von Hand gesetzt; Erinnerungen kommen auch an Feiertagen.",
        ),
        (
            "UTC",
            None,
            None,
            "Public holidays: none, since your time zone UTC belongs to no country; choose a "
            "region to have them.",
            "Feiertage: keine, denn deine Zeitzone UTC gehört zu keinem Land; wähle eine Region, "
            "um sie zu bekommen.",
        ),
    ],
)
def test_the_public_holidays_and_where_they_come_from_are_shown(
    tz: str, choice: str | None, region: str | None, en: str, de: str
) -> None:
    view = SettingsView(540, 1080, "12345", holidays_choice=choice, holidays_region=region)
    assert en in settings_reply(Reader("en-US", tz), view, saved=False).text
    assert de in settings_reply(Reader("de-DE", tz), view, saved=False).text


def test_a_members_view_resolves_their_public_holidays_from_the_zone() -> None:
    class Row:
        work_start_minute, work_end_minute, work_days = 540, 1080, "12345"
        language, away_until = None, None
        public_holidays: str | None = None
        tz = "Asia/Tokyo"

    assert SettingsView.of(Row(), TODAY).holidays_region == "JP"
    row = Row()
    row.public_holidays = "none"
    assert SettingsView.of(row, TODAY).holidays_region is None


@pytest.mark.parametrize(
    ("typed", "en", "de"),
    [
        ("hints", "After “hints”, write `on` or `off`.", "Schreib nach „hints“ `an` oder `aus`."),
        ("Hinweis", "After “Hinweis”, write", "Schreib nach „Hinweis“ `an` oder `aus`."),
        ("hints maybe", "“maybe” is neither `on` nor `off`.", "„maybe“ ist weder `an` noch `aus`."),
        ("hinweise vielleicht", "“vielleicht” is neither", "„vielleicht“ ist weder `an` noch"),
        ("hint off", None, None),
    ],
)
def test_a_hints_problem_quotes_the_word_typed_like_every_other_problem(
    typed: str, en: str | None, de: str | None
) -> None:
    problem = parse(typed)
    if en is None or de is None:
        assert problem == SettingsChange(hints=False)
        return
    assert isinstance(problem, SettingsProblem)
    assert en in settings_problem_reply(Reader("en-US", "UTC"), problem).text
    assert de in settings_problem_reply(Reader("de-DE", "UTC"), problem).text


@pytest.mark.parametrize(("lang", "name"), [("en-US", "`hints`"), ("de-DE", "`hinweise`")])
def test_an_unknown_setting_lists_the_hints_too(lang: str, name: str) -> None:
    problem = parse("tipps aus")
    assert isinstance(problem, SettingsProblem)
    assert name in settings_problem_reply(Reader(lang, "UTC"), problem).text


def test_away_and_public_holidays_are_told_apart_and_none_is_spelled_out() -> None:
    view = SettingsView(540, 1080, "12345", holidays_region="DE", hint_mutes=())
    en = settings_reply(Reader("en-US", "Europe/Berlin"), view, saved=False).text
    de = settings_reply(Reader("de-DE", "Europe/Berlin"), view, saved=False).text
    assert "Away (holidays): `/rapport settings away until Jan 4`" in en
    assert "Abwesend (Urlaub): `/rapport einstellungen abwesend bis 4. Januar`" in de
    assert "`none`: no public holidays" in en and "`keine`: keine Feiertage" in de
    assert "Geschäftszeiten-Hinweise in geteilten Channels: an." in de
    for text in (en, de):
        assert ") (" not in text and "none for none" not in text and "keine für keine" not in text


@pytest.mark.parametrize(
    "reader", [Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")], ids=["en", "de"]
)
def test_hundreds_of_muted_channels_name_twenty_and_count_the_rest(reader) -> None:
    mutes = tuple(f"C0{i:09d}" for i in range(500))

    line = hints_line(reader, mutes)

    assert line.count("<#C0") == MUTES_NAMED
    assert ("480 more channels" if reader.lang == "en" else "480 weiteren Channels") in line
    assert len(line) < 3000
