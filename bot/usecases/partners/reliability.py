"""A member's reliability figure as the Home tab and the partner card read it, and the one place
a promise's due day is moved.

The figure is the rule's (`bot.rules.relationships.reliability`) over one statement's rows
(`storage.queries.reliability`). Days are the member's own: their local today decides the
window, and the instant a promise was settled becomes a day in the member's zone. It is read
for the member themselves alone: callers pass the asker, never someone else, so nobody sees
another's figure.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.rules.relationships.reliability import (
    PromiseOutcome,
    Reliability,
    missed_on_move,
    reliability,
    window,
)
from bot.rules.zones import zone
from storage.models import Member, Promise
from storage.queries.reliability import promises_falling_due


def own_reliability(
    session: Session, member: Member, today: date, partner_id: int | None = None
) -> Reliability | None:
    """`member`'s figure on their local `today`, over all their promises or those to
    `partner_id`; None when none fell due in the window."""
    first, last = window(today)
    tz = zone(member.tz)
    rows = promises_falling_due(session, member.workspace_id, member.id, first, last, partner_id)
    outcomes = [
        PromiseOutcome(
            due_on=row.due_on,
            missed_on=row.missed_on,
            status=row.status,
            resolved_on=row.resolved_at.astimezone(tz).date() if row.resolved_at else None,
        )
        for row in rows
    ]
    return reliability(outcomes, today)


def move_due(promise: Promise, new_due: date, tz: str, today: date) -> None:
    """Record on `promise` that its due day is about to move to `new_due` on the mover's local
    `today` (`tz` the promiser's zone, in which it was settled): a move after the due day had
    passed keeps the day missed (`missed_on_move`). The caller sets the new day itself, since
    the text may move with it."""
    resolved_on = promise.resolved_at.astimezone(zone(tz)).date() if promise.resolved_at else None
    promise.missed_on = missed_on_move(
        promise.due_on, new_due, promise.status, resolved_on, promise.missed_on, today
    )
