"""Writes that recompute a partner's contact times from its history (`refresh_contact_times`)
racing a contact newly logged for the same partner on PostgreSQL: the times left are the ones
the history gives. The recomputing write must hold the partner's row before it reads the
history, or a contact committed between its read and its UPDATE is written over with times
that do not count it (a lost update the drift check reports)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.usecases import contacts
from storage.db import Database
from storage.models import Interaction, Member, Partner, Workspace
from storage.queries.health.contact_times import (
    ContactTimes,
    hold_times,
    note_new_contact,
    recomputed,
    refresh_contact_times,
    stored,
)

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ADDED = AT - timedelta(days=200)
# Bounds a wait for another transaction to reach a lock; not a measure of speed.
LOCK_WAIT_S = 30.0

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _setup(db: Database) -> tuple[int, int, int, int, int]:
    """A workspace, a member, two partners and two contacts of the member's with the first
    (ten and five days before AT): workspace, member, partner, other partner, latest contact."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0RACES", created_at=ADDED)
        session.add(workspace)
        session.flush()
        member = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=ADDED)
        partners = [
            Partner(
                workspace_id=workspace.id,
                name=name,
                name_key=name.lower(),
                organisation_key="",
                cadence_days=30,
                created_at=ADDED,
            )
            for name in ("Acme", "Globex")
        ]
        session.add_all([member, *partners])
        session.flush()
        contact_ids = []
        for days in (10, 5):
            interaction = _contact(workspace.id, partners[0].id, member.id, AT - timedelta(days))
            session.add(interaction)
            session.flush()
            contact_ids.append(interaction.id)
        refresh_contact_times(session, [partners[0].id])
        return workspace.id, member.id, partners[0].id, partners[1].id, contact_ids[-1]


def _contact(workspace_id: int, partner_id: int, member_id: int, when: datetime) -> Interaction:
    return Interaction(
        workspace_id=workspace_id,
        partner_id=partner_id,
        member_id=member_id,
        occurred_at=when,
        kind="contact",
        created_at=AT,
    )


def _someone_waits_for_a_lock(db: Database) -> bool:
    with db.reading() as session:
        waiting = session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        )
    return bool(waiting)


def _race(
    db: Database, ids: tuple[int, int, int, int, int], write: Callable[[Session], None]
) -> None:
    """Log a contact for the partner (a day before AT) in one transaction; while it is open,
    run `write` in another; commit the log once `write` waits for it (or is done)."""
    workspace_id, member_id, partner_id = ids[0], ids[1], ids[2]
    failures: list[BaseException] = []

    def other() -> None:
        try:
            with db.transaction() as session:
                write(session)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    with db.transaction() as session:
        partner = session.get(Partner, partner_id)
        assert partner is not None and hold_times(session, partner)
        note_new_contact(partner, AT - timedelta(days=1), "contact")
        session.add(_contact(workspace_id, partner_id, member_id, AT - timedelta(days=1)))
        session.flush()
        thread = threading.Thread(target=other)
        thread.start()
        done = threading.Event()
        for _ in range(int(LOCK_WAIT_S * 20)):
            if not thread.is_alive() or _someone_waits_for_a_lock(db):
                break
            done.wait(0.05)
    thread.join(LOCK_WAIT_S)
    assert not thread.is_alive()
    assert not failures, failures


def _drift(db: Database, partner_ids: list[int]) -> dict[int, tuple[ContactTimes, ContactTimes]]:
    with db.reading() as session:
        history = dict(recomputed(session, partner_ids))
        kept = stored(session, partner_ids)
    return {p: (kept[p], history[p]) for p in partner_ids if kept[p] != history[p]}


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    assert member is not None
    return member


def test_undo_racing_a_new_contact_leaves_the_times_the_history_gives(db: Database) -> None:
    ids = _setup(db)

    def undo(session: Session) -> None:
        contacts.undo(session, _member(session, ids[1]), ids[4], AT)

    _race(db, ids, undo)
    assert _drift(db, [ids[2]]) == {}


def test_a_move_racing_a_new_contact_leaves_the_times_the_history_gives(db: Database) -> None:
    """ "Did you mean": the latest contact moves from the partner to the other one."""
    ids = _setup(db)

    def move(session: Session) -> None:
        contacts.move(session, _member(session, ids[1]), ids[4], ids[3], AT)

    _race(db, ids, move)
    assert _drift(db, [ids[2], ids[3]]) == {}
