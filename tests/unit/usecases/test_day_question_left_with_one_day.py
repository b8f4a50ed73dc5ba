"""A day question whose other readings were dropped because the text, read with them, would be
refused (`LogContact._loggable_readings`) asks to confirm the one day left, in words that are
true for one day (`confirming`), in English and German; a question with a choice left keeps its
own words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks.questions import question_reply
from bot.parsing.contact_text import ParseProblem
from bot.parsing.questions import CANCEL, Question, Reading
from bot.texts.reader import Reader
from bot.usecases.log_contact import confirming

LAST_WEEK = date(2026, 11, 18)
CANCEL_READING = Reading(CANCEL, label="question.cancel")
LATER_TODAY = ParseProblem("when_later_today", at="15:00")
PENDING = "a" * 32


def _question(slot: str, *days: date, reason: str = "question.when") -> Question:
    readings = tuple(Reading(day.isoformat(), day=day) for day in days)
    return Question(slot, "Wednesday", reason, (*readings, CANCEL_READING))


def _said(question: Question, locale: str) -> str:
    return question_reply(Reader(locale), PENDING, question).blocks[0].text.text


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en-US",
            ":thinking_face: *Wednesday* could be today, but the time typed is still ahead, and "
            "a contact is logged once it has happened. Did you mean Wednesday, November 18, "
            "2026? Nothing is logged until you choose.",
        ),
        (
            "de-DE",
            ":thinking_face: *Wednesday* kann heute sein, aber die angegebene Uhrzeit liegt noch "
            "vor uns, und ein Kontakt wird erfasst, wenn er stattgefunden hat. Meintest du "
            "Mittwoch, 18. November 2026? Erfasst wird erst, wenn du wählst.",
        ),
    ],
)
def test_today_dropped_for_its_time_asks_to_confirm_the_day_left(locale: str, said: str) -> None:
    question = confirming(_question("when", LAST_WEEK), [LATER_TODAY])

    assert question.readings == (Reading(LAST_WEEK.isoformat(), day=LAST_WEEK), CANCEL_READING)
    assert _said(question, locale) == said


@pytest.mark.parametrize(
    ("slot", "locale", "said"),
    [
        ("when", "en-US", "on any other day than Wednesday, November 18, 2026 the contact"),
        ("when", "de-DE", "an einem anderen Tag als Mittwoch, 18. November 2026 ließe sich"),
        ("due", "en-US", "Is it due Wednesday, November 18, 2026?"),
        ("due", "de-DE", "Ist sie am Mittwoch, 18. November 2026 fällig?"),
    ],
)
def test_a_day_left_for_another_refusal_is_confirmed_without_naming_a_cause(
    slot: str, locale: str, said: str
) -> None:
    question = confirming(_question(slot, LAST_WEEK), [ParseProblem("note_too_long")])

    assert said in _said(question, locale)
    # Asked to confirm the one day, not to choose among days.
    assert "Which day" not in _said(question, "en-US")
    assert "An welchem Tag" not in _said(question, "de-DE")


@pytest.mark.parametrize(
    "question",
    [
        # two days still to choose from
        _question("when", LAST_WEEK, date(2026, 11, 11)),
        # a question about the partner: one partner left is logged, not confirmed
        Question(
            "partner",
            "Globex 2",
            "question.name_or_day",
            (
                Reading("p1:2", label="question.existing_partner", values={"name": "Globex 2"}),
                CANCEL_READING,
            ),
        ),
    ],
)
def test_a_question_left_with_more_than_one_day_or_no_day_keeps_its_words(
    question: Question,
) -> None:
    assert confirming(question, [LATER_TODAY]) is question
