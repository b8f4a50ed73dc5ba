"""When a channel's digest posts: a local weekday and minute, every week or every other week.

A digest's period is the local day of its post. The planner asks for the latest period whose
post time has passed (`latest_period`): after downtime that is one digest with the current state,
never one per missed week. A subscription counts only posts at or after it was last switched on
(`since`), so `digest on` on a Monday at 10:00 does not post a digest for 09:00 that morning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from bot.rules.zones import zone


class Schedule(Protocol):
    """What a subscription's schedule is made of (`storage.models.DigestSubscription`)."""

    @property
    def every_weeks(self) -> int: ...  # 1 or 2

    @property
    def weekday(self) -> int: ...  # ISO weekday, Monday = 1

    @property
    def minute(self) -> int: ...  # minutes after local midnight

    @property
    def tz(self) -> str: ...  # IANA name

    @property
    def anchor_on(self) -> date: ...  # a Monday: fortnightly posts fall in even weeks from it


@dataclass(frozen=True)
class PlainSchedule:
    """A schedule as plain values (tests, and a subscription not yet stored)."""

    every_weeks: int
    weekday: int
    minute: int
    tz: str
    anchor_on: date


def monday_of(day: date) -> date:
    """The Monday of `day`'s ISO week: a fortnightly schedule's anchor."""
    return day - timedelta(days=day.isoweekday() - 1)


def post_time(schedule: Schedule, day: date) -> datetime:
    """The aware instant of the post on local `day` (a time in a DST gap moves forward)."""
    local = datetime.combine(day, time(schedule.minute // 60, schedule.minute % 60))
    return local.replace(tzinfo=zone(schedule.tz))


def posts_on(schedule: Schedule, day: date) -> bool:
    """Whether the schedule posts on local `day`."""
    if day.isoweekday() != schedule.weekday:
        return False
    weeks = (monday_of(day) - monday_of(schedule.anchor_on)).days // 7
    return weeks % schedule.every_weeks == 0


def latest_period(schedule: Schedule, now: datetime, since: datetime) -> date | None:
    """The local day of the latest post at or before `now`, if it is after `since` (a digest
    switched on at exactly its post time waits for the next one, as `next_post` says).

    None when no post has fallen due since the subscription was switched on.
    """
    today = now.astimezone(zone(schedule.tz)).date()
    day = today - timedelta(days=(today.isoweekday() - schedule.weekday) % 7)
    for _ in range(schedule.every_weeks + 1):
        if posts_on(schedule, day) and post_time(schedule, day) <= now:
            return day if post_time(schedule, day) > since else None
        day -= timedelta(days=7)
    return None


def next_post(schedule: Schedule, after: datetime) -> datetime:
    """The first post strictly after `after`, as an aware instant in the schedule's zone."""
    today = after.astimezone(zone(schedule.tz)).date()
    day = today + timedelta(days=(schedule.weekday - today.isoweekday()) % 7)
    while not (posts_on(schedule, day) and post_time(schedule, day) > after):
        day += timedelta(days=7)
    return post_time(schedule, day)
