"""The outbox keeps what an answer changed, so that it can be undone (migration 0014): the
columns come with the upgrade and go with the downgrade on both backends, and the answers
recorded stay recorded either way."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from storage.db import Database
from storage.migrate import MIGRATIONS, alembic_config, current_revision, upgrade
from storage.models import Member, Nudge, Workspace

REVISION = "0014"
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
DAY = date(2026, 11, 27)


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("outbox")}


def _answered_nudge(db: Database, state: str | None) -> None:
    with db.transaction() as session:
        workspace = Workspace(team_id="T0UNDO", created_at=AT)
        session.add(workspace)
        session.flush()
        member = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=AT)
        session.add(member)
        session.flush()
        nudge = Nudge(
            workspace_id=workspace.id,
            member_id=member.id,
            kind="promise",
            subject_id=1,
            due_on=DAY,
            period=DAY,
            state="sent",
            created_at=AT,
            answer="kept",
            answered_by_id=member.id,
            answered_at=AT,
        )
        if state is not None:
            nudge.undo_state, nudge.undo_until = state, AT
        session.add(nudge)


def test_a_downgrade_drops_the_undo_columns_and_keeps_the_answers(db: Database) -> None:
    _answered_nudge(db, '{"before": {"status": "open"}}')
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    assert previous == "0013"

    command.downgrade(alembic_config(db.engine), previous)

    assert current_revision(db.engine) == "0013"
    assert {"undo_state", "undo_until"}.isdisjoint(_columns(db))
    with db.engine.connect() as connection:
        answers = connection.exec_driver_sql("SELECT answer FROM outbox").scalars().all()
    assert answers == ["kept"]


def test_an_upgrade_brings_them_back_empty_and_writable(db: Database) -> None:
    _answered_nudge(db, None)
    command.downgrade(alembic_config(db.engine), "0013")

    upgrade(db.engine)

    assert {"undo_state", "undo_until"} <= _columns(db)
    with db.transaction() as session:
        nudge = session.scalars(select(Nudge)).one()
        assert (nudge.answer, nudge.undo_state, nudge.undo_until) == ("kept", None, None)
        nudge.undo_state, nudge.undo_until = "{}", AT
    with db.reading() as session:
        assert session.scalars(select(Nudge.undo_until)).one() == AT
