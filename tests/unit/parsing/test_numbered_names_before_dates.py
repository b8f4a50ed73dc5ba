"""A date after a numbered known partner name ("Globex 2" beside "Globex"), in English and
German, for members who write numeric dates day first and month first: the whole date after the
number is the numbered partner's, and the shorter name's reading, whose day takes the number, is
offered only where it is a day of its own that leaves a sensible rest.

Before, "globex 2 3. dez call" offered "Globex, 2 3." (the number and the day, read as 2 March)
and "Globex 2 Dec 3 call" offered "Globex, 2 Dec" (leaving "3 call"), each a date cut out of
the one typed after the number."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.parsing.contact_text import (
    ContactDraft,
    NearPartner,
    known_partner_question,
    parse_logcontact,
)
from bot.parsing.questions import NeedsAnswer

TODAY = date(2027, 1, 6)  # a Wednesday
KNOWN = ("Globex", "Globex 2")


def read(
    text: str, *, month_first: bool = False, answers: dict[str, str] | None = None
) -> ContactDraft:
    return parse_logcontact(
        text, today=TODAY, partner_names=KNOWN, answers=answers, month_first=month_first
    )


@pytest.mark.parametrize("month_first", [False, True])
@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("globex 2 3. dez call", date(2026, 12, 3)),  # not "Globex, 2 3." (2 March)
        ("Globex 2 Dec 3 call", date(2026, 12, 3)),  # not "Globex, 2 Dec", leaving "3 call"
        ("Globex 2 December 3 call", date(2026, 12, 3)),
        ("globex 2 dez 3 call", date(2026, 12, 3)),
        ("globex 2 2. dezember call", date(2026, 12, 2)),  # not "Globex, 2 2."
        ("Globex 2 Dec 3rd call", date(2026, 12, 3)),
        ("Globex 2 3 December call", date(2026, 12, 3)),
    ],
)
def test_a_whole_date_after_the_number_is_the_numbered_partner_s(
    text: str, day: date, month_first: bool
) -> None:
    """Read one way, with no question about the partner: the date after "Globex 2" is read
    whole, in either way of writing dates (a month's name reads the same in both)."""
    draft = read(text, month_first=month_first)

    assert (draft.partner.name, draft.partner.shorter) == ("Globex 2", None)
    assert (draft.when.on, draft.medium, draft.note) == (day, "call", "")


@pytest.mark.parametrize("text", ["globex 2 am 3.12.", "Globex 2 3/12", "globex 2 3.12. Anruf"])
def test_a_numeric_date_after_the_number_is_the_numbered_partner_s_day_first(text: str) -> None:
    """Day first, as in Europe: 3 December, for "Globex 2"."""
    draft = read(text)

    assert (draft.partner.name, draft.partner.shorter) == ("Globex 2", None)
    assert draft.when.on == date(2026, 12, 3)


@pytest.mark.parametrize("text", ["globex 2 am 3.12.", "Globex 2 3/12", "globex 2 3.12. Anruf"])
def test_a_numeric_date_after_the_number_asks_its_day_of_a_member_who_writes_the_month_first(
    text: str,
) -> None:
    """Month first, "3/12" (and a dotted "3.12.") is 12 March or 3 December: the day is asked
    about, never the partner; answered, the contact is "Globex 2"'s on that day."""
    with pytest.raises(NeedsAnswer) as asked:
        read(text, month_first=True)

    question = asked.value.question
    assert question.slot == "when"
    assert {r.day for r in question.readings if r.day} == {date(2026, 3, 12), date(2026, 12, 3)}
    draft = read(text, month_first=True, answers={"when": "2026-03-12"})
    assert (draft.partner.name, draft.partner.shorter) == ("Globex 2", None)
    assert draft.when.on == date(2026, 3, 12)


@pytest.mark.parametrize("month_first", [False, True])
@pytest.mark.parametrize(
    ("text", "medium"), [("globex 2 14:00 call", "call"), ("Globex 2 14:00 Anruf", "call")]
)
def test_a_time_after_the_number_is_the_numbered_partner_s(
    text: str, medium: str, month_first: bool
) -> None:
    """ "2 14:00" is no time: the number is the partner's, the time the contact's."""
    draft = read(text, month_first=month_first)

    assert (draft.partner.name, draft.partner.shorter) == ("Globex 2", None)
    assert (draft.when.on, draft.when.at, draft.medium) == (TODAY, time(14, 0), medium)


@pytest.mark.parametrize("text", ["globex 2 3. call", "Globex 2 3. Anruf"])
def test_two_numbers_after_the_name_are_no_day_of_the_shorter_name(text: str) -> None:
    """ "2 3." is no date people write after a name (a day and a month as two bare numbers):
    the first number is the partner's, as "globex 2 3 hours" reads the second as the
    quantity."""
    assert read(text).partner.shorter is None


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("globex 2. dezember call", "2. dezember"),  # "dezember call" begins no date
        ("Globex 2 Dec call with Jana", "2 Dec"),
        ("globex 2 pm call", "2 pm"),
    ],
)
def test_a_day_of_its_own_after_the_shorter_name_is_still_asked_about(text: str, when: str) -> None:
    """The shorter name's day leaves a sensible rest, and no date follows the number: both
    readings stand, and the numbered partner's names no day."""
    draft = read(text)
    assert draft.partner.shorter is not None and draft.partner.shorter.when == when

    question = known_partner_question(
        draft, [NearPartner(2, "Globex 2")], shorter=[NearPartner(1, "Globex")]
    )

    assert question is not None and question.reason == "question.name_or_day"
    assert [(r.label, dict(r.values)) for r in question.readings[:2]] == [
        ("question.existing_partner", {"name": "Globex 2"}),
        ("question.partner_on_day", {"name": "Globex", "when": when}),
    ]


