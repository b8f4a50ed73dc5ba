"""`hold_partner`: the partner's row as a transaction holds it. On PostgreSQL a second holder
waits for the first (`FOR NO KEY UPDATE`) and then reads the first one's change, so two answers
giving one partner an organisation at once cannot both find none; on SQLite, where one
transaction writes at a time, the partner is returned as loaded, without a statement."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text

from storage.db import Database
from storage.models import Partner, Workspace
from storage.queries.partners import hold_partner

ADDED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
# Bounds a wait for another transaction to reach a lock; not a measure of speed.
LOCK_WAIT_S = 30.0


def _partner(db: Database) -> int:
    """A workspace with one partner, "Jens Ohlsen", of no organisation: its id."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0HOLD", created_at=ADDED)
        session.add(workspace)
        session.flush()
        partner = Partner(
            workspace_id=workspace.id,
            name="Jens Ohlsen",
            name_key="jens ohlsen",
            organisation_key="",
            cadence_days=30,
            created_at=ADDED,
        )
        session.add(partner)
        session.flush()
        return partner.id


def _someone_waits_for_a_lock(db: Database) -> bool:
    with db.reading() as session:
        waiting = session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        )
    return bool(waiting)


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_second_holder_waits_for_the_first_and_reads_its_organisation(db: Database) -> None:
    partner_id = _partner(db)
    seen: list[str | None] = []
    failures: list[BaseException] = []

    def second() -> None:
        try:
            with db.transaction() as session:
                partner = session.get(Partner, partner_id)
                assert partner is not None and partner.organisation is None  # read before
                held = hold_partner(session, partner)
                assert held is partner  # the same object, brought up to the row
                seen.append(held.organisation)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    with db.transaction() as session:
        partner = session.get(Partner, partner_id)
        assert partner is not None and hold_partner(session, partner) is partner
        thread = threading.Thread(target=second)
        thread.start()
        waited = threading.Event()
        for _ in range(int(LOCK_WAIT_S * 20)):
            if not thread.is_alive() or _someone_waits_for_a_lock(db):
                break
            waited.wait(0.05)
        assert thread.is_alive(), "the second holder did not wait for the first"
        partner.organisation, partner.organisation_key = "Nordwind GmbH", "nordwind gmbh"
    thread.join(LOCK_WAIT_S)

    assert not thread.is_alive() and not failures, failures
    assert seen == ["Nordwind GmbH"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_the_partner_is_held_as_loaded_without_a_statement(db: Database) -> None:
    partner_id = _partner(db)
    statements: list[str] = []

    def sent(*args: object) -> None:
        statements.append(str(args[2]))

    with db.transaction() as session:
        partner = session.get(Partner, partner_id)
        assert partner is not None
        event.listen(db.engine, "before_cursor_execute", sent)
        try:
            assert hold_partner(session, partner) is partner
        finally:
            event.remove(db.engine, "before_cursor_execute", sent)

    assert statements == []


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_partner_forgotten_meanwhile_is_held_as_none(db: Database) -> None:
    partner_id = _partner(db)
    with db.transaction() as session:
        partner = session.get(Partner, partner_id)
        assert partner is not None
        with db.transaction() as other:
            other.execute(text("DELETE FROM partners WHERE id = :id"), {"id": partner_id})
        assert hold_partner(session, partner) is None
