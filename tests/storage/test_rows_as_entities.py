"""The reads of `/logcontact`'s common path take plain rows and make entities of them without
a second statement (`entity_from_row`): the member asking (`member_of_team`, every column) and
the partner logged for (`partner_from_row`, the candidate columns). Such an entity must behave
as one the ORM loaded: the same values, the same object when the session holds it already, a
change flushed as an UPDATE, a column the row lacked read from the database, never guessed.
And the two INSERTs of a new contact write what the summary shows. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Interaction, Member, Partner, Promise
from storage.queries.contacts import insert_contact, insert_promise
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import member_of_team, save_member, workspace_for
from storage.queries.partners import (
    CANDIDATE_COLUMNS,
    add_partner,
    partner_from_row,
    partners_starting_with,
)
from tests.support.world import NOW


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    """Two workspaces with a member of the same Slack id each; partners in the first."""
    with db.transaction() as session:
        ours = workspace_for(session, "T0OURS", NOW)
        theirs = workspace_for(session, "T0THEIRS", NOW)
        member = save_member(
            session, ours.id, "U0ANNA", NOW, name="Anna", tz="Europe/Berlin", locale="de-DE"
        )
        save_member(session, theirs.id, "U0ANNA", NOW, name="Other Anna", tz="Asia/Tokyo")
        acme = add_partner(session, ours.id, name="Acme", organisation=None, owner_id=None, now=NOW)
        assert acme is not None
        acme.email = "hello@acme.example"  # a column the candidate rows do not read
        acme.status = "paused"
        add_partner(session, ours.id, name="Acme Nord", organisation="Acme", owner_id=None, now=NOW)
        session.flush()
        return {"ours": ours.id, "theirs": theirs.id, "member": member.id, "acme": acme.id}


def _columns(entity: object, model: type[Member] | type[Partner]) -> dict[str, object]:
    return {c.key: getattr(entity, c.key) for c in model.__table__.columns}


def test_the_models_attributes_are_named_as_their_columns() -> None:
    """What `entity_from_row` relies on: a plain row's labels are the attribute names."""
    for model in (Member, Partner):
        mapper = inspect(model)
        assert all(a.key == a.columns[0].name for a in mapper.column_attrs), model


def test_the_member_asking_is_as_an_orm_load_gives_it_and_of_their_team_alone(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        expected = _columns(session.get(Member, ids["member"]), Member)
    with db.transaction() as session:
        member = member_of_team(session, "T0OURS", "U0ANNA")
        assert member is not None and member in session
        assert _columns(member, Member) == expected
        assert inspect(member).persistent and not session.dirty
        # The same object, as an ORM load in the same session gives it.
        assert member_of_team(session, "T0OURS", "U0ANNA") is member
        assert session.get(Member, ids["member"]) is member
        other = member_of_team(session, "T0THEIRS", "U0ANNA")
        assert other is not None and other.name == "Other Anna" and other is not member
        assert member_of_team(session, "T0NOBODY", "U0ANNA") is None
        assert member_of_team(session, "T0OURS", "U0NOBODY") is None


def test_a_change_to_the_member_made_from_a_row_is_written(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        member = member_of_team(session, "T0OURS", "U0ANNA")
        assert member is not None
        member.language = "en"
    with db.transaction() as session:
        assert session.get(Member, ids["member"]).language == "en"  # type: ignore[union-attr]


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _candidate(session: Session, workspace_id: int, name: str) -> Partner:
    rows = partners_starting_with(session, workspace_id, "acme")
    return partner_from_row(session, next(r for r in rows if r.name == name))


def test_a_candidate_made_an_entity_reads_its_row_and_loads_what_the_row_lacked(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        expected = _columns(session.get(Partner, ids["acme"]), Partner)
    with db.transaction() as session:
        rows = partners_starting_with(session, ids["ours"], "ACME")
        assert sorted(r.name for r in rows) == ["Acme", "Acme Nord"]
        assert set(rows[0]._mapping) == {c.key for c in CANDIDATE_COLUMNS}
        with _statements(db) as sent:
            partner = partner_from_row(session, next(r for r in rows if r.name == "Acme"))
            assert partner.id == ids["acme"] and partner.name == "Acme"
            assert partner.cadence_days == expected["cadence_days"]
            assert partner.created_at == expected["created_at"]
            assert sent == []  # made from the row: nothing read
            # A column the row did not hold is read from the database, never a default.
            assert partner.email == "hello@acme.example" and partner.status == "paused"
            assert len(sent) == 1 and sent[0].startswith("SELECT")
        assert _columns(partner, Partner) == expected
        assert partner_from_row(session, next(r for r in rows if r.name == "Acme")) is partner
        assert session.get(Partner, ids["acme"]) is partner


def test_the_partner_the_session_holds_already_is_the_one_returned(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        held = session.get(Partner, ids["acme"])
        assert held is not None
        held.max_contacts = 9  # flushed before the read, not yet committed
        rows = partners_starting_with(session, ids["ours"], "acme")
        assert partner_from_row(session, next(r for r in rows if r.id == held.id)) is held
        assert held.max_contacts == 9


def test_a_change_to_a_candidate_entity_is_flushed_as_an_update_of_what_changed(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        partner = _candidate(session, ids["ours"], "Acme")
        with _statements(db) as sent:
            partner.max_contacts = 7
            session.flush()
        updates = [s for s in sent if s.startswith("UPDATE partners")]
        assert len(updates) == 1 and "max_contacts" in updates[0], sent
        assert "email" not in updates[0] and "status" not in updates[0]
    with db.transaction() as session:
        stored = session.get(Partner, ids["acme"])
        assert stored is not None and stored.max_contacts == 7
        assert stored.email == "hello@acme.example" and stored.status == "paused"


def test_a_new_contact_and_promise_are_stored_as_their_values_say(
    db: Database, ids: dict[str, int]
) -> None:
    contact = {
        "workspace_id": ids["ours"],
        "partner_id": ids["acme"],
        "member_id": ids["member"],
        "occurred_at": NOW,
        "has_time": True,
        "medium": "call",
        "kind": "check-in",
        "direction": "gave",
        "note": "Angebot besprochen, Müller & Söhne",
        "source": "command",
        "created_partner": False,
        "created_at": NOW,
        "before_edit": None,
    }
    with db.transaction() as session:
        first = insert_contact(session, contact)
        second = insert_contact(session, {**contact, "note": "second", "has_time": False})
        promise = insert_promise(
            session,
            {
                "workspace_id": ids["ours"],
                "partner_id": ids["acme"],
                "member_id": ids["member"],
                "interaction_id": second,
                "text": "send the deck",
                "due_on": date(2026, 12, 4),
                "status": "open",
                "created_at": NOW,
                "resolved_at": None,
                "drop_reason": None,
                "promised_by": "partner",
                "missed_on": None,
            },
        )
        refresh_contact_times(session, [ids["acme"]])  # as `record` moves them
    assert second > first
    with db.transaction() as session:
        stored = session.get(Interaction, first)
        assert stored is not None
        assert {k: getattr(stored, k) for k in contact} == contact
        kept = session.scalars(select(Promise).where(Promise.interaction_id == second)).one()
        assert kept.id == promise and kept.text == "send the deck"
        assert kept.due_on == date(2026, 12, 4) and kept.promised_by == "partner"
        assert kept.status == "open" and kept.plan_due_on is None
