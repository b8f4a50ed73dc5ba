"""A contact newly logged moves its partner's contact times without reading the history
(`note_new_contact`), from the row as it stands under its lock (`hold_times`): the times it
writes are the ones the history gives (`recomputed`), whatever order the contacts come in, on
both backends; and on PostgreSQL a partner loaded before another transaction logged a contact
for it is brought up to date by the lock before its times move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import Interaction, Member, Partner, Workspace
from storage.queries.health.contact_times import (
    ContactTimes,
    hold_times,
    note_new_contact,
    recomputed,
    stored,
)

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ADDED = AT - timedelta(days=200)


def _partner(db: Database, cadence_days: int) -> tuple[int, int, int]:
    """A workspace with a member and a partner never contacted: their ids."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0NEWTIMES", created_at=ADDED)
        session.add(workspace)
        session.flush()
        member = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=ADDED)
        partner = Partner(
            workspace_id=workspace.id,
            name="Acme",
            name_key="acme",
            organisation_key="",
            cadence_days=cadence_days,
            created_at=ADDED,
        )
        session.add_all([member, partner])
        session.flush()
        return workspace.id, member.id, partner.id


def _log(db: Database, ids: tuple[int, int, int], when: datetime, kind: str) -> ContactTimes:
    """Add a contact as `record` does (hold, note, then the row), in one transaction; the
    partner's stored times afterwards."""
    workspace_id, member_id, partner_id = ids
    with db.transaction() as session:
        partner = session.get(Partner, partner_id)
        assert partner is not None
        assert hold_times(session, partner)
        note_new_contact(partner, when, kind)
        session.add(
            Interaction(
                workspace_id=workspace_id,
                partner_id=partner_id,
                member_id=member_id,
                occurred_at=when,
                kind=kind,
                created_at=AT,
            )
        )
    with db.reading() as session:
        return stored(session, [partner_id])[partner_id]


def _history(db: Database, partner_id: int) -> ContactTimes:
    with db.reading() as session:
        return dict(recomputed(session, [partner_id]))[partner_id]


@pytest.mark.parametrize("cadence_days", [7, 90])
def test_each_new_contact_leaves_the_times_the_history_gives(
    db: Database, cadence_days: int
) -> None:
    ids = _partner(db, cadence_days)
    day = lambda n, hour=12: ADDED + timedelta(days=n, hours=hour)  # noqa: E731
    contacts = [
        (day(50), "contact"),  # the first: due dates counted from it
        (day(60, 9), "check-in"),  # later: the last contact and check-in
        (day(20), "contact"),  # earlier than the first: the first moves back, nothing else
        (day(40), "check-in"),  # a check-in older than the last: changes nothing
        (day(55), "problem"),  # between: nothing moves
        (day(60, 9), "contact"),  # the same instant as the last
        (day(61), "contact"),  # the last contact moves, the check-in stays
        (day(10), "check-in"),  # the first contact moves back, the last check-in stays
        (day(90), "check-in"),  # both move
    ]
    for when, kind in contacts:
        assert _log(db, ids, when, kind) == _history(db, ids[2]), (when, kind)
    final = _history(db, ids[2])
    assert final.first_contact_at == day(10)
    assert final.last_contact_at == final.last_check_in_at == day(90)
    assert final.contact_due_at == day(90) + timedelta(days=cadence_days)


def test_a_partner_whose_first_contact_is_a_check_in_is_due_from_it(db: Database) -> None:
    ids = _partner(db, 30)
    when = ADDED + timedelta(days=3)

    times = _log(db, ids, when, "check-in")

    assert times == _history(db, ids[2])
    assert times.check_in_due_at == times.contact_due_at == when + timedelta(days=30)


# PostgreSQL alone: SQLite writes one transaction at a time, so no other can move the row.
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_the_lock_reads_times_another_transaction_moved_since_the_partner_was_loaded(
    db: Database,
) -> None:
    ids = _partner(db, 30)
    earlier, later = ADDED + timedelta(days=5), ADDED + timedelta(days=9)
    with db.transaction() as session:
        partner = session.scalars(select(Partner).where(Partner.id == ids[2])).one()
        assert partner.last_contact_at is None  # loaded before the other contact is logged
        _log(db, ids, later, "contact")  # another transaction, committed meanwhile
        assert hold_times(session, partner)
        note_new_contact(partner, earlier, "contact")
        session.add(
            Interaction(
                workspace_id=ids[0],
                partner_id=ids[2],
                member_id=ids[1],
                occurred_at=earlier,
                kind="contact",
                created_at=AT,
            )
        )
    times = _history(db, ids[2])
    assert (times.first_contact_at, times.last_contact_at) == (earlier, later)
    with db.reading() as session:
        assert stored(session, [ids[2]])[ids[2]] == times


def test_a_partner_forgotten_since_it_was_loaded_is_not_held(db: Database) -> None:
    ids = _partner(db, 30)
    with db.transaction() as session:
        partner = session.get(Partner, ids[2])
        assert partner is not None
        if db.backend == "sqlite":
            # One writer at a time: the partner this transaction loaded is still there.
            assert hold_times(session, partner)
            return
        with db.transaction() as other:
            other.delete(other.get(Partner, ids[2]))
        assert not hold_times(session, partner)
