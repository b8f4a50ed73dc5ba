"""Which partners a team digest lists and in what order (`bot.rules.digests.selection`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.rules.digests.selection import (
    NEEDS_ATTENTION,
    flatten,
    group,
    needs_attention,
    priority,
    select,
)
from bot.rules.relationships.health import Health

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    owner_id: int | None
    owner_active: bool | None
    owner_name: str | None
    last_contact: datetime | None
    health: tuple[Health, ...]


def row(
    id: int,
    *states: Health,
    owner: int | None = 1,
    active: bool | None = True,
    owner_name: str | None = "Anna",
    days_ago: int | None = 10,
    name: str | None = None,
) -> Row:
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    return Row(id, name or f"P{id}", owner, active, owner_name, last, states or (Health.FINE,))


@pytest.mark.parametrize(
    "state",
    [
        Health.NEGLECTED,
        Health.CHECK_IN_OVERDUE,
        Health.PROMISES_OVERDUE,
        Health.ONE_SIDED,
        Health.UNOWNED,
    ],
)
def test_each_listed_state_puts_a_partner_in(state: Health) -> None:
    assert needs_attention((state,))
    assert needs_attention((state, Health.CHECK_IN_DUE_SOON))


def test_fine_and_due_soon_stay_out() -> None:
    assert not needs_attention((Health.FINE,))
    assert not needs_attention((Health.CHECK_IN_DUE_SOON,))
    assert set(Health) - NEEDS_ATTENTION == {Health.FINE, Health.CHECK_IN_DUE_SOON}


def test_grouped_by_owner_name_unowned_last_longest_without_contact_first() -> None:
    rows = [
        row(1, Health.NEGLECTED, owner=2, owner_name="Ben", days_ago=100),
        row(2, Health.CHECK_IN_OVERDUE, owner=1, owner_name="anna", days_ago=95),
        row(3, Health.UNOWNED, owner=None, active=None, owner_name=None, days_ago=5),
        row(4, Health.NEGLECTED, owner=1, owner_name="anna", days_ago=200),
        row(5, Health.FINE, owner=1, owner_name="anna", days_ago=400),  # fine: left out
        row(6, Health.ONE_SIDED, owner=1, owner_name="anna", days_ago=None),  # never: first
        # An owner who left: unowned, in the last group with those without an owner.
        row(7, Health.UNOWNED, owner=3, active=False, owner_name="Carla", days_ago=300),
        row(8, Health.CHECK_IN_DUE_SOON, owner=2, owner_name="Ben", days_ago=80),  # left out
    ]
    groups = select(rows)
    assert [(g.owner_id, g.owner_name) for g in groups] == [(1, "anna"), (2, "Ben"), (None, None)]
    assert [[p.id for p in g.partners] for g in groups] == [[6, 4, 2], [1], [7, 3]]
    assert [p.id for p in flatten(groups)] == [6, 4, 2, 1, 7, 3]


def test_two_owners_of_one_name_never_interleave_and_ties_go_by_name() -> None:
    rows = [
        row(1, Health.NEGLECTED, owner=9, owner_name="Anna", days_ago=50, name="b"),
        row(2, Health.NEGLECTED, owner=4, owner_name="Anna", days_ago=50, name="z"),
        row(3, Health.NEGLECTED, owner=9, owner_name="Anna", days_ago=50, name="A"),
    ]
    groups = select(rows)
    assert [g.owner_id for g in groups] == [4, 9]
    assert [p.id for p in groups[1].partners] == [3, 1]


def test_group_keeps_every_partner_whatever_its_health() -> None:
    rows = [row(1, Health.FINE), row(2, Health.NEGLECTED, days_ago=300)]
    assert [p.id for p in flatten(group(rows))] == [2, 1]
    assert select([]) == []


def test_priority_keeps_promises_past_reminders_first_and_unowned_last() -> None:
    assert priority((Health.PROMISES_OVERDUE,)) == 0
    assert priority((Health.CHECK_IN_OVERDUE, Health.NEGLECTED)) == 1
    assert priority((Health.ONE_SIDED,)) < priority((Health.UNOWNED,))
    # Unowned stands last whatever else it is: a workspace may have many, taken over not called.
    assert priority((Health.UNOWNED, Health.PROMISES_OVERDUE)) == priority((Health.UNOWNED,))
    assert priority(()) > priority((Health.UNOWNED,))
