"""A contact's date leans to the past, and asks where it could mean more than one day: in EN
and DE, as a whole phrase (`parse_when`) and inside `/logcontact` text."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.contact_text import ParseProblem, parse_logcontact
from bot.parsing.dates import parse_when
from bot.parsing.questions import NeedsAnswer

WEDNESDAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)
MONDAY = date(2026, 11, 23)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def asked(phrase: str, today: date = WEDNESDAY, *, month_first: bool = False) -> list[date]:
    with pytest.raises(NeedsAnswer) as needed:
        parse_when(phrase, today=today, month_first=month_first)
    question = needed.value.question
    assert question.slot == "when"
    assert question.readings[-1].value == "cancel"
    return [reading.day for reading in question.readings if reading.day is not None]


@pytest.mark.parametrize(
    ("today", "phrase", "on"),
    [
        # a date without a year: the latest such day on or before today
        (WEDNESDAY, "am 2. Mai", d(5, 2)),
        (WEDNESDAY, "22.12.", d(12, 22, 2025)),
        (WEDNESDAY, "December 27", d(12, 27, 2025)),
        (WEDNESDAY, "4th of july", d(7, 4)),
        (date(2026, 1, 7), "am 15.", d(12, 15, 2025)),
        (date(2026, 8, 7), "on the 18th", d(7, 18)),
        (WEDNESDAY, "den 28.10.", d(10, 28)),
        # written in other shapes
        (WEDNESDAY, "21-04-2016", d(4, 21, 2016)),
        (WEDNESDAY, "2015/08/12", d(8, 12, 2015)),
        (WEDNESDAY, "Oct-2", d(10, 2)),
        (WEDNESDAY, "on 4/22", d(4, 22)),
        (WEDNESDAY, "20161016", d(10, 16, 2016)),
        # with the day in words
        (WEDNESDAY, "am ersten Januar", d(1, 1)),
        (WEDNESDAY, "am neunundzwanzigsten Mai", d(5, 29)),
        (WEDNESDAY, "May twenty-first", d(5, 21)),
        (WEDNESDAY, "second of Aug", d(8, 2)),
        (WEDNESDAY, "the twenty second", d(11, 22)),
        (WEDNESDAY, "am 27. 10.", d(10, 27)),
        # a weekday beside its week
        (WEDNESDAY, "Mittwoch vor 2 Wochen", d(11, 11)),
        (WEDNESDAY, "Wednesday two weeks ago", d(11, 11)),
        (WEDNESDAY, "Dienstag dieser Woche", d(11, 24)),
        (WEDNESDAY, "Tuesday this week", d(11, 24)),
        (WEDNESDAY, "previous week - Monday", d(11, 16)),
        # a weekday beside a date: the latest day they agree on
        (WEDNESDAY, "Friday the 20th", d(11, 20)),
        (WEDNESDAY, "am Freitag, den 20.11.", d(11, 20)),
        (WEDNESDAY, "Fri 7/8", d(8, 7)),  # 7 August is the Friday; 8 July is not
        # spans
        (WEDNESDAY, "vorvorgestern", d(11, 22)),
        (WEDNESDAY, "two days before yesterday", d(11, 22)),
        (WEDNESDAY, "1 month and 3 days ago", d(10, 22)),
        (WEDNESDAY, "vor 1 Monat und 3 Tagen", d(10, 22)),
        # "this past …" is never this week's future
        (THURSDAY, "this past Wednesday", d(11, 25)),
        # the n-th weekday of a month
        (WEDNESDAY, "the first Friday of July", d(7, 3)),
        (WEDNESDAY, "second Sunday", d(11, 8)),
        (date(2026, 11, 3), "third Tuesday", d(10, 20)),  # this month's is still ahead
        (WEDNESDAY, "der dritte Dienstag im Oktober", d(10, 20)),
        (WEDNESDAY, "the third Wednesday of previous month", d(10, 21)),
        # counted back from today or yesterday
        (WEDNESDAY, "2 weeks before today", d(11, 11)),
        (WEDNESDAY, "2 weeks before yesterday", d(11, 10)),
        # a weekday that is an everyday word counts before a date
        (WEDNESDAY, "Sat 14th", d(11, 14)),
        (WEDNESDAY, "am dritter/11.", d(11, 3)),
        (WEDNESDAY, "on 15", d(11, 15)),
        # a day without its month a few days ahead is last month's: no year-ago reading to doubt
        (WEDNESDAY, "am 28.", d(10, 28)),
        (date(2026, 11, 29), "on the 3rd", d(11, 3)),
    ],
)
def test_a_contact_date_is_the_latest_such_day(today: date, phrase: str, on: date) -> None:
    assert parse_when(phrase, today=today) == (on, None)


@pytest.mark.parametrize(
    ("today", "phrase", "days"),
    [
        # said on that weekday: today, or a week ago
        (WEDNESDAY, "Wednesday", [d(11, 18), d(11, 25)]),
        (WEDNESDAY, "am Mittwoch", [d(11, 18), d(11, 25)]),
        # "last Monday" said on a Wednesday: two days ago, or the week before
        (WEDNESDAY, "last Monday", [d(11, 16), d(11, 23)]),
        (WEDNESDAY, "letzten Montag", [d(11, 16), d(11, 23)]),
        # a few days ahead: a slip, or a meeting still to come; the only past reading a year
        # (or a month) ago is offered, never taken silently
        (WEDNESDAY, "26.11.", [d(11, 26, 2025)]),
        (WEDNESDAY, "Nov 28", [d(11, 28, 2025)]),
        # a weekday that disagrees with the date beside it
        (WEDNESDAY, "Montag, den 20.11.2026", [d(11, 20), d(11, 23)]),
        (WEDNESDAY, "Monday, November 20, 2026", [d(11, 20), d(11, 23)]),
        # two parts naming different days
        (WEDNESDAY, "yesterday Monday", [d(11, 23), d(11, 24)]),
        (WEDNESDAY, "gestern Montag", [d(11, 23), d(11, 24)]),
    ],
)
def test_what_could_mean_several_days_is_asked(today: date, phrase: str, days: list[date]) -> None:
    assert asked(phrase, today) == days


def test_a_member_who_writes_the_month_first_is_asked_about_dates_valid_both_ways() -> None:
    june = date(2027, 6, 1)
    assert asked("on 5/12", june, month_first=True) == [d(12, 5, 2026), d(5, 12, 2027)]
    assert parse_when("am 5/12", today=june) == (d(12, 5, 2026), None)  # day first otherwise
    assert parse_when("on 4/22", today=june, month_first=True) == (d(4, 22, 2027), None)
    assert asked("5/12", june, month_first=True) == [d(12, 5, 2026), d(5, 12, 2027)]
    assert parse_when("1/2", today=june, month_first=True) is None  # a fraction, not a date


# --- inside /logcontact -----------------------------------------------------------------------


def test_logcontact_asks_about_last_monday_and_takes_the_day_picked() -> None:
    with pytest.raises(NeedsAnswer) as needed:
        parse_logcontact("Acme call last Monday talked prices", today=WEDNESDAY)
    assert needed.value.question.phrase == "last Monday"
    draft = parse_logcontact(
        "Acme call last Monday talked prices", today=WEDNESDAY, answers={"when": "2026-11-16"}
    )
    assert (draft.when.on, draft.note) == (d(11, 16), "talked prices")


def test_logcontact_in_german_asks_about_a_date_a_few_days_ahead() -> None:
    with pytest.raises(NeedsAnswer) as needed:
        parse_logcontact("Acme Anruf 27.11. Preise besprochen", today=WEDNESDAY)
    readings = needed.value.question.readings
    assert [r.day for r in readings] == [d(11, 27, 2025), None]
    draft = parse_logcontact(
        "Acme Anruf 27.11. Preise besprochen", today=WEDNESDAY, answers={"when": "2025-11-27"}
    )
    assert (draft.when.on, draft.note) == (d(11, 27, 2025), "Preise besprochen")


def test_logcontact_ignores_an_answer_that_is_none_of_the_readings() -> None:
    with pytest.raises(NeedsAnswer):
        parse_logcontact("Acme call Monday", today=MONDAY, answers={"when": "2026-11-20"})


def test_logcontact_still_refuses_tomorrow_and_reads_a_full_date_as_written() -> None:
    with pytest.raises(ParseProblem) as problem:
        parse_logcontact("Acme call tomorrow", today=WEDNESDAY)
    assert problem.value.code == "when_in_future"
    draft = parse_logcontact("Acme Treffen am Freitag, den 20.11. Angebot", today=WEDNESDAY)
    assert (draft.when.on, draft.medium, draft.note) == (d(11, 20), "meeting", "Angebot")


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Acme call the second meeting went well", "the second meeting went well"),
        ("Acme call the first 2 weeks were slow", "the first 2 weeks were slow"),
        ("Acme call on 15 topics", "on 15 topics"),
        ("Acme call 20231234 order confirmed", "20231234 order confirmed"),
        ("Acme call 3-4 people joined", "3-4 people joined"),
        ("Acme Anruf zweite Runde Preise", "zweite Runde Preise"),
    ],
)
def test_numbers_and_ordinals_in_a_note_stay_in_the_note(text: str, note: str) -> None:
    draft = parse_logcontact(text, today=WEDNESDAY)
    assert (draft.when.on, draft.note) == (WEDNESDAY, note)


# --- a weekday beside a time, a date or a day word (today Monday 30 November 2026) -------------

SUNDAY = date(2026, 11, 29)
MONDAY_30 = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("phrase", "on", "hour"),
    [
        ("Freitag 14 Uhr", d(11, 27), 14),
        ("Freitag 9 Uhr", d(11, 27), 9),
        ("am Freitag 9 h", d(11, 27), 9),
        ("Friday 2 pm", d(11, 27), 14),
        ("Friday 11 am", d(11, 27), 11),
        ("Mittwoch, 10 Uhr", d(11, 25), 10),
        ("Tuesday 9:30", d(11, 24), 9),
    ],
)
def test_a_number_before_an_hour_word_is_the_time_not_the_day(
    phrase: str, on: date, hour: int
) -> None:
    day, at = parse_when(phrase, today=MONDAY_30) or (None, None)
    assert day == on
    assert at is not None and at.hour == hour


def test_a_number_before_o_clock_is_no_day_and_stays_in_the_note() -> None:
    # "3 o'clock" could be morning or afternoon: the day is read, the hour left as typed
    draft = parse_logcontact("Acme call Thursday 3 o'clock pricing", today=MONDAY_30)
    assert (draft.when.on, draft.when.at, draft.note) == (d(11, 26), None, "3 o'clock pricing")


def test_a_weekday_said_on_that_day_with_an_hour_still_asks_which_week() -> None:
    assert asked("Montag 14 Uhr", MONDAY_30) == [d(11, 23), d(11, 30)]
    assert asked("Monday 2 pm", MONDAY_30) == [d(11, 23), d(11, 30)]


@pytest.mark.parametrize(
    ("phrase", "days"),
    [
        # a full day and month the weekday disagrees with: the date, or that weekday beside it;
        # never the year (or years) back where the two happen to agree
        ("Freitag, den 21.11.", [d(11, 20), d(11, 21)]),
        ("Friday, Nov 21", [d(11, 20), d(11, 21)]),
        ("Sat, Nov 20", [d(11, 20), d(11, 21)]),
        ("Dienstag 12.11.", [d(11, 10), d(11, 12)]),
        # a day number alone that fits the weekday only months back: that day is offered too
        ("Friday the 21st", [d(8, 21), d(11, 20), d(11, 21)]),
        ("Sunday 31", [d(5, 31), d(10, 31), d(11, 1)]),
        ("Freitag, den 21.", [d(8, 21), d(11, 20), d(11, 21)]),
        ("Mittwoch 5.", [d(8, 5), d(11, 4), d(11, 5)]),
    ],
)
def test_a_weekday_that_disagrees_with_its_date_is_asked_about(
    phrase: str, days: list[date]
) -> None:
    assert asked(phrase, MONDAY_30) == days


@pytest.mark.parametrize(
    ("phrase", "on"),
    [
        ("Freitag, den 20.11.", d(11, 20)),
        ("Sat, Nov 21", d(11, 21)),
        ("Donnerstag, 22.10.", d(10, 22)),
        ("Friday the 23rd", d(10, 23)),  # within two months: 23 October was a Friday
        ("Mittwoch, den 4.", d(11, 4)),
        ("Sunday 1st", d(11, 1)),
        ("Montag, 3. August", d(8, 3)),  # its month named: the date alone says which day
    ],
)
def test_a_weekday_that_agrees_with_a_recent_date_confirms_it(phrase: str, on: date) -> None:
    assert parse_when(phrase, today=MONDAY_30) == (on, None)


def test_a_weekday_beside_a_date_a_few_days_ahead_is_that_future_day() -> None:
    # 4 December 2026 is a Friday: the contact is in the future, which /logcontact refuses
    assert parse_when("Freitag, den 4.12.", today=MONDAY_30) == (d(12, 4), None)
    with pytest.raises(ParseProblem) as problem:
        parse_logcontact("Acme Anruf Freitag, den 4.12. Preise", today=MONDAY_30)
    assert problem.value.code == "when_in_future"


@pytest.mark.parametrize(
    ("phrase", "on"),
    [
        ("heute Montag", MONDAY_30),
        ("today Monday", MONDAY_30),
        ("gestern Sonntag", d(11, 29)),
        ("yesterday, Sunday", d(11, 29)),
        ("Montag heute", MONDAY_30),
        ("Sunday yesterday", d(11, 29)),
        ("vorgestern Samstag", d(11, 28)),
        ("heute Montag 10 Uhr", MONDAY_30),
    ],
)
def test_a_weekday_that_agrees_with_a_day_word_is_that_day(phrase: str, on: date) -> None:
    read = parse_when(phrase, today=MONDAY_30)
    assert read is not None and read[0] == on


@pytest.mark.parametrize(
    ("phrase", "days"),
    [
        ("heute Freitag", [d(11, 27), d(11, 30)]),
        ("today Friday", [d(11, 27), d(11, 30)]),
        ("gestern Montag", [d(11, 29), d(11, 30)]),
        ("Friday yesterday", [d(11, 27), d(11, 29)]),
    ],
)
def test_a_weekday_that_disagrees_with_a_day_word_is_asked_about(
    phrase: str, days: list[date]
) -> None:
    assert asked(phrase, MONDAY_30) == days


def test_a_single_earlier_reading_is_asked_in_its_own_words() -> None:
    with pytest.raises(NeedsAnswer) as needed:
        parse_when("3.12.", today=MONDAY_30)
    question = needed.value.question
    assert question.reason == "question.when_earlier"
    assert [r.day for r in question.readings] == [d(12, 3, 2025), None]
    with pytest.raises(NeedsAnswer) as needed:
        parse_when("last Monday", today=date(2026, 11, 25))
    assert needed.value.question.reason == "question.when"


@pytest.mark.parametrize(
    "text",
    [
        "Acme Anruf Freitag 14 Uhr Preise besprochen",
        "Acme call Friday 2 pm talked prices",
    ],
)
def test_logcontact_reads_weekday_and_hour_and_keeps_the_hour_out_of_the_note(text: str) -> None:
    draft = parse_logcontact(text, today=MONDAY_30)
    assert draft.when.on == d(11, 27)
    assert draft.when.at is not None and draft.when.at.hour == 14
    assert draft.note in ("Preise besprochen", "talked prices")


def test_logcontact_takes_heute_montag_without_a_question() -> None:
    draft = parse_logcontact("Acme Anruf heute Montag Preise", today=MONDAY_30)
    assert (draft.when.on, draft.note) == (MONDAY_30, "Preise")


# --- date-like words where the note would start (today Monday 30 November 2026) ----------------


@pytest.mark.parametrize(
    ("phrase", "on"),
    [
        ("vorletzten Montag", d(11, 16)),
        ("am vorletzten Freitag", d(11, 20)),
        ("the Monday before last", d(11, 16)),
        ("Tuesday before last", d(11, 17)),
        ("vorletzten Sonntag", d(11, 22)),
    ],
)
def test_the_weekday_before_last_is_the_one_before_last_weeks(phrase: str, on: date) -> None:
    assert parse_when(phrase, today=MONDAY_30) == (on, None)


def test_the_weekday_before_last_asks_when_last_weekday_would() -> None:
    assert asked("vorletzten Montag", WEDNESDAY) == [d(11, 9), d(11, 16)]
    assert asked("the Monday before last", WEDNESDAY) == [d(11, 9), d(11, 16)]


@pytest.mark.parametrize(
    ("text", "month_first", "on", "note"),
    [
        ("Acme Anruf vorletzten Montag Preise", False, d(11, 16), "Preise"),
        ("Acme call the Monday before last prices", False, d(11, 16), "prices"),
        ("Globex call 11/23 talked prices", True, d(11, 23), "talked prices"),
        ("Acme Anruf 23.11 Preise", False, d(11, 23), "Preise"),
        ("Acme call 4/22 talked", False, d(4, 22), "talked"),
        # a colon keeps the words in the note; so do numbers that are no date
        ("Acme call: November review", False, MONDAY_30, "November review"),
        ("Acme call 12.50 EUR invoice", False, MONDAY_30, "12.50 EUR invoice"),
        ("Acme call 1/2 of the team", False, MONDAY_30, "1/2 of the team"),
        ("Acme call May we talk soon", False, MONDAY_30, "May we talk soon"),
        # once a day is read, a month name in the note is the note's
        ("Acme call yesterday November review", False, d(11, 29), "November review"),
    ],
)
def test_a_date_where_the_note_starts_is_read(
    text: str, month_first: bool, on: date, note: str
) -> None:
    draft = parse_logcontact(text, today=MONDAY_30, month_first=month_first)
    assert (draft.when.on, draft.note) == (on, note)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Acme call November 3x review", "November"),
        ("Acme Anruf Dezember 3x Planung", "Dezember"),
        ("Acme call the Monday after the launch", "the Monday"),
        ("Acme Anruf vorvorletzten Montag Preise", "vorvorletzten Montag"),
        ("Acme call 1.5 hours on pricing", "1.5"),
        ("Acme Anruf 12.5 Stunden Workshop", "12.5"),
    ],
)
def test_a_date_like_start_of_the_note_that_cannot_be_read_is_refused(
    text: str, phrase: str
) -> None:
    with pytest.raises(ParseProblem) as problem:
        parse_logcontact(text, today=MONDAY_30)
    assert problem.value.code == "unread_date"
    assert problem.value.details["phrase"] == phrase


@pytest.mark.parametrize(
    "text",
    ["Acme call November review", "Acme Anruf Dezember Planung", "Acme call March numbers"],
)
def test_a_month_name_alone_where_the_note_starts_is_its_topic(text: str) -> None:
    # A month is no day a contact happened on; beside a number it would be ("November 3x").
    draft = parse_logcontact(text, today=MONDAY_30)
    assert draft.when.on == MONDAY_30
    assert draft.note == text.split(maxsplit=2)[2]


def test_a_member_who_writes_the_month_first_gets_their_own_reading() -> None:
    # 12/2 is 2 December, two days ahead: asked as a date ahead (last year's), never 12 February
    with pytest.raises(NeedsAnswer) as needed:
        parse_logcontact("Globex: call on 12/2", today=MONDAY_30, month_first=True)
    question = needed.value.question
    assert question.reason == "question.when_earlier"
    assert [r.day for r in question.readings] == [d(12, 2, 2025), None]
    # 5/12 is May 12 to them; 5 December (last year's) is offered beside it
    assert asked("on 5/12", MONDAY_30, month_first=True) == [d(12, 5, 2025), d(5, 12)]
    with pytest.raises(NeedsAnswer) as needed:
        parse_logcontact("Globex call 12/1 talked", today=MONDAY_30, month_first=True)
    assert [r.day for r in needed.value.question.readings] == [d(12, 1, 2025), None]
    # day first, 12/2 is 12 February
    draft = parse_logcontact("Globex call on 12/2", today=MONDAY_30)
    assert draft.when.on == d(2, 12)


def test_a_dotted_date_from_a_member_who_writes_the_month_first_offers_both_readings() -> None:
    # Dots are the European way, day first; such a member may mean either, so both are offered,
    # where "12/2" (their own way: 2 December, a few days ahead) offers only last year's.
    with pytest.raises(NeedsAnswer) as asked:
        parse_logcontact("Acme Treffen 12.2.", today=MONDAY_30, month_first=True)
    days = [reading.day for reading in asked.value.question.readings if reading.day]
    assert days == [date(2025, 12, 2), date(2026, 2, 12)]
    # A member who writes the day first is not asked.
    draft = parse_logcontact("Acme Treffen 12.2.", today=MONDAY_30)
    assert draft.when.on == date(2026, 2, 12)
