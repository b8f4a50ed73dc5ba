"""A channel's digest subscription: found by channel, switched on and off, suspended.

One row per channel and workspace (`DigestSubscription`); `digest off` keeps it (state "off"),
so that `digest on` again restores its settings. A subscription is suspended, never deleted,
when its channel is shared with another organisation (`suspend`): the `channel_shared` event
does it, and so does the dispatcher when Slack says so at posting time.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Digest, DigestSubscription, Member


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
    *,
    anchor_on: date,
    now: datetime,
) -> DigestSubscription:
    """A new active subscription of `channel_id` with the defaults of the model (the caller
    sets the schedule, zone and language before the transaction ends)."""
    subscription = DigestSubscription(
        workspace_id=workspace_id,
        channel_id=channel_id,
        subscriber_id=subscriber.id,
        anchor_on=anchor_on,
        state="active",
        suspended_reason=None,
        created_at=now,
        updated_at=now,
    )
    session.add(subscription)
    return subscription


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
