"""Due dates as people type them, and the questions where a due date could mean two days.

Today is Wednesday 6 January 2027 throughout, as in the examples of the issue that asked for
this; each class is tested in English and German, with cases beyond those examples.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing import dates
from bot.parsing.contact_text import parse_logcontact
from bot.parsing.dates import DUE_QUESTIONS, BadDate, parse_due
from bot.parsing.keywords import DUE_PHRASES
from bot.parsing.questions import CANCEL, NeedsAnswer, Question, Reading
from bot.texts.catalog import TEXTS
from tests.corpora.dates.selection import load_selected

TODAY = date(2027, 1, 6)  # a Wednesday


def d(month: int, day: int, year: int = 2027) -> date:
    return date(year, month, day)


def due(text: str, *, month_first: bool = False, today: date = TODAY) -> date | None:
    found = parse_due(text, today=today, month_first=month_first)
    return None if found is None else found[0]


def question(text: str, *, month_first: bool = False, today: date = TODAY) -> Question:
    with pytest.raises(NeedsAnswer) as raised:
        parse_due(text, today=today, month_first=month_first)
    return raised.value.question


def days_asked(text: str, **kwargs: bool) -> list[date]:
    return [reading.day for reading in question(text, **kwargs).readings if reading.day]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the table's rows that must be read without a question
        ("Angebot schicken 19.7", d(7, 19)),
        ("bis zum 10ten Februar", d(2, 10)),
        ("by tmrw", d(1, 7)),
        ("bis Dienstag, den 19.1.", d(1, 19)),
        ("by EOD Thursday", d(1, 7)),
        ("Angebot schicken Sonntag dieser Woche", d(1, 10)),
        ("Angebot über 19.7 Tonnen bis Freitag", d(1, 8)),
        ("bis 28/10", d(10, 28)),
        ("bis 14-12-2027", d(12, 14)),
        ("bis 21.10 um 14 Uhr", d(10, 21)),
        # a weekday and a date that agree: the date
        ("Angebot schicken am Fr, 15.1.", d(1, 15)),
        ("send it by Friday, 15 January", d(1, 15)),
        ("by Tuesday the 19th", d(1, 19)),
        ("bis Dienstag, den 19.", d(1, 19)),
        ("by Tue 19th Jan 2027", d(1, 19)),
        ("on Tuesday the nineteenth", d(1, 19)),
        # a weekday qualified by its week
        ("send it Sunday this week", d(1, 10)),
        ("this week on Sunday", d(1, 10)),
        ("diese Woche am Sonntag", d(1, 10)),
        ("next week Friday", d(1, 15)),
        ("Freitag übernächste Woche", d(1, 22)),
        ("übernächsten Freitag", d(1, 15)),
        ("the Friday after next", d(1, 15)),
        # end of day before or after a day
        ("by COB Friday", d(1, 8)),
        ("Thursday EOD", d(1, 7)),
        ("end of day on Monday", d(1, 11)),
        ("tomorrow EOD", d(1, 7)),
        ("EOD", d(1, 6)),
        # a weekday with an offset
        ("a week on Friday", d(1, 15)),
        ("Friday week", d(1, 15)),
        ("Friday fortnight", d(1, 22)),
        ("a fortnight on Friday", d(1, 22)),
        ("Friday in two weeks", d(1, 22)),
        ("Freitag in zwei Wochen", d(1, 22)),
        ("in 2 Wochen am Donnerstag", d(1, 21)),
        ("Thursday in 3 weeks", d(1, 28)),
        ("in 3 days on Friday", d(1, 8)),
        # distances from today or from another day
        ("two weeks from now", d(1, 20)),
        ("3 days after January 12th", d(1, 15)),
        ("two days from tomorrow", d(1, 9)),
        # ordinals, days and months without the closing dot, dashes and slashes
        ("by the 10th", d(1, 10)),
        ("bis zum 10.", d(1, 10)),
        ("bis 10.2", d(2, 10)),
        ("bis zum 10ter Feb", d(2, 10)),
        ("by 10th February.", d(2, 10)),
        ("bis zum ersten Februar", d(2, 1)),
        ("by February first", d(2, 1)),
        ("by the twenty-second of March", d(3, 22)),
        ("by Oct-2", d(10, 2)),
        ("by 19-1", d(1, 19)),
        ("by 19/1/2027", d(1, 19)),
        ("send the offer 22/04", d(4, 22)),
        ("send the offer 4/22", d(4, 22)),  # only month first is a date
        ("Muster schicken 3.2, danach anrufen", d(2, 3)),
        # ordinal weekdays of a month
        ("by the first Friday of March", d(3, 5)),
        ("bis zum letzten Freitag im Januar", d(1, 29)),
        ("the second Monday of next month", d(2, 8)),
        ("dritter Tag im Oktober", d(10, 3)),
        ("bis zum letzten Tag im Februar", d(2, 28)),
        # dates spoken as German ordinals, and month names with dashes or slashes
        ("am 7. vierter", d(4, 7)),
        ("am siebten vierten", d(4, 7)),
        ("by 23/Sep/2027", d(9, 23)),
        ("by 2027-sep-1", d(9, 1)),
        ("by Sep-23-2027", d(9, 23)),
        # a year after the date
        ("by 28 June in 2028", d(6, 28, 2028)),
        ("bis 14te April 28", d(4, 14, 2028)),
        # compound distances
        ("in 1 year 2 months", d(3, 6, 2028)),
        ("2 Wochen 3 Tage später", d(1, 23)),
        ("in a fortnight's time", d(1, 20)),
        # informal words
        ("tmrw", d(1, 7)),
        ("the day after tmrw", d(1, 8)),
        ("before Christmas", d(12, 23)),
        ("vor Weihnachten", d(12, 23)),
        ("bis Weihnachten", d(12, 23)),
    ],
)
def test_due_dates_are_read_without_a_question(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Angebot über 19.7 Tonnen",  # a quantity: a number followed by a unit or noun
        "send 1/2 of the samples",
        "ship release version 2.1",
        "Kapitel 3.4 überarbeiten",
        "send pages 2-3",
        "nach Weihnachten anrufen",
        "call after Christmas",
        "provide 24/7 support",
        "pay $ 12 December fees",
        "prepare the 2nd draft",
        "send the Oct. report",
    ],
)
def test_numbers_and_words_that_are_no_due_date(text: str) -> None:
    assert due(text) is None


def test_a_weekday_before_first_thing_is_still_that_weekday() -> None:
    assert due("send it Friday first thing") == d(1, 8)


@pytest.mark.parametrize(
    "text",
    [
        "morgen zurückrufen wegen der Lieferung bis Freitag",
        "call back tomorrow about the delivery due Friday",
        "call them Monday, send the deck by Friday",
        "Montag oder Freitag",  # the phrase ending the promise
        "Monday or Friday",
    ],
)
def test_a_led_or_ending_phrase_beats_one_inside_the_promise(text: str) -> None:
    assert due(text) == d(1, 8)


@pytest.mark.parametrize(
    "text",
    [
        # a date inside what was promised, the due led by "by"/"bis" after it: never one day
        "Raum für den 15.6. bis Freitag buchen",
        "book the Jun 15 venue by Friday",
        "book Friday Jun 15 by Friday",
        "Freitag 15.6. bis Freitag buchen",
        "Tickets für Montag, 1.3. bis Freitag besorgen",
        "order cake for 3/1 until Friday",
    ],
)
def test_a_date_and_a_weekday_with_a_lead_between_are_two_days(text: str) -> None:
    assert due(text) == d(1, 8)


def test_a_weekday_and_its_date_still_join_across_on_and_the() -> None:
    assert due("bis Dienstag, am 19.1.") == d(1, 19)
    assert due("by Tuesday the 19th") == d(1, 19)
    assert due("send NDA Thursday by EOD") == d(1, 7)


@pytest.mark.parametrize(
    ("text", "reason", "days"),
    [
        # a weekday and a date that disagree: the date, or the weekday in its week
        ("bis Montag, den 19.1.", "question.due_weekday_date", [d(1, 18), d(1, 19)]),
        ("by Monday 19 January", "question.due_weekday_date", [d(1, 18), d(1, 19)]),
        ("am Fr, 14.1.", "question.due_weekday_date", [d(1, 14), d(1, 15)]),
        # two phrases where none is led or ends the promise
        (
            "call back tomorrow about the Friday delivery",
            "question.due_two_days",
            [d(1, 7), d(1, 8)],
        ),
        # "next Friday" while that is still this week
        ("by next Friday", "question.due_next_weekday", [d(1, 8), d(1, 15)]),
        ("bis nächsten Freitag", "question.due_next_weekday", [d(1, 8), d(1, 15)]),
        # a bare weekday said on that weekday
        ("by Wednesday", "question.due_weekday_today", [d(1, 6), d(1, 13)]),
        ("bis Mittwoch", "question.due_weekday_today", [d(1, 6), d(1, 13)]),
        # a weekday before today's with a week's offset
        ("Montag in einer Woche", "question.due_week_offset", [d(1, 11), d(1, 18)]),
        # days that make whole weeks count as weeks do
        ("Montag in 14 Tagen", "question.due_week_offset", [d(1, 18), d(1, 25)]),
        ("Monday in a week", "question.due_week_offset", [d(1, 11), d(1, 18)]),
        # quick choices
        ("ASAP", "question.due_asap", [d(1, 6), d(1, 7), d(1, 8)]),
        ("so schnell wie möglich", "question.due_asap", [d(1, 6), d(1, 7), d(1, 8)]),
        ("in a couple of days", "question.due_few_days", [d(1, 8), d(1, 9), d(1, 13)]),
        ("in ein paar Tagen", "question.due_few_days", [d(1, 8), d(1, 9), d(1, 13)]),
    ],
)
def test_a_due_date_that_could_mean_two_days_is_asked(
    text: str, reason: str, days: list[date]
) -> None:
    asked = question(text)
    assert asked.slot == "due"
    assert asked.reason == reason
    assert days_asked(text) == days


@pytest.mark.parametrize(
    ("text", "days", "day_first"),
    [
        ("by 2/3", [d(2, 3), d(3, 2)], d(3, 2)),
        ("bis 5.12.", [d(5, 12), d(12, 5)], d(12, 5)),
        ("by 3-7-2027", [d(3, 7), d(7, 3)], d(7, 3)),
    ],
)
def test_a_month_first_member_is_asked_about_a_date_valid_both_ways(
    text: str, days: list[date], day_first: date
) -> None:
    assert question(text, month_first=True).reason == "question.due_month_first"
    assert days_asked(text, month_first=True) == days
    assert due(text) == day_first  # a member who writes day first is not asked


@pytest.mark.parametrize(
    ("text", "day_first", "month_first"),
    [
        ("by 2/3", d(3, 2), None),
        ("by 4/22", d(4, 22), d(4, 22)),  # only one way round is a date: no question
        ("by 22/4", d(4, 22), d(4, 22)),
        ("bis 28/10", d(10, 28), d(10, 28)),
        ("bis 14-12-2027", d(12, 14), d(12, 14)),
    ],
)
def test_day_first_unless_only_month_first_is_a_date(
    text: str, day_first: date, month_first: date | None
) -> None:
    assert due(text) == day_first
    if month_first is None:
        question(text, month_first=True)
    else:
        assert due(text, month_first=True) == month_first


def test_a_weekday_settles_a_date_valid_both_ways() -> None:
    # 12 May 2027 is a Wednesday, 5 December a Sunday: the weekday says which.
    assert due("by Wednesday 5/12", month_first=True) == d(5, 12)
    assert due("bis Sonntag, 5.12.") == d(12, 5)


def test_the_chosen_reading_is_taken_when_the_text_is_read_again() -> None:
    for text in ("bis Montag, den 19.1.", "call back tomorrow about the Friday delivery", "ASAP"):
        asked = question(text)
        for reading in asked.readings:
            found = parse_due(text, today=TODAY, answers={"due": reading.value})
            assert found is not None and found[0] == reading.day
            assert found[1] in asked.phrase


def test_of_two_phrases_asked_about_the_chosen_ones_words_are_the_due_phrase() -> None:
    text = "call back tomorrow about the Friday delivery"
    assert parse_due(text, today=TODAY, answers={"due": "2027-01-07"}) == (d(1, 7), "tomorrow")
    assert parse_due(text, today=TODAY, answers={"due": "2027-01-08"}) == (d(1, 8), "Friday")
    german = "morgen zurückrufen wegen der Lieferung am Freitag"  # "am" is weaker than "bis"
    assert due(german) == d(1, 8)


def test_an_answer_that_is_no_reading_asks_again() -> None:
    with pytest.raises(NeedsAnswer):
        parse_due("ASAP", today=TODAY, answers={"due": "2027-02-01"})


def test_broken_dates_in_the_new_forms_are_still_reported() -> None:
    with pytest.raises(BadDate):
        parse_due("by 31-2", today=TODAY)
    with pytest.raises(BadDate):
        parse_due("bis zum 30ten Februar", today=TODAY)


def test_every_question_has_a_text_in_both_languages() -> None:
    for reason in DUE_QUESTIONS:
        assert set(TEXTS[reason]) == {"en", "de"}
        assert all("{phrase}" in TEXTS[reason][lang] for lang in ("en", "de"))


def test_the_contact_reader_passes_answers_and_the_locale_on() -> None:
    text = "Acme call promise: send the deck by 2/3"
    assert parse_logcontact(text, today=TODAY).promise.due == d(3, 2)  # type: ignore[union-attr]
    with pytest.raises(NeedsAnswer):
        parse_logcontact(text, today=TODAY, month_first=True)
    draft = parse_logcontact(text, today=TODAY, month_first=True, answers={"due": "2027-02-03"})
    assert draft.promise is not None and draft.promise.due == d(2, 3)


@pytest.mark.parametrize(
    ("promise", "month_first"),
    [
        ("send the deck by 2/3", True),
        ("Angebot bis Montag, den 12.1.", False),
        ("send the NDA ASAP", False),
    ],
)
def test_the_contact_reader_asks_about_a_due_day_with_cancel_last(
    promise: str, month_first: bool
) -> None:
    """`/logcontact`'s due question offers Cancel after the days, as its other questions do;
    the due reader alone asks with the days only (the form and the settings read it too, and
    they have no waiting text to drop)."""
    with pytest.raises(NeedsAnswer) as asked:
        parse_logcontact(f"Acme call promise: {promise}", today=TODAY, month_first=month_first)
    readings = asked.value.question.readings
    assert readings[-1] == Reading(CANCEL, label="question.cancel")
    assert len(readings) > 2 and all(reading.day is not None for reading in readings[:-1])
    assert [r.day for r in readings[:-1]] == days_asked(promise, month_first=month_first)
    # Cancel is no day: given as the answer, the due day is asked about again.
    with pytest.raises(NeedsAnswer):
        parse_logcontact(
            f"Acme call promise: {promise}",
            today=TODAY,
            month_first=month_first,
            answers={"due": CANCEL},
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # this month's day agrees: that day
        ("by Friday the 15th", d(1, 15)),
        ("bis Freitag, den 15.", d(1, 15)),
        ("by Sunday the thirty first", d(1, 31)),
        ("bis Sonntag, den einunddreißigsten", d(1, 31)),
        # the 13th is a Wednesday this month: the next month whose 13th is a Monday
        ("by Mon 13th", d(9, 13)),
        ("on Monday 13", d(9, 13)),
        ("bis Montag, den 13.", d(9, 13)),
        ("am Mo 13.", d(9, 13)),
        # a 31st that is a Tuesday: months without a 31st are passed over
        ("by Tuesday 31", d(8, 31)),
        ("bis Dienstag, den 31.", d(8, 31)),
    ],
)
def test_a_weekday_with_a_day_of_the_month_is_the_next_month_where_they_agree(
    text: str, expected: date
) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [
        # the 13th is a Wednesday: "Thursday" may be a slip for it, or mean the 14th, or May
        ("by Thursday 13th", [d(1, 13), d(1, 14), d(5, 13)]),
        ("bis Donnerstag, den 13.", [d(1, 13), d(1, 14), d(5, 13)]),
        # the 31st is a Sunday
        ("by Saturday the 31st", [d(1, 30), d(1, 31), d(7, 31)]),
        ("bis Samstag, den 31.", [d(1, 30), d(1, 31), d(7, 31)]),
        # a full date spoken with an ordinal month: 7 April 2027 is a Wednesday
        ("am Donnerstag 7. vierter", [d(4, 7), d(4, 8)]),
        ("am Donnerstag, den siebten vierten", [d(4, 7), d(4, 8)]),
    ],
)
def test_a_weekday_one_off_the_next_such_day_is_asked(text: str, days: list[date]) -> None:
    assert question(text).reason == "question.due_weekday_date"
    assert days_asked(text) == days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send it on 15", d(1, 15)),
        ("schicken am 15", d(1, 15)),
        ("bis zum 27", d(1, 27)),
        ("prepare it for the 27", d(1, 27)),
        ("prepare it for the 27 .", d(1, 27)),
        ("vorbereiten für den 27", d(1, 27)),
        ("by the 2", d(2, 2)),  # the 2nd of this month is past: next month's
        ("for the second", d(2, 2)),
        ("for the twenty second", d(1, 22)),
        ("am zweiten", d(2, 2)),
        ("on 6", d(1, 6)),  # today is the 6th: today, as any date without a month
        ("on 15 at 3pm", d(1, 15)),
        ("am 15 um 10 Uhr", d(1, 15)),
        ("call on 15, then send the deck", d(1, 15)),
    ],
)
def test_a_led_day_of_the_month_alone_is_its_next_occurrence(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "work on 15 pages",
        "arbeiten an 15 Seiten",
        "order for 15 people",
        "order for the 15 people",
        "Essen für 15",
        "then the second",
        "for the second time",
        "zum dritten Mal",
        "on second thought",
        "bis 15",  # or 15 o'clock
        "on 32",
        "see the note on [2]",  # a reference
        "siehe am (3)",
    ],
)
def test_numbers_that_are_no_day_of_the_month(text: str) -> None:
    assert due(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the day after today
        ("send it the next day", d(1, 7)),
        ("on the following day", d(1, 7)),
        ("am nächsten Tag schicken", d(1, 7)),
        ("am folgenden Tag", d(1, 7)),
        # a count of weekdays, today not counted
        ("two Sundays from now", d(1, 17)),
        ("3 Fridays later", d(1, 22)),
        ("two wednesday later", d(1, 20)),  # today is a Wednesday
        # a day month and year with dashes in any order
        ("by 23-2027-September", d(9, 23)),
        # distances counted from another day, German too
        ("3 Tage nach dem 12. Januar", d(1, 15)),
        ("zwei Wochen ab Montag", d(1, 25)),
        ("2 Wochen nach Freitag", d(1, 22)),
        ("2 weeks after Friday", d(1, 22)),
        ("bis übernächstem Freitag", d(1, 15)),
        # shortened units of time
        ("in 15 Tg.", d(1, 21)),
        ("in 2 wks", d(1, 20)),
        ("in 1 yr", d(1, 6, 2028)),
    ],
)
def test_more_forms_of_a_day(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    ("text", "month_first", "reason", "days"),
    [
        # a distance from a day that is asked about: the question offers each day moved
        ("two months after next Friday", False, "question.due_next_weekday", [d(3, 8), d(3, 15)]),
        (
            "zwei Monate nach nächstem Freitag",
            False,
            "question.due_next_weekday",
            [d(3, 8), d(3, 15)],
        ),
        ("16 days from 01/02/2027", True, "question.due_month_first", [d(1, 18), d(2, 17)]),
        ("3 Tage nach dem 5.12.", True, "question.due_month_first", [d(5, 15), d(12, 8)]),
    ],
)
def test_a_distance_from_a_day_read_two_ways_asks_with_the_days_moved(
    text: str, month_first: bool, reason: str, days: list[date]
) -> None:
    assert question(text, month_first=month_first).reason == reason
    assert days_asked(text, month_first=month_first) == days


@pytest.mark.parametrize(
    "text",
    [
        "see www.example.com/users/12345/archive-2027-09-23-page-01",
        "send report-20270302.html",
        "file -2027-07-01- again",
    ],
)
def test_a_date_inside_a_link_or_file_name_is_no_due_date(text: str) -> None:
    # A link's or file's date says when it was made, not when the promise is due.
    assert due(text) is None


@pytest.mark.parametrize(
    ("text", "today", "days"),
    [
        # the weekday's day in the date's week is past: the one a week later is offered
        ("bis Montag, den 6.1.", TODAY, [d(1, 6), d(1, 11)]),
        ("by Monday 6 January", TODAY, [d(1, 6), d(1, 11)]),
        ("by Tuesday 6", TODAY, [d(1, 6), d(1, 12), d(4, 6)]),
        ("bis Dienstag, den 6.", TODAY, [d(1, 6), d(1, 12), d(4, 6)]),
        # no Wednesday the 31st within a year of 2 May 2027: the 31st or that week's Wednesday
        ("by Wednesday 31", d(5, 2), [d(5, 31), d(6, 2)]),
        ("bis Mittwoch, den 31.", d(5, 2), [d(5, 31), d(6, 2)]),
    ],
)
def test_a_weekday_that_disagrees_is_asked_even_where_its_week_is_past(
    text: str, today: date, days: list[date]
) -> None:
    assert question(text, today=today).reason == "question.due_weekday_date"
    assert [reading.day for reading in question(text, today=today).readings] == days


def test_words_turned_away_before_the_rules_are_words_no_rule_starts_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The shortcut that skips the due rules at most words must not change what is read: a rule
    # that starts with a word missing from the list of start words would be skipped silently.
    texts = [phrase for row in DUE_PHRASES for phrase in (*row.english, *row.german)]
    texts += [case.text for case in load_selected()]

    def outcome(text: str, today: date) -> object:
        try:
            return parse_due(text, today=today, month_first=True)
        except NeedsAnswer as needed:
            return [reading.value for reading in needed.question.readings]
        except BadDate as bad:
            return bad.phrase

    for today in (TODAY, d(11, 25, 2026)):
        with_shortcut = [outcome(text, today) for text in texts]
        monkeypatch.setattr(dates, "_may_start_a_due_phrase", lambda key: True)
        assert [outcome(text, today) for text in texts] == with_shortcut
        monkeypatch.undo()


def test_a_past_date_beside_a_disagreeing_weekday_stays_past() -> None:
    # 31 December 2026 is a Thursday, and past: reported as past (the caller refuses it), not
    # moved to a coming Tuesday.
    assert due("by Tuesday 2026-12-31") == d(12, 31, 2026)
    assert due("bis Dienstag, 31.12.2026") == d(12, 31, 2026)
