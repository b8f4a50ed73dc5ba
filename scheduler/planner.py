"""The planner: what is due now becomes rows in the outbox, once.

A tick costs what is due now, not what has ever fallen due. Each partner and promise keeps what
the planner last decided about it: the values it decided from and when the rules may want a
nudge again (`bot.rules.nudges.next_repeat_day`, `next_promise_day`). A tick reads, in a fixed
number of statements, only the items whose moment has come or whose values changed since
(`storage.queries.outbox.planned.check_ins_to_look_at`, `promises_to_look_at`: index ranges,
never the contact history), and what the outbox holds for those items alone; asks
`bot.rules.nudges` which nudge each needs today, in its recipient's time zone; writes them in
one INSERT … SELECT … ON CONFLICT DO NOTHING; and notes the next moment in one UPDATE per table.
An item whose nudge is pending, whose three went unanswered, or whose weekly repeat is not due
yet is not read until then, unless a write changes what it was decided from (a contact, a
snooze, a pause, a hand-over, a new due day; a live claim is looked at on every tick).

Running it twice, late, or in two processes at once writes nothing new: the rows' keys are
computed from the data, not from when the tick ran, and on PostgreSQL one planner runs at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.rules.nudges import (
    HEADS_UP_LOOKBACK_DAYS,
    Planned,
    check_in_day,
    check_in_recipient,
    next_promise_day,
    next_repeat_day,
    promise_nudge,
    repeat,
)
from bot.rules.working_hours import WorkingHours
from bot.rules.zones import ZONE_LEAD, zone
from storage.db import Database
from storage.queries.outbox.planned import (
    PLANNED_TABLES,
    CheckInPlan,
    EpisodeKey,
    ItemKey,
    NudgeRow,
    PromisePlan,
    add_nudges,
    check_ins_to_look_at,
    episode_histories,
    note_plans,
    promises_to_look_at,
    prune,
    try_planner_lock,
)
from storage.queries.outbox.undo import forget_spent_undo

log = logging.getLogger(__name__)

# Sent and dead rows are kept this long for `rapport outbox` and for counting repeats.
KEEP_FINISHED = timedelta(days=90)
# How soon an item nobody can be nudged about (its owner left, no live claim) is looked at
# again, by days: whether they came back is not among the values its row keeps.
NOBODY_AGAIN = timedelta(days=1)
HEADS_UP_LOOKBACK = timedelta(days=HEADS_UP_LOOKBACK_DAYS)


@dataclass(frozen=True)
class PlanResult:
    planned: int
    ran: bool = True


@dataclass
class Tick:
    """What one tick decided: the rows to write, and what to note in the items' rows."""

    nudges: list[NudgeRow] = field(default_factory=list)
    check_ins: list[CheckInPlan] = field(default_factory=list)
    promises: list[PromisePlan] = field(default_factory=list)


# A tick that writes this many rows (outbox rows and notes together) or more has the tables it
# wrote vacuumed at once on PostgreSQL (a first tick, or the first after a long downtime).
VACUUM_AFTER_ROWS = 10_000


def plan(db: Database, now: datetime) -> PlanResult:
    """One planner tick at `now`."""
    if db.backend == "postgresql":
        with db.transaction() as session:
            if not try_planner_lock(session):
                return PlanResult(0, ran=False)
            tick = decide(session, now)
            result = _write(session, tick, now)
        if _written(tick) >= VACUUM_AFTER_ROWS:
            # Until autovacuum comes round (a minute or more), the next ticks read the notes'
            # expression indexes through the entries these updates left dead (bitmap scans
            # never mark them), planned from statistics of the tables before these rows:
            # measured at full size, twice the time of a tick once vacuumed.
            db.vacuum(PLANNED_TABLES)
        return result
    # SQLite: read without holding the write lock, so requests are not kept waiting meanwhile.
    with db.reading() as session:
        tick = decide(session, now)
    with db.transaction() as session:
        return _write(session, tick, now)


def _written(tick: Tick) -> int:
    return len(tick.nudges) + len(tick.check_ins) + len(tick.promises)


