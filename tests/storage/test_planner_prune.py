"""What the planner's tick forgets of the outbox (`storage.queries.outbox.planned.prune`):
finished nudges older than the cut-off whose episode is over, and the DMs left without nudges;
nothing of an episode still running, nothing younger, nothing pending. Whether a check-in's
episode is over comes from the partner's kept last check-in (`last_check_in_at`), not from a
search of its history. On both backends; each finished state is one index range."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text

from storage.db import Database
from storage.models import Bundle, Interaction, Member, Nudge, Partner, Promise, Workspace
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.outbox.planned import prune
from tests.support.plans import statements_sent

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
BEFORE = NOW - timedelta(days=90)
OLD = NOW - timedelta(days=120)  # a nudge's created_at past the cut-off
YOUNG = NOW - timedelta(days=30)
EPISODE = date(2026, 7, 20)  # the old nudges' due day


def _world(db: Database) -> dict[str, Any]:
    """One member; partners checked in after the episode began (over), on its very day (over),
    only before it (running), never (running), and one removed; a kept and an open promise."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0PRUNE", created_at=NOW - timedelta(days=400))
        session.add(workspace)
        session.flush()
        member = Member(
            workspace_id=workspace.id, slack_user_id="U0P", tz="Europe/Berlin", refreshed_at=NOW
        )
        session.add(member)
        session.flush()
        names = ("after", "same_day", "before", "never", "removed")
        ids = dict(
            zip(
                names,
                session.scalars(
                    insert(Partner).returning(Partner.id),
                    [
                        {
                            "workspace_id": workspace.id,
                            "name": name,
                            "name_key": name,
                            "organisation_key": "",
                            "cadence_days": 90,
                            "owner_id": member.id,
                            "created_at": NOW - timedelta(days=300),
                        }
                        for name in names
                    ],
                ),
                strict=True,
            )
        )
        check_ins = {
            "after": datetime(2026, 8, 3, 15, 0, tzinfo=UTC),
            "same_day": datetime(2026, 7, 20, 0, 0, tzinfo=UTC),
            "before": datetime(2026, 7, 19, 23, 59, tzinfo=UTC),
        }
        rows = [
            {
                "workspace_id": workspace.id,
                "partner_id": ids[name],
                "member_id": member.id,
                "occurred_at": at,
                "kind": "check-in",
                "created_at": at,
            }
            for name, at in check_ins.items()
        ]
        # A contact that is no check-in, after the episode began, ends nothing.
        rows.append({**rows[-1], "occurred_at": NOW - timedelta(days=10), "kind": "contact"})
        session.execute(insert(Interaction), rows)
        refresh_contact_times(session, list(ids.values()))
        promises = dict(
            zip(
                ("kept", "open"),
                session.scalars(
                    insert(Promise).returning(Promise.id),
                    [
                        {
                            "workspace_id": workspace.id,
                            "partner_id": ids["after"],
                            "member_id": member.id,
                            "text": f"send the quote ({status})",
                            "due_on": EPISODE,
                            "status": status,
                            "created_at": OLD - timedelta(days=10),
                        }
                        for status in ("kept", "open")
                    ],
                ),
                strict=True,
            )
        )
        session.execute(delete(Partner).where(Partner.id == ids["removed"]))
    return {"workspace": workspace.id, "member": member.id, "partners": ids, "promises": promises}


def _nudge(world: dict[str, Any], kind: str, subject: int, **values: Any) -> dict[str, Any]:
    return {
        "workspace_id": world["workspace"],
        "member_id": world["member"],
        "kind": kind,
        "subject_id": subject,
        "due_on": EPISODE,
        "period": values.pop("period", EPISODE),
        "state": values.pop("state", "sent"),
        "created_at": values.pop("created_at", OLD),
        **values,
    }


def _bundle(world: dict[str, Any], bundle_id: str, created_at: datetime) -> dict[str, Any]:
    return {
        "id": bundle_id,
        "workspace_id": world["workspace"],
        "member_id": world["member"],
        "local_day": created_at.date(),
        "state": "sent",
        "created_at": created_at,
    }


