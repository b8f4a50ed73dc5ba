"""When a check-in or a promise deserves a nudge, and which nudge it is.

Pure rules over dates: the planner feeds them what the database says and writes down what they
return; the dispatcher asks them again at send time, so a DM never reports what is no longer true.

An item falls due on a day. Its first nudge is for that day (the `period`); if it stays unanswered
it comes back a week after the last nudge was delivered, and after three unanswered nudges it is
left to the team digests. A promise also gets a heads-up on its promiser's last working day before
it is due, and a nudge on the day itself, before it is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.rules.working_hours import WorkingHours

REPEAT_AFTER = timedelta(days=7)
MAX_UNANSWERED = 3
# How far before its due date a promise's heads-up can come (a long weekend and holidays).
HEADS_UP_LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class Planned:
    """A nudge to write down: the episode it belongs to and the day it is for."""

    due_on: date
    period: date


@dataclass(frozen=True)
class History:
    """What the outbox already holds for one episode of one item."""

    pending: bool = False
    sent: int = 0
    last_sent_on: date | None = None


class EpisodeHistory(Protocol):
    """What the rules read of an episode's history: a History, or any row with its names (the
    planner passes the outbox query's rows as they are)."""

    @property
    def pending(self) -> bool: ...

    @property
    def sent(self) -> int: ...

    @property
    def last_sent_on(self) -> date | None: ...


class PromisePhase(StrEnum):
    AHEAD = "ahead"
    TODAY = "today"
    OVERDUE = "overdue"


def check_in_due_on(
    last_check_in: datetime | None,
    first_contact: datetime | None,
    cadence_days: int,
    zone: ZoneInfo,
) -> date | None:
    """The day a partner is due a check-in, counted from when the last one happened (or from the
    first contact when there has been none), in the owner's zone. None for a partner never met."""
    since = last_check_in or first_contact
    if since is None:
        return None
    return since.astimezone(zone).date() + timedelta(days=cadence_days)


def check_in_resumes(
    due_on: date | None, snoozed_until: date | None, paused_until: date | None
) -> date | None:
    """The day a check-in due on `due_on` is nudged about, after any snooze or pause.

    A snooze or a pause with a date pushes it to that day and not before; the later of the days
    wins. The episode of nudges starts over on that day, with its own three reminders.
    """
    if due_on is None:
        return None
    return max(d for d in (due_on, snoozed_until, paused_until) if d is not None)


def check_in_day(partner: Any, zone: ZoneInfo) -> date | None:
    """The day a partner's check-in is nudged about: its due day, moved by a snooze or a pause.

    `partner` is any row with `last_check_in`, `first_contact`, `cadence_days`,
    `check_in_snoozed_until` and `paused_until`, as the planner and the DM read them.
    """
    return check_in_resumes(
        check_in_due_on(partner.last_check_in, partner.first_contact, partner.cadence_days, zone),
        partner.check_in_snoozed_until,
        partner.paused_until,
    )


def repeat(due_on: date, today: date, history: EpisodeHistory | None) -> Planned | None:
    """The nudge an unanswered item needs today, if any: weekly, at most three times."""
    if due_on > today:
        return None
    if history is None:
        return Planned(due_on, due_on)
    if history.pending or history.sent >= MAX_UNANSWERED:
        return None
    period = due_on
    if history.last_sent_on is not None:
        period = max(due_on, history.last_sent_on + REPEAT_AFTER)
    return Planned(due_on, period) if period <= today else None


def next_repeat_day(
    due_on: date, today: date, history: EpisodeHistory | None, planned: Planned | None
) -> date | None:
    """The first day after `today` on which `repeat` may want a nudge for this episode, as long
    as nothing but time and the delivery of what is pending changes; None: never again (three
    went unanswered). `planned` is what `repeat` returned today (the planner writes it).

    This is what lets the planner leave an item alone until then: a nudge pending now is
    delivered today at the earliest, and the next one comes a week after it.
    """
    if due_on > today:
        return due_on
    if planned is not None or (history is not None and history.pending):
        return today + REPEAT_AFTER
    if history is None:  # `repeat` plans the first nudge for this: not left alone
        return today + timedelta(days=1)
    if history.sent >= MAX_UNANSWERED:
        return None
    period = due_on
    if history.last_sent_on is not None:
        period = max(due_on, history.last_sent_on + REPEAT_AFTER)
    return max(period, today + timedelta(days=1))


def heads_up_day(due_on: date, hours: WorkingHours) -> date:
    """The promiser's last working day before `due_on` (the day before, if they never work)."""
    for back in range(1, HEADS_UP_LOOKBACK_DAYS + 1):
        day = due_on - timedelta(days=back)
        if hours.is_working_day(day):
            return day
    return due_on - timedelta(days=1)


def promise_nudge(
    due_on: date, today: date, hours: WorkingHours, overdue: EpisodeHistory | None
) -> Planned | None:
    """The nudge an open promise needs today: heads-up, due today, or overdue (repeating)."""
    if today > due_on:
        return repeat(due_on + timedelta(days=1), today, overdue)
    if today == due_on:
        return Planned(due_on, due_on)
    heads_up = heads_up_day(due_on, hours)
    if heads_up <= today:
        return Planned(due_on, heads_up)
    return None


def next_promise_day(
    due_on: date,
    today: date,
    hours: WorkingHours,
    overdue: EpisodeHistory | None,
    planned: Planned | None,
) -> date | None:
    """The first day after `today` on which `promise_nudge` may want a nudge for this promise,
    as long as its due day, its promiser and their working days stay as they are (see
    `next_repeat_day`); None: never again. `planned` is what `promise_nudge` returned today."""
    if today > due_on:
        return next_repeat_day(due_on + timedelta(days=1), today, overdue, planned)
    if today == due_on:
        return due_on + timedelta(days=1)
    heads_up = heads_up_day(due_on, hours)
    return heads_up if heads_up > today else due_on


def promise_phase(due_on: date, today: date) -> PromisePhase:
    if due_on > today:
        return PromisePhase.AHEAD
    return PromisePhase.TODAY if due_on == today else PromisePhase.OVERDUE


def promise_is_current(due_on: date, today: date, hours: WorkingHours) -> bool:
    """Whether an open promise still belongs in today's DM (a promise moved later does not)."""
    return due_on <= today or heads_up_day(due_on, hours) <= today


def check_in_recipient(
    owner_id: int | None,
    claimer_id: int | None,
    claim_until: datetime | None,
    now: datetime,
) -> int | None:
    """Who gets a partner's check-in nudges at `now`.

    A colleague who said "I'll reach out" on a team digest (a claim, `partner_claims`) gets
    them while the claim lives (`until` after `now`); otherwise the owner does, and again once
    the claim has ended. Callers pass None for a member who cannot receive nudges (inactive, or
    a workspace guest), so a claimer who left gives the nudges back to the owner, and a claim on
    a partner whose owner left still reaches the claimer. None: nobody is nudged.
    """
    if claimer_id is not None and claim_until is not None and claim_until > now:
        return claimer_id
    return owner_id
