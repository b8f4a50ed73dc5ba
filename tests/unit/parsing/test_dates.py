"""When phrases lean into the past, due phrases into the future: phrase by phrase, in EN and DE."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.parsing.dates import BadDate, parse_due, parse_when, warm_up

WEDNESDAY = date(2026, 11, 25)
FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 29)
YEAR_END = date(2026, 12, 30)  # a Wednesday in ISO week 53 of 2026
QUARTER_END = date(2026, 9, 30)  # a Wednesday, last day of Q3
NEW_YEAR = date(2027, 1, 5)


@pytest.fixture(scope="module", autouse=True)
def _dateparser_loaded() -> None:
    warm_up()


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# --- when a contact happened ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "phrase", "on"),
    [
        # relative days
        (WEDNESDAY, "today", d(11, 25)),
        (WEDNESDAY, "heute", d(11, 25)),
        (WEDNESDAY, "this morning", d(11, 25)),
        (WEDNESDAY, "heute Morgen", d(11, 25)),
        (WEDNESDAY, "yesterday", d(11, 24)),
        (WEDNESDAY, "gestern", d(11, 24)),
        (WEDNESDAY, "gestern Abend", d(11, 24)),
        (WEDNESDAY, "vorgestern", d(11, 23)),
        (WEDNESDAY, "day before yesterday", d(11, 23)),
        (WEDNESDAY, "the day before yesterday", d(11, 23)),
        (WEDNESDAY, "3 days ago", d(11, 22)),
        (WEDNESDAY, "two days ago", d(11, 23)),
        (WEDNESDAY, "a week ago", d(11, 18)),
        (WEDNESDAY, "2 weeks ago", d(11, 11)),
        (WEDNESDAY, "vor 3 Tagen", d(11, 22)),
        (WEDNESDAY, "vor zwei Tagen", d(11, 23)),
        (WEDNESDAY, "vor einer Woche", d(11, 18)),
        (WEDNESDAY, "vor einem Monat", d(10, 25)),
        (WEDNESDAY, "last week", d(11, 16)),
        (WEDNESDAY, "letzte Woche", d(11, 16)),
        (WEDNESDAY, "vergangene Woche", d(11, 16)),
        (WEDNESDAY, "this week", d(11, 23)),
        # weekdays: the latest one before today (said on that weekday: asked, see below)
        (WEDNESDAY, "Monday", d(11, 23)),
        (WEDNESDAY, "Mon", d(11, 23)),
        (WEDNESDAY, "Mo", d(11, 23)),
        (WEDNESDAY, "Montag", d(11, 23)),
        (WEDNESDAY, "on Monday", d(11, 23)),
        (WEDNESDAY, "am Montag", d(11, 23)),
        (WEDNESDAY, "Friday", d(11, 20)),
        (WEDNESDAY, "Fr", d(11, 20)),
        (WEDNESDAY, "am Do", d(11, 19)),
        (WEDNESDAY, "Do.", d(11, 19)),
        (MONDAY, "Sunday", d(11, 22)),
        (SUNDAY, "Saturday", d(11, 28)),
        # "last <weekday>": strictly before today (when this week's has passed too: asked)
        (WEDNESDAY, "last Wednesday", d(11, 18)),
        (WEDNESDAY, "letzten Mittwoch", d(11, 18)),
        (WEDNESDAY, "last Friday", d(11, 20)),
        (WEDNESDAY, "letzten Samstag", d(11, 21)),
        (FRIDAY, "this past Wednesday", d(11, 25)),
        (FRIDAY, "past Wednesday", d(11, 25)),
        (MONDAY, "last Monday", d(11, 16)),
        (MONDAY, "vergangenen Montag", d(11, 16)),
        (WEDNESDAY, "Monday last week", d(11, 16)),
        (WEDNESDAY, "Montag letzte Woche", d(11, 16)),
        (WEDNESDAY, "Freitag der letzten Woche", d(11, 20)),
        # dates; without a year the latest one on or before today (a few days ahead: asked)
        (WEDNESDAY, "2026-11-20", d(11, 20)),
        (WEDNESDAY, "20.11.2026", d(11, 20)),
        (WEDNESDAY, "20.11.", d(11, 20)),
        (WEDNESDAY, "20.11.26", d(11, 20)),
        (WEDNESDAY, "am 20.11", d(11, 20)),
        (WEDNESDAY, "Nov 20", d(11, 20)),
        (WEDNESDAY, "20 Nov", d(11, 20)),
        (WEDNESDAY, "November 20", d(11, 20)),
        (WEDNESDAY, "20th of November", d(11, 20)),
        (WEDNESDAY, "20. November", d(11, 20)),
        (WEDNESDAY, "20. Nov.", d(11, 20)),
        (WEDNESDAY, "3.Dezember", d(12, 3, 2025)),
        (WEDNESDAY, "on the 20th", d(11, 20)),
        (WEDNESDAY, "am 20.", d(11, 20)),
        (WEDNESDAY, "am 10.", d(11, 10)),
        (date(2026, 11, 10), "am 28.", d(10, 28)),
        (WEDNESDAY, "Dec 20", d(12, 20, 2025)),
        (date(2026, 6, 15), "Dec 20", d(12, 20, 2025)),
        (WEDNESDAY, "25.11.", d(11, 25)),
        (NEW_YEAR, "30.12.", d(12, 30, 2026)),
        (WEDNESDAY, "am 5/11", d(11, 5)),
        (WEDNESDAY, "11/20/2026", d(11, 20)),
        (WEDNESDAY, "29.2.", d(2, 29, 2024)),
        (date(2028, 3, 10), "29.2.", d(2, 29, 2028)),
        # dateparser, for what the rules leave
        (WEDNESDAY, "November the 3rd", d(11, 3)),
    ],
)
def test_when_phrase_names_a_day(today: date, phrase: str, on: date) -> None:
    assert parse_when(phrase, today=today) == (on, None)


@pytest.mark.parametrize(
    ("phrase", "on", "at"),
    [
        ("14:30", d(11, 25), time(14, 30)),
        ("9:05", d(11, 25), time(9, 5)),
        ("2pm", d(11, 25), time(14)),
        ("2:30pm", d(11, 25), time(14, 30)),
        ("2 pm", d(11, 25), time(14)),
        ("12am", d(11, 25), time(0)),
        ("12pm", d(11, 25), time(12)),
        ("at 14:30", d(11, 25), time(14, 30)),
        ("at 3pm", d(11, 25), time(15)),
        ("14 Uhr", d(11, 25), time(14)),
        ("um 14 Uhr", d(11, 25), time(14)),
        ("um 14:30", d(11, 25), time(14, 30)),
        ("14:30 Uhr", d(11, 25), time(14, 30)),
        ("14.30 Uhr", d(11, 25), time(14, 30)),
        ("14h", d(11, 25), time(14)),
        ("10:00-11:00", d(11, 25), time(10)),
        ("gestern 14:30", d(11, 24), time(14, 30)),
        ("yesterday at 3pm", d(11, 24), time(15)),
        ("Monday 10:00", d(11, 23), time(10)),
        ("am Montag um 10 Uhr", d(11, 23), time(10)),
        ("14:30 gestern", d(11, 24), time(14, 30)),
    ],
)
def test_when_phrase_with_a_time(phrase: str, on: date, at: time) -> None:
    assert parse_when(phrase, today=WEDNESDAY) == (on, at)


@pytest.mark.parametrize(
    "phrase",
    ["discussed", "3 new orders", "so", "do", "sat", "1/2", "24/7", "12.50.", "at noon", "um 3"],
)
def test_words_that_are_no_when_phrase(phrase: str) -> None:
    assert parse_when(phrase, today=WEDNESDAY) is None


@pytest.mark.parametrize(
    ("phrase", "shown"),
    [
        ("31.02.", "31.02."),
        ("31.02.2026", "31.02.2026"),
        ("2026-13-45", "2026-13-45"),
        ("2026-02-30", "2026-02-30"),
        ("32/1", "32/1"),
        ("Feb 30", "Feb 30"),
        ("30. Februar", "30. Februar"),
        ("31 November 2026", "31 November 2026"),
        ("25:00", "25:00"),
        ("14:75", "14:75"),
        ("13pm", "13pm"),
        ("1.1.1026", "1.1.1026"),
    ],
)
def test_broken_dates_and_times_are_reported_with_the_words_typed(phrase: str, shown: str) -> None:
    with pytest.raises(BadDate) as raised:
        parse_when(phrase, today=WEDNESDAY)
    assert raised.value.phrase == shown


# --- when a promise is due --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "phrase", "due"),
    [
        # relative days
        (WEDNESDAY, "today", d(11, 25)),
        (WEDNESDAY, "heute", d(11, 25)),
        (WEDNESDAY, "EOD", d(11, 25)),
        (WEDNESDAY, "tomorrow", d(11, 26)),
        (WEDNESDAY, "morgen", d(11, 26)),
        (WEDNESDAY, "morgen früh", d(11, 26)),
        (WEDNESDAY, "übermorgen", d(11, 27)),
        (WEDNESDAY, "uebermorgen", d(11, 27)),
        (WEDNESDAY, "day after tomorrow", d(11, 27)),
        (YEAR_END, "übermorgen", d(1, 1, 2027)),
        # weekdays: the next one (said on that weekday, a question: see below)
        (WEDNESDAY, "Friday", d(11, 27)),
        (WEDNESDAY, "Fri", d(11, 27)),
        (WEDNESDAY, "Freitag", d(11, 27)),
        (WEDNESDAY, "Fr", d(11, 27)),
        (WEDNESDAY, "Monday", d(11, 30)),
        (WEDNESDAY, "this Friday", d(11, 27)),
        (WEDNESDAY, "diesen Freitag", d(11, 27)),
        (FRIDAY, "Monday", d(11, 30)),
        (SUNDAY, "Friday", d(12, 4)),
        (YEAR_END, "Friday", d(1, 1, 2027)),
        # "next <weekday>": strictly after today (a question while that is this week)
        (WEDNESDAY, "next Tuesday", d(12, 1)),
        (WEDNESDAY, "next Wednesday", d(12, 2)),
        (WEDNESDAY, "nächsten Mittwoch", d(12, 2)),
        (WEDNESDAY, "naechsten Mittwoch", d(12, 2)),
        (FRIDAY, "next Friday", d(12, 4)),
        (FRIDAY, "kommenden Freitag", d(12, 4)),
        (MONDAY, "next Monday", d(11, 30)),
        (SUNDAY, "next Sunday", d(12, 6)),
        # that weekday of next week
        (WEDNESDAY, "Friday next week", d(12, 4)),
        (WEDNESDAY, "Monday next week", d(11, 30)),
        (WEDNESDAY, "next week Friday", d(12, 4)),
        (WEDNESDAY, "nächste Woche am Dienstag", d(12, 1)),
        (WEDNESDAY, "Freitag nächster Woche", d(12, 4)),
        (WEDNESDAY, "Freitag der nächsten Woche", d(12, 4)),
        (SUNDAY, "Friday next week", d(12, 4)),
        # weeks
        (WEDNESDAY, "next week", d(12, 4)),
        (WEDNESDAY, "nächste Woche", d(12, 4)),
        (WEDNESDAY, "kommende Woche", d(12, 4)),
        (WEDNESDAY, "end of next week", d(12, 4)),
        (FRIDAY, "next week", d(12, 4)),
        (MONDAY, "next week", d(12, 4)),
        (SUNDAY, "next week", d(12, 4)),
        (YEAR_END, "next week", d(1, 8, 2027)),
        (WEDNESDAY, "early next week", d(11, 30)),
        (WEDNESDAY, "Anfang nächster Woche", d(11, 30)),
        (WEDNESDAY, "mid next week", d(12, 2)),
        (WEDNESDAY, "Mitte nächster Woche", d(12, 2)),
        (WEDNESDAY, "week after next", d(12, 11)),
        (WEDNESDAY, "übernächste Woche", d(12, 11)),
        (WEDNESDAY, "end of the week", d(11, 27)),
        (WEDNESDAY, "Ende der Woche", d(11, 27)),
        (WEDNESDAY, "this week", d(11, 27)),
        (WEDNESDAY, "diese Woche", d(11, 27)),
        (WEDNESDAY, "the weekend", d(11, 27)),
        (WEDNESDAY, "Wochenende", d(11, 27)),
        (FRIDAY, "end of the week", d(11, 27)),
        (SUNDAY, "end of the week", d(11, 29)),
        (SUNDAY, "Ende der Woche", d(11, 29)),
        # months, quarters, years
        (WEDNESDAY, "end of the month", d(11, 30)),
        (WEDNESDAY, "end of month", d(11, 30)),
        (WEDNESDAY, "EOM", d(11, 30)),
        (WEDNESDAY, "Ende des Monats", d(11, 30)),
        (WEDNESDAY, "Monatsende", d(11, 30)),
        (QUARTER_END, "end of month", d(9, 30)),
        (YEAR_END, "end of month", d(12, 31)),
        (WEDNESDAY, "end of next month", d(12, 31)),
        (YEAR_END, "end of next month", d(1, 31, 2027)),
        (QUARTER_END, "Ende nächsten Monats", d(10, 31)),
        (date(2027, 1, 30), "end of next month", d(2, 28, 2027)),
        (WEDNESDAY, "end of January", d(1, 31, 2027)),
        (WEDNESDAY, "Ende Januar", d(1, 31, 2027)),
        (WEDNESDAY, "end of November", d(11, 30)),
        (WEDNESDAY, "Ende Februar 2028", d(2, 29, 2028)),
        (WEDNESDAY, "mid January", d(1, 15, 2027)),
        (WEDNESDAY, "Mitte Dezember", d(12, 15)),
        (WEDNESDAY, "mid-December", d(12, 15)),
        (WEDNESDAY, "end of the quarter", d(12, 31)),
        (WEDNESDAY, "Quartalsende", d(12, 31)),
        (QUARTER_END, "end of quarter", d(9, 30)),
        (QUARTER_END, "Ende des Quartals", d(9, 30)),
        (date(2026, 10, 1), "end of quarter", d(12, 31)),
        (QUARTER_END, "end of Q1", d(3, 31, 2027)),
        (QUARTER_END, "Ende Q3", d(9, 30)),
        (QUARTER_END, "Ende Q4", d(12, 31)),
        (QUARTER_END, "end of Q1 2028", d(3, 31, 2028)),
        (WEDNESDAY, "end of the year", d(12, 31)),
        (WEDNESDAY, "Jahresende", d(12, 31)),
        (WEDNESDAY, "Ende des Jahres", d(12, 31)),
        (YEAR_END, "EOY", d(12, 31)),
        # counted from today
        (WEDNESDAY, "in 3 days", d(11, 28)),
        (WEDNESDAY, "in 3 Tagen", d(11, 28)),
        (WEDNESDAY, "in 14 Tagen", d(12, 9)),
        (WEDNESDAY, "in vierzehn Tagen", d(12, 9)),
        (WEDNESDAY, "in a week", d(12, 2)),
        (WEDNESDAY, "in einer Woche", d(12, 2)),
        (WEDNESDAY, "in two weeks", d(12, 9)),
        (WEDNESDAY, "in zwei Wochen", d(12, 9)),
        (WEDNESDAY, "in two weeks' time", d(12, 9)),
        (WEDNESDAY, "in a fortnight", d(12, 9)),
        (WEDNESDAY, "within 2 weeks", d(12, 9)),
        (WEDNESDAY, "innerhalb von 2 Wochen", d(12, 9)),
        (WEDNESDAY, "binnen 3 Tagen", d(11, 28)),
        (WEDNESDAY, "in 1 month", d(12, 25)),
        (WEDNESDAY, "in einem Monat", d(12, 25)),
        (WEDNESDAY, "in 2 Monaten", d(1, 25, 2027)),
        (date(2027, 1, 31), "in 1 month", d(2, 28, 2027)),
        (WEDNESDAY, "in 5 business days", d(12, 2)),
        (WEDNESDAY, "in 5 Werktagen", d(12, 2)),
        (FRIDAY, "in 1 working day", d(11, 30)),
        (WEDNESDAY, "in twelve months", d(11, 25, 2027)),
        (WEDNESDAY, "in einem Jahr", d(11, 25, 2027)),
        # ISO weeks: the Friday of the next such week from today
        (WEDNESDAY, "KW 12", d(3, 26, 2027)),
        (WEDNESDAY, "KW12", d(3, 26, 2027)),
        (WEDNESDAY, "kw 49", d(12, 4)),
        (WEDNESDAY, "KW 48", d(11, 27)),
        (SUNDAY, "KW 48", d(11, 29)),
        (WEDNESDAY, "week 12", d(3, 26, 2027)),
        (WEDNESDAY, "CW 12", d(3, 26, 2027)),
        (WEDNESDAY, "calendar week 12", d(3, 26, 2027)),
        (WEDNESDAY, "Kalenderwoche 12", d(3, 26, 2027)),
        (WEDNESDAY, "in der KW 50", d(12, 11)),
        (WEDNESDAY, "KW 12/2028", d(3, 24, 2028)),
        (YEAR_END, "KW 53", d(1, 1, 2027)),
        (YEAR_END, "KW 1", d(1, 8, 2027)),
        # dates; without a year the next one from today
        (WEDNESDAY, "2026-12-05", d(12, 5)),
        (WEDNESDAY, "5.12.", d(12, 5)),
        (WEDNESDAY, "05.12.2026", d(12, 5)),
        (WEDNESDAY, "5.12.26", d(12, 5)),
        (WEDNESDAY, "Dec 3", d(12, 3)),
        (WEDNESDAY, "Dec. 3rd", d(12, 3)),
        (WEDNESDAY, "3 December", d(12, 3)),
        (WEDNESDAY, "December 3rd", d(12, 3)),
        (WEDNESDAY, "3rd of December", d(12, 3)),
        (WEDNESDAY, "3. Dezember", d(12, 3)),
        (WEDNESDAY, "3. Dez.", d(12, 3)),
        (WEDNESDAY, "3.Dezember", d(12, 3)),
        (WEDNESDAY, "3. Dezember 2027", d(12, 3, 2027)),
        (WEDNESDAY, "Nov 20", d(11, 20, 2027)),
        (WEDNESDAY, "25.11.", d(11, 25)),
        (YEAR_END, "5.1.", d(1, 5, 2027)),
        (YEAR_END, "Jan 5", d(1, 5, 2027)),
        (WEDNESDAY, "29.2.", d(2, 29, 2028)),
        (WEDNESDAY, "on the 15th", d(12, 15)),
        (WEDNESDAY, "by the 30th", d(11, 30)),
        (WEDNESDAY, "am 15.", d(12, 15)),
        (WEDNESDAY, "bis zum 25.", d(11, 25)),
        (date(2026, 11, 1), "by the 3rd of next month", d(12, 3)),
        (WEDNESDAY, "bis 5/12", d(12, 5)),
        # dateparser, for what the rules leave
        (WEDNESDAY, "by December the 3rd", d(12, 3)),
        (WEDNESDAY, "by 2026/12/03", d(12, 3)),
    ],
)
def test_due_phrase_names_a_day(today: date, phrase: str, due: date) -> None:
    found = parse_due(phrase, today=today)
    assert found is not None
    assert found[0] == due


@pytest.mark.parametrize(
    ("promise", "due", "phrase"),
    [
        ("send the revised quote by next Tuesday", d(12, 1), "next Tuesday"),
        ("Angebot bis Freitag schicken", d(11, 27), "Freitag"),
        ("send the deck by Friday.", d(11, 27), "Friday"),
        ("Unterlagen bis spätestens 5.12. schicken", d(12, 5), "5.12."),
        ("Rückruf bis zum Monatsende", d(11, 30), "Monatsende"),
        ("share the pilot results in 2 weeks", d(12, 9), "in 2 weeks"),
        ("Vertrag in der KW 50 unterschreiben", d(12, 11), "in der KW 50"),
        ("intro to their CFO (by end of the month)", d(11, 30), "end of the month"),
        ("send the deck by Fri", d(11, 27), "Fri"),
        ("bis Do. Rückmeldung geben", d(11, 26), "Do"),
        ("follow up am Do", d(11, 26), "Do"),
        # a phrase after a lead word wins over one without
        ("call them Monday and send the deck by Friday", d(11, 27), "Friday"),
        ("send the deck by Friday, kick-off is Monday", d(11, 27), "Friday"),
        # among equals, the last one wins
        ("send the deck on Monday, at the latest by Tuesday", d(12, 1), "Tuesday"),
        ("Monday or Tuesday", d(12, 1), "Tuesday"),
        ("provide 24/7 support from Dec 3", d(12, 3), "Dec 3"),
    ],
)
def test_due_phrase_is_cut_out_as_typed(promise: str, due: date, phrase: str) -> None:
    assert parse_due(promise, today=WEDNESDAY) == (due, phrase)


@pytest.mark.parametrize(
    "promise",
    [
        "send the deck soon",
        "so they can review it",
        "do the review",
        "we sat down and agreed",
        "send 1/2 of the samples",
        "provide 24/7 support",
        "costs 12.50.",
        "release version 2.0.",
        "prepare the 2nd draft",
        "we may need more time",
        "in a while",
        "by the way, call back",
        "",
    ],
)
def test_promises_that_name_no_day(promise: str) -> None:
    assert parse_due(promise, today=WEDNESDAY) is None


@pytest.mark.parametrize(
    ("promise", "shown"),
    [
        ("send it by 31.02.", "31.02."),
        ("bis 2026-13-45", "2026-13-45"),
        ("by Feb 30", "Feb 30"),
        ("bis zum 30. Februar", "30. Februar"),
        ("by 32/1", "32/1"),
        ("bis KW 54", "KW 54"),
        ("by 31.12.2300", "31.12.2300"),
    ],
)
def test_broken_due_dates_are_reported_with_the_words_typed(promise: str, shown: str) -> None:
    with pytest.raises(BadDate) as raised:
        parse_due(promise, today=WEDNESDAY)
    assert raised.value.phrase == shown


def test_week_53_in_a_year_without_one_is_a_broken_date() -> None:
    with pytest.raises(BadDate):
        parse_due("bis KW 53", today=date(2027, 2, 1))


@pytest.mark.parametrize(
    ("promise", "due"),
    [
        ("by yesterday", d(11, 24)),
        ("bis gestern", d(11, 24)),
        ("by 20.11.2026", d(11, 20)),
        ("by 2025-12-01", d(12, 1, 2025)),
    ],
)
def test_past_due_phrases_are_read_so_the_caller_can_refuse_them(promise: str, due: date) -> None:
    found = parse_due(promise, today=WEDNESDAY)
    assert found is not None
    assert found[0] == due
