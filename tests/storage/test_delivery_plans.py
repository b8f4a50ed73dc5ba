"""The reads and writes that run once for every nudge DM delivered go through the index that
holds their answer (migration 0034), on both backends: a DM's pending nudges and marking them
sent by (bundle, state), not every pending nudge of the outbox by state; the collisions the DM
tells of by (workspace, owner) among the flagged partners, not every partner of the workspace
in name order; and, once every delivery tick, the DMs of the last days by day, not every DM
kept. SQLite plans by its heuristics alone (Rapport never ANALYZEs it); PostgreSQL is
told to avoid a scan, as it would on a large table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Bundle, Member, Nudge, Partner, Workspace
from storage.queries.outbox.bundles import days_with_a_dm, mark_bundle_sent, nudges_in
from storage.queries.partners import collisions_to_tell
from tests.support.plans import plan_of, statements_sent

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


def _world(db: Database) -> dict[str, Any]:
    """Two members, each with a DM of pending nudges and a few partners, one pair flagged."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0PLANS", created_at=NOW)
        session.add(workspace)
        session.flush()
        members = [
            Member(workspace_id=workspace.id, slack_user_id=f"U0{i}", tz="UTC", refreshed_at=NOW)
            for i in range(2)
        ]
        session.add_all(members)
        session.flush()
        session.execute(
            insert(Partner),
            [
                {
                    "workspace_id": workspace.id,
                    "name": f"partner {i}",
                    "name_key": f"partner {i}",
                    "organisation_key": "",
                    "owner_id": members[i % 2].id,
                    "key_collision": i < 2,
                    "created_at": NOW,
                }
                for i in range(6)
            ],
        )
        session.execute(
            insert(Bundle),
            [
                {
                    "id": f"dm-{m.id}",
                    "workspace_id": workspace.id,
                    "member_id": m.id,
                    "local_day": TODAY,
                    "state": "sending",
                    "created_at": NOW,
                }
                for m in members
            ],
        )
        session.execute(
            insert(Nudge),
            [
                {
                    "workspace_id": workspace.id,
                    "member_id": m.id,
                    "kind": "check_in",
                    "subject_id": subject,
                    "due_on": TODAY,
                    "period": TODAY,
                    "state": "pending",
                    "bundle_id": f"dm-{m.id}",
                    "created_at": NOW,
                }
                for m in members
                for subject in range(3)
            ],
        )
    return {"workspace": workspace.id, "member": members[0].id, "bundle": f"dm-{members[0].id}"}


def _plan_of_write(session: Session, write: Callable[[Session], object], start: str) -> str:
    """The plan of the statement beginning with `start` that `write` sends, through the
    driver's own cursor: SQLAlchemy reads no rows back from an EXPLAIN of an UPDATE."""
    [(statement, parameters)] = [
        (statement, parameters)
        for statement, parameters in statements_sent(session, write)
        if statement.startswith(start)
    ]
    cursor = session.connection().connection.cursor()
    if session.get_bind().dialect.name == "sqlite":
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
    else:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
    return " ".join(str(row) for row in cursor.fetchall())


def test_a_dms_pending_nudges_are_read_by_bundle_and_state(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:
        plan = plan_of(session, lambda s: nudges_in(s, world["bundle"]))
        assert "ix_outbox_bundle_state" in plan, plan
        assert len(nudges_in(session, world["bundle"])) == 3


def test_marking_a_dm_sent_finds_its_nudges_by_bundle_and_state(db: Database) -> None:
    world = _world(db)

    def sent(session: Session) -> None:
        mark_bundle_sent(session, world["bundle"], world["member"], "D0", "1.0", NOW)

    with db.transaction() as session:
        plan = _plan_of_write(session, sent, "UPDATE outbox")
        assert "ix_outbox_bundle_state" in plan, plan


def test_the_collisions_a_dm_tells_of_are_read_among_the_flagged_partners(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:

        def read(s: Session) -> list[Partner]:
            return collisions_to_tell(s, world["workspace"], world["member"], world["bundle"])

        plan = plan_of(session, read)
        assert "ix_partners_collisions" in plan, plan
        assert "TEMP B-TREE" not in plan, "the index gives the order"
        assert [p.name for p in read(session)] == ["partner 0"]


def test_the_days_with_a_dm_are_read_by_day(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:
        plan = plan_of(session, lambda s: days_with_a_dm(s, TODAY))
        assert "ix_bundles_local_day_member" in plan, plan
        assert "SCAN bundles" not in plan, "not every DM kept"
        assert (world["member"], TODAY) in days_with_a_dm(session, TODAY)
