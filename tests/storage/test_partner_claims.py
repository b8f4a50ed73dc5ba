"""Claims at the table level, on SQLite and PostgreSQL: forgetting a partner takes its claim
with it (ON DELETE CASCADE), merging moves a live claim to the partner that remains unless
that one has its own, and housekeeping deletes expired claims in batches, never a live one nor
another workspace's live one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduler import housekeeping
from storage.db import Database
from storage.models import Member, Partner, PartnerClaim, Workspace
from storage.queries.digests.claims import live_claim
from storage.queries.erasure import erase_partner
from storage.queries.merging import merge_history
from storage.queries.outbox.claims import forget_expired_claims

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LIVE = AT + timedelta(days=14)
ENDED = AT - timedelta(minutes=1)


def _world(
    db: Database, team_id: str = "T0CLAIM", partners: int = 2
) -> tuple[int, int, int, list[int]]:
    """A workspace, an owner, a colleague and partners of the owner: (workspace, owner,
    colleague, partner ids)."""
    with db.transaction() as session:
        workspace = Workspace(team_id=team_id, created_at=AT)
        session.add(workspace)
        session.flush()
        owner = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=AT)
        colleague = Member(workspace_id=workspace.id, slack_user_id="U0BOB", refreshed_at=AT)
        session.add_all([owner, colleague])
        session.flush()
        rows = [
            Partner(
                workspace_id=workspace.id,
                name=f"Partner {i}",
                name_key=f"partner {i}",
                owner_id=owner.id,
                created_at=AT,
            )
            for i in range(partners)
        ]
        session.add_all(rows)
        session.flush()
        return workspace.id, owner.id, colleague.id, [p.id for p in rows]


def _claim(
    db: Database, workspace_id: int, partner_id: int, member_id: int, until: datetime
) -> None:
    with db.transaction() as session:
        session.add(
            PartnerClaim(
                partner_id=partner_id,
                workspace_id=workspace_id,
                member_id=member_id,
                claimed_at=until - timedelta(days=14),
                until=until,
            )
        )


def _claims(db: Database) -> dict[int, tuple[int, datetime]]:
    with db.reading() as session:
        return {c.partner_id: (c.member_id, c.until) for c in session.scalars(select(PartnerClaim))}


def test_forgetting_a_partner_deletes_its_claim(db: Database) -> None:
    workspace, owner, colleague, (forgotten, kept) = _world(db)
    _claim(db, workspace, forgotten, colleague, LIVE)
    _claim(db, workspace, kept, colleague, LIVE)

    with db.transaction() as session:
        erase_partner(session, workspace, forgotten, pending_ids=[], member_id=owner, now=AT)

    assert _claims(db) == {kept: (colleague, LIVE)}


def test_a_merge_moves_a_live_claim_to_the_partner_that_remains(db: Database) -> None:
    workspace, owner, colleague, (absorbed, into) = _world(db)
    _claim(db, workspace, absorbed, colleague, LIVE)

    with db.transaction() as session:
        merge_history(session, workspace, absorbed, into, member_id=owner, now=AT)
        session.execute(Partner.__table__.delete().where(Partner.id == absorbed))

    assert _claims(db) == {into: (colleague, LIVE)}
    with db.reading() as session:
        found = live_claim(session, workspace, into, AT)
        assert found is not None and found.member_id == colleague
        assert live_claim(session, workspace, into, LIVE) is None  # `until` is exclusive


def test_a_merge_keeps_the_remaining_partners_own_live_claim(db: Database) -> None:
    workspace, owner, colleague, (absorbed, into) = _world(db)
    _claim(db, workspace, absorbed, colleague, LIVE)
    _claim(db, workspace, into, owner, LIVE - timedelta(days=3))

    with db.transaction() as session:
        merge_history(session, workspace, absorbed, into, member_id=owner, now=AT)

    assert _claims(db) == {into: (owner, LIVE - timedelta(days=3))}


def test_a_merge_puts_a_live_claim_in_place_of_an_expired_one(db: Database) -> None:
    workspace, owner, colleague, (absorbed, into) = _world(db)
    _claim(db, workspace, absorbed, colleague, LIVE)
    _claim(db, workspace, into, owner, ENDED)

    with db.transaction() as session:
        merge_history(session, workspace, absorbed, into, member_id=owner, now=AT)

    assert _claims(db) == {into: (colleague, LIVE)}


def test_a_merge_does_not_move_an_expired_claim(db: Database) -> None:
    workspace, owner, colleague, (absorbed, into) = _world(db)
    _claim(db, workspace, absorbed, colleague, ENDED)

    with db.transaction() as session:
        merge_history(session, workspace, absorbed, into, member_id=owner, now=AT)

    assert _claims(db) == {}


def test_expired_claims_go_in_batches_and_live_ones_stay(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, _, colleague, partners = _world(db, partners=12)
    other, _, stranger, theirs = _world(db, team_id="T0OTHER", partners=2)
    for i, partner in enumerate(partners[:9]):
        _claim(db, workspace, partner, colleague, ENDED - timedelta(hours=i))
    _claim(db, workspace, partners[9], colleague, AT)  # ends exactly now: ended
    for partner in partners[10:]:
        _claim(db, workspace, partner, colleague, LIVE)
    _claim(db, other, theirs[0], stranger, ENDED)
    _claim(db, other, theirs[1], stranger, AT + timedelta(seconds=1))
    with db.transaction() as session:
        assert forget_expired_claims(session, AT, 4) == 4  # one batch holds at most its limit

    monkeypatch.setattr(housekeeping, "FORGET_BATCH", 3)
    assert housekeeping.forget_expired_claims(db, AT) == 7

    assert sorted(_claims(db)) == sorted([*partners[10:], theirs[1]])
