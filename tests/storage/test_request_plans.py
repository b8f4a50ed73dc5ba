"""Reads run for a request (a press in a nudge DM, a Home tab drawn, a contact edited, a list
of one's partners) go through an index that holds their answer (migration 0034), on both
backends: the nudges of one item by (kind, subject), not the whole outbox; the promises of one
contact by (workspace, interaction), not the workspace's every promise; a member's live claims
from the claims, and a page of a member's own partners from theirs, not from every partner of
the workspace. SQLite plans by its heuristics alone (Rapport never ANALYZEs it); PostgreSQL is
told to avoid a scan, as it would on a large table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import (
    Bundle,
    Interaction,
    Member,
    Nudge,
    Partner,
    PartnerClaim,
    Promise,
    Workspace,
)
from storage.queries.contacts import promises_of
from storage.queries.digests.claims import claims_held, live_claims
from storage.queries.erasure import what_forgetting_erases
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.outbox.dm_reads import latest_answer
from storage.queries.outbox.undo import answered_since, clear_copies
from storage.queries.partner_lists import PartnerFilter, partner_page
from tests.support.plans import explained, plan_of, statements_sent

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


def _world(db: Database) -> dict[str, Any]:
    """Two members; three partners of the first, one claimed by the second; a contact with a
    promise; two DMs listing the promise, one answered."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0REQUEST", created_at=NOW)
        session.add(workspace)
        session.flush()
        members = [
            Member(workspace_id=workspace.id, slack_user_id=f"U0{i}", tz="UTC", refreshed_at=NOW)
            for i in range(2)
        ]
        session.add_all(members)
        session.flush()
        owner, claimer = members
        partners = list(
            session.scalars(
                insert(Partner).returning(Partner.id),
                [
                    {
                        "workspace_id": workspace.id,
                        "name": f"partner {i}",
                        "name_key": f"partner {i}",
                        "organisation_key": "",
                        "owner_id": owner.id,
                        "created_at": NOW,
                    }
                    for i in range(3)
                ],
            )
        )
        session.add(
            PartnerClaim(
                partner_id=partners[0],
                workspace_id=workspace.id,
                member_id=claimer.id,
                claimed_at=NOW,
                until=NOW + timedelta(days=7),
            )
        )
        contact = Interaction(
            workspace_id=workspace.id,
            partner_id=partners[0],
            member_id=owner.id,
            occurred_at=NOW,
            kind="contact",
            created_at=NOW,
        )
        session.add(contact)
        session.flush()
        refresh_contact_times(session, [partners[0]])
        promise = Promise(
            workspace_id=workspace.id,
            partner_id=partners[0],
            member_id=owner.id,
            interaction_id=contact.id,
            text="send the quote",
            due_on=TODAY,
            status="open",
            created_at=NOW,
        )
        session.add(promise)
        session.flush()
        bundles = ["dm-a", "dm-b"]
        session.execute(
            insert(Bundle),
            [
                {
                    "id": bundle_id,
                    "workspace_id": workspace.id,
                    "member_id": owner.id,
                    "local_day": TODAY - timedelta(days=i),
                    "state": "sent",
                    "created_at": NOW,
                }
                for i, bundle_id in enumerate(bundles)
            ],
        )
        session.execute(
            insert(Nudge),
            [
                {
                    "workspace_id": workspace.id,
                    "member_id": owner.id,
                    "kind": "promise",
                    "subject_id": promise.id,
                    "due_on": TODAY,
                    "period": TODAY - timedelta(days=i),
                    "state": "sent",
                    "bundle_id": bundle_id,
                    "created_at": NOW,
                    "answer": "kept" if i == 0 else None,
                    "answered_by_id": owner.id if i == 0 else None,
                    "answered_at": NOW if i == 0 else None,
                }
                for i, bundle_id in enumerate(bundles)
            ],
        )
    return {
        "workspace": workspace.id,
        "owner": owner.id,
        "claimer": claimer.id,
        "partner": partners[0],
        "contact": contact.id,
        "promise": promise.id,
    }


