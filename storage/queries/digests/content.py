"""What a team digest reads: its partners' list rows, who looks after them and who last spoke
to them (by name), their directed contacts of the last half year, and their live claims.

Four statements whatever the number of partners, none per partner:

1. the partners' rows, read as the lists read them (`partner_lists.partner_page`: last
   contact and by whom, open promises both ways and overdue, ours past their last reminder);
2. the names of the owners and of the members who logged those last contacts;
3. the directed contacts (`gave`, `received`) of the last `ONE_SIDED_DAYS` days of the same
   partners, selected by the same filter rather than a list of ids;
4. the live claims of the same partners, with the claimer's name and Slack id.

Every statement filters by the workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Digest, Interaction, Member
from storage.queries.contacts import directed_contacts
from storage.queries.digests.claims import LiveClaim, live_claims
from storage.queries.partner_lists import (
    PartnerFilter,
    PartnerListRow,
    matching_partners,
    partner_page,
)
from storage.vocabulary import ONE_SIDED_DAYS, ONE_SIDED_DIRECTIONS


@dataclass(frozen=True)
class DirectedContact:
    """A contact that says who gave (`direction` "gave" or "received"); what
    `contact_balance.one_sided` reads."""

    id: int
    occurred_at: datetime
    kind: str
    direction: str


@dataclass(frozen=True)
class DigestRow:
    """One partner as a digest reads it: its list row, its owner's name, the name of who logged
    its last contact, its directed contacts of the last `ONE_SIDED_DAYS` days (oldest first),
    and its live claim (None without one)."""

    partner: PartnerListRow
    owner_name: str | None
    last_contact_by_name: str | None
    directed: tuple[DirectedContact, ...]
    claim: LiveClaim | None


def team_rows(
    session: Session,
    workspace_id: int,
    member_user_ids: Sequence[str],
    *,
    today: date,
    now: datetime,
    reminders: int,
) -> list[DigestRow]:
    """The partners the members with these Slack ids look after, and those nobody looks after,
    in the workspace; `today` is the digest's local day (promises due before it are overdue)."""
    where = PartnerFilter(owners_or_unowned=tuple(member_user_ids))
    return _rows(session, workspace_id, where, today=today, now=now, reminders=reminders)


def listed_rows(
    session: Session,
    workspace_id: int,
    partner_ids: Sequence[int],
    *,
    today: date,
    now: datetime,
    reminders: int,
) -> list[DigestRow]:
    """These partners of the workspace, as they are now (forgotten ones are not read)."""
    where = PartnerFilter(partner_ids=tuple(partner_ids))
    return _rows(session, workspace_id, where, today=today, now=now, reminders=reminders)


def newest_digest_id(session: Session, workspace_id: int, subscription_id: int) -> str | None:
    """The id of the subscription's digest of the latest period (the one being posted), or
    None before its first."""
    query = (
        select(Digest.id)
        .where(Digest.workspace_id == workspace_id, Digest.subscription_id == subscription_id)
        .order_by(Digest.period.desc())
        .limit(1)
    )
    return session.scalar(query)


def _rows(
    session: Session,
    workspace_id: int,
    where: PartnerFilter,
    *,
    today: date,
    now: datetime,
    reminders: int,
) -> list[DigestRow]:
    partners = partner_page(
        session, workspace_id, where, today=today, offset=0, limit=None, reminders=reminders
    )
    if not partners:
        return []
    wanted = {p.owner_id for p in partners if p.owner_id is not None}
    names = _names(session, workspace_id, wanted, {p.last_contact_by for p in partners})
    directed = _directed(session, workspace_id, where, now)
    claims = live_claims(session, workspace_id, matching_partners(workspace_id, where), now)
    return [
        DigestRow(
            partner=p,
            owner_name=names.by_id.get(p.owner_id) if p.owner_id is not None else None,
            last_contact_by_name=(
                names.by_user.get(p.last_contact_by) if p.last_contact_by else None
            ),
            directed=tuple(directed.get(p.id, ())),
            claim=claims.get(p.id),
        )
        for p in partners
    ]


@dataclass(frozen=True)
class _Names:
    by_id: dict[int, str]
    by_user: dict[str, str]


def _names(
    session: Session, workspace_id: int, member_ids: set[int], user_ids: set[str | None]
) -> _Names:
    """Members' names by id and by Slack id, in one statement."""
    users = {u for u in user_ids if u}
    if not member_ids and not users:
        return _Names({}, {})
    query = select(Member.id, Member.slack_user_id, Member.name).where(
        Member.workspace_id == workspace_id,
        Member.id.in_(member_ids) | Member.slack_user_id.in_(users),
    )
    by_id: dict[int, str] = {}
    by_user: dict[str, str] = {}
    for member_id, user_id, name in session.execute(query).all():
        by_id[member_id] = name
        by_user[user_id] = name
    return _Names(by_id, by_user)


def _directed(
    session: Session, workspace_id: int, where: PartnerFilter, now: datetime
) -> dict[int, list[DirectedContact]]:
    """The directed contacts of the last `ONE_SIDED_DAYS` days of the partners `where` selects,
    by partner, oldest first; `contact_balance.one_sided` decides from them."""
    since = now - timedelta(days=ONE_SIDED_DAYS)
    query = (
        directed_contacts(workspace_id, since, ONE_SIDED_DIRECTIONS)
        .where(
            Interaction.partner_id.in_(matching_partners(workspace_id, where)),
            Interaction.occurred_at <= now,
        )
        .order_by(Interaction.partner_id, Interaction.occurred_at, Interaction.id)
    )
    found: dict[int, list[DirectedContact]] = {}
    for partner_id, contact_id, occurred_at, kind, direction in session.execute(query).all():
        contact = DirectedContact(contact_id, occurred_at, kind, direction)
        found.setdefault(partner_id, []).append(contact)
    return found
