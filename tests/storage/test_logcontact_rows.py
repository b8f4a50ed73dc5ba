"""The reads and writes of `/logcontact`'s common path without the ORM's entities: the
partners a typed word may name as plain rows (`partners_starting_with`), the one logged for as
its row holds it (`KnownPartner`), held under its lock on PostgreSQL (`held_known`), its moved
times written by one UPDATE (`write_contact_times`), and the contact and promise by prebuilt
INSERTs (one statement for both on PostgreSQL). What they read and write must be what the ORM
would have: the same values, the row as the transaction holds it, a change of the partner's
times alone, of its workspace alone. The member asking is read as an entity, the same object the
session holds (`member_of_team`), or as its columns (`member_row_of_team`, what the text command
reads), which must be the entity's. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Interaction, Member, Partner, Promise
from storage.queries.contacts import insert_contact, insert_contact_and_promise, insert_promise
from storage.queries.health.contact_times import COLUMNS as TIME_COLUMNS
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import (
    MemberRow,
    member_of_team,
    member_row_of_team,
    save_member,
    workspace_for,
)
from storage.queries.partners import (
    CANDIDATE_COLUMNS,
    KnownPartner,
    add_partner,
    held_known,
    partners_starting_with,
    write_contact_times,
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


def test_the_member_asking_as_columns_holds_the_entitys_and_of_their_team_alone(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        member = session.get_one(Member, ids["member"])
        member.language = "en"  # their choice over Slack's German
        expected = {field: getattr(member, field) for field in MemberRow.__dataclass_fields__}
        expected_locale = member.preferred_locale
    with db.transaction() as session:
        row = member_row_of_team(session, "T0OURS", "U0ANNA")
        assert row is not None and not session.identity_map
        assert {field: getattr(row, field) for field in MemberRow.__dataclass_fields__} == expected
        assert row.preferred_locale == expected_locale == "en"
        other = member_row_of_team(session, "T0THEIRS", "U0ANNA")
        assert other is not None and other.tz == "Asia/Tokyo" and other.id != row.id
        assert member_row_of_team(session, "T0NOBODY", "U0ANNA") is None
        assert member_row_of_team(session, "T0OURS", "U0NOBODY") is None


def test_a_change_to_the_member_asking_is_written(db: Database, ids: dict[str, int]) -> None:
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


def _known(session: Session, workspace_id: int, name: str) -> KnownPartner:
    rows = partners_starting_with(session, workspace_id, "acme")
    return KnownPartner.of(next(r for r in rows if r.name == name))


def test_a_candidate_row_holds_what_the_entity_holds_of_its_columns(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        expected = _columns(session.get(Partner, ids["acme"]), Partner)
    with db.transaction() as session:
        rows = partners_starting_with(session, ids["ours"], "ACME")
        assert sorted(r.name for r in rows) == ["Acme", "Acme Nord"]
        assert set(rows[0]._mapping) == {c.key for c in CANDIDATE_COLUMNS}
        known = _known(session, ids["ours"], "Acme")
        assert vars(known) == {c.key: expected[c.key] for c in CANDIDATE_COLUMNS}
        # Another workspace's word finds none of ours.
        assert partners_starting_with(session, ids["theirs"], "acme") == []


def test_a_known_partner_is_held_as_its_row_stands_and_none_once_gone(
    db: Database, ids: dict[str, int]
) -> None:
    with db.transaction() as session:
        known = _known(session, ids["ours"], "Acme")
    with db.transaction() as session:  # another request changes it meanwhile
        partner = session.get(Partner, ids["acme"])
        assert partner is not None
        partner.max_contacts = 7
    with db.transaction() as session, _statements(db) as sent:
        held = held_known(session, known)
        if db.backend == "postgresql":
            # Read again under the row's lock: the row as it stands now.
            assert held is not None and held.max_contacts == 7
            assert len(sent) == 1 and sent[0].endswith("FOR NO KEY UPDATE"), sent
        else:
            # One writer at a time, and this transaction read the row itself: nothing to read.
            assert held is known and sent == []
    with db.transaction() as session, _statements(db) as sent:
        # Read in an earlier transaction (a command read apart): read again, on both backends.
        held = held_known(session, known, read_before=True)
        assert held is not None and held.max_contacts == 7
        reads = [s for s in sent if not s.startswith("BEGIN")]
        assert len(reads) == 1 and reads[0].startswith("SELECT partners.id"), sent
    with db.transaction() as session:
        session.execute(delete(Partner).where(Partner.id == ids["acme"]))
    with db.transaction() as session:
        assert (held_known(session, known) is None) == (db.backend == "postgresql")
        assert held_known(session, known, read_before=True) is None


def test_moved_times_are_written_to_that_partner_alone(db: Database, ids: dict[str, int]) -> None:
    later = NOW + timedelta(days=2)
    with db.transaction() as session:
        before = {p.id: _columns(p, Partner) for p in session.scalars(select(Partner))}
        times = {column: None for column in TIME_COLUMNS}
        times.update(last_contact_at=later, first_contact_at=later, contact_due_at=later)
        with _statements(db) as sent:
            write_contact_times(session, ids["ours"], ids["acme"], times)
            # The right partner id in another workspace changes nothing.
            write_contact_times(
                session, ids["theirs"], ids["acme"], {**times, "last_contact_at": NOW}
            )
        assert [s.split(" SET ")[0] for s in sent] == ["UPDATE partners"] * 2
        session.expire_all()
        after = {p.id: _columns(p, Partner) for p in session.scalars(select(Partner))}
        assert after[ids["acme"]] == {**before[ids["acme"]], **times}
        assert {i: c for i, c in after.items() if i != ids["acme"]} == {
            i: c for i, c in before.items() if i != ids["acme"]
        }
        refresh_contact_times(session, [ids["acme"]])  # the history has no contact: undo it


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


def test_a_contact_and_its_promise_go_in_together_each_promise_on_its_own_contact(
    db: Database, ids: dict[str, int]
) -> None:
    """One statement on PostgreSQL (the contact's INSERT a CTE), two on SQLite; either way the
    promise is the new contact's, and its values are stored as given."""
    contact = {
        "workspace_id": ids["ours"],
        "partner_id": ids["acme"],
        "member_id": ids["member"],
        "occurred_at": NOW,
        "has_time": False,
        "medium": None,
        "kind": "contact",
        "direction": "mutual",
        "note": "",
        "source": "command",
        "created_partner": False,
        "created_at": NOW,
        "before_edit": None,
    }
    promise = {
        "workspace_id": ids["ours"],
        "partner_id": ids["acme"],
        "member_id": ids["member"],
        "text": "Angebot schicken",
        "due_on": date(2026, 12, 4),
        "status": "open",
        "created_at": NOW,
        "resolved_at": None,
        "drop_reason": None,
        "promised_by": "us",
        "missed_on": None,
    }
    with db.transaction() as session:
        plain = insert_contact(session, contact)  # one without a promise between them
        with _statements(db) as sent:
            first = insert_contact_and_promise(session, contact, promise)
        second = insert_contact_and_promise(
            session, {**contact, "note": "zwei"}, {**promise, "text": "send the deck"}
        )
        refresh_contact_times(session, [ids["acme"]])
    assert len(sent) == (1 if db.backend == "postgresql" else 2), sent
    assert plain < first < second
    with db.transaction() as session:
        kept = session.scalars(select(Promise).order_by(Promise.id)).all()
        assert [(p.interaction_id, p.text) for p in kept] == [
            (first, "Angebot schicken"),
            (second, "send the deck"),
        ]
        assert {k: getattr(kept[0], k) for k in promise} == promise
        stored = session.get(Interaction, second)
        assert stored is not None and stored.note == "zwei" and stored.medium is None
