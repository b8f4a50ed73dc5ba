"""The text a promise is kept under reads right on any later day: its due phrase is taken out,
or replaced by the date where taking it out would break the sentence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.contact_text import parse_logcontact
from bot.parsing.dates import BadDate, read_due
from bot.parsing.promise_text import without_due_phrase
from bot.parsing.questions import NeedsAnswer

WEDNESDAY = date(2026, 11, 25)


def cut(promise: str, today: date = WEDNESDAY) -> str:
    found = read_due(promise, today=today)
    assert found is not None, promise
    return without_due_phrase(promise, found)


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # German: the phrase, its lead word and a time of day that belongs to it go
        ("Muster übermorgen schicken", "Muster schicken"),
        ("Rückruf morgen früh", "Rückruf"),
        ("Angebot bis Freitag schicken", "Angebot schicken"),
        ("Angebot bis Freitag um 14 Uhr schicken", "Angebot schicken"),
        ("Unterlagen bis spätestens 3.12. nachreichen", "Unterlagen nachreichen"),
        ("Vertrag in der KW 50 unterschreiben", "Vertrag unterschreiben"),
        ("Rückruf am Do. wegen der Preise", "Rückruf wegen der Preise"),
        ("Rückruf in 2 Wochen", "Rückruf"),
        ("Angebot (bis Ende des Monats) schicken", "Angebot schicken"),
        ("spätestens am Montag den Vertrag unterschreiben", "den Vertrag unterschreiben"),
        # English
        ("send the quote by Friday", "send the quote"),
        ("send the revised quote by next Tuesday", "send the revised quote"),
        ("send NDA by Friday EOD", "send NDA"),
        ("intro to their CFO (by end of the month)", "intro to their CFO"),
        ("by tomorrow: send the deck", "send the deck"),
        ("send the deck by Friday, kick-off is Monday", "send the deck, kick-off is Monday"),
        ("share the pilot results in 2 weeks' time", "share the pilot results"),
        ("call them tomorrow at 3pm about pricing", "call them about pricing"),
        ("send the deck by Fri.", "send the deck"),
    ],
)
def test_the_due_phrase_is_taken_out(promise: str, kept: str) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # Only a date: nothing would be left, so the date stands in for the words.
        ("bis Freitag", "bis 2026-11-27"),
        ("by Friday", "by 2026-11-27"),
        ("übermorgen", "2026-11-27"),
        ("tomorrow!", "2026-11-26!"),
        # The day is part of a noun phrase: taking it out would change what was promised.
        ("call about the Friday delivery", "call about the 2026-11-27 delivery"),
        ("Unterlagen für die Montag Sitzung", "Unterlagen für die 2026-11-30 Sitzung"),
        # A word left dangling at the end of a clause
        ("Monday or Tuesday", "Monday or 2026-12-01"),
        ("Montag oder Dienstag", "Montag oder 2026-12-01"),
        (
            "send the deck on Monday, at the latest by Tuesday",
            "send the deck on Monday, at the latest by 2026-12-01",
        ),
    ],
)
def test_the_date_replaces_the_phrase_where_a_cut_would_break_the_sentence(
    promise: str, kept: str
) -> None:
    assert cut(promise) == kept


def test_the_text_reads_the_same_whatever_day_it_was_logged() -> None:
    """The stale-word failure itself: logged on different days, "übermorgen" names different
    days, and the kept text names none of them."""
    for day in (date(2026, 11, 23), date(2026, 11, 30), date(2027, 1, 6)):
        assert cut("Muster übermorgen schicken", today=day) == "Muster schicken"
        assert cut("send the samples the day after tomorrow", today=day) == "send the samples"


_WORDS = [
    "Angebot", "send", "the", "deck", "by", "bis", "Friday", "Freitag", "morgen", "früh", "am",
    "Do.", "3.12.", "(", ")", ",", "and", "oder", "um", "14", "Uhr", "in", "2", "weeks", "der",
    "KW", "50", "tomorrow", "EOD", ":",
]  # fmt: skip


@given(words_list=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=10))
def test_any_promise_keeps_a_readable_text(words_list: list[str]) -> None:
    promise = " ".join(words_list)
    try:
        found = read_due(promise, today=WEDNESDAY)
    except (BadDate, NeedsAnswer):
        return  # refused, or asked: nothing is stored yet
    if found is None:
        return
    kept = without_due_phrase(promise, found)
    assert any(char.isalnum() for char in kept)
    assert kept == kept.strip()
    assert "  " not in kept


def test_a_broken_time_after_the_due_phrase_stays_in_the_text() -> None:
    draft = parse_logcontact("Acme promise: HEUTE 24:00", today=date(2026, 11, 25))
    assert draft.promise is not None
    assert draft.promise.due == date(2026, 11, 25)
    assert "24:00" in draft.promise.text
