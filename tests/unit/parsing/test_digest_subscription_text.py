"""Reading `/rapport digest on|off|status …`, in English and German: every option in any
order, and every way it can fail naming the word it failed on. No Slack, no database."""

from __future__ import annotations

import re

import pytest

from bot.parsing.digests.subscription_text import (
    HOUR_SLOT,
    DigestOff,
    DigestOn,
    DigestProblem,
    DigestStatus,
    clock_minute,
    digest_request,
    is_digest_text,
)
from bot.parsing.questions import CANCEL, NeedsAnswer
from bot.parsing.rapport_text import Digest, digest_command
from bot.texts.catalog import TEXTS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("digest", DigestStatus()),
        ("Digest status", DigestStatus()),
        ("digests: status", DigestStatus()),
        ("digest off", DigestOff()),
        ("digest AUS", DigestOff()),
        ("digest on", DigestOn()),
        ("digest an", DigestOn()),
        ("digest ein", DigestOn()),
    ],
)
def test_the_three_actions(typed: str, expected: object) -> None:
    assert digest_request(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # English
        (
            "digest on biweekly tue 08:30 Europe/Berlin",
            DigestOn(every_weeks=2, weekday=2, minute=510, tz="Europe/Berlin"),
        ),
        ("digest on weekly monday 9am", DigestOn(every_weeks=1, weekday=1, minute=540)),
        ("digest on fortnightly fri 4pm", DigestOn(every_weeks=2, weekday=5, minute=960)),
        ("digest on every two weeks", DigestOn(every_weeks=2)),
        ("digest on every 2 weeks on thursdays", DigestOn(every_weeks=2, weekday=4)),
        ("digest on every other week", DigestOn(every_weeks=2)),
        ("digest on every wednesday at 7:05", DigestOn(1, weekday=3, minute=7 * 60 + 5)),
        ("digest on 9 pm", DigestOn(minute=21 * 60)),
        ("digest on 12am", DigestOn(minute=0)),
        ("digest on 12pm", DigestOn(minute=12 * 60)),
        ("digest on 9a.m.", DigestOn(minute=9 * 60)),
        ("digest on 0:00 sun", DigestOn(minute=0, weekday=7)),
        ("digest on 23:59 sat", DigestOn(minute=23 * 60 + 59, weekday=6)),
        ("digest on america/new_york", DigestOn(tz="America/New_York")),
        ("digest on utc", DigestOn(tz="UTC")),
        ("digest on language de", DigestOn(language="de")),
        ("digest on language German", DigestOn(language="de")),
        ("digest on english", DigestOn(language="en")),
        ("digest on quiet nothing", DigestOn(quiet="nothing")),
        ("digest on quiet line", DigestOn(quiet="line")),
        (
            "digest on quiet nothing, language en, Asia/Tokyo, 18:00, fr, weekly",
            DigestOn(
                every_weeks=1,
                weekday=5,
                minute=18 * 60,
                tz="Asia/Tokyo",
                language="en",
                quiet="nothing",
            ),
        ),
        # German
        (
            "digest an zweiwöchentlich di 8 uhr sprache de ruhig nichts",
            DigestOn(every_weeks=2, weekday=2, minute=480, language="de", quiet="nothing"),
        ),
        ("digest an wöchentlich montag 8.30", DigestOn(every_weeks=1, weekday=1, minute=510)),
        ("digest an alle zwei Wochen", DigestOn(every_weeks=2)),
        ("digest an 14-tägig", DigestOn(every_weeks=2)),
        ("digest an jeden Donnerstag um 14h", DigestOn(1, weekday=4, minute=14 * 60)),
        ("digest an mi 7uhr", DigestOn(weekday=3, minute=7 * 60)),
        ("digest an Freitags 16:45", DigestOn(weekday=5, minute=16 * 60 + 45)),
        ("digest an So.", DigestOn(weekday=7)),
        ("digest an sprache englisch", DigestOn(language="en")),
        ("digest an deutsch", DigestOn(language="de")),
        ("digest an ruhig zeile", DigestOn(quiet="line")),
        # Either language's words for everyone
        ("digest on zweiwöchentlich tue 8 uhr sprache en", DigestOn(2, 2, 480, language="en")),
    ],
)
def test_options_in_any_order(typed: str, expected: DigestOn) -> None:
    assert digest_request(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("digest maybe", DigestProblem("action", "maybe")),
        ("digest einschalten", DigestProblem("action", "einschalten")),
        ("digest off please", DigestProblem("extra", "please", "off")),
        ("digest status now", DigestProblem("extra", "now", "status")),
        ("digest on soonish", DigestProblem("word", "soonish")),
        ("digest an quatsch", DigestProblem("word", "quatsch")),
        ("digest on de", DigestProblem("word", "de")),  # a language code needs its keyword
        ("digest on mon tue", DigestProblem("twice", "tue", "mon")),
        ("digest an montag dienstag", DigestProblem("twice", "dienstag", "montag")),
        ("digest on weekly every two weeks", DigestProblem("twice", "every two weeks", "weekly")),
        ("digest on 8:00 9:00", DigestProblem("twice", "9:00", "8:00")),
        ("digest on Europe/Berlin UTC", DigestProblem("twice", "UTC", "Europe/Berlin")),
        ("digest on deutsch language en", DigestProblem("twice", "language en", "deutsch")),
        ("digest an 14", DigestProblem("bare_number", "14")),
        ("digest on 0", DigestProblem("bare_number", "0")),
        ("digest on 13 tue", DigestProblem("bare_number", "13")),
        ("digest on 24:00", DigestProblem("bad_time", "24:00")),
        ("digest on 9:60", DigestProblem("bad_time", "9:60")),
        ("digest on 13pm", DigestProblem("bad_time", "13pm")),
        ("digest on 0 am", DigestProblem("bad_time", "0 am")),
        ("digest an 25 uhr", DigestProblem("bad_time", "25 uhr")),
        ("digest on Mars/Olympus", DigestProblem("bad_zone", "Mars/Olympus")),
        ("digest on language", DigestProblem("missing", "language")),
        ("digest an ruhig", DigestProblem("missing", "ruhig")),
        ("digest on language fr", DigestProblem("value", "fr", "language")),
        ("digest an ruhig laut", DigestProblem("value", "laut", "ruhig")),
        ("digest on quiet loud", DigestProblem("value", "loud", "quiet")),
    ],
)
def test_what_is_not_understood_is_named(typed: str, expected: DigestProblem) -> None:
    assert digest_request(typed) == expected


