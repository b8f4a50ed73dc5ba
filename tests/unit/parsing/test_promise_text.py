"""The text a promise is kept under reads right on any later day: its due phrase is taken out,
or replaced by the date where taking it out would break the sentence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.contact_text import parse_logcontact
from bot.parsing.dates import BadDate, due_phrases, read_due
from bot.parsing.promise_text import (
    OtherDay,
    moved_due,
    names_only_a_day,
    text_for_due,
    without_due_phrase,
)
from bot.parsing.questions import NeedsAnswer

WEDNESDAY = date(2026, 11, 25)


def cut(promise: str, today: date = WEDNESDAY) -> str:
    found = read_due(promise, today=today)
    assert found is not None, promise
    return without_due_phrase(promise, found, today=today)


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
        ("send the deck by Friday, kick-off is Monday", "send the deck, kick-off is 2026-11-30"),
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
        ("Monday or Tuesday", "2026-11-30 or 2026-12-01"),
        ("Montag oder Dienstag", "2026-11-30 oder 2026-12-01"),
    ],
)
def test_the_date_replaces_the_phrase_where_a_cut_would_break_the_sentence(
    promise: str, kept: str
) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # A conjunction after the gap: the day is one of two (or more) named together.
        (
            "Zusage: Muster schicken am Montag oder Dienstag",
            "Zusage: Muster schicken am 2026-11-30 oder 2026-12-01",
        ),
        (
            "Muster schicken am Montag bzw. Dienstag",
            "Muster schicken am 2026-11-30 bzw. 2026-12-01",
        ),
        ("send samples on Monday or Tuesday", "send samples on 2026-11-30 or 2026-12-01"),
        ("send samples on Monday and Tuesday", "send samples on 2026-11-30 and 2026-12-01"),
        # A conjunction before the gap, the German verb after it
        ("Angebot Freitag oder Montag schicken", "Angebot 2026-11-27 oder 2026-11-30 schicken"),
        ("Angebot schicken und morgen anrufen", "Angebot schicken und 2026-11-26 anrufen"),
        (
            "Unterlagen sowie bis Freitag den Vertrag schicken",
            "Unterlagen sowie bis 2026-11-27 den Vertrag schicken",
        ),
        ("call them and tomorrow send the deck", "call them and 2026-11-26 send the deck"),
        # A preposition before the gap: the day is its object
        ("talk about Friday plans", "talk about 2026-11-27 plans"),
        ("Gespräch über Freitag vorbereiten", "Gespräch über 2026-11-27 vorbereiten"),
    ],
)
def test_a_conjunction_or_preposition_at_the_gap_keeps_the_day_as_a_date(
    promise: str, kept: str
) -> None:
    today = date(2026, 11, 25)
    found = read_due(promise, today=today, answers={"due": "2026-11-30"})
    assert found is not None
    assert without_due_phrase(promise, found, today=today) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        ("send the quote on 12/4 latest", "send the quote"),
        ("send the quote latest by Friday", "send the quote"),
        ("send the quote by Friday at the latest", "send the quote"),
        ("send the quote by Friday, at the very latest", "send the quote"),
        ("Angebot bis Freitag spätestens schicken", "Angebot schicken"),
        ("Angebot allerspätestens bis Freitag schicken", "Angebot schicken"),
        ("Angebot Freitag spaetestens schicken", "Angebot schicken"),
    ],
)
def test_at_the_latest_goes_with_the_due_phrase(promise: str, kept: str) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # Every other date phrase becomes the day it named when the promise was logged.
        ("by Friday, by Monday", "by 2026-11-27"),
        ("bis Freitag, bis Montag", "bis 2026-11-27"),
        (
            "nach dem Termin morgen bis Freitag das Protokoll schicken",
            "nach dem Termin 2026-11-26 das Protokoll schicken",
        ),
        ("call tomorrow, then send the deck by Friday", "call 2026-11-26, then send the deck"),
        ("Rückruf morgen früh, Angebot bis nächsten Dienstag", "Rückruf 2026-11-26, Angebot"),
        # A date already written with its year as ISO stays as typed.
        ("call on 2026-12-02, send the deck by Friday", "call on 2026-12-02, send the deck"),
    ],
)
def test_other_date_phrases_become_the_days_they_named(promise: str, kept: str) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # Replaced, the due phrase takes its time of day with it, as a cut does.
        ("bis Freitag früh", "bis 2026-11-27"),
        ("by Friday morning", "by 2026-11-27"),
        ("by Friday at 3pm", "by 2026-11-27"),
        ("call about the Friday morning delivery", "call about the 2026-11-27 delivery"),
        ("Unterlagen für die Freitag 14 Uhr Sitzung", "Unterlagen für die 2026-11-27 Sitzung"),
    ],
)
def test_a_replaced_due_phrase_takes_its_time_of_day_with_it(promise: str, kept: str) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # A weekday beside the date that names the same day goes with it: left alone, it would
        # be read as a day of its own.
        ("Angebot Do. 3.12. schicken", "Angebot schicken"),
        ("Angebot Do., den 3.12. schicken", "Angebot schicken"),
        ("send it by Thursday, 3 December", "send it"),
        ("send it 3 December (Thursday)", "send it"),
        ("call on Do. 3.12., Angebot bis Freitag", "call on 2026-12-03, Angebot"),
    ],
)
def test_a_weekday_beside_the_date_goes_with_it(promise: str, kept: str) -> None:
    assert cut(promise) == kept


def test_a_cut_that_would_make_the_words_left_name_a_day_replaces_instead() -> None:
    """ "the 2" before "Friday" is no date; once "Friday" is cut, "by the 2" would read as the
    2nd of the month."""
    assert cut("send by the 2 Friday") == "send by the 2 2026-11-27"


def test_two_days_asked_about_both_become_dates() -> None:
    promise = "morgen Angebot anrufen und übermorgen Muster schicken"
    with pytest.raises(NeedsAnswer):
        read_due(promise, today=WEDNESDAY)
    found = read_due(promise, today=WEDNESDAY, answers={"due": "2026-11-27"})
    assert found is not None
    assert (
        without_due_phrase(promise, found, today=WEDNESDAY)
        == "2026-11-26 Angebot anrufen und 2026-11-27 Muster schicken"
    )


def test_a_phrase_the_reader_would_ask_about_stays_as_typed() -> None:
    """Only the due phrase is asked about; another that could name two days is not guessed."""
    today = date(2026, 11, 27)  # a Friday: "Friday" alone is today or a week on
    assert cut("call Friday, send the deck by Monday", today=today) == "call Friday, send the deck"


@pytest.mark.parametrize(
    ("text", "old", "new", "moved"),
    [
        ("bis 2026-12-04", date(2026, 12, 4), date(2026, 12, 11), "bis 2026-12-11"),
        (
            "send samples 2026-11-30 or 2026-12-01",
            date(2026, 12, 1),
            date(2026, 12, 10),
            "send samples 2026-11-30 or 2026-12-10",
        ),
        # Another day, or the due day in another form, is not Rapport's writing: kept.
        ("call on 2026-12-02", date(2026, 12, 4), date(2026, 12, 11), "call on 2026-12-02"),
        ("Muster schicken", date(2026, 12, 4), date(2026, 12, 11), "Muster schicken"),
        ("ref 12026-12-04x", date(2026, 12, 4), date(2026, 12, 11), "ref 12026-12-04x"),
        ("bis 2026-12-04", date(2026, 12, 4), date(2026, 12, 4), "bis 2026-12-04"),
    ],
)
def test_the_written_due_date_follows_the_due_day(
    text: str, old: date, new: date, moved: str
) -> None:
    assert moved_due(text, old, new) == moved


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("bis 2026-12-04", True),
        ("2026-12-04!", True),
        ("by 2026-12-04 at the latest", True),
        ("spätestens bis zum 2026-12-04", True),
        ("(2026-12-04)", True),
        ("Muster schicken", False),
        ("call about the 2026-12-04 delivery", False),
        ("2026-11-30 oder 2026-12-01", False),  # two days: the words say which
        ("Angebot 2026-12-04", False),
    ],
)
def test_a_text_that_names_only_a_day_is_known(text: str, only: bool) -> None:
    assert names_only_a_day(text) is only


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
    kept = without_due_phrase(promise, found, today=WEDNESDAY)
    assert any(char.isalnum() for char in kept)
    assert kept == kept.strip()
    assert "  " not in kept
    # No date phrase read in the promise is left as typed (one that could name two days
    # excepted: see the test above); each is cut, or written as the day it named.
    typed = [p for p in due_phrases(promise, today=WEDNESDAY) if len(p.days) == 1]
    if len(typed) < len(due_phrases(promise, today=WEDNESDAY)):
        return
    left = {p.phrase.casefold() for p in due_phrases(kept, today=WEDNESDAY)}
    assert not left & {p.phrase.casefold() for p in typed if "-" not in p.phrase}, (promise, kept)


def test_a_broken_time_after_the_due_phrase_stays_in_the_text() -> None:
    draft = parse_logcontact("Acme promise: HEUTE 24:00", today=date(2026, 11, 25))
    assert draft.promise is not None
    assert draft.promise.due == date(2026, 11, 25)
    assert "24:00" in draft.promise.text


def test_other_numeric_dates_are_read_as_the_member_writes_them() -> None:
    promise = "call 12/3, then send the deck by Friday"
    found = read_due(promise, today=WEDNESDAY, month_first=True)
    assert found is not None
    # Month first, 12/3 could be 3 December or 12 March: asked about, it stays as typed.
    assert (
        without_due_phrase(promise, found, today=WEDNESDAY, month_first=True)
        == "call 12/3, then send the deck"
    )
    # Day first it can only be 12 March.
    assert cut(promise) == "call 2027-03-12, then send the deck"
    promise = "call 12/15, then send the deck by Friday"
    found = read_due(promise, today=WEDNESDAY, month_first=True)
    assert found is not None
    assert (
        without_due_phrase(promise, found, today=WEDNESDAY, month_first=True)
        == "call 2026-12-15, then send the deck"
    )


# --- a promise typed apart from its due date (the contact form) ---------------------------------

_FORM_TODAY = date(2027, 1, 6)  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "due", "kept"),
    [
        ("Rückruf morgen früh", date(2027, 1, 7), "Rückruf"),
        ("send the quote by Friday", date(2027, 1, 8), "send the quote"),
        ("Angebot bis 19.1. schicken", date(2027, 1, 19), "Angebot schicken"),
        ("Angebot ASAP", date(2027, 1, 12), "Angebot"),
        ("in ein paar Tagen Angebot schicken", date(2027, 1, 20), "Angebot schicken"),
        ("Muster schicken", date(2027, 1, 11), "Muster schicken"),
        ("send the deck by 31.02.", date(2027, 1, 11), "send the deck by 31.02."),
        (
            "call back tomorrow about the Friday delivery",
            date(2027, 1, 7),
            "call back about the 2027-01-08 delivery",
        ),
    ],
)
def test_a_form_promise_loses_the_words_naming_the_due_date_picked(
    typed: str, due: date, kept: str
) -> None:
    assert text_for_due(typed, due, today=_FORM_TODAY) == kept


@pytest.mark.parametrize(
    ("typed", "due", "other"),
    [
        ("Rückruf morgen früh", date(2027, 1, 8), OtherDay("morgen früh", (date(2027, 1, 7),))),
        ("send it by Friday", date(2027, 1, 11), OtherDay("Friday", (date(2027, 1, 8),))),
        (
            "morgen wegen der Freitag Lieferung anrufen",
            date(2027, 1, 11),
            OtherDay("morgen wegen der Freitag", (date(2027, 1, 7), date(2027, 1, 8))),
        ),
    ],
)
def test_a_form_promise_naming_another_day_than_the_one_picked_is_not_cut(
    typed: str, due: date, other: OtherDay
) -> None:
    assert text_for_due(typed, due, today=_FORM_TODAY) == other


def test_a_form_promise_both_ways_round_is_cut_for_the_reading_picked() -> None:
    picked = date(2027, 3, 2)
    assert text_for_due("send it by 2/3", picked, today=_FORM_TODAY, month_first=True) == "send it"
    assert text_for_due("send it by 2/3", date(2027, 2, 3), today=_FORM_TODAY) == OtherDay(
        "2/3", (date(2027, 3, 2),)
    )


# --- the due day's date written for another phrase too ------------------------------------------

_LOGGED = date(2026, 11, 25)  # a Wednesday: Friday is 27 November


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "Acme call promise: send the Friday figures by Friday",
            "send the 2026-11-27 figures by 2026-11-27",
        ),
        (
            "Acme call promise: send the deck by Friday, as agreed on 2026-11-27",
            "send the deck by 2026-11-27, as agreed on 2026-11-27",
        ),
        (
            "Acme Anruf Zusage: Protokoll vom 27.11. schicken, spätestens Freitag",
            "Protokoll vom 2026-11-27 schicken, spätestens 2026-11-27",
        ),
        (
            "Acme Anruf Zusage: am Freitag anrufen und die Zahlen bis Freitag schicken",
            "am 2026-11-27 anrufen und die Zahlen bis 2026-11-27 schicken",
        ),
    ],
)
def test_a_date_naming_the_due_day_for_something_else_never_moves_with_the_due(
    line: str, kept: str
) -> None:
    """Before, the due phrase was cut and the other date kept alone ("Protokoll vom
    2026-11-27 schicken"), which "Need more time" then moved to the new due day: the minutes
    of the 27th became those of the new day. Now both are written, and neither moves."""
    promise = parse_logcontact(line, today=_LOGGED).promise
    assert promise is not None

    assert (promise.text, promise.due) == (kept, date(2026, 11, 27))
    assert moved_due(promise.text, promise.due, date(2026, 12, 4)) == kept


@pytest.mark.parametrize(
    ("line", "moved"),
    [
        ("Acme call promise: call about the Friday delivery", "call about the 2026-12-04 delivery"),
        (
            "Acme Anruf Zusage: Muster schicken am Montag oder Dienstag",
            "Muster schicken am 2026-12-04 oder 2026-12-01",
        ),
    ],
)
def test_the_date_written_for_the_due_phrase_alone_still_moves(line: str, moved: str) -> None:
    promise = parse_logcontact(line, today=_LOGGED).promise
    assert promise is not None

    assert moved_due(promise.text, promise.due, date(2026, 12, 4)) == moved


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        ("KW ( ) 50 KW 50", "KW ( ) 50"),
        ("send ( ) deck by Friday", "send ( ) deck"),
        ("Angebot [ ] schicken bis Freitag", "Angebot [ ] schicken"),
        ("send (by Friday) the deck", "send the deck"),
        ("send the deck (bis Freitag) [ ]", "send the deck [ ]"),
    ],
)
def test_brackets_typed_empty_stay_and_only_those_a_cut_emptied_go(promise, kept) -> None:
    found = read_due(promise, today=WEDNESDAY)
    assert found is not None

    assert without_due_phrase(promise, found, today=WEDNESDAY) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # A one-letter name, or a word that is also an article, right before the lead word: an
        # article never stands before "by" or "bis", so it is the thing promised, and the clause
        # ends well without the due phrase.
        ("send A by 2026-12-07", "send A"),
        ("send plan A by Friday", "send plan A"),
        ("send option a by Friday", "send option a"),
        ("send a by Friday", "send a"),
        ("send Appendix A on Friday", "send Appendix A"),
        ("send part I by Friday", "send part I"),
        ("send this by Friday", "send this"),
        ("send that latest by Friday", "send that"),
        ("send plan A by Friday latest", "send plan A"),
        ("Variante A bis Freitag", "Variante A"),
        ("Anhang a bis Freitag früh", "Anhang a"),
        ("Anlage A bis zum 3.12.", "Anlage A"),
        ("Teil ein bis Freitag", "Teil ein"),
        ("schick das bis Freitag", "schick das"),
        ("Option A spätestens bis Freitag", "Option A"),
        ("Angebot für Los A am Freitag", "Angebot für Los A"),
        # The same words with the clause going on after the gap were cut before, and still are.
        ("Plan A bis Freitag schicken", "Plan A schicken"),
        ("send plan A to Bob by Friday", "send plan A to Bob"),
    ],
)
def test_a_short_word_before_the_lead_word_does_not_keep_the_due_phrase(
    promise: str, kept: str
) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("promise", "kept"),
    [
        # Without a lead word an article still binds the day into a noun phrase...
        ("call about the Friday delivery", "call about the 2026-11-27 delivery"),
        ("send A Friday", "send A 2026-11-27"),
        # ...and a preposition or conjunction before a lead word still needs what follows.
        ("send X to by Friday", "send X to by 2026-11-27"),
        ("Angebot oder bis Freitag", "Angebot oder bis 2026-11-27"),
    ],
)
def test_articles_without_a_lead_word_and_joining_words_still_keep_the_date(
    promise: str, kept: str
) -> None:
    assert cut(promise) == kept


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("Kappa call promise: send A by 2026-12-07", "send A"),
        ("Kappa call promise: send plan A by Friday", "send plan A"),
        ("Kappa Anruf Zusage: Variante A bis Freitag schicken", "Variante A schicken"),
        ("Kappa Anruf Zusage: schick das bis Freitag", "schick das"),
    ],
)
def test_logcontact_keeps_a_short_named_promise_without_its_due_words(
    typed: str, text: str
) -> None:
    parsed = parse_logcontact(typed, today=WEDNESDAY)

    assert parsed.promise is not None
    assert parsed.promise.text == text
