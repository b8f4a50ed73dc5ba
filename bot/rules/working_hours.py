"""When a person is at work: the window a nudge may arrive in.

Rapport never messages anyone outside their working hours. A member's hours are minutes after local
midnight and ISO weekdays (Monday = 1), applied in their Slack time zone, so that "9 to 18" means
9 to 18 on their wall clock whatever DST does. A public holiday in the person's region
(`bot.rules.public_holidays`) is a day off like a weekend: no window opens on it, and a nudge
waits for the next working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.rules.public_holidays import is_public_holiday, region_of
from bot.rules.zones import zone
from storage.vocabulary import DEFAULT_WORK_DAYS, DEFAULT_WORK_END, DEFAULT_WORK_START

MINUTES_PER_DAY = 24 * 60
# How far ahead a window is looked for: a week, plus room for a run of public holidays around
# it (Christmas to New Year, Golden Week, a long Eid) without a loop that cannot end.
_LOOKAHEAD_DAYS = 40


class HasWorkingHours(Protocol):
    """Anything carrying a member's hours: a `Member`, or a row selected with its columns."""

    work_start_minute: int
    work_end_minute: int
    work_days: str
    tz: str
    # None: the country of `tz`; "none": no public holidays; else a region code ("DE-BY").
    public_holidays: str | None


@dataclass(frozen=True)
class WorkingHours:
    """From `start` to `end` minutes after local midnight, on the ISO weekdays in `days` that
    are not public holidays in `region` (a resolved region code; None: no public holidays)."""

    start: int = DEFAULT_WORK_START
    end: int = DEFAULT_WORK_END
    days: str = DEFAULT_WORK_DAYS
    tz: str = "UTC"
    region: str | None = None

    @classmethod
    def of(cls, person: HasWorkingHours) -> WorkingHours:
        """`person`'s hours, their public holidays resolved from their choice and zone."""
        return cls(
            person.work_start_minute,
            person.work_end_minute,
            person.work_days,
            person.tz,
            region_of(person.public_holidays, person.tz),
        )

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def today(self, instant: datetime) -> date:
        """The person's calendar date at `instant`."""
        return self.local(instant).date()

    def is_working_day(self, day: date) -> bool:
        """A weekday this person works that is not a public holiday where they are."""
        return str(day.isoweekday()) in self.days and not self.is_public_holiday(day)

    def is_public_holiday(self, day: date) -> bool:
        return is_public_holiday(self.region, day)

    def is_at_work(self, instant: datetime) -> bool:
        local = self.local(instant)
        minute = local.hour * 60 + local.minute
        return self.is_working_day(local.date()) and self.start <= minute < self.end

    def window_opens(self, day: date) -> datetime:
        """The UTC instant work starts on `day` (a wall-clock time skipped by DST moves later)."""
        start = datetime.combine(day, _clock_time(self.start), tzinfo=self.zone)
        # Round-tripping through UTC resolves a start inside a spring-forward gap.
        return start.astimezone(UTC)

    def next_window(self, after: datetime) -> datetime | None:
        """The first instant at or after `after` when this person is at work; None when they
        have no working days at all, none within the lookahead, or the calendar ends before
        one opens (`after` in 9999: Python's dates stop at 9999-12-31)."""
        if not self.days or self.end <= self.start:
            return None
        try:
            day = self.today(after)
            for _ in range(_LOOKAHEAD_DAYS):
                if self.is_working_day(day):
                    opens = self.window_opens(day)
                    closes = datetime.combine(day, _clock_time(self.end), tzinfo=self.zone)
                    if after < _utc_or_last(closes):
                        return max(opens, after)
                day += timedelta(days=1)
        except OverflowError:
            # The search ran past the end of the calendar (9999-12-31, or its last hours
            # turned into UTC): no window is left there to find.
            return None
        return None

    def end_of_working_day(self, instant: datetime) -> datetime:
        """The UTC instant this person's working day around `instant` ends: work end on their
        local date of `instant`; local midnight after it when `instant` is past work end, or on
        a day they do not work (an answer given in the evening still holds for that evening).
        Undo on a nudge DM's answer is offered until then."""
        day = self.today(instant)
        if self.is_working_day(day) and self.end > self.start:
            closes = datetime.combine(day, _clock_time(self.end), tzinfo=self.zone)
            if instant < closes.astimezone(UTC):
                return closes.astimezone(UTC)
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
        return midnight.astimezone(UTC)

    def next_opening(self, after: datetime) -> datetime | None:
        """The first start of a working day strictly after `after`; None when there is none
        within the lookahead, or the calendar ends first (as `next_window`)."""
        try:
            day = self.today(after)
            for _ in range(_LOOKAHEAD_DAYS):
                if self.is_working_day(day):
                    opens = self.window_opens(day)
                    if opens > after:
                        return opens
                day += timedelta(days=1)
        except OverflowError:
            return None
        return None


def partner_hours(
    tz: str | None,
    start: int | None,
    end: int | None,
    days: str | None,
    public_holidays: str | None,
) -> WorkingHours:
    """A partner's business hours from their profile's columns: the hours and days typed there,
    else Monday to Friday 09:00 to 18:00, in their zone; their public holidays from the
    profile's choice (None: the country of their zone, "none": none)."""
    has_hours = start is not None and end is not None
    return WorkingHours(
        start if start is not None and has_hours else DEFAULT_WORK_START,
        end if end is not None and has_hours else DEFAULT_WORK_END,
        days or DEFAULT_WORK_DAYS,
        tz or "UTC",
        region_of(public_holidays, tz),
    )


def outside_partner_hours(
    instant: datetime,
    *,
    tz: str | None,
    start: int | None = None,
    end: int | None = None,
    days: str | None = None,
    public_holidays: str | None = None,
) -> bool:
    """Whether `instant` falls outside a partner's business hours, counting their public
    holidays as days off. A partner whose zone is unknown (None, or a name this machine does
    not know) is never judged outside: their wall clock cannot be told."""
    if not tz or zone(tz).key != tz:
        return False
    return not partner_hours(tz, start, end, days, public_holidays).is_at_work(instant)


def _utc_or_last(instant: datetime) -> datetime:
    """`instant` in UTC; the last instant there is when it falls after it (the end of a working
    day on 9999-12-31 west of UTC), so that a comparison with it still holds."""
    try:
        return instant.astimezone(UTC)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def _clock_time(minute: int) -> time:
    if minute >= MINUTES_PER_DAY:
        return time(23, 59, 59, 999999)
    return time(minute // 60, minute % 60)


def clock_label(minute: int) -> str:
    """Minutes after midnight on a 24-hour clock: 480 → "08:00", 1440 → "24:00"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class PartnerProfile(Protocol):
    """What a partner's hours are read from: a partner row, a card, a DM's partner context."""

    @property
    def tz(self) -> str | None: ...

    @property
    def business_start_minute(self) -> int | None: ...

    @property
    def business_end_minute(self) -> int | None: ...

    @property
    def business_days(self) -> str | None: ...

    @property
    def public_holidays(self) -> str | None: ...


def outside_profile_hours(instant: datetime, partner: PartnerProfile) -> bool:
    """`outside_partner_hours` for a partner's profile as it stands: the one rule the card,
    nudge DMs and the after-hours hint judge by (hours not set are 09:00 to 18:00)."""
    return outside_partner_hours(
        instant,
        tz=partner.tz,
        start=partner.business_start_minute,
        end=partner.business_end_minute,
        days=partner.business_days,
        public_holidays=partner.public_holidays,
    )
