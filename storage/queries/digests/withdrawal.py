"""The digests of a channel that still show partners, for withdrawing them when the channel may
no longer read partner data (shared with another organisation, a guest in it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Digest, DigestSubscription, Workspace


@dataclass(frozen=True)
class ShowingDigest:
    """A posted digest whose message still lists partners: its id, its workspace, its message
    (`ts`), the language and zone it is drawn in, and whether its subscription is suspended
    (the channel was found shared)."""

    id: str
    workspace_id: int
    ts: str
    language: str
    tz: str
    suspended: bool


def posted_showing(
    session: Session, team_id: str, channel_id: str, at_most: int
) -> list[ShowingDigest]:
    """The workspace's digests posted in the channel whose message still lists partners (a
    `ts` and a `shown`), newest first, at most `at_most`; one statement."""
    query = (
        select(
            Digest.id,
            Digest.workspace_id,
            Digest.ts,
            DigestSubscription.language,
            DigestSubscription.tz,
            DigestSubscription.state == "suspended",
        )
        .join(Workspace, Workspace.id == Digest.workspace_id)
        .join(DigestSubscription, DigestSubscription.id == Digest.subscription_id)
        # By the channel's subscription (one a channel), then its digests by their unique
        # (subscription, period): no digest of another channel is read.
        .where(
            Workspace.team_id == team_id,
            DigestSubscription.channel_id == channel_id,
            Digest.channel_id == channel_id,
            Digest.ts.is_not(None),
            Digest.shown.is_not(None),
        )
        .order_by(Digest.period.desc())
        .limit(at_most)
    )
    return [
        ShowingDigest(did, wid, str(ts), language, tz, bool(suspended))
        for did, wid, ts, language, tz, suspended in session.execute(query).all()
    ]


def forget_shown(session: Session, digest_id: str) -> None:
    """The digest's message lists nobody any more (withdrawn): its `shown` goes."""
    session.execute(update(Digest).where(Digest.id == digest_id).values(shown=None))
