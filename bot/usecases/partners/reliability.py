"""A member's reliability figure as the Home tab and the partner card read it, and the one place
a promise's due day is moved.

The figure is the rule's (`bot.rules.relationships.reliability`) over one statement's rows
(`storage.queries.reliability`). A promise that already counts as missed is never erased from
it by a change of the contact it came with (an edit clearing it or making it the partner's, an
Undo of the contact): `keep_missed` keeps its row as dropped late, with `missed_on`, detached
from the contact, so the figure still counts it and nothing else shows it; an Undo of that edit
takes the same row back (`bot.usecases.contacts`).

Days are the member's own: their local today decides the window, and the instant a promise was
settled becomes a day in the member's zone. It is read for the member themselves alone:
callers pass the asker, never someone else, so nobody sees another's figure.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.rules.relationships.reliability import (
    PromiseOutcome,
    Reliability,
    Verdict,
    fell_due_on,
    missed_on_move,
    reliability,
    verdict,
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


def counts_as_missed(promise: Promise, tz: str, today: date) -> bool:
    """Whether `promise` counts against its promiser's figure on their local `today`: ours, and
    due and not kept (`verdict`: open past its day, kept or dropped after it, or moved after
    it). A promise not yet due, settled in time, or the partner's does not."""
    if promise.promised_by != "us":
        return False
    return verdict(_outcome(promise, tz), today) is Verdict.NOT_KEPT


def keep_missed(promise: Promise, tz: str, now: datetime) -> None:
    """Keep a missed promise (`counts_as_missed`) that its contact no longer has: dropped (when
    it was open) on `now`, missed on the day it fell due, and detached from the contact, so the
    contact's edits and Undo no longer see it while the figure still does. Dropped rather than
    deleted, because the miss happened: clearing the words afterwards does not unmake it."""
    promise.missed_on = fell_due_on(_outcome(promise, tz))
    if promise.status == "open":
        promise.status, promise.resolved_at = "dropped", now
    promise.interaction = None


def _outcome(promise: Promise, tz: str) -> PromiseOutcome:
    resolved = promise.resolved_at.astimezone(zone(tz)).date() if promise.resolved_at else None
    return PromiseOutcome(promise.due_on, promise.missed_on, promise.status, resolved)
