"""The channel outbox's queries: planning digests, leasing them to a dispatcher, and its waits.

Planning is set-based: one select of the active subscriptions and one executemany of ON CONFLICT
DO NOTHING on (subscription, period), whatever the number of channels; the unique key is what
keeps a repeated or concurrent planner tick to one digest a channel a period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.models import Digest, DigestSubscription, Member, Workspace
from storage.queries.common import insert_or_nothing

UNFINISHED = ("ready", "sending")


def active_subscriptions(session: Session) -> Sequence[DigestSubscription]:
    """Every workspace's subscriptions that post (not off, not suspended)."""
    return session.scalars(
        select(DigestSubscription)
        .where(DigestSubscription.state == "active")
        .order_by(DigestSubscription.id)
    ).all()


def add_digests(session: Session, digests: list[dict[str, Any]]) -> None:
    """Write digests to the outbox; one already there for the same subscription and period is
    left as it is (sent, or on its way). One executemany for all of them."""
    if not digests:
        return
    conflict = ["subscription_id", "period"]
    session.execute(insert_or_nothing(session, Digest.__table__, conflict), digests)


def claim_digests(
    session: Session, owner: str, now: datetime, lease_until: datetime, limit: int
) -> list[Digest]:
    """Lease up to `limit` digests nobody holds to `owner` until `lease_until`, oldest first.

    The rows are chosen FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite's writes are serial), so
    concurrent dispatchers take different digests; after this transaction the lease is what
    another dispatcher respects.
    """
    free = select(Digest.id).where(
        Digest.state.in_(UNFINISHED),
        or_(Digest.not_before.is_(None), Digest.not_before <= now),
        or_(Digest.lease_until.is_(None), Digest.lease_until <= now),
    )
    chosen = list(
        session.scalars(
            free.order_by(Digest.created_at, Digest.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if chosen:
        leased = update(Digest).where(Digest.id.in_(chosen))
        session.execute(leased.values(claimed_by=owner, lease_until=lease_until))
    rows = session.scalars(select(Digest).where(Digest.id.in_(chosen))).all()
    return sorted(rows, key=lambda digest: (digest.created_at, digest.id))


def held_digest(session: Session, digest_id: str, owner: str, now: datetime) -> Digest | None:
    """The unfinished digest while `owner` still holds its lease (a slow dispatcher may have
    lost it to another)."""
    digest = session.get(Digest, digest_id, populate_existing=True)
    if digest is None or digest.state not in UNFINISHED or digest.claimed_by != owner:
        return None
    return digest if digest.lease_until is not None and digest.lease_until > now else None


def team_of(session: Session, workspace_id: int) -> str:
    """The Slack team id of a workspace."""
    return session.get_one(Workspace, workspace_id).team_id


def guest_flags(session: Session, workspace_id: int, user_ids: Sequence[str]) -> dict[str, bool]:
    """For those of `user_ids` Rapport knows as members of the workspace: whether each is a
    guest (kept current by Slack's `user_change`, so Slack need not be asked about them)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Member.slack_user_id, Member.is_guest).where(
            Member.workspace_id == workspace_id, Member.slack_user_id.in_(user_ids)
        )
    )
    return {user: bool(is_guest) for user, is_guest in rows}


def digest_waits(session: Session, after: datetime, until: datetime) -> list[datetime]:
    """The ends of unfinished digests' waits (a Retry-After, a backoff, a history check) within
    (after, until]."""
    waits = session.scalars(
        select(Digest.not_before).where(
            Digest.state.in_(UNFINISHED),
            Digest.not_before > after,
            Digest.not_before <= until,
        )
    ).all()
    return [wait for wait in waits if wait is not None]