@pytest.mark.parametrize(
    ("text", "day", "when"),
    [
        ("globex 2. Montag call", date(2027, 1, 4), "Montag"),
        ("Globex 2. Monday call", date(2027, 1, 4), "Monday"),
    ],
)
def test_both_readings_name_their_day_where_a_date_follows_the_number_too(
    text: str, day: date, when: str
) -> None:
    """ "2. Montag" may be the second Monday, or "Globex 2" on Monday: each button says the day
    it logs, the numbered partner's read whole after its name."""
    draft = read(text)

    question = known_partner_question(
        draft, [NearPartner(2, "Globex 2")], shorter=[NearPartner(1, "Globex")]
    )

    assert question is not None and question.reason == "question.name_or_day"
    assert [r.value for r in question.readings] == ["p2:2", "p1:1", "cancel"]
    assert [(r.label, dict(r.values)) for r in question.readings[:2]] == [
        ("question.partner_on_day", {"name": "Globex 2", "when": when}),
        ("question.partner_on_day", {"name": "Globex", "when": f"2. {when}"}),
    ]
    chosen = read(text, answers={"partner": "p2:2"})
    assert (chosen.when.on, chosen.medium, chosen.note) == (day, "call", "")


@pytest.mark.parametrize(
    ("text", "when", "day"),
    [
        ("globex 2. 12. call", "2. 12.", date(2026, 12, 2)),
        ("Globex 2. 12. Anruf", "2. 12.", date(2026, 12, 2)),
        ("globex 2. 12. 2026 Anruf", "2. 12. 2026", date(2026, 12, 2)),
    ],
)
def test_a_dotted_day_and_month_after_the_shorter_name_is_still_asked_about(
    text: str, when: str, day: date
) -> None:
    """ "2. 12." is how German dates are written, day and month each with its full stop: no
    name's number and a day, which "2 3." is. The numbered partner's reading reads no date
    after "2." (its note would begin "12."), so Globex on 2 December stays on offer; taken
    without asking, the contact went to Globex 2, today, "12. 2026 Anruf" its note."""
    draft = read(text)
    assert draft.partner.shorter is not None and draft.partner.shorter.when == when

    chosen = read(text, answers={"partner": "p1:1"})
    assert (chosen.partner.name.casefold(), chosen.when.on, chosen.note) == ("globex", day, "")
