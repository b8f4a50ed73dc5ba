"""A channel's digest subscription: found by channel, switched on and off, suspended.

One row per channel and workspace (`DigestSubscription`); `digest off` keeps it (state "off"),
so that `digest on` again restores its settings. A subscription is suspended, never deleted,
when its channel is shared with another organisation (`suspend`): the `channel_shared` event
does it, and so does the dispatcher when Slack says so at posting time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Digest, DigestSubscription, Member
from storage.queries.common import insert_ignoring_conflict


def subscription_of(
    session: Session, workspace_id: int, channel_id: str
) -> DigestSubscription | None:
    """The channel's subscription in any state; None when it never had one."""
    return session.scalars(
        select(DigestSubscription).where(
            DigestSubscription.workspace_id == workspace_id,
            DigestSubscription.channel_id == channel_id,
        )
    ).one_or_none()


def add_subscription(
    session: Session,
    workspace_id: int,
    channel_id: str,
    subscriber: Member,
    settings: dict[str, Any],
    now: datetime,
) -> tuple[DigestSubscription, bool]:
    """A new active subscription of `channel_id` with `settings` (every_weeks, weekday, minute,
    tz, language, quiet, anchor_on), and True; or, when a `digest on` at the same moment
    created the channel's first (the unique channel wins, INSERT … ON CONFLICT DO NOTHING),
    that one and False, for the caller to treat as subscribed before."""
    created = insert_ignoring_conflict(
        session,
        DigestSubscription,
        {
            **settings,
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "subscriber_id": subscriber.id,
            "state": "active",
            "suspended_reason": None,
            "created_at": now,
            "updated_at": now,
        },
        ["workspace_id", "channel_id"],
    )
    found = subscription_of(session, workspace_id, channel_id)
    assert found is not None, "inserted or found by the unique channel"
    return found, created


def subscriber_of(session: Session, subscription: DigestSubscription) -> Member | None:
    """Who said `digest on` (None only if their row is gone, which cascades the subscription)."""
    return session.get(Member, subscription.subscriber_id)


def suspend(session: Session, subscription: DigestSubscription, reason: str, now: datetime) -> bool:
    """Suspend an active subscription because its channel is shared (`reason`: "ext_shared" or
    "pending_ext_shared"); True when it was active and now is suspended, False when it was
    off or suspended already (nothing changes, and nobody is told twice).

    `updated_at` is not moved: it stays when the subscription was last switched on, which
    `digest on` sets again when it resumes.
    """
    if subscription.state != "active":
        return False
    subscription.state = "suspended"
    subscription.suspended_reason = reason
    session.flush()
    return True


def latest_digest(session: Session, subscription: DigestSubscription) -> Digest | None:
    """The subscription's digest of the latest period (posted, held or still to post)."""
    return session.scalars(
        select(Digest)
        .where(
            Digest.workspace_id == subscription.workspace_id,
            Digest.subscription_id == subscription.id,
        )
        .order_by(Digest.period.desc())
        .limit(1)
    ).one_or_none()