def test_a_long_word_is_quoted_back_short() -> None:
    found = digest_request("digest on " + "x" * 500)
    assert isinstance(found, DigestProblem) and found.code == "word"
    assert len(found.word) <= 40 and found.word.endswith("…")


def test_the_first_problem_wins_and_nothing_after_it_is_read() -> None:
    assert digest_request("digest on tue blah 25:00") == DigestProblem("word", "blah")


@pytest.mark.parametrize("typed", ["", "help", "partners", "digestif on", "settings digest"])
def test_other_commands_are_not_digests(typed: str) -> None:
    assert digest_request(typed) is None
    assert digest_command(typed) is None
    assert not is_digest_text(typed)


def test_rapport_routes_digest_texts() -> None:
    assert digest_command("  digest   on   tue ") == Digest("digest on tue")
    assert is_digest_text("Digest off")


@pytest.mark.parametrize(
    ("hour", "minute", "half", "expected"),
    [
        (0, 0, None, 0),
        (23, 59, None, 23 * 60 + 59),
        (24, 0, None, None),
        (7, 60, None, None),
        (12, 0, "am", 0),
        (12, 30, "pm", 12 * 60 + 30),
        (1, 0, "p.m.", 13 * 60),
        (0, 0, "am", None),
        (13, 0, "pm", None),
    ],
)
def test_clock_minute(hour: int, minute: int, half: str | None, expected: int | None) -> None:
    assert clock_minute(hour, minute, half) == expected


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("digest on mon 9", ("540", "1260")),
        ("digest an 7 mi", ("420", "1140")),
        ("digest on 12", ("720", "0")),
        ("digest on 1", ("60", "780")),
    ],
)
def test_an_hour_alone_is_asked_about(typed: str, readings: tuple[str, str]) -> None:
    with pytest.raises(NeedsAnswer) as asked:
        digest_request(typed)
    question = asked.value.question
    assert question.slot == HOUR_SLOT
    assert question.phrase in typed.split() and question.phrase.isdigit()
    assert tuple(r.value for r in question.readings) == (*readings, CANCEL)
    for value in readings:
        found = digest_request(typed, {HOUR_SLOT: value})
        assert isinstance(found, DigestOn) and found.minute == int(value)


def test_an_answer_that_is_no_reading_of_the_hour_asks_again() -> None:
    with pytest.raises(NeedsAnswer):
        digest_request("digest on 9", {HOUR_SLOT: "600"})
    with pytest.raises(NeedsAnswer):
        digest_request("digest on 9", {"when": "540"})


def _snippets(text: str) -> list[str]:
    """Every `code` snippet of a text."""
    return re.findall(r"`([^`]+)`", text)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_digest_example_in_the_texts_is_read(lang: str) -> None:
    """What the help and the replies show as an example is understood as shown: whole
    commands, and each option the option list names after `digest on`."""
    commands = [
        snippet.removeprefix("/rapport ")
        for key in ("rapport.help.body", "digest.subscription.line.change")
        for snippet in _snippets(TEXTS[key][lang])
        if snippet.removeprefix("/rapport ").startswith("digest")
    ]
    options = [f"digest on {o}" for o in _snippets(TEXTS["digest.subscription.options"][lang])]
    help_options = [
        f"digest on {snippet}"
        for snippet in _snippets(TEXTS["rapport.help.body"][lang])
        if snippet.startswith(("quiet", "ruhig"))
    ]
    assert len(commands) >= 4 and len(options) >= 8 and len(help_options) == 2
    for example in commands + options + help_options:
        found = digest_request(example)
        assert found is not None and not isinstance(found, DigestProblem), (example, found)