def decide(session: Session, now: datetime) -> Tick:
    """The rows every check-in and promise looked at now needs at `now`, and when each is to be
    looked at again."""
    check_in_horizon = now + ZONE_LEAD
    # A promise's heads-up comes up to HEADS_UP_LOOKBACK_DAYS before its due day.
    promise_horizon = check_in_horizon + HEADS_UP_LOOKBACK
    partners = [
        p
        for p in check_ins_to_look_at(session, check_in_horizon, now)
        # Claimed, but nothing to nudge about: looked at while the claim lives.
        if p.status == "active" and _may_be_due(p.check_in_due_at, check_in_horizon)
    ]
    # A promiser's hours, built once per tick for everyone who shares them.
    hours: dict[tuple[Any, ...], WorkingHours] = {}
    theirs: dict[int, WorkingHours] = {}
    promises = [
        (p, _hours_of(p, theirs, hours)) for p in promises_to_look_at(session, promise_horizon)
    ]
    # What the outbox holds for them, for whoever may be nudged: the owner, a claimer.
    items = [ItemKey(p.owner_id, "check_in", p.id) for p in partners if p.owner_id is not None]
    items += [ItemKey(p.claimer_id, "check_in", p.id) for p in partners if p.claimer_id]
    items += [ItemKey(p.member_id, "promise", p.id) for p, _hours in promises]
    histories = episode_histories(session, items)
    tick = Tick()
    for partner in partners:
        _check_in(tick, partner, histories, now)
    # What the promise rules said for a promiser's hours, a due day and no nudges so far: the
    # same for every promise sharing them (thousands on a first tick, a few days apart each).
    decided: dict[tuple[int, date], _PromiseDays] = {}
    for promise, promisers_hours in promises:
        _promise(tick, promise, promisers_hours, histories, now, decided)
    return tick


def _hours_of(
    promise: Any, theirs: dict[int, WorkingHours], known: dict[tuple[Any, ...], WorkingHours]
) -> WorkingHours:
    """The promiser's working hours: by member (one read gives every row of a member the same
    columns), built once per distinct set of hours."""
    if (hours := theirs.get(promise.member_id)) is not None:
        return hours
    key = (
        promise.tz,
        promise.work_start_minute,
        promise.work_end_minute,
        promise.work_days,
        promise.public_holidays,
    )
    if (hours := known.get(key)) is None:
        hours = known[key] = WorkingHours.of(promise)
    theirs[promise.member_id] = hours
    return hours


def _check_in(tick: Tick, partner: Any, histories: dict[EpisodeKey, Any], now: datetime) -> None:
    # The recipient is decided here, when the row is written: a claimer's nudges are theirs
    # and count their own episode; a row planned for the owner before the claim is dropped
    # when its DM is drawn (`bot.usecases.nudge_items.due_items`), not sent to both.
    recipient = check_in_recipient(partner.owner_id, partner.claimer_id, partner.claim_until, now)
    again: datetime | None
    if recipient is None:
        again = _next_day_in_utc(now)
    else:
        recipient_zone = zone(
            partner.claimer_tz if recipient == partner.claimer_id else partner.owner_tz
        )
        today = now.astimezone(recipient_zone).date()
        due_on = check_in_day(partner, recipient_zone)
        if due_on is None:  # never contacted: not selected, but nothing to plan either way
            return
        history = histories.get(EpisodeKey(recipient, "check_in", partner.id, due_on))
        planned = repeat(due_on, today, history)
        if planned is not None:
            tick.nudges.append(
                _row(partner.workspace_id, recipient, "check_in", partner.id, planned)
            )
        again = _midnight(next_repeat_day(due_on, today, history, planned), recipient_zone)
    # Noted as the owner when nobody can be nudged, so that the row's values still match.
    note = CheckInPlan(
        partner.id,
        partner.check_in_due_at,
        recipient if recipient is not None else partner.row_owner_id,
        partner.check_in_snoozed_until,
        partner.paused_until,
        None if again is None else (again + ZONE_LEAD).astimezone(UTC),
    )
    noted = CheckInPlan(
        partner.id,
        partner.plan_due_at,
        partner.plan_member_id,
        partner.plan_snoozed_until,
        partner.plan_paused_until,
        partner.plan_again_at,
    )
    if note != noted:
        tick.check_ins.append(note)


