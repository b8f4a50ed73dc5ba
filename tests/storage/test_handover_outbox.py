"""The outbox holds hand-over announcements (migration 0013): their kinds pass the check on both
backends, others still do not, who moved a partner is forgotten with their member row, and a
downgrade takes the announcements with it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.migrate import MIGRATIONS, alembic_config, current_revision, upgrade
from storage.models import Member, Nudge, Workspace

REVISION = "0013"
AT = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
DAY = date(2026, 11, 25)


def _members(db: Database) -> tuple[int, int, int]:
    """A workspace and two members in it: (workspace, actor, recipient)."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0HANDOVER", created_at=AT)
        session.add(workspace)
        session.flush()
        actor, recipient = (
            Member(workspace_id=workspace.id, slack_user_id=user, refreshed_at=AT)
            for user in ("U0OWEN", "U0JONAS")
        )
        session.add_all([actor, recipient])
        session.flush()
        return workspace.id, actor.id, recipient.id


def _announcement(workspace_id: int, actor_id: int, member_id: int, kind: str) -> Nudge:
    return Nudge(
        workspace_id=workspace_id,
        member_id=member_id,
        kind=kind,
        subject_id=1,
        due_on=DAY,
        period=DAY,
        state="pending",
        created_at=AT,
        actor_id=actor_id,
        handed_to_id=member_id,
    )


def test_hand_over_kinds_are_allowed_and_unknown_kinds_are_not(db: Database) -> None:
    workspace_id, actor_id, member_id = _members(db)
    with db.transaction() as session:
        for kind in ("handed_over", "handed_away"):
            session.add(_announcement(workspace_id, actor_id, member_id, kind))

    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(_announcement(workspace_id, actor_id, member_id, "handed_around"))


def test_the_actor_is_forgotten_with_their_member_row_and_the_row_stays(db: Database) -> None:
    workspace_id, actor_id, member_id = _members(db)
    with db.transaction() as session:
        session.add(_announcement(workspace_id, actor_id, member_id, "handed_over"))

    with db.transaction() as session:
        session.execute(delete(Member).where(Member.id == actor_id))

    with db.reading() as session:
        row = session.scalars(select(Nudge)).one()
        assert (row.actor_id, row.handed_to_id, row.member_id) == (None, member_id, member_id)


def test_a_downgrade_removes_announcements_and_an_upgrade_allows_them_again(
    db: Database,
) -> None:
    workspace_id, actor_id, member_id = _members(db)
    with db.transaction() as session:
        session.add(_announcement(workspace_id, actor_id, member_id, "handed_over"))
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    assert isinstance(previous, str)

    command.downgrade(alembic_config(db.engine), previous)

    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one() == 0
    upgrade(db.engine)
    assert current_revision(db.engine) is not None
    with db.transaction() as session:
        session.add(_announcement(workspace_id, actor_id, member_id, "handed_away"))
