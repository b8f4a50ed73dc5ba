"""Merging at the table level, on SQLite and PostgreSQL: of two outbox rows that come to share
the unique key the answered one stays, another workspace's rows are never touched, waiting
answers that chose the partner are found, and migration 0015 lets `audit_log` record a merge
(and takes those rows with it on a downgrade)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.migrate import MIGRATIONS, alembic_config, upgrade
from storage.models import AuditEntry, Member, Nudge, Partner, PendingCommand, Workspace
from storage.queries.merging import merge_history, pending_choosing

REVISION = "0015"
AT = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)


def _world(db: Database, team_id: str = "T0MERGE") -> tuple[int, int, int, int]:
    """A workspace, a member and two partners: (workspace, member, duplicate, remaining)."""
    with db.transaction() as session:
        workspace = Workspace(team_id=team_id, created_at=AT)
        session.add(workspace)
        session.flush()
        member = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=AT)
        session.add(member)
        session.flush()
        partners = [
            Partner(
                workspace_id=workspace.id,
                name=name,
                name_key=name.casefold(),
                owner_id=member.id,
                created_at=AT,
            )
            for name in ("Acme Ltd", "Acme")
        ]
        session.add_all(partners)
        session.flush()
        return workspace.id, member.id, partners[0].id, partners[1].id


def _nudge(
    workspace_id: int, member_id: int, subject_id: int, period: date, answer: str | None = None
) -> Nudge:
    return Nudge(
        workspace_id=workspace_id,
        member_id=member_id,
        kind="check_in",
        subject_id=subject_id,
        due_on=DAY,
        period=period,
        state="sent",
        created_at=AT,
        answer=answer,
    )


def _outbox(db: Database) -> list[tuple[int, int, date, str | None]]:
    with db.reading() as session:
        return sorted(
            (n.workspace_id, n.subject_id, n.period, n.answer)
            for n in session.scalars(select(Nudge))
        )


@pytest.mark.parametrize(
    ("duplicates", "remainings", "kept"),
    [
        ("snoozed", None, "snoozed"),  # the answered one, though it was the duplicate's
        (None, "paused", "paused"),
        (None, None, None),
        ("snoozed", "paused", "paused"),  # both answered: the remaining partner's own
    ],
)
def test_of_two_rows_for_one_day_the_answered_one_stays(
    db: Database, duplicates: str | None, remainings: str | None, kept: str | None
) -> None:
    workspace_id, member_id, duplicate, remaining = _world(db)
    later = date(2026, 12, 1)
    with db.transaction() as session:
        session.add(_nudge(workspace_id, member_id, duplicate, DAY, duplicates))
        session.add(_nudge(workspace_id, member_id, remaining, DAY, remainings))
        session.add(_nudge(workspace_id, member_id, duplicate, later))

    with db.transaction() as session:
        merge_history(session, workspace_id, duplicate, remaining, member_id=member_id, now=AT)

    assert _outbox(db) == [
        (workspace_id, remaining, DAY, kept),
        (workspace_id, remaining, later, None),
    ]


def test_another_workspaces_rows_with_the_same_ids_stay_as_they_are(db: Database) -> None:
    workspace_id, member_id, duplicate, remaining = _world(db)
    other_id, other_member, _, _ = _world(db, "T0OTHER")
    with db.transaction() as session:
        # Rows naming the same subject id in another workspace: not the merged partner's.
        session.add(_nudge(other_id, other_member, duplicate, DAY))
        session.add(_nudge(workspace_id, member_id, duplicate, DAY))

    with db.transaction() as session:
        merge_history(session, workspace_id, duplicate, remaining, member_id=member_id, now=AT)

    assert _outbox(db) == sorted(
        [(other_id, duplicate, DAY, None), (workspace_id, remaining, DAY, None)]
    )


def test_waiting_answers_that_chose_the_partner_are_found_and_no_others(db: Database) -> None:
    workspace_id, member_id, duplicate, remaining = _world(db)
    with db.transaction() as session:
        for pending_id, partner_id in (("a", duplicate), ("b", remaining), ("c", duplicate * 10)):
            session.add(
                PendingCommand(
                    id=pending_id,
                    workspace_id=workspace_id,
                    member_id=member_id,
                    text="Acme call",
                    answers=json.dumps({"partner": f"p{partner_id}:0"}),
                    created_at=AT,
                )
            )

    with db.reading() as session:
        found = [p.id for p in pending_choosing(session, workspace_id, duplicate)]

    assert found == ["a"]


def test_a_merge_is_recorded_and_a_downgrade_takes_its_rows(db: Database) -> None:
    workspace_id, member_id, duplicate, remaining = _world(db)
    with db.transaction() as session:
        merge_history(session, workspace_id, duplicate, remaining, member_id=member_id, now=AT)
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(
            AuditEntry(
                workspace_id=workspace_id, member_id=member_id, action="split", at=AT, partner_id=1
            )
        )
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    assert isinstance(previous, str)

    command.downgrade(alembic_config(db.engine), previous)

    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_log").scalar_one() == 0
    upgrade(db.engine)
    with db.reading() as session:
        assert session.scalars(select(AuditEntry)).all() == []
    with db.transaction() as session:
        merge_history(session, workspace_id, duplicate, remaining, member_id=member_id, now=AT)
    with db.reading() as session:
        [entry] = session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.partner_id, entry.into_partner_id) == (
            "merge_partner",
            duplicate,
            remaining,
        )
