"""A day, a month and a time of day after a partner's name ("Acme call 30 Nov 9 am", "Acme
Anruf 30 Nov 14 Uhr"): the day typed at the time typed, never the time's hour read as the
day of the month ("Nov 9") with the day typed left in the note.

Found comparing `rapport parse` before and after a whole date after a number was read whole
(`_date_cut_at`): "Acme Anruf 30 Nov 14 Uhr" was logged, unasked, on 14 November with the note
"30 Uhr"; "Acme call 3 Dec 10 am" on 10 December with the note "3 am"."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.parsing.contact_text import parse_logcontact
from bot.parsing.questions import NeedsAnswer

TODAY = date(2027, 1, 6)  # a Wednesday


@pytest.mark.parametrize("month_first", [False, True])
@pytest.mark.parametrize(
    ("text", "on", "at"),
    [
        ("Acme call 30 Nov 9 am", date(2026, 11, 30), time(9)),
        ("Acme Anruf 30 Nov 14 Uhr", date(2026, 11, 30), time(14)),
        ("Acme 30 November 9 Uhr", date(2026, 11, 30), time(9)),
        ("Acme call 3 Dec 10 am", date(2026, 12, 3), time(10)),
        ("Acme call 3 Dec 2 pm", date(2026, 12, 3), time(14)),
        ("Acme 3 Dez 14 Uhr Anruf", date(2026, 12, 3), time(14)),
    ],
)
def test_a_time_after_a_date_is_its_time_not_its_day(
    text: str, on: date, at: time, month_first: bool
) -> None:
    """Read as the day and time typed, or asked about: never the hour taken for the day."""
    try:
        draft = parse_logcontact(
            text, today=TODAY, partner_names=("Acme",), month_first=month_first
        )
    except NeedsAnswer:
        pytest.fail(f"{text!r} asked about, though it reads one way only")

    assert (draft.when.on, draft.when.at, draft.note) == (on, at, "")


@pytest.mark.parametrize(
    ("text", "on", "at"),
    [
        ("Acme call 5 am 30 Nov", date(2026, 11, 30), time(5)),
        ("Acme Rückruf 12 am 1 Dec 2026", date(2026, 12, 1), time(0)),
        ("Acme call 9 am 3 Dec", date(2026, 12, 3), time(9)),
    ],
)
def test_a_time_before_a_date_is_its_time(text: str, on: date, at: time) -> None:
    """A time of day and then a date ("9 am 3 Dec") take no day out of the date: the time is
    the contact's, never dropped for the note."""
    draft = parse_logcontact(text, today=TODAY, partner_names=("Acme",))

    assert (draft.when.on, draft.when.at, draft.note) == (on, at, "")


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("Acme call 30 Nov 2 units", date(2026, 11, 2)),
        ("Acme call 14 Nov 2 attendees", date(2026, 11, 2)),
        ("Acme mail 2 pm 30 Nov 2 units", date(2026, 11, 2)),
        ("Acme 12 Uhr 30 Nov 9 Angebote", date(2026, 11, 9)),
    ],
)
def test_a_count_after_a_whole_date_is_never_its_day_unasked(text: str, cut: date) -> None:
    """A day-first date and then a count ("30 Nov 2 units"): read as typed, or asked about,
    never logged unasked on the count's day ("Nov 2") with the day typed in the note. Without
    a question either reading ("2 Dec 3": 3 December) is a guess about what was typed."""
    try:
        draft = parse_logcontact(text, today=TODAY, partner_names=("Acme",))
    except NeedsAnswer:
        return  # asked: nothing is logged until the member chooses

    assert draft.when.on != cut, (draft.when.on, draft.note)