@dataclass(frozen=True)
class _PromiseDays:
    """What the promise rules decided for one promise: today's nudge, and the instant to note
    for looking again (`PromisePlan.again_at`, in UTC: converted once, not once per promise)."""

    planned: Planned | None
    again_at: datetime | None


def _promise(
    tick: Tick,
    promise: Any,
    hours: WorkingHours,
    histories: dict[EpisodeKey, Any],
    now: datetime,
    decided: dict[tuple[int, date], _PromiseDays],
) -> None:
    again_at: datetime | None
    if not promise.usable:
        again_at = _next_day_in_utc(now) + ZONE_LEAD + HEADS_UP_LOOKBACK
    else:
        overdue_key = EpisodeKey(
            promise.member_id, "promise", promise.id, promise.due_on + timedelta(days=1)
        )
        history = histories.get(overdue_key)
        if history is None:
            # `hours` is one object per promiser's hours for the tick (`_hours_of`), so its id
            # names them while the tick runs.
            key = (id(hours), promise.due_on)
            if (days := decided.get(key)) is None:
                days = decided[key] = _promise_days(promise.due_on, hours, None, now)
        else:
            days = _promise_days(promise.due_on, hours, history, now)
        if days.planned is not None:
            tick.nudges.append(
                _row(promise.workspace_id, promise.member_id, "promise", promise.id, days.planned)
            )
        again_at = days.again_at
    note = PromisePlan(promise.id, promise.due_on, promise.member_id, again_at)
    if note != PromisePlan(
        promise.id, promise.plan_due_on, promise.plan_member_id, promise.plan_again_at
    ):
        tick.promises.append(note)


def _promise_days(due_on: date, hours: WorkingHours, history: Any, now: datetime) -> _PromiseDays:
    """Ask the promise rules about a promise due on `due_on` of a promiser with `hours`."""
    today = hours.today(now)
    planned = promise_nudge(due_on, today, hours, history)
    again = _midnight(next_promise_day(due_on, today, hours, history, planned), hours.zone)
    if again is None:
        return _PromiseDays(planned, None)
    # Added in the zone's wall time, as a day's start plus whole days is counted there.
    return _PromiseDays(planned, (again + ZONE_LEAD + HEADS_UP_LOOKBACK).astimezone(UTC))


def _next_day_in_utc(now: datetime) -> datetime:
    """When an item nobody can be nudged about is looked at again: from the next day on (in
    UTC), so that a member back by then is nudged on their next morning."""
    return datetime.combine(now.astimezone(UTC).date() + NOBODY_AGAIN, time(), tzinfo=UTC)


def _may_be_due(due_at: datetime | None, horizon: datetime) -> bool:
    return due_at is not None and due_at <= horizon


def _midnight(day: date | None, in_zone: ZoneInfo) -> datetime | None:
    """The instant `day` begins in `in_zone` (None stays None)."""
    return None if day is None else datetime.combine(day, time(), tzinfo=in_zone)


def _row(
    workspace_id: int, member_id: int, kind: str, subject_id: int, planned: Planned
) -> NudgeRow:
    return NudgeRow(workspace_id, member_id, kind, subject_id, planned.due_on, planned.period)


def _write(session: Session, tick: Tick, now: datetime) -> PlanResult:
    # The insert's own count: rows whose key was there already are not counted, so a repeated
    # or concurrent tick reports what it added, without counting the outbox around it.
    planned = add_nudges(session, tick.nudges, now)
    note_plans(session, tick.check_ins, tick.promises)
    pruned = prune(session, now - KEEP_FINISHED)
    # What answers kept for Undo goes once its day is over or its promise is gone.
    forget_spent_undo(session, now)
    if planned or pruned:
        log.info("planned %d nudges, pruned %d finished ones", planned, pruned)
    return PlanResult(planned)
