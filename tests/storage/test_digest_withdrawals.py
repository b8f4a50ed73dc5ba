"""Kept digest withdrawals at the table level, on SQLite and PostgreSQL: a note is one row a
channel a workspace, noted again with a new mark; work begun from an older mark neither deletes
nor puts back what a later note asked for; a lease keeps a channel to one scheduler until it
runs out; and nothing of one workspace is read or changed through another's channel of the
same id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.db import Database
from storage.models import DigestWithdrawal, Workspace
from storage.queries.digests.withdrawal import (
    claim_withdrawals,
    finish_withdrawal,
    note_withdrawal,
    put_back_withdrawal,
    withdrawal_mark,
    withdrawal_waits,
)

AT = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
CHANNEL = "C0TEAM"


def _workspaces(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        ours, theirs = (
            Workspace(team_id="T0OURS", created_at=AT),
            Workspace(team_id="T0THEIRS", created_at=AT),
        )
        session.add_all([ours, theirs])
        session.flush()
        return ours.id, theirs.id


def _rows(db: Database) -> list[tuple[int, str, int, str | None]]:
    with db.reading() as session:
        return [
            (row.workspace_id, row.channel_id, row.attempts, row.error)
            for row in session.scalars(
                select(DigestWithdrawal).order_by(DigestWithdrawal.workspace_id)
            )
        ]


def test_a_channel_noted_again_keeps_one_row_with_a_new_mark(db: Database) -> None:
    ours, theirs = _workspaces(db)
    with db.transaction() as session:
        first = note_withdrawal(session, ours, CHANNEL, AT, AT + timedelta(minutes=5))
        note_withdrawal(session, theirs, CHANNEL, AT, AT + timedelta(minutes=5))
    with db.transaction() as session:
        assert put_back_withdrawal(
            session, ours, CHANNEL, first, AT + timedelta(minutes=1), "internal_error", 3
        )
    with db.transaction() as session:
        second = note_withdrawal(session, ours, CHANNEL, AT, AT + timedelta(minutes=5), "again")
        assert withdrawal_mark(session, "T0OURS", CHANNEL) == (ours, second)
        assert withdrawal_mark(session, "T0THEIRS", CHANNEL) not in (None, (ours, second))
        assert withdrawal_mark(session, "T0NONE", CHANNEL) is None
    assert second != first
    # One row for our channel, its attempts kept; theirs untouched.
    assert _rows(db) == [(ours, CHANNEL, 3, "again"), (theirs, CHANNEL, 0, None)]


def test_work_begun_from_an_older_mark_leaves_a_later_note_alone(db: Database) -> None:
    ours, theirs = _workspaces(db)
    with db.transaction() as session:
        old = note_withdrawal(session, ours, CHANNEL, AT, AT)
        note_withdrawal(session, theirs, CHANNEL, AT, AT)
        new = note_withdrawal(session, ours, CHANNEL, AT, AT + timedelta(minutes=5))
    with db.transaction() as session:
        assert not finish_withdrawal(session, ours, CHANNEL, old)
        assert not put_back_withdrawal(session, ours, CHANNEL, old, AT, "internal_error", 1)
    assert [row[:2] for row in _rows(db)] == [(ours, CHANNEL), (theirs, CHANNEL)]
    with db.transaction() as session:
        assert finish_withdrawal(session, ours, CHANNEL, new)
    assert [row[:2] for row in _rows(db)] == [(theirs, CHANNEL)]


def test_a_lease_keeps_a_channel_to_one_scheduler_until_it_runs_out(db: Database) -> None:
    ours, theirs = _workspaces(db)
    with db.transaction() as session:
        note_withdrawal(session, ours, CHANNEL, AT, AT + timedelta(minutes=1))
        note_withdrawal(session, theirs, CHANNEL, AT, AT + timedelta(minutes=10))
    at = AT + timedelta(minutes=1)
    lease = timedelta(minutes=5)
    with db.transaction() as session:
        [taken] = claim_withdrawals(session, "one", at, at + lease, 25)
        assert (taken.workspace_id, taken.team_id, taken.channel_id) == (ours, "T0OURS", CHANNEL)
    with db.transaction() as session:
        assert claim_withdrawals(session, "two", at, at + lease, 25) == []
    later = at + lease
    with db.transaction() as session:
        # The first scheduler died: its lease ran out, another takes the channel.
        [again] = claim_withdrawals(session, "two", later, later + lease, 25)
        assert again.mark == taken.mark
    with db.reading() as session:
        waits = withdrawal_waits(session, AT, AT + timedelta(hours=1))
        assert sorted(waits) == [AT + timedelta(minutes=1), AT + timedelta(minutes=10)]
