"""Last week's after-hours figures (`bot.rules.after_hours.week`): the week's bounds on
the member's wall clock, and what counts, per partner or person."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.rules.after_hours.week import (
    LoggedContact,
    PartnerHours,
    SharedMessage,
    WeekFigure,
    contact_after_hours,
    last_week,
    week_figures,
    week_start,
)

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
# Wednesday 25 November 2026: last week is Monday 16 to Sunday 22 November.
TODAY = date(2026, 11, 25)
START, END = last_week(TODAY, BERLIN)
ACME, GLOBEX = 1, 2
TOKYO_HOURS = PartnerHours("Asia/Tokyo")


def at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # a Monday is its own week's start
        (date(2026, 11, 29), date(2026, 11, 23)),  # Sunday ends the ISO week
        (date(2027, 1, 1), date(2026, 12, 28)),  # a week across the new year
    ],
)
def test_the_week_starts_on_its_monday(day: date, monday: date) -> None:
    assert week_start(day) == monday


def test_last_week_runs_from_monday_to_monday_on_the_members_wall_clock() -> None:
    berlin = last_week(TODAY, BERLIN)
    assert berlin == (
        datetime(2026, 11, 15, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
    )
    tokyo = last_week(TODAY, TOKYO)
    assert tokyo == (
        datetime(2026, 11, 15, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
    )


def test_a_week_with_the_clocks_going_forward_is_an_hour_shorter() -> None:
    start, end = last_week(date(2026, 3, 31), BERLIN)  # clocks went forward on Sunday 29 March
    assert start == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_messages_count_per_partner_and_per_person_without_a_profile() -> None:
    messages = [
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 17, 15, 0)),
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 18, 15, 0)),
        SharedMessage(None, "U0KENJI", at(BERLIN, 2026, 11, 19, 15, 0)),
        SharedMessage(GLOBEX, "U0JAN", at(BERLIN, 2026, 11, 20, 22, 0)),
        SharedMessage(GLOBEX, "U0JAN", at(BERLIN, 2026, 11, 21, 22, 0)),
        SharedMessage(GLOBEX, "U0JAN", at(BERLIN, 2026, 11, 22, 22, 0)),
    ]
    assert week_figures(messages, [], {}, START, END) == [
        WeekFigure(GLOBEX, None, 3),
        WeekFigure(ACME, None, 2),
        WeekFigure(None, "U0KENJI", 1),
    ]


def test_the_week_includes_monday_midnight_and_ends_before_the_next() -> None:
    messages = [
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 16, 0, 0)),  # first instant: in
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 22, 23, 59)),  # Sunday night: in
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 23, 0, 0)),  # this week: out
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 15, 23, 59)),  # the week before: out
    ]
    assert week_figures(messages, [], {}, START, END) == [WeekFigure(ACME, None, 2)]


def test_ties_list_partners_before_people() -> None:
    messages = [
        SharedMessage(None, "U0KENJI", at(BERLIN, 2026, 11, 17, 15, 0)),
        SharedMessage(ACME, "U0AIKO", at(BERLIN, 2026, 11, 17, 15, 0)),
    ]
    assert week_figures(messages, [], {}, START, END) == [
        WeekFigure(ACME, None, 1),
        WeekFigure(None, "U0KENJI", 1),
    ]


def contact(*args: int, has_time: bool = True, direction: str = "gave") -> LoggedContact:
    return LoggedContact(ACME, at(TOKYO, *args), has_time, direction)


@pytest.mark.parametrize(
    ("logged", "hours", "counts"),
    [
        (contact(2026, 11, 17, 23, 10), TOKYO_HOURS, True),  # 23:10 in Tokyo
        (contact(2026, 11, 17, 10, 0), TOKYO_HOURS, False),  # 10:00 in Tokyo
        (contact(2026, 11, 17, 18, 0), TOKYO_HOURS, True),  # work ends at 18:00
        (contact(2026, 11, 17, 8, 59), TOKYO_HOURS, True),
        (contact(2026, 11, 21, 11, 0), TOKYO_HOURS, True),  # a Saturday
        (contact(2026, 11, 21, 11, 0), PartnerHours("Asia/Tokyo", days="123456"), False),
        (contact(2026, 11, 17, 7, 30), PartnerHours("Asia/Tokyo", 7 * 60, 15 * 60), False),
        (contact(2026, 11, 17, 16, 0), PartnerHours("Asia/Tokyo", 7 * 60, 15 * 60), True),
        # Labour Thanksgiving Day is a public holiday in Japan, unless the profile says none.
        (contact(2026, 11, 23, 10, 0), TOKYO_HOURS, True),
        (
            contact(2026, 11, 23, 10, 0),
            PartnerHours("Asia/Tokyo", public_holidays="none"),
            False,
        ),
        (contact(2026, 11, 17, 23, 10, has_time=False), TOKYO_HOURS, False),  # no time of day
        (contact(2026, 11, 17, 23, 10, direction="received"), TOKYO_HOURS, False),  # they wrote
        (contact(2026, 11, 17, 23, 10, direction="mutual"), TOKYO_HOURS, True),
        (contact(2026, 11, 17, 23, 10), PartnerHours(None), False),  # no zone: never judged
        (contact(2026, 11, 17, 23, 10), PartnerHours("Mars/Olympus"), False),
        (contact(2026, 11, 17, 23, 10), None, False),  # the partner is gone
    ],
)
def test_a_logged_contact_counts_outside_the_partners_hours(
    logged: LoggedContact, hours: PartnerHours | None, counts: bool
) -> None:
    assert contact_after_hours(logged, hours) is counts


def test_a_german_partners_regional_holiday_counts_as_outside_their_hours() -> None:
    # Wednesday 18 November 2026 is Buß- und Bettag: a public holiday in Saxony alone.
    leipzig = LoggedContact(ACME, at(BERLIN, 2026, 11, 18, 10, 0), True, "gave")
    assert contact_after_hours(leipzig, PartnerHours("Europe/Berlin", public_holidays="DE-SN"))
    assert not contact_after_hours(leipzig, PartnerHours("Europe/Berlin", public_holidays="DE-BY"))


def test_contacts_and_messages_add_up_per_partner_within_the_week() -> None:
    messages = [SharedMessage(ACME, "U0AIKO", at(TOKYO, 2026, 11, 18, 23, 0))]
    contacts = [
        contact(2026, 11, 17, 23, 10),
        contact(2026, 11, 19, 22, 0),
        contact(2026, 11, 19, 11, 0),  # within hours
        contact(2026, 11, 24, 23, 10),  # this week, not last
        LoggedContact(GLOBEX, at(TOKYO, 2026, 11, 17, 23, 10), True, "gave"),  # no profile
    ]
    figures = week_figures(messages, contacts, {ACME: TOKYO_HOURS}, START, END)
    assert figures == [WeekFigure(ACME, None, 3)]


def test_nothing_to_count_is_no_figures() -> None:
    assert week_figures([], [], {}, START, END) == []
