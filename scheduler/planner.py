"""The planner: what is due now becomes rows in the outbox, once.

A tick selects, in a fixed number of statements, the check-ins that may be due (by the instant
each partner's row keeps, never by reading the contact history) and the open promises due by the
heads-up horizon, with what the outbox holds for those items alone; asks `bot.rules.nudges` which
nudge each needs today (in its recipient's time zone); and writes them in one INSERT … SELECT …
ON CONFLICT DO NOTHING. Running it twice, late, or in two processes at once writes nothing new:
the rows' keys are computed from the data, not from when the tick ran.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.rules.nudges import (
    HEADS_UP_LOOKBACK_DAYS,
    Planned,
    check_in_day,
    check_in_recipient,
    promise_nudge,
    repeat,
)
from bot.rules.working_hours import WorkingHours
from bot.rules.zones import ZONE_LEAD, zone
from storage.db import Database
from storage.queries.outbox.planned import (
    EpisodeKey,
    NudgeRow,
    add_nudges,
    check_in_candidates,
    episode_histories,
    promise_candidates,
    prune,
    try_planner_lock,
)
from storage.queries.outbox.undo import forget_spent_undo

log = logging.getLogger(__name__)

# Sent and dead rows are kept this long for `rapport outbox` and for counting repeats.
KEEP_FINISHED = timedelta(days=90)


@dataclass(frozen=True)
class PlanResult:
    planned: int
    ran: bool = True


def plan(db: Database, now: datetime) -> PlanResult:
    """One planner tick at `now`."""
    if db.backend == "postgresql":
        with db.transaction() as session:
            if not try_planner_lock(session):
                return PlanResult(0, ran=False)
            return _write(session, due_nudges(session, now), now)
    # SQLite: read without holding the write lock, so requests are not kept waiting meanwhile.
    with db.reading() as session:
        nudges = due_nudges(session, now)
    with db.transaction() as session:
        return _write(session, nudges, now)


def due_nudges(session: Session, now: datetime) -> list[NudgeRow]:
    """The outbox rows every due check-in and promise needs at `now` (some may be there
    already: the insert leaves them out)."""
    check_in_horizon = now + ZONE_LEAD
    promise_horizon = check_in_horizon.date() + timedelta(days=HEADS_UP_LOOKBACK_DAYS)
    histories = episode_histories(session, check_in_horizon, promise_horizon)
    rows = []
    for partner in check_in_candidates(session, check_in_horizon, now):
        # The recipient is decided here, when the row is written: a claimer's nudges are theirs
        # and count their own episode; a row planned for the owner before the claim is dropped
        # when its DM is drawn (`bot.usecases.nudge_items.due_items`), not sent to both.
        recipient = check_in_recipient(
            partner.owner_id, partner.claimer_id, partner.claim_until, now
        )
        if recipient is None:
            continue
        recipient_zone = zone(
            partner.claimer_tz if recipient == partner.claimer_id else partner.owner_tz
        )
        due_on = check_in_day(partner, recipient_zone)
        if due_on is None:
            continue
        key = EpisodeKey(recipient, "check_in", partner.id, due_on)
        planned = repeat(due_on, now.astimezone(recipient_zone).date(), histories.get(key))
        if planned is not None:
            rows.append(_row(partner.workspace_id, recipient, "check_in", partner.id, planned))
    for promise in promise_candidates(session, promise_horizon):
        hours = WorkingHours.of(promise)
        overdue_key = EpisodeKey(
            promise.member_id, "promise", promise.id, promise.due_on + timedelta(days=1)
        )
        planned = promise_nudge(promise.due_on, hours.today(now), hours, histories.get(overdue_key))
        if planned is not None:
            rows.append(
                _row(promise.workspace_id, promise.member_id, "promise", promise.id, planned)
            )
    return rows


def _row(
    workspace_id: int, member_id: int, kind: str, subject_id: int, planned: Planned
) -> NudgeRow:
    return NudgeRow(workspace_id, member_id, kind, subject_id, planned.due_on, planned.period)


def _write(session: Session, nudges: list[NudgeRow], now: datetime) -> PlanResult:
    # The insert's own count: rows whose key was there already are not counted, so a repeated
    # or concurrent tick reports what it added, without counting the outbox around it.
    planned = add_nudges(session, nudges, now)
    pruned = prune(session, now - KEEP_FINISHED)
    # What answers kept for Undo goes once its day is over or its promise is gone.
    forget_spent_undo(session, now)
    if planned or pruned:
        log.info("planned %d nudges, pruned %d finished ones", planned, pruned)
    return PlanResult(planned)
