"""Claims as the nudges see them: who a claimed partner's check-in nudges go to, and the
expired claims housekeeping deletes.

A claim ("I'll reach out" on a team digest, `PartnerClaim`) is one row per partner; while its
`until` is after now, the claimer gets the partner's check-in nudges instead of the owner
(`bot.rules.nudges.check_in_recipient`). The digest's buttons write claims; these queries only
read, move and delete them. Every query filters by workspace, except housekeeping's, which
deletes expired rows of every workspace alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.orm import Session, aliased

from storage.models import Member, PartnerClaim
from storage.queries.common import rows_changed

# The member a claim names, joined only while they can receive nudges.
Claimer = aliased(Member, name="claimer")


def usable(member: type[Member]) -> ColumnElement[bool]:
    """The join condition that keeps a member who can receive nudges (active, not a guest)."""
    return and_(member.active.is_(True), member.is_guest.is_(False))


def forget_expired_claims(session: Session, now: datetime, limit: int) -> int:
    """Delete at most `limit` claims whose `until` is not after `now`; how many went. One
    statement for the batch (`ix_partner_claims_until` finds them)."""
    expired = (
        select(PartnerClaim.partner_id)
        .where(PartnerClaim.until <= now)
        .order_by(PartnerClaim.until)
        .limit(limit)
    )
    return rows_changed(session, delete(PartnerClaim).where(PartnerClaim.partner_id.in_(expired)))


def move_claim(
    session: Session, workspace_id: int, from_id: int, into_id: int, now: datetime
) -> bool:
    """On merging partner `from_id` into `into_id`: a live claim on `from_id` moves to `into_id`
    unless that one has a live claim of its own (then it stays, and the other goes with its
    partner). An expired claim on `into_id` gives way. True when a claim moved."""
    claims = {
        claim.partner_id: claim
        for claim in session.scalars(
            select(PartnerClaim)
            .where(
                PartnerClaim.workspace_id == workspace_id,
                PartnerClaim.partner_id.in_((from_id, into_id)),
            )
            .with_for_update()
        )
    }
    theirs, ours = claims.get(from_id), claims.get(into_id)
    if theirs is None or theirs.until <= now or (ours is not None and ours.until > now):
        if theirs is not None:
            session.delete(theirs)
        return False
    moved = PartnerClaim(
        partner_id=into_id,
        workspace_id=workspace_id,
        member_id=theirs.member_id,
        digest_id=theirs.digest_id,
        claimed_at=theirs.claimed_at,
        until=theirs.until,
    )
    session.delete(theirs)
    if ours is not None:
        session.delete(ours)
    session.flush()  # the partner id is the primary key: the rows giving way go first
    session.add(moved)
    session.flush()
    return True
