"""Over-contact and one-sided relationships as plain decisions
(`bot.rules.relationships.contact_balance`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.rules.relationships.contact_balance import (
    OneSided,
    contacts_we_started,
    episode_of,
    one_sided,
    over_contact,
    query_since,
    threshold_of,
    we_started,
    window_start,
)

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=BERLIN)


@dataclass(frozen=True)
class Row:
    id: int
    occurred_at: datetime
    kind: str = "contact"
    direction: str = "mutual"


def on(day: date, hour: int = 12, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- over-contact ------------------------------------------------------------------------------


def test_the_window_is_fourteen_days_today_included() -> None:
    assert window_start(TODAY) == date(2026, 11, 12)
    assert query_since(TODAY, BERLIN) <= on(date(2026, 11, 12), 0)


def test_received_and_problem_contacts_are_never_pushy() -> None:
    assert we_started("contact", "gave")
    assert we_started("check-in", "mutual")
    assert not we_started("contact", "received")
    assert not we_started("problem", "gave")


def test_two_contacts_in_fourteen_days_say_nothing_three_do() -> None:
    two = [Row(1, on(days_ago(5))), Row(2, on(TODAY))]
    assert over_contact(2, two, TODAY, BERLIN, None) is None
    three = [*two, Row(3, on(days_ago(13)))]
    found = over_contact(2, three, TODAY, BERLIN, None)
    assert found is not None
    assert (found.count, found.threshold) == (3, 3)
    assert [c.id for c in found.others] == [1, 3]  # newest first


def test_a_contact_fourteen_days_ago_is_outside_the_window() -> None:
    rows = [Row(1, on(days_ago(14))), Row(2, on(days_ago(3))), Row(3, on(TODAY))]
    assert over_contact(3, rows, TODAY, BERLIN, None) is None


def test_received_and_problem_contacts_do_not_count_towards_three() -> None:
    rows = [
        Row(1, on(days_ago(1)), direction="received"),
        Row(2, on(days_ago(2)), kind="problem", direction="gave"),
        Row(3, on(days_ago(3))),
        Row(4, on(TODAY)),
    ]
    assert over_contact(4, rows, TODAY, BERLIN, None) is None
    assert len(contacts_we_started(rows, TODAY, BERLIN)) == 2


def test_a_received_contact_logged_third_does_not_warn_itself() -> None:
    rows = [
        Row(1, on(days_ago(1))),
        Row(2, on(days_ago(2))),
        Row(3, on(TODAY), direction="received"),
    ]
    assert over_contact(3, rows, TODAY, BERLIN, None) is None


def test_a_back_dated_contact_counts_in_the_window_it_happened_in() -> None:
    rows = [Row(1, on(TODAY)), Row(2, on(days_ago(1))), Row(3, on(days_ago(10)))]
    found = over_contact(3, rows, TODAY, BERLIN, None)
    assert found is not None and found.count == 3


def test_a_contact_back_dated_before_the_window_is_history_and_never_warns() -> None:
    rows = [
        Row(1, on(TODAY)),
        Row(2, on(days_ago(1))),
        Row(3, on(days_ago(2))),
        Row(4, on(days_ago(40))),
    ]
    assert over_contact(4, rows, TODAY, BERLIN, None) is None
    # Three contacts from long ago are history too: they do not make today's third.
    old = [Row(i, on(days_ago(40 + i))) for i in range(1, 4)]
    assert over_contact(3, old, TODAY, BERLIN, None) is None


def test_days_are_counted_in_the_readers_zone() -> None:
    # 23:30 in Berlin on the window's first day is already the next day in Tokyo, and vice versa.
    edge = datetime.combine(days_ago(14), time(23, 30), tzinfo=BERLIN)
    rows = [Row(1, edge), Row(2, on(days_ago(1))), Row(3, on(TODAY))]
    assert over_contact(3, rows, TODAY, BERLIN, None) is None
    found = over_contact(3, rows, TODAY, TOKYO, None)
    assert found is not None and found.count == 3


def test_the_profile_sets_another_threshold_or_none() -> None:
    rows = [Row(i, on(days_ago(i))) for i in range(4)]
    assert threshold_of(None) == 3
    assert threshold_of(0) is None
    assert over_contact(0, rows, TODAY, BERLIN, 5) is None
    found = over_contact(0, rows, TODAY, BERLIN, 4)
    assert found is not None and found.count == 4
    assert over_contact(0, rows, TODAY, BERLIN, 0) is None


def test_every_contact_beyond_the_threshold_warns_too() -> None:
    rows = [Row(i, on(days_ago(i))) for i in range(5)]
    found = over_contact(0, rows, TODAY, BERLIN, None)
    assert found is not None and found.count == 5 and len(found.others) == 4


# --- one-sided ---------------------------------------------------------------------------------


def directed(directions: list[str], start_days_ago: int = 100) -> list[Row]:
    return [
        Row(i, NOW - timedelta(days=start_days_ago - i * 5), direction=d)
        for i, d in enumerate(directions)
    ]


@pytest.mark.parametrize("direction", ["gave", "received"])
def test_five_contacts_all_one_way_are_one_sided_four_are_not(direction: str) -> None:
    assert one_sided(directed([direction] * 4), NOW) is None
    assert one_sided(directed([direction] * 5), NOW) == OneSided(direction, 5)


def test_mutual_contacts_carry_no_direction_and_neither_break_nor_count() -> None:
    rows = directed(["gave", "mutual", "gave", "mutual", "gave", "gave"])
    assert one_sided(rows, NOW) is None  # four with a direction
    rows = directed(["gave", "mutual", "gave", "gave", "mutual", "gave", "gave"])
    assert one_sided(rows, NOW) == OneSided("gave", 5)


def test_mixed_directions_are_not_one_sided() -> None:
    assert one_sided(directed(["gave"] * 5 + ["received"]), NOW) is None
    assert one_sided(directed(["received"] + ["gave"] * 6), NOW) is None


def test_a_contact_181_days_ago_is_outside_the_window_180_inside() -> None:
    recent = directed(["gave"] * 4, start_days_ago=50)
    assert one_sided([*recent, Row(99, NOW - timedelta(days=181), direction="gave")], NOW) is None
    inside = [*recent, Row(99, NOW - timedelta(days=180), direction="gave")]
    assert one_sided(inside, NOW) == OneSided("gave", 5)
    # A contact the other way that long ago no longer balances the recent ones.
    balanced = [
        *directed(["gave"] * 5, 50),
        Row(98, NOW - timedelta(days=181), direction="received"),
    ]
    assert one_sided(balanced, NOW) == OneSided("gave", 5)


def test_problems_count_for_direction_as_any_contact() -> None:
    rows = [Row(i, NOW - timedelta(days=i), kind="problem", direction="received") for i in range(5)]
    assert one_sided(rows, NOW) == OneSided("received", 5)


def test_an_episode_is_named_by_the_last_contact_the_other_way() -> None:
    found = OneSided("gave", 6)
    assert episode_of(found, None) == "gave:none"
    before = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert episode_of(found, before) == "gave:2026-01-02T03:04:05"
    assert episode_of(found, before) != episode_of(found, before + timedelta(days=1))
