"""A number after a known partner's name, then a whole date, where no numbered partner of that
name is known ("Acme 2 3. dez call" with only "Acme"): the date typed is read whole, or asked
about, never made of the number and the date's day.

Found trying Rapport as a new user: "globex 2 3. dez call" with only "Globex" known was logged,
unasked, as a contact with Globex on 2 March (the number and the day read as "2.3."), the note
"dez call"; "Globex 2 Dec 3 call" as one on 2 December, the note "3 call". The same texts with
"Globex 2" known as well go to "Globex 2" on 3 December
(`test_numbered_names_before_dates.py`)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.contact_text import parse_logcontact
from bot.parsing.questions import NeedsAnswer

TODAY = date(2027, 1, 6)  # a Wednesday


@pytest.mark.parametrize("month_first", [False, True])
@pytest.mark.parametrize(
    ("text", "known", "cut"),
    [
        ("globex 2 3. dez call", "Globex", date(2026, 3, 2)),
        ("Acme 2 3. dez call", "Acme", date(2026, 3, 2)),
        ("Acme 2 3. Dezember Anruf", "Acme", date(2026, 3, 2)),
        ("Globex 2 Dec 3 call", "Globex", date(2026, 12, 2)),
    ],
)
def test_a_date_typed_after_a_number_is_never_cut_out_of_it(
    text: str, known: str, cut: date, month_first: bool
) -> None:
    """Read as the date typed, or asked about: never a day that takes the number before the
    date and leaves the date's rest in the note."""
    try:
        draft = parse_logcontact(text, today=TODAY, partner_names=(known,), month_first=month_first)
    except NeedsAnswer:
        return  # asked: nothing is logged until the member chooses

    assert draft.when.on != cut, (draft.when.on, draft.note)


@pytest.mark.parametrize(
    ("text", "longer"),
    [
        ("globex 2 3. dez call", "globex 2"),
        ("Globex call 2 3. dez", None),
    ],
)
def test_the_whole_date_is_read_and_the_number_kept(text: str, longer: str | None) -> None:
    """Read with the known name, the date is the one typed and the number stays in the note; the
    number right after the name may begin a new numbered partner's, which is offered too."""
    draft = parse_logcontact(text, today=TODAY, partner_names=("Globex",))

    assert (draft.when.on, draft.note) == (date(2026, 12, 3), "2")
    assert draft.partner.longer == ((longer,) if longer else ())


@pytest.mark.parametrize(
    ("text", "on", "note"),
    [
        ("Globex 3. dez 2 call", date(2026, 12, 3), "2 call"),  # a whole date, then a number
        ("Globex 2 Dec call", date(2026, 12, 2), ""),  # nothing of a date left after it
        ("Globex 2 3 hours", TODAY, "2 3 hours"),
    ],
)
def test_a_date_not_cut_is_read_as_before(text: str, on: date, note: str) -> None:
    draft = parse_logcontact(text, today=TODAY, partner_names=("Globex",))

    assert (draft.when.on, draft.note, draft.partner.longer) == (on, note, ())


@pytest.mark.parametrize(
    ("text", "typed", "later"),
    [
        ("Globex 2 Dec 3 call", date(2026, 12, 2), date(2026, 12, 3)),
        ("Globex call 30 Nov 2 units", date(2026, 11, 30), date(2026, 11, 2)),
        ("Globex Anruf 14 Nov 2 Teilnehmer", date(2026, 11, 14), date(2026, 11, 2)),
    ],
)
def test_a_number_both_dates_may_take_as_their_day_is_asked_about(
    text: str, typed: date, later: date
) -> None:
    """The text "2 Dec 3" reads whole as 2 December (then "3") and as December 3 (after "2");
    "30 Nov 2" as 30 November and as November 2. Which was typed is a guess: the day is asked,
    with both, and each answer is read as chosen."""
    with pytest.raises(NeedsAnswer) as asked:
        parse_logcontact(text, today=TODAY, partner_names=("Globex",))

    question = asked.value.question
    assert question.slot == "when"
    assert {r.day for r in question.readings if r.day is not None} == {typed, later}
    for day in (typed, later):
        draft = parse_logcontact(
            text, today=TODAY, partner_names=("Globex",), answers={"when": day.isoformat()}
        )
        assert draft.when.on == day


@pytest.mark.parametrize(
    ("text", "typed", "later"),
    [
        ("Globex 6 Jan 8 Angebote", date(2027, 1, 6), date(2026, 1, 8)),
        ("Globex call 7 Jan 9 units", date(2026, 1, 7), date(2026, 1, 9)),
    ],
)
def test_a_day_read_a_year_ago_is_asked_about_beside_the_other(
    text: str, typed: date, later: date
) -> None:
    """Found trying "Acme 1 Dec 5 Angebote" on 1 December: "Dec 5", a few days ahead, is read
    as a year ago with a doubt, and only that day was offered, so today's 5 offers could not be
    logged. Both days are offered, and each answer is read as chosen."""
    with pytest.raises(NeedsAnswer) as asked:
        parse_logcontact(text, today=TODAY, partner_names=("Globex",))

    question = asked.value.question
    assert question.slot == "when"
    assert {r.day for r in question.readings if r.day is not None} == {typed, later}
    for day in (typed, later):
        draft = parse_logcontact(
            text, today=TODAY, partner_names=("Globex",), answers={"when": day.isoformat()}
        )
        assert draft.when.on == day