def _plans(session: Session, work: Any, table: str) -> list[str]:
    """The plans of the statements `work` sends that read or write `table`, each through the
    driver's own cursor (SQLAlchemy reads no rows back from an EXPLAIN of an UPDATE)."""
    found = []
    for statement, parameters in statements_sent(session, work):
        if f" {table} " not in f" {statement} ".replace("\n", " "):
            continue
        if statement.startswith("SELECT"):
            found.append(explained(session, statement, parameters))
            continue
        cursor = session.connection().connection.cursor()
        if session.get_bind().dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
        found.append(" ".join(str(row) for row in cursor.fetchall()))
    return found


def test_an_undos_reads_of_one_item_go_by_kind_and_subject(db: Database) -> None:
    world = _world(db)
    ws, promise, owner = world["workspace"], world["promise"], world["owner"]
    with db.transaction() as session:
        plan = plan_of(session, lambda s: answered_since(s, ws, "promise", promise, "dm-a", NOW))
        assert "ix_outbox_kind_subject" in plan, plan
        assert not answered_since(session, ws, "promise", promise, "dm-a", NOW)

        def copies(s: Session) -> None:
            clear_copies(s, ws, "promise", promise, "kept", owner, NOW)

        plans = _plans(session, copies, "outbox")
        assert len(plans) == 2, "the copies' DMs read, then their answers taken back"
        for plan in plans:
            assert "ix_outbox_kind_subject" in plan, plan


def test_a_promises_last_answer_is_read_by_kind_and_subject(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:
        plan = plan_of(session, lambda s: latest_answer(s, "promise", world["promise"]))
        assert "ix_outbox_kind_subject" in plan, plan
        answer = latest_answer(session, "promise", world["promise"])
        assert answer is not None and answer.answer == "kept"


def test_the_nudges_forgetting_a_partner_erases_are_counted_by_item(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:
        [every, _pending] = _plans(
            session,
            lambda s: what_forgetting_erases(s, world["workspace"], world["partner"]),
            "outbox",
        )
        assert "ix_outbox_kind_subject" in every, every
        erased = what_forgetting_erases(session, world["workspace"], world["partner"])
        assert (erased.nudges, erased.pending_nudges) == (2, 0)


def test_a_contacts_promises_are_read_by_their_contact(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:
        plan = plan_of(session, lambda s: promises_of(s, world["workspace"], world["contact"]))
        assert "ix_promises_workspace_interaction" in plan, plan
        found = promises_of(session, world["workspace"], world["contact"])
        assert [p.id for p in found] == [world["promise"]]


def test_a_members_live_claims_are_read_from_the_claims(db: Database) -> None:
    world = _world(db)
    with db.transaction() as session:

        def held(s: Session) -> Any:
            return claims_held(s, world["workspace"], world["claimer"], NOW, limit=5)

        plans = _plans(session, held, "partner_claims")
        assert len(plans) == 2, "the claims, and how many there are"
        for plan in plans:
            assert "ix_partner_claims_member_until" in plan, plan
        claims, total = held(session)
        assert ([c.partner_id for c in claims], total) == ([world["partner"]], 1)
        assert session.scalar(select(PartnerClaim.member_id)) == world["claimer"]


def test_a_few_partners_claims_are_still_read_by_their_keys(db: Database) -> None:
    """The claims index is not led by the workspace: the claims of a few partners (a digest's,
    a card's) are found by their partners' ids, not among the workspace's every claim."""
    world = _world(db)
    with db.transaction() as session:
        ids = [world["partner"], world["partner"] + 1]  # more than one: a list of keys
        plan = plan_of(session, lambda s: live_claims(s, world["workspace"], ids, NOW))
        assert "ix_partner_claims_member_until" not in plan, plan
        assert "SCAN partner_claims" not in plan, plan
        assert set(live_claims(session, world["workspace"], ids, NOW)) == {world["partner"]}


def test_a_page_of_a_members_own_partners_is_read_from_theirs_in_list_order(
    db: Database,
) -> None:
    world = _world(db)
    with db.transaction() as session:

        def page(s: Session) -> Any:
            mine = PartnerFilter(owner_id=world["owner"])
            return partner_page(
                s, world["workspace"], mine, today=TODAY, offset=0, limit=2, reminders=3
            )

        plan = plan_of(session, page)
        assert "ix_partners_workspace_owner_order" in plan, plan
        assert [row.name for row in page(session)] == ["partner 0", "partner 1"]
