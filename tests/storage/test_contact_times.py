"""Partners keep their contact times (migration 0026): filled from the history by the
migration in batches, kept current by `refresh_contact_times`, and any row that disagrees with
its history found by `drift` (and `rapport doctor`), on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from bot.cli import main
from storage.db import Database
from storage.migrate import alembic_config, current_revision, upgrade
from storage.models import Interaction, Member, Partner, Workspace
from storage.queries.health.contact_times import (
    ContactTimes,
    contact_times,
    recomputed,
    refresh_contact_times,
)
from storage.queries.health.drift import drift, repair
from tests.support.plans import plan_of

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ADDED = AT - timedelta(days=400)


def _day(n: int) -> datetime:
    return ADDED + timedelta(days=n, hours=n % 7)


def test_a_partner_never_contacted_is_due_a_contact_a_cadence_after_it_was_added() -> None:
    times = contact_times(
        cadence_days=30,
        created_at=ADDED,
        first_contact=None,
        last_contact=None,
        last_check_in=None,
    )
    assert times == ContactTimes(None, None, None, None, ADDED + timedelta(days=30))


def test_the_check_in_is_counted_from_the_last_check_in_else_the_first_contact() -> None:
    first, check_in, last = _day(1), _day(50), _day(80)
    with_check_in = contact_times(
        cadence_days=90,
        created_at=ADDED,
        first_contact=first,
        last_contact=last,
        last_check_in=check_in,
    )
    assert with_check_in.check_in_due_at == check_in + timedelta(days=90)
    assert with_check_in.contact_due_at == last + timedelta(days=90)
    without = contact_times(
        cadence_days=90,
        created_at=ADDED,
        first_contact=first,
        last_contact=last,
        last_check_in=None,
    )
    assert without.check_in_due_at == first + timedelta(days=90)


def _workspace(db: Database, partners: int, contacts_each: int) -> list[int]:
    """A workspace with `partners` partners (cadence 30 to 120 days), each with
    `contacts_each` contacts written straight into the table (every third a check-in), and
    the last partner with none; their ids."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0TIMES", created_at=ADDED)
        session.add(workspace)
        session.flush()
        member = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=ADDED)
        session.add(member)
        session.flush()
        ids = list(
            session.scalars(
                insert(Partner).returning(Partner.id),
                [
                    {
                        "workspace_id": workspace.id,
                        "name": f"P{i}",
                        "name_key": f"p{i}",
                        "organisation_key": "",
                        "cadence_days": 30 + (i % 4) * 30,
                        "created_at": ADDED,
                    }
                    for i in range(partners)
                ],
            )
        )
        rows = [
            {
                "workspace_id": workspace.id,
                "partner_id": pid,
                "member_id": member.id,
                "occurred_at": _day((pid * 7 + n * 13) % 300),
                "kind": "check-in" if (pid + n) % 3 == 0 else "contact",
                "created_at": AT,
            }
            for pid in ids[:-1]
            for n in range(contacts_each)
        ]
        if rows:
            session.execute(insert(Interaction), rows)
    return ids


def test_the_migration_fills_every_partner_from_its_history_in_batches(db: Database) -> None:
    ids = _workspace(db, partners=2_050, contacts_each=3)  # more than one batch of 2,000
    command.downgrade(alembic_config(db.engine), "0025")
    assert current_revision(db.engine) == "0025"

    upgrade(db.engine)

    with db.reading() as session:
        assert list(drift(session)) == []
        kept = session.execute(
            select(Partner.id, Partner.last_check_in_at, Partner.contact_due_at).where(
                Partner.id.in_([ids[0], ids[-1]])
            )
        ).all()
    never = next(row for row in kept if row.id == ids[-1])
    assert never.last_check_in_at is None
    assert never.contact_due_at == ADDED + timedelta(days=30 + ((len(ids) - 1) % 4) * 30)
    assert next(row for row in kept if row.id == ids[0]).contact_due_at is not None


def test_refresh_brings_the_touched_partners_up_to_date_and_no_others(db: Database) -> None:
    first, second, untouched = _workspace(db, partners=3, contacts_each=0)
    with db.transaction() as session:
        member_id = session.scalar(select(Member.id))
        for partner_id, kind, when in [
            (first, "contact", _day(10)),
            (first, "check-in", _day(20)),
            (second, "contact", _day(30)),
            (untouched, "contact", _day(40)),
        ]:
            session.add(
                Interaction(
                    workspace_id=session.scalar(select(Workspace.id)),
                    partner_id=partner_id,
                    member_id=member_id,
                    occurred_at=when,
                    kind=kind,
                    created_at=AT,
                )
            )
        refresh_contact_times(session, [first, second, 999_999])  # a gone id is passed over
        partner = session.get(Partner, first)
        assert partner is not None
        assert (partner.first_contact_at, partner.last_contact_at) == (_day(10), _day(20))
        assert partner.last_check_in_at == _day(20)
        assert partner.check_in_due_at == _day(20) + timedelta(days=partner.cadence_days)

    with db.reading() as session:
        assert [d.partner_id for d in drift(session)] == [untouched]
    with db.transaction() as session:
        refresh_contact_times(session, [untouched])


def test_drift_names_the_columns_and_repair_writes_the_history_back(db: Database) -> None:
    ids = _workspace(db, partners=4, contacts_each=2)
    with db.transaction() as session:
        refresh_contact_times(session, ids)
        session.execute(
            update(Partner).where(Partner.id == ids[1]).values(last_contact_at=AT, cadence_days=7)
        )
    with db.reading() as session:
        [found] = list(drift(session))
    assert found.partner_id == ids[1]
    assert found.columns == ("last_contact_at", "check_in_due_at", "contact_due_at")
    with db.transaction() as session:
        assert repair(session, [found]) == 1
    with db.reading() as session:
        assert list(drift(session)) == []
        assert dict(recomputed(session, [ids[1]]))[ids[1]].check_in_due_at is not None


def test_doctor_reports_drift_by_id_and_fixes_it_when_asked(
    db: Database, database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch, tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    ids = _workspace(db, partners=3, contacts_each=2)
    with db.transaction() as session:
        refresh_contact_times(session, ids)
    assert main(["doctor"]) == 0
    assert "match" in capsys.readouterr().out
    with db.transaction() as session:
        session.execute(update(Partner).where(Partner.id == ids[2]).values(first_contact_at=AT))

    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert f"{ids[2]:>8}  first_contact_at" in out and "P2" not in out  # ids, never names
    assert main(["doctor", "--fix"]) == 0
    assert main(["doctor"]) == 0


def test_the_history_is_read_by_index_for_the_touched_partners_alone(db: Database) -> None:
    """Each partner's contacts are sought by its workspace and id, the head of the index: by
    partner id alone, recomputing one partner walked every contact of every workspace (on
    PostgreSQL, sequential scans discouraged as a large table would)."""
    first, second, _ = _workspace(db, partners=3, contacts_each=2)
    with db.transaction() as session:
        plan = plan_of(session, lambda s: recomputed(s, [first, second]))
        refresh_contact_times(session, [first, second])  # the contacts went in without it

    if db.backend == "sqlite":
        assert "SCAN interactions" not in plan, plan
        assert "interactions USING COVERING INDEX" in plan, plan
        assert "(workspace_id=? AND partner_id=?)" in plan, plan
    else:
        assert "Seq Scan on interactions" not in plan, plan
        seek = "Index Cond: ((workspace_id = partners.workspace_id) AND (partner_id = partners.id))"
        assert seek in plan, plan
