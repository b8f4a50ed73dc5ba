"""A partner's health as lists and cards show it: the rule's
(`bot.rules.relationships.health`), fed from one row of `storage.queries.partner_lists`.

The list and the card read the same row and ask the same rule, so that they never disagree.
Days are the reader's (`reader.today`), as the rest of a list row; instants are turned into
days in the owner's zone, where the planner counts the check-in day (the reader's when nobody
looks after the partner). One-sidedness needs half a year of a partner's contacts, which
neither reads yet: neither says `one_sided`; a team digest reads them and passes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.rules.nudges import MAX_UNANSWERED
from bot.rules.relationships.contact_balance import OneSided
from bot.rules.relationships.health import Health, HealthSubject, health
from bot.rules.zones import zone
from bot.texts.reader import Reader
from storage.queries.partner_lists import PartnerFilter, PartnerListRow, partner_page


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
