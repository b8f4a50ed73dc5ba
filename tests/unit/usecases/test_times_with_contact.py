"""A contact logged for a partner found by its typed name moves the partner's times on values
(`times_with_contact`), without an entity; the same contact logged for a partner entity moves
them on the object (`note_new_contact`, which applies what moved of the same rule). The two
must always agree: for any times a partner has (none yet, earlier or later than the contact),
any cadence, and each kind of contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.usecases.contacts import times_with_contact
from storage.models import Partner
from storage.queries.health.contact_times import COLUMNS, note_new_contact
from storage.vocabulary import KINDS

START = datetime(2020, 1, 1, tzinfo=UTC)
instants = st.integers(min_value=0, max_value=5 * 365 * 24 * 60).map(
    lambda minutes: START + timedelta(minutes=minutes)
)


@given(
    cadence=st.integers(min_value=1, max_value=365),
    created=instants,
    first=st.none() | instants,
    last=st.none() | instants,
    check_in=st.none() | instants,
    when=instants,
    kind=st.sampled_from(KINDS),
)
def test_the_rule_on_values_is_the_rule_on_the_entity(
    cadence: int,
    created: datetime,
    first: datetime | None,
    last: datetime | None,
    check_in: datetime | None,
    when: datetime,
    kind: str,
) -> None:
    partner = Partner(
        cadence_days=cadence,
        created_at=created,
        first_contact_at=first,
        last_contact_at=last,
        last_check_in_at=check_in,
        check_in_due_at=None,
        contact_due_at=None,
    )
    moved = times_with_contact(partner, when, kind)
    note_new_contact(partner, when, kind)
    assert moved == {column: getattr(partner, column) for column in COLUMNS}


def test_a_check_in_moves_the_last_check_in_and_its_due_day() -> None:
    """A check-in later than the last one becomes it, and the next check-in is due a cadence
    after it; any other kind leaves the check-in where it was; an earlier contact moves the
    first contact back and leaves the last."""
    partner = Partner(
        cadence_days=30,
        created_at=START,
        first_contact_at=START,
        last_contact_at=START,
        last_check_in_at=START,
    )
    later = START + timedelta(days=10)
    checked = times_with_contact(partner, later, "check-in")
    assert checked["last_check_in_at"] == later
    assert checked["check_in_due_at"] == later + timedelta(days=30)
    other = times_with_contact(partner, later, "update")
    assert other["last_check_in_at"] == START
    assert other["last_contact_at"] == later and other["first_contact_at"] == START
    earlier = times_with_contact(partner, START - timedelta(days=3), "contact")
    assert earlier["first_contact_at"] == START - timedelta(days=3)
    assert earlier["last_contact_at"] == START
