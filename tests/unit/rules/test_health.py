"""A partner's health on a day (`bot.rules.relationships.health`): each state, its boundaries,
snoozes and pauses, several states at once, and the words shown for them in English and German."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.replies import HEALTH_MARKERS, health_words
from bot.rules.nudges import MAX_UNANSWERED
from bot.rules.relationships.contact_balance import OneSided
from bot.rules.relationships.health import (
    DUE_SOON_DAYS,
    SEVERITY,
    Health,
    health,
    is_paused,
    past_last_reminder,
    worst,
)
from bot.texts.reader import Reader

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
TODAY = date(2026, 11, 25)
CADENCE = 30


def at(day: date, hour: int = 12, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Subject:
    last_check_in: datetime | None = None
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    created_at: datetime | None = None
    cadence_days: int = CADENCE
    check_in_snoozed_until: date | None = None
    paused_until: date | None = None
    status: str = "active"
    owner_id: int | None = 7
    owner_active: bool | None = True


def checked_in(days_ago: int, **more: object) -> Subject:
    """A partner whose last contact was a check-in `days_ago` days before TODAY."""
    when = at(TODAY - timedelta(days=days_ago))
    return replace(
        Subject(last_check_in=when, first_contact=when, last_contact=when, created_at=when),
        **more,  # type: ignore[arg-type]
    )


def states(subject: Subject, **more: object) -> tuple[Health, ...]:
    return health(subject, today=TODAY, zone=BERLIN, **more)  # type: ignore[arg-type]


def test_a_partner_checked_in_recently_is_fine() -> None:
    assert states(checked_in(1)) == (Health.FINE,)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (CADENCE - DUE_SOON_DAYS - 1, (Health.FINE,)),  # 15 days ahead
        (CADENCE - DUE_SOON_DAYS, (Health.CHECK_IN_DUE_SOON,)),  # exactly 14 days ahead
        (CADENCE - 1, (Health.CHECK_IN_DUE_SOON,)),
        (CADENCE, (Health.CHECK_IN_DUE_SOON,)),  # due today: not yet overdue
        # A day past: the check-in is overdue and, the check-in being the last contact too,
        # nothing else happened within the cadence either.
        (CADENCE + 1, (Health.NEGLECTED, Health.CHECK_IN_OVERDUE)),
    ],
)
def test_the_check_in_boundaries(days_ago: int, expected: tuple[Health, ...]) -> None:
    assert states(checked_in(days_ago)) == expected


def test_other_contact_keeps_a_late_check_in_from_being_neglect() -> None:
    subject = checked_in(CADENCE + 10, last_contact=at(TODAY - timedelta(days=CADENCE)))
    assert states(subject) == (Health.CHECK_IN_OVERDUE,)
    older = checked_in(CADENCE + 10, last_contact=at(TODAY - timedelta(days=CADENCE + 1)))
    assert states(older) == (Health.NEGLECTED, Health.CHECK_IN_OVERDUE)


def test_a_partner_never_contacted_counts_from_when_it_was_added() -> None:
    added = Subject(created_at=at(TODAY - timedelta(days=CADENCE)))
    assert states(added) == (Health.FINE,)
    long_ago = Subject(created_at=at(TODAY - timedelta(days=CADENCE + 1)))
    # No check-in day without a contact (`check_in_day` is None), but neglect is.
    assert states(long_ago) == (Health.NEGLECTED,)


def test_days_are_counted_in_the_zone_given() -> None:
    # 23:30 in Berlin on the cadence's last day is already the next day in Tokyo.
    late = datetime.combine(TODAY - timedelta(days=CADENCE + 1), time(23, 30), tzinfo=BERLIN)
    subject = Subject(last_check_in=late, first_contact=late, last_contact=late, created_at=late)
    assert Health.CHECK_IN_OVERDUE in health(subject, today=TODAY, zone=BERLIN)
    assert health(subject, today=TODAY, zone=TOKYO) == (Health.CHECK_IN_DUE_SOON,)


def test_a_snooze_moves_the_check_in_through_check_in_day() -> None:
    snoozed = checked_in(CADENCE + 5, check_in_snoozed_until=TODAY + timedelta(days=3))
    # The check-in waits for the snooze; the lack of any contact does not.
    assert states(snoozed) == (Health.NEGLECTED, Health.CHECK_IN_DUE_SOON)
    far = checked_in(
        CADENCE + 5,
        last_contact=at(TODAY),
        check_in_snoozed_until=TODAY + timedelta(days=DUE_SOON_DAYS + 1),
    )
    assert states(far) == (Health.FINE,)
    ended = checked_in(CADENCE + 5, check_in_snoozed_until=TODAY - timedelta(days=1))
    assert Health.CHECK_IN_OVERDUE in states(ended)


def test_a_paused_partner_is_neither_overdue_nor_neglected_while_paused() -> None:
    until_resumed = checked_in(CADENCE * 5, status="paused")
    assert states(until_resumed) == (Health.FINE,)
    until_later = checked_in(CADENCE * 5, paused_until=TODAY + timedelta(days=1))
    assert states(until_later) == (Health.FINE,)
    # The pause ends today: the check-in is due today (`check_in_day`), the neglect is back.
    ends_today = checked_in(CADENCE * 5, paused_until=TODAY)
    assert states(ends_today) == (Health.NEGLECTED, Health.CHECK_IN_DUE_SOON)
    assert is_paused("active", TODAY + timedelta(days=1), TODAY)
    assert not is_paused("active", TODAY, TODAY)


def test_a_pause_does_not_hide_an_owner_who_left_or_a_promise() -> None:
    subject = checked_in(CADENCE * 5, status="paused", owner_active=False)
    assert states(subject, promises_past_reminders=1) == (
        Health.UNOWNED,
        Health.PROMISES_OVERDUE,
    )


@pytest.mark.parametrize(("owner_id", "active"), [(None, None), (7, False), (None, True)])
def test_unowned(owner_id: int | None, active: bool | None) -> None:
    assert states(checked_in(1, owner_id=owner_id, owner_active=active)) == (Health.UNOWNED,)


def test_one_sided_only_when_the_caller_decided_it() -> None:
    assert states(checked_in(1), one_sided=OneSided("gave", 5)) == (Health.ONE_SIDED,)
    assert states(checked_in(1), one_sided=None) == (Health.FINE,)


def test_promises_past_their_last_reminder() -> None:
    assert states(checked_in(1), promises_past_reminders=2) == (Health.PROMISES_OVERDUE,)
    due = TODAY - timedelta(days=22)
    assert past_last_reminder(due, TODAY, MAX_UNANSWERED)
    assert past_last_reminder(due, TODAY, MAX_UNANSWERED + 1)
    assert not past_last_reminder(due, TODAY, MAX_UNANSWERED - 1)
    # Not overdue (due today), whatever was sent before: never past its last reminder.
    assert not past_last_reminder(TODAY, TODAY, MAX_UNANSWERED)


def test_every_state_at_once_comes_in_the_order_of_severity() -> None:
    subject = checked_in(CADENCE + 1, owner_id=None, owner_active=None)
    found = states(subject, promises_past_reminders=1, one_sided=OneSided("received", 6))
    assert found == (
        Health.UNOWNED,
        Health.PROMISES_OVERDUE,
        Health.NEGLECTED,
        Health.CHECK_IN_OVERDUE,
        Health.ONE_SIDED,
    )
    assert worst(reversed(found)) == Health.UNOWNED
    assert worst([]) == Health.FINE
    assert set(SEVERITY) == set(Health)


@pytest.mark.parametrize(
    ("lang", "found", "expected"),
    [
        ("en", (Health.FINE,), ":large_green_circle: fine"),
        ("de", (Health.FINE,), ":large_green_circle: in Ordnung"),
        ("en", (Health.CHECK_IN_DUE_SOON,), ":large_yellow_circle: check-in due soon"),
        ("de", (Health.CHECK_IN_DUE_SOON,), ":large_yellow_circle: Check-in bald fällig"),
        (
            "en",
            (Health.NEGLECTED, Health.CHECK_IN_OVERDUE),
            ":red_circle: neglected and check-in overdue",
        ),
        (
            "de",
            (Health.NEGLECTED, Health.CHECK_IN_OVERDUE),
            ":red_circle: vernachlässigt und Check-in überfällig",
        ),
        ("en", (Health.UNOWNED,), ":red_circle: unowned"),
        ("de", (Health.UNOWNED,), ":red_circle: ohne Zuständigen"),
        ("de", (Health.ONE_SIDED,), ":large_orange_circle: einseitig"),
        (
            "en",
            (Health.PROMISES_OVERDUE,),
            ":red_circle: promises overdue past reminders",
        ),
    ],
)
def test_the_words_in_english_and_german(
    lang: str, found: tuple[Health, ...], expected: str
) -> None:
    assert health_words(Reader(locale=lang), found) == expected


def test_every_state_has_a_marker_and_words_in_both_languages() -> None:
    for state in Health:
        assert state in HEALTH_MARKERS
        en, de = (health_words(Reader(locale=lang), (state,)) for lang in ("en", "de"))
        assert en != de
