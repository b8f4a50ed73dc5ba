"""A partner's health on a day, decided once for lists, cards, digests and the Home tab.

A partner can be in several states at once; `health` returns them all, most severe first
(`SEVERITY`), and `fine` alone when none applies. What each state means:

- `unowned`: no owner, or an owner who has left or is a guest (`ownership.is_unowned`): nobody
  is reminded about the partner at all, so it comes first.
- `promises_overdue`: open promises of ours, overdue, that were nudged about `MAX_UNANSWERED`
  times since they fell overdue: the nudges have given up on them (`nudges.repeat`).
- `neglected`: no contact of any kind within the cadence: the day `cadence_days` after the last
  contact (after the partner was added, when there never was one) has passed.
- `check_in_overdue`: the day the check-in is nudged about (`nudges.check_in_day`, which
  moves it for a snooze or a dated pause) has passed.
- `one_sided`: the directed contacts of the last `ONE_SIDED_DAYS` all went one way
  (`contact_balance.one_sided`); only where the caller read them (`one_sided` not None).
- `check_in_due_soon`: the check-in day is today or within `DUE_SOON_DAYS` days.

Snoozes and pauses count only through `check_in_day`, never re-derived here. A paused partner
(until further notice, or until a day still ahead) is neither overdue nor neglected while the
pause lasts: whoever paused it said it needs no contact meanwhile.

Days are local days of whoever reads them (`today`); instants are aware datetimes, turned into
days in `zone`, the zone the check-in day is counted in (the owner's, as the planner counts).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.rules.nudges import MAX_UNANSWERED, check_in_day
from bot.rules.ownership import is_unowned
from bot.rules.relationships.contact_balance import OneSided

# A check-in this many days ahead or fewer is "due soon" (14: two weeks' notice).
DUE_SOON_DAYS = 14


class Health(StrEnum):
    FINE = "fine"
    CHECK_IN_DUE_SOON = "check_in_due_soon"
    CHECK_IN_OVERDUE = "check_in_overdue"
    NEGLECTED = "neglected"
    UNOWNED = "unowned"
    ONE_SIDED = "one_sided"
    PROMISES_OVERDUE = "promises_overdue"


# Most severe first: nobody looking after a partner hides every other state from everyone; a
# promise the nudges gave up on is trust being lost now; no contact at all is worse than a
# late check-in when other contact happened; an imbalance is a warning; due soon is notice.
SEVERITY: tuple[Health, ...] = (
    Health.UNOWNED,
    Health.PROMISES_OVERDUE,
    Health.NEGLECTED,
    Health.CHECK_IN_OVERDUE,
    Health.ONE_SIDED,
    Health.CHECK_IN_DUE_SOON,
    Health.FINE,
)


class HealthSubject(Protocol):
    """What the rule reads of a partner: the fields `nudges.check_in_day` reads, its status,
    when it was last contacted (any kind) and added, and its owner."""

    @property
    def last_check_in(self) -> datetime | None: ...
    @property
    def first_contact(self) -> datetime | None: ...
    @property
    def cadence_days(self) -> int: ...
    @property
    def check_in_snoozed_until(self) -> date | None: ...
    @property
    def paused_until(self) -> date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def last_contact(self) -> datetime | None: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def owner_id(self) -> int | None: ...
    @property
    def owner_active(self) -> bool | None: ...


def past_last_reminder(due_on: date, today: date, sent: int) -> bool:
    """Whether an open promise due on `due_on` is overdue past its last reminder: overdue on
    `today`, with `sent` (the reminders sent since it fell overdue) at the most the nudges
    send."""
    return due_on < today and sent >= MAX_UNANSWERED


def is_paused(status: str, paused_until: date | None, today: date) -> bool:
    """Paused until someone resumes it, or until a day still ahead (as the card says)."""
    return status == "paused" or (paused_until is not None and paused_until > today)


def health(
    subject: HealthSubject,
    *,
    today: date,
    zone: ZoneInfo,
    promises_past_reminders: int = 0,
    one_sided: OneSided | None = None,
) -> tuple[Health, ...]:
    """The partner's states on `today`, most severe first; `(FINE,)` when none applies.

    `promises_past_reminders` counts our open promises with the partner that
    `past_last_reminder` holds for; `one_sided` is `contact_balance.one_sided` of its
    contacts, None when not one-sided or not read.
    """
    found: set[Health] = set()
    if is_unowned(subject.owner_id, subject.owner_active):
        found.add(Health.UNOWNED)
    if promises_past_reminders > 0:
        found.add(Health.PROMISES_OVERDUE)
    if one_sided is not None:
        found.add(Health.ONE_SIDED)
    if not is_paused(subject.status, subject.paused_until, today):
        found |= _check_in_states(subject, today, zone)
    ordered = tuple(h for h in SEVERITY if h in found)
    return ordered or (Health.FINE,)


def worst(states: Iterable[Health]) -> Health:
    """The most severe of `states` (FINE for none)."""
    given = set(states)
    return next((h for h in SEVERITY if h in given), Health.FINE)


def _check_in_states(subject: HealthSubject, today: date, zone: ZoneInfo) -> set[Health]:
    found: set[Health] = set()
    since = subject.last_contact or subject.created_at
    if (
        since is not None
        and since.astimezone(zone).date() + timedelta(days=subject.cadence_days) < today
    ):
        found.add(Health.NEGLECTED)
    day = check_in_day(subject, zone)
    if day is not None:
        if day < today:
            found.add(Health.CHECK_IN_OVERDUE)
        elif day <= today + timedelta(days=DUE_SOON_DAYS):
            found.add(Health.CHECK_IN_DUE_SOON)
    return found