def _left(db: Database) -> tuple[set[tuple[str, int, date]], set[str]]:
    with db.reading() as session:
        nudges = {
            (n.kind, n.subject_id, n.period)
            for n in session.execute(select(Nudge.kind, Nudge.subject_id, Nudge.period))
        }
        return nudges, set(session.scalars(select(Bundle.id)))


def test_old_finished_nudges_go_once_their_episode_is_over_and_their_dms_with_them(
    db: Database,
) -> None:
    world = _world(db)
    partners, promises = world["partners"], world["promises"]
    later = EPISODE + timedelta(days=7)
    with db.transaction() as session:
        session.execute(
            insert(Bundle),
            [
                _bundle(world, "old-over", OLD),
                _bundle(world, "old-running", OLD - timedelta(days=1)),
                _bundle(world, "old-empty", OLD - timedelta(days=2)),
                _bundle(world, "young-empty", YOUNG),
            ],
        )
        session.execute(
            insert(Nudge),
            [
                _nudge(world, "check_in", partners["after"], bundle_id="old-over"),
                _nudge(world, "check_in", partners["same_day"], state="dead"),
                _nudge(world, "check_in", partners["removed"], state="skipped"),
                _nudge(world, "check_in", partners["before"], bundle_id="old-running"),
                _nudge(world, "check_in", partners["before"], period=later, state="dead"),
                _nudge(world, "check_in", partners["never"]),
                _nudge(world, "promise", promises["kept"], bundle_id="old-over"),
                _nudge(world, "promise", promises["open"]),
                # Over, but young, or not finished: they stay.
                _nudge(world, "check_in", partners["after"], period=later, created_at=YOUNG),
                _nudge(world, "promise", promises["kept"], period=later, state="pending"),
            ],
        )

    with db.transaction() as session:
        assert prune(session, BEFORE) == 4

    nudges, bundles = _left(db)
    assert nudges == {
        ("check_in", partners["before"], EPISODE),
        ("check_in", partners["before"], later),
        ("check_in", partners["never"], EPISODE),
        ("promise", promises["open"], EPISODE),
        ("check_in", partners["after"], later),
        ("promise", promises["kept"], later),
    }
    assert bundles == {"old-running", "young-empty"}
    with db.transaction() as session:
        assert prune(session, BEFORE) == 0, "a second prune finds nothing more"
    assert _left(db) == (nudges, bundles)


def test_prune_reads_old_finished_rows_by_state_and_age(db: Database) -> None:
    """Each finished state is one range of (state, created_at) on the outbox and the DMs, on
    both backends (PostgreSQL told to avoid a scan, as it would on a large table)."""
    _world(db)
    with db.transaction() as session:
        statements = [
            (statement, parameters)
            for statement, parameters in statements_sent(session, lambda s: prune(s, BEFORE))
            if statement.startswith("DELETE")
        ]
        # The driver's own cursor: SQLAlchemy reads no rows back from an EXPLAIN of a DELETE.
        cursor = session.connection().connection.cursor()
        if db.backend == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        for index, (statement, parameters) in zip(
            ("ix_outbox_state_created", "ix_bundles_state_created"), statements, strict=True
        ):
            explain = "EXPLAIN QUERY PLAN " if db.backend == "sqlite" else "EXPLAIN "
            cursor.execute(explain + statement, parameters)
            explained = " ".join(str(row) for row in cursor.fetchall())
            assert index in explained, explained
            assert "interactions" not in explained, "no search of the contact history"


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_the_tables_the_planner_notes_in_are_vacuumed_and_analysed_sooner(db: Database) -> None:
    """Migration 0029: partners and promises after 1,000 rows and 2 % changed (not a fifth),
    so the old entries the planner's notes leave in its indexes do not pile up."""
    with db.reading() as session:
        options = dict(
            session.execute(
                text(
                    "SELECT relname, reloptions FROM pg_class "
                    "WHERE relname IN ('partners', 'promises', 'outbox')"
                )
            ).all()
        )
    for table in ("partners", "promises"):
        assert set(options[table]) == {
            "autovacuum_vacuum_threshold=1000",
            "autovacuum_vacuum_scale_factor=0.02",
            "autovacuum_analyze_threshold=500",
            "autovacuum_analyze_scale_factor=0.01",
        }
    assert options["outbox"] is None
