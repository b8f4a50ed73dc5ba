"""Moving the sandbox's clock: forwards only, stopping wherever something can fall due.

Rapport's scheduled work (check-in nudges, promises falling due, digests) happens at instants the
scheduler can name in advance. Rather than ticking through every minute of a skipped quarter, the
sandbox asks its `Jobs` for the next such instant, sets the clock there, runs the jobs, shows
what they sent, and repeats until it reaches the target. Request signatures are unaffected: they
keep real time, as Slack's do.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.rules.clock import ManualClock


class Jobs(Protocol):
    """Rapport's scheduled work as the sandbox drives it."""

    def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The first instant in (after, until] at which something can fall due, or None."""
        ...

    def run(self, at: datetime) -> None:
        """Do whatever is due at `at` (the clock shows `at` already); return when it is done."""
        ...


class ClockInputError(ValueError):
    """A duration or instant the sandbox cannot use; the message is one line for the user."""


# `mo` before `m`: 1mo is a month, 1m a minute.
_DURATION_PART = re.compile(r"(\d+)\s*(mo|[wdhm])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_LOCAL_INSTANT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?")
DURATION_EXAMPLES = "3d, 12h, 90m, 2w, 1mo or 1d 12h"


@dataclass(frozen=True)
class Duration:
    """How far `:advance` moves the clock: whole calendar months, then a fixed span.

    A month is not a fixed span: it means the same day of a later month, at the same local time,
    in the zone of whoever moves the clock (31 January + 1 month is 28 or 29 February). Weeks,
    days, hours and minutes are elapsed time, as the clock counts it.
    """

    months: int = 0
    span: timedelta = timedelta(0)

    def after(self, instant: datetime, zone: ZoneInfo) -> datetime:
        """`instant` moved on by this duration, months counted on `zone`'s calendar.

        Raises OverflowError or ValueError when that lies beyond year 9999, where Python's
        calendar ends.
        """
        return _months_later(instant, self.months, zone) + self.span


def _months_later(instant: datetime, months: int, zone: ZoneInfo) -> datetime:
    """The same day and local time `months` later in `zone`, clamped to the month's last day."""
    if months == 0:
        return instant
    local = instant.astimezone(zone)
    year, month_index = divmod(local.month - 1 + months, 12)
    year += local.year
    last = calendar.monthrange(year, month_index + 1)[1]
    moved = local.replace(year=year, month=month_index + 1, day=min(local.day, last))
    # The same wall-clock time; one a spring-forward gap skips is read as zoneinfo reads it
    # (with the offset before the change), an hour later than the wall clock says.
    return moved.astimezone(instant.tzinfo)


def parse_duration(text: str) -> Duration:
    """`3d`, `12h`, `90m`, `2w`, `1mo` (a calendar month), or several together (`1d 12h`)."""
    compact = text.strip().lower()
    parts = _DURATION_PART.findall(compact)
    if not compact or _DURATION_PART.sub("", compact).strip():
        raise ClockInputError(
            f"{text.strip() or 'nothing'!r} is not a duration: use for example {DURATION_EXAMPLES}"
        )
    try:
        months = sum(int(amount) for amount, unit in parts if unit == "mo")
        span = sum(
            (timedelta(**{_UNITS[unit]: int(amount)}) for amount, unit in parts if unit != "mo"),
            timedelta(),
        )
    except OverflowError:
        raise ClockInputError(f"{text.strip()!r} is too far to move the clock") from None
    if months == 0 and span <= timedelta(0):
        raise ClockInputError("advance by more than nothing, for example 1d")
    return Duration(months, span)


def parse_local_instant(text: str, zone: ZoneInfo) -> datetime:
    """`2027-01-04 08:00` (or a date alone, meaning its midnight) in `zone`."""
    match = _LOCAL_INSTANT.fullmatch(text.strip())
    if match is None:
        raise ClockInputError(
            f"{text.strip() or 'nothing'!r} is not a date and time: use YYYY-MM-DD HH:MM, "
            "for example 2027-01-04 08:00"
        )
    day_text, time_text = match.groups()
    try:
        day = date.fromisoformat(day_text)
        at = time.fromisoformat(time_text.zfill(5)) if time_text else time(0, 0)
    except ValueError:
        raise ClockInputError(f"{text.strip()!r} is not a real date and time") from None
    return datetime.combine(day, at, tzinfo=zone)


def move(
    clock: ManualClock,
    to: datetime,
    jobs: Jobs,
    arrived: Callable[[datetime], None],
    *,
    tick_first: bool = False,
) -> int:
    """Move `clock` to `to`, running the jobs at each instant where something can fall due.

    With `tick_first`, the jobs run once more at the instant the clock leaves, before it moves:
    the real scheduler plans every few minutes, so whatever the commands typed at that instant
    made due (a check-in due since this morning's window opened, a heads-up for tomorrow, an
    overdue reminder brought back by an Undo) goes out on its next tick, that same day. The stops
    `next_due` names are all later than now and would miss it until the next window opens.

    `arrived` is called after the jobs at each stop, to show what they sent. The clock ends at
    `to`, or later when the jobs at the last stop moved it on (pacing posts). Returns the number of
    stops, the first tick included. Raises `ClockInputError` if `to` is in the past: the clock
    never moves backwards.
    """
    now = clock.now()
    if to < now:
        raise ClockInputError("that is in the past: Rapport's clock only moves forwards")
    stops = 0
    if tick_first:
        jobs.run(now)
        arrived(now)
        stops += 1
    while (due := jobs.next_due(clock.now(), to)) is not None:
        if not clock.now() < due <= to:
            raise RuntimeError(f"jobs named {due} as next due, outside ({clock.now()}, {to}]")
        clock.set(due)
        jobs.run(due)
        arrived(due)
        stops += 1
    # The jobs may have moved the clock past `to` themselves (the dispatcher paces its posts by
    # it): the move ends where they left it, as time never goes back.
    if clock.now() < to:
        clock.set(to)
    return stops
