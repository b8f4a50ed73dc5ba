"""Answering `/logcontact settings` for a member as the database hands it over: what is stored,
what a refused change leaves alone, and the reply; no Slack, no database."""

from __future__ import annotations

from datetime import date

from bot.texts.reader import Reader
from bot.usecases.member_settings import answer_settings
from storage.models import Member

H = 60
TODAY = date(2026, 11, 25)  # a Wednesday


def member(**values: object) -> Member:
    """A member as the database would hand it over, not attached to any session."""
    defaults = {
        "locale": "en-US",
        "tz": "Europe/Berlin",
        "work_start_minute": 9 * H,
        "work_end_minute": 18 * H,
        "work_days": "12345",
        "language": None,
        "away_until": None,
    }
    return Member(**(defaults | values))


def test_a_new_language_is_stored_and_the_reply_already_speaks_it() -> None:
    alice = member()

    german = answer_settings(alice, Reader("en-US", "Europe/Berlin"), "language de", today=TODAY)
    assert alice.language == "de"
    assert "Deine Einstellungen sind gespeichert." in german.text
    assert "Sprache: Deutsch (von Hand gesetzt)." in german.text

    again = answer_settings(alice, Reader("de", "Europe/Berlin"), "sprache auto", today=TODAY)
    assert alice.language is None
    assert "Saved your settings." in again.text
    assert "Language: English (from Slack)." in again.text


def test_an_away_date_is_stored_and_back_clears_it() -> None:
    alice = member()
    reader = Reader("en-US", "Europe/Berlin")

    away = answer_settings(alice, reader, "away until Jan 4", today=TODAY)
    assert alice.away_until == date(2027, 1, 4)
    assert "Away until Monday, January 4, 2027" in away.text

    back = answer_settings(alice, reader, "back", today=TODAY)
    assert alice.away_until is None
    assert "Not away: nudges come in your working hours again." in back.text


def test_an_away_date_that_has_come_is_shown_as_not_away() -> None:
    alice = member(away_until=date(2026, 11, 20))
    shown = answer_settings(alice, Reader("en-US", "Europe/Berlin"), "", today=TODAY)
    assert "Away until" not in shown.text and "Your settings" in shown.text


def test_a_refused_change_leaves_the_member_as_it_was() -> None:
    alice = member(language="de", away_until=date(2026, 12, 1))
    reply = answer_settings(
        alice, Reader("de", "Europe/Berlin"), "sprache klingonisch urlaub bis 3.1.", today=TODAY
    )
    assert "Die Sprache „klingonisch“ kenne ich nicht" in reply.text
    assert (alice.language, alice.away_until) == ("de", date(2026, 12, 1))
