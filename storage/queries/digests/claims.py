"""Claims ("I'll reach out" on a digest): writing one, and reading the live ones.

A claim is live while `until` is ahead and its claimer still looks after partners (an active
member, not a guest): a claimer who left reaches out to nobody, and a guest sees no partner
data, so neither is shown as being on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from storage.models import Member, Partner, PartnerClaim
from storage.vocabulary import CLAIM_DAYS


@dataclass(frozen=True)
class LiveClaim:
    """Who is on a partner until when (aware UTC): their member id, Slack id and name."""

    partner_id: int
    member_id: int
    user_id: str
    name: str
    until: datetime


def live_claims(
    session: Session, workspace_id: int, partner_ids: Select[int] | Sequence[int], now: datetime
) -> dict[int, LiveClaim]:
    """The live claims of the partners `partner_ids` selects (or lists), by partner, in one
    statement."""
    query = _live_claims(workspace_id, partner_ids, now)
    return {row[0]: LiveClaim(*row) for row in session.execute(query).all()}


def _live_claims(
    workspace_id: int | ColumnElement[int],
    partner_ids: Select[int] | Sequence[int] | BindParameter[int],
    now: datetime | ColumnElement[datetime],
) -> Select[int, int, str, str, datetime]:
    return (
        select(
            PartnerClaim.partner_id,
            Member.id,
            Member.slack_user_id,
            Member.name,
            PartnerClaim.until,
        )
        .join(Member, Member.id == PartnerClaim.member_id)
        .where(
            PartnerClaim.workspace_id == workspace_id,
            PartnerClaim.partner_id.in_(partner_ids),
            PartnerClaim.until > now,
            Member.active,
            ~Member.is_guest,
        )
    )


def live_claim(
    session: Session, workspace_id: int, partner_id: int, now: datetime
) -> LiveClaim | None:
    """The partner's live claim, if it has one."""
    ids = select(PartnerClaim.partner_id).where(PartnerClaim.partner_id == partner_id)
    return live_claims(session, workspace_id, ids, now).get(partner_id)


def claim(
    session: Session,
    workspace_id: int,
    partner_id: int,
    member_id: int,
    digest_id: str | None,
    now: datetime,
) -> PartnerClaim:
    """`member_id` claims the partner for `CLAIM_DAYS` days from `now`, replacing any claim it
    had (one per partner). The caller holds the partner's row lock (`partner_for_update`), so
    that two presses at once end with one claim, the later one; it has checked that the partner
    is the workspace's (a partner's id names one partner of one workspace)."""
    row = session.get(PartnerClaim, partner_id)
    if row is None:
        row = PartnerClaim(partner_id=partner_id, workspace_id=workspace_id)
        session.add(row)
    row.member_id = member_id
    row.digest_id = digest_id
    row.claimed_at = now
    row.until = now + timedelta(days=CLAIM_DAYS)
    session.flush()
    return row


@dataclass(frozen=True)
class HeldClaim:
    """A live claim of the member's own, on a partner someone else looks after (or nobody):
    the partner, its owner's Slack id (None without one) and whether that owner still looks
    after it (an active member, not a guest), and the instant the claim ends (aware UTC)."""

    partner_id: int
    name: str
    organisation: str | None
    owner_user_id: str | None
    owner_active: bool
    until: datetime


def claims_held(
    session: Session, workspace_id: int, member_id: int, now: datetime, *, limit: int
) -> tuple[list[HeldClaim], int]:
    """The member's live claims on partners they do not look after themselves, the soonest to
    end first (then by name), at most `limit`, and how many there are in all: two statements,
    whatever the number. The caller has checked that the member is one who may see partners
    (the asker's check); both the claim and its partner must be the workspace's."""
    owner = aliased(Member)
    clauses = (
        PartnerClaim.workspace_id == workspace_id,
        PartnerClaim.member_id == member_id,
        PartnerClaim.until > now,
        Partner.workspace_id == workspace_id,
        # One's own partner's nudges come to one anyway: such a claim stands in for nobody.
        or_(Partner.owner_id.is_(None), Partner.owner_id != member_id),
    )
    rows = session.execute(
        select(
            Partner.id,
            Partner.name,
            Partner.organisation,
            owner.slack_user_id,
            and_(owner.active, ~owner.is_guest),
            PartnerClaim.until,
        )
        .join(Partner, Partner.id == PartnerClaim.partner_id)
        .outerjoin(owner, owner.id == Partner.owner_id)
        .where(*clauses)
        .order_by(PartnerClaim.until, Partner.name_key, Partner.id)
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count(PartnerClaim.partner_id))
        .join(Partner, Partner.id == PartnerClaim.partner_id)
        .where(*clauses)
    )
    held = [
        HeldClaim(pid, name, org, user, bool(active) if user else False, until)
        for pid, name, org, user, active, until in rows
    ]
    return held, int(total or 0)
