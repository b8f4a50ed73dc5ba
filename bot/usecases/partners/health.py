"""A partner's health as lists and cards show it: the rule's
(`bot.rules.relationships.health`), fed from one row of `storage.queries.partner_lists`.

The list and the card read the same row and ask the same rule, so that they never disagree.
Days are the reader's (`reader.today`), as the rest of a list row; instants are turned into
days in the owner's zone, where the planner counts the check-in day (the reader's when nobody
looks after the partner). One-sidedness needs half a year of a partner's directed contacts:
every surface reads them for the partners it shows, in one statement (`one_sided_of`), and
passes them, as the team digest does, so that a partner reads "one-sided" everywhere or
nowhere. Live claims ("I'll reach out" on a digest) are read the same way, one statement for
the partners shown (`claims_of`), so that the card, the lists and the Home say who is on a
partner where the digest does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.blocks.partner_lists import ClaimOn
from bot.rules.nudges import MAX_UNANSWERED
from bot.rules.ownership import is_unowned
from bot.rules.relationships.contact_balance import OneSided, one_sided
from bot.rules.relationships.health import Health, HealthSubject, health
from bot.rules.zones import zone
from bot.texts.reader import Reader
from storage.queries.common import AnyRow
from storage.queries.contacts import directed_contacts_of_partners
from storage.queries.digests.claims import live_claims
from storage.queries.partner_lists import PartnerFilter, PartnerListRow, partner_page
from storage.vocabulary import ONE_SIDED_DAYS, ONE_SIDED_DIRECTIONS


class HealthRow(HealthSubject, Protocol):
    """What `health_of` reads: the rule's fields, the owner's zone, and how many of our open
    promises with the partner are past their last reminder (a list row, or the lighter row a
    team digest chooses from)."""

    @property
    def owner_tz(self) -> str | None: ...
    @property
    def ours_past_reminders(self) -> int: ...


def counted_in(row: HealthRow, reader: Reader) -> ZoneInfo:
    """The zone a partner's days are counted in: its owner's, else the reader's."""
    return zone(row.owner_tz) if row.owner_tz else reader.zone


def health_of(
    row: HealthRow, reader: Reader, now: datetime, one_sided: OneSided | None = None
) -> tuple[Health, ...]:
    """The partner's states on the reader's day, most severe first; `one_sided` where the
    caller read the partner's contacts (`contact_balance.one_sided`)."""
    return health(
        row,
        today=reader.today(now),
        zone=counted_in(row, reader),
        promises_past_reminders=row.ours_past_reminders,
        one_sided=one_sided,
    )


def health_row(
    session: Session, workspace_id: int, partner_id: int, reader: Reader, now: datetime
) -> PartnerListRow | None:
    """One partner's row, read as its row in a list is (one statement): what its card shows
    of its check-in day and its health. None for a partner not in the workspace."""
    rows = partner_page(
        session,
        workspace_id,
        PartnerFilter(partner_id=partner_id),
        today=reader.today(now),
        offset=0,
        limit=1,
        reminders=MAX_UNANSWERED,
    )
    return rows[0] if rows else None


def one_sided_of(
    session: Session, workspace_id: int, partner_ids: Iterable[int], now: datetime
) -> dict[int, OneSided]:
    """The partners of `partner_ids` whose relationship is one-sided as of `now`
    (`contact_balance.one_sided`), by id; one statement for all of them (a page, a card)."""
    wanted = sorted(set(partner_ids))
    rows = directed_contacts_of_partners(
        session,
        workspace_id,
        wanted,
        (now - timedelta(days=ONE_SIDED_DAYS), now),
        ONE_SIDED_DIRECTIONS,
    )
    by_partner: dict[int, list[AnyRow]] = {}
    for row in rows:
        by_partner.setdefault(row.partner_id, []).append(row)
    found: dict[int, OneSided] = {}
    for partner_id, contacts in by_partner.items():
        sided = one_sided(contacts, now)
        if sided is not None:
            found[partner_id] = sided
    return found


def claims_of(
    session: Session,
    workspace_id: int,
    rows: Sequence[PartnerListRow],
    viewer_id: int,
    now: datetime,
) -> dict[int, ClaimOn]:
    """The live claims on the partners of `rows` (a page, a card's one row), by partner id, in
    one statement (`storage.queries.digests.claims.live_claims`: scoped to the workspace, a
    claimer who left or is now a guest holds none). `mine` says the viewer (member id
    `viewer_id`) is the claimer. A claim held by the partner's own owner, still looking after
    it, is left out: its check-in nudges go to them either way, and "on it" would read as if
    someone stood in for them."""
    if not rows:
        return {}
    claims = live_claims(session, workspace_id, [row.id for row in rows], now)
    found: dict[int, ClaimOn] = {}
    for row in rows:
        claim = claims.get(row.id)
        if claim is None:
            continue
        if claim.member_id == row.owner_id and not is_unowned(row.owner_id, row.owner_active):
            continue
        found[row.id] = ClaimOn(claim.name, claim.until, mine=claim.member_id == viewer_id)
    return found
