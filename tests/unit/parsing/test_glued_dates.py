"""Dates glued to what is around them, as people type them in a hurry: a year after a comma, a
date after a colon or a "|", a weekday joined by a dash, a year as the next word. And what must
stay unread however date-like it looks: addresses.

Today is Wednesday 6 January 2027 throughout; each class in English and German.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.contact_text import ParseProblem, parse_logcontact
from bot.parsing.dates import parse_due, parse_when
from bot.parsing.markup import decode
from bot.parsing.questions import NeedsAnswer

TODAY = date(2027, 1, 6)  # a Wednesday


def due(text: str, *, month_first: bool = False) -> date | None:
    found = parse_due(text, today=TODAY, month_first=month_first)
    return None if found is None else found[0]


def when(phrase: str, *, month_first: bool = False) -> date | None:
    found = parse_when(phrase, today=TODAY, month_first=month_first)
    return None if found is None else found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A year glued by a comma, with or without the date's closing dot.
        ("Angebot schicken bis 12.08.,2027", date(2027, 8, 12)),
        ("Angebot schicken bis 12.08,2028", date(2028, 8, 12)),
        ("send the deck by 28/10,2027", date(2027, 10, 28)),
        ("send the deck by 28/10,28", date(2028, 10, 28)),
        # A year as the next word, after a comma or ending the promise: that year, not the next
        # such day with the year left over.
        ("send the deck by 28/10, 2028", date(2028, 10, 28)),
        ("Muster schicken bis 3.2. 2028", date(2028, 2, 3)),
        # A date after a colon glued to a word.
        ("Anna sagt:15. Februar passt", date(2027, 2, 15)),
        ("Tim says:15 February is fine", date(2027, 2, 15)),
        ("Termin:12.3. bestätigen", date(2027, 3, 12)),
        # A date or weekday set apart by "|".
        ("call back |Friday|", date(2027, 1, 8)),
        ("Rückruf |Freitag", date(2027, 1, 8)),
        ("Rückruf |12.3.|", date(2027, 3, 12)),
        # A weekday joined to its date by a dash.
        ("send the deck Friday-Feb-12", date(2027, 2, 12)),
        ("Angebot schicken Freitag-12.2.", date(2027, 2, 12)),
    ],
)
def test_a_glued_due_date_is_read(text: str, expected: date) -> None:
    assert due(text) == expected


def test_a_year_glued_by_a_comma_is_still_asked_both_ways_for_a_month_first_member() -> None:
    with pytest.raises(NeedsAnswer) as asked:
        due("send the deck by 08/12,2027", month_first=True)

    days = {reading.day for reading in asked.value.question.readings if reading.day}
    assert days == {date(2027, 8, 12), date(2027, 12, 8)}


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("am 12.08.,2026", date(2026, 8, 12)),
        ("on 28/10,2026", date(2026, 10, 28)),
        ("28/10,26", date(2026, 10, 28)),
        ("|gestern|", date(2027, 1, 5)),
        ("|yesterday", date(2027, 1, 5)),
        ("Friday-Jan-1", date(2027, 1, 1)),
        ("Freitag-1.1.", date(2027, 1, 1)),
    ],
)
def test_a_glued_contact_date_is_read(phrase: str, expected: date) -> None:
    assert when(phrase) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12.08. 2028 Stück liefern",  # the number after the date may be a quantity
        "bis 12.08. 2028 Stück liefern",
    ],
)
def test_a_number_running_on_after_a_date_is_not_taken_as_its_year(text: str) -> None:
    assert due(text) != date(2028, 8, 12)


@pytest.mark.parametrize(
    "text",
    [
        "read www.example.com/users/12345/archive-2027-09-23-page-01",
        "Bericht lesen www.example.com/data/report-20270302.html",
        "read https://example.com/plan:30.12.",
        "Protokoll https://example.com/2027/03/02/notes ansehen",
        "check example.com/news/friday-feb-12",
        "Notizen unter example.com/freitag-12.2. lesen",
    ],
)
def test_a_date_inside_an_address_is_never_the_due(text: str) -> None:
    assert parse_due(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("markup", "lang"),
    [
        ("<https://example.com/archive-2027-09-23-page-01|the archive>", "en"),
        ("<https://example.com/archive-2027-09-23-page-01>", "en"),
        ("<https://example.com/protokoll-2027-09-23|das Protokoll>", "de"),
    ],
)
def test_a_date_in_a_slack_link_is_not_the_due_of_a_promise(markup: str, lang: str) -> None:
    lead, by = ("promise: read", "by Friday") if lang == "en" else ("Zusage: lesen", "bis Freitag")
    text = decode(f"Acme call yesterday {lead} {markup} {by}")

    draft = parse_logcontact(text, today=TODAY)

    assert draft.promise is not None
    assert draft.promise.due == date(2027, 1, 8)
    assert "2027-09-23" in draft.promise.text  # the address kept whole, as typed


@pytest.mark.parametrize("lead", ["promise: read", "Zusage: lesen"])
def test_a_promise_whose_only_date_is_in_a_link_names_no_due(lead: str) -> None:
    text = decode(f"Acme call yesterday {lead} <https://example.com/archive-2027-09-23|the notes>")

    with pytest.raises(ParseProblem) as refused:
        parse_logcontact(text, today=TODAY)

    assert refused.value.code == "promise_without_due"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("On 2026 10 16", date(2026, 10, 16)), ("am 2026 12 24", date(2026, 12, 24))],
)
def test_an_iso_date_written_with_spaces_is_a_contact_date(phrase: str, expected: date) -> None:
    assert when(phrase) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send the deck by 2027 3 14", date(2027, 3, 14)),
        ("Angebot bis 2027 03 14 schicken", date(2027, 3, 14)),
    ],
)
def test_an_iso_date_written_with_spaces_is_a_due_date(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Termin 2027 3 14 Uhr", "order 2027 12 40 units", "Lager 2027, 3 14 Kisten"],
)
def test_three_numbers_that_are_no_spaced_iso_date_stay_numbers(text: str) -> None:
    assert parse_due(text, today=TODAY) is None


@pytest.mark.parametrize(
    "phrase",
    [
        "a few days ago",
        "a couple of days ago",
        "few days back",
        "vor ein paar Tagen",
        "vor einigen Tagen",
        "vor wenigen Tagen",
    ],
)
def test_a_few_days_ago_is_asked_with_quick_choices(phrase: str) -> None:
    with pytest.raises(NeedsAnswer) as asked:
        when(phrase)

    question = asked.value.question
    assert question.reason == "question.when_few_days"
    days = [reading.day for reading in question.readings if reading.day]
    assert sorted(days) == [date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 4)]


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Acme call a few days ago about the deck", "about the deck"),
        ("Acme Telefonat vor ein paar Tagen wegen Angebot", "wegen Angebot"),
    ],
)
def test_logcontact_asks_which_of_a_few_days_ago_and_takes_the_day_picked(
    text: str, note: str
) -> None:
    with pytest.raises(NeedsAnswer) as asked:
        parse_logcontact(text, today=TODAY)
    assert asked.value.question.reason == "question.when_few_days"

    draft = parse_logcontact(text, today=TODAY, answers={"when": "2027-01-03"})

    assert draft.when.on == date(2027, 1, 3)
    assert draft.note == note


@pytest.mark.parametrize("text", ["Acme call 2 days ago", "Acme Telefonat vor zwei Tagen"])
def test_a_counted_number_of_days_ago_is_read_without_a_question(text: str) -> None:
    assert parse_logcontact(text, today=TODAY).when.on == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call back tomorrow about the Friday-meeting notes", date(2027, 1, 7)),
        ("Rückruf morgen wegen der Freitag-Lieferung", date(2027, 1, 7)),
    ],
)
def test_a_weekday_starting_a_compound_word_is_no_date(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Acme call yesterday promise: order 2027 3 14 units by Friday",
        "Acme Anruf gestern Zusage: 2027 3 14 Kisten bis Freitag bestellen",
    ],
)
def test_three_numbers_running_on_in_a_promise_stay_as_typed(text: str) -> None:
    promise = parse_logcontact(text, today=TODAY).promise

    assert promise is not None
    assert "2027 3 14" in promise.text
    assert promise.due == date(2027, 1, 8)


@pytest.mark.parametrize("text", ["Acme call 2026 11 20 prices", "Acme Anruf 2026 11 20 Preise"])
def test_three_numbers_before_a_note_are_not_the_contact_date(text: str) -> None:
    assert parse_logcontact(text, today=TODAY).when.on == TODAY
