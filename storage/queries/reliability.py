"""The promises behind a member's reliability figure (`bot.rules.relationships.reliability`).

One statement per figure, whatever the member's history: the member's own promises (ours, not a
partner's), in one workspace, optionally to one partner, whose due day (or, for one moved after
it had passed, the day it was missed) lies in the window asked for. The member's index on
promises (`ix_promises_workspace_member_status_due`) narrows it to their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.models import Promise
from storage.queries.common import AnyRow


def promises_falling_due(
    session: Session,
    workspace_id: int,
    member_id: int,
    first: date,
    last: date,
    partner_id: int | None = None,
) -> Sequence[AnyRow]:
    """Rows of (due_on, missed_on, status, resolved_at) of the promises `member_id` made that
    fell due from `first` to `last` (both included, the member's local days), to `partner_id`
    alone when given."""
    falls_due = or_(
        and_(Promise.missed_on.is_(None), Promise.due_on.between(first, last)),
        Promise.missed_on.between(first, last),
    )
    query = select(Promise.due_on, Promise.missed_on, Promise.status, Promise.resolved_at).where(
        Promise.workspace_id == workspace_id,
        Promise.member_id == member_id,
        Promise.promised_by == "us",
        falls_due,
    )
    if partner_id is not None:
        query = query.where(Promise.partner_id == partner_id)
    return session.execute(query).all()
