"""Last week's after-hours figures: how often a member reached people of other organisations
outside their hours, per partner, for the first nudge DM of the member's week.

Two kinds of reaching count, each once:

- a message in a shared channel that reached someone outside their hours (a row of
  `after_hours_messages`, decided when it was sent, by `bot.rules.after_hours.reach`): it counts for
  the person's partner profile when they have one, else for the person;
- a contact the member logged with a time of day (`has_time`) that falls outside the partner's
  business hours or on their public holiday, by the partner profile (`outside_partner_hours`;
  a partner with no zone is never judged). Contacts the partner started (direction
  `received`) are the partner writing to us, not us reaching them, and do not count.

"Last week" is Monday 00:00 to the next Monday 00:00 on the member's wall clock, the ISO week
before the one `today` is in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.rules.working_hours import outside_partner_hours

# A contact of this direction was started by the partner: they wrote to us.
STARTED_BY_PARTNER = "received"


@dataclass(frozen=True)
class SharedMessage:
    """A row of `after_hours_messages`: who was reached (their partner profile, if any) and when."""

    partner_id: int | None
    person_user_id: str
    sent_at: datetime


@dataclass(frozen=True)
class LoggedContact:
    """A contact a member logged: `occurred_at` in UTC, an instant only when `has_time`."""

    partner_id: int
    occurred_at: datetime
    has_time: bool
    direction: str


@dataclass(frozen=True)
class PartnerHours:
    """The profile columns that say when a partner is at work (None: the default)."""

    tz: str | None
    start: int | None = None
    end: int | None = None
    days: str | None = None
    public_holidays: str | None = None


@dataclass(frozen=True)
class WeekFigure:
    """How often one partner (`partner_id`) or one person without a partner profile
    (`person_user_id`) was reached outside their hours."""

    partner_id: int | None
    person_user_id: str | None
    count: int


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.isoweekday() - 1)


def last_week(today: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of the local ISO week before the one `today` is in."""
    monday = week_start(today)
    start = datetime.combine(monday - timedelta(days=7), time(0), tzinfo=zone)
    end = datetime.combine(monday, time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def contact_after_hours(contact: LoggedContact, hours: PartnerHours | None) -> bool:
    """Whether a logged contact reached the partner outside their hours: only a contact with a
    time of day, started by us or both ways, with a partner whose zone is known."""
    if not contact.has_time or contact.direction == STARTED_BY_PARTNER or hours is None:
        return False
    return outside_partner_hours(
        contact.occurred_at,
        tz=hours.tz,
        start=hours.start,
        end=hours.end,
        days=hours.days,
        public_holidays=hours.public_holidays,
    )


def week_figures(
    messages: Iterable[SharedMessage],
    contacts: Iterable[LoggedContact],
    hours: Mapping[int, PartnerHours],
    start: datetime,
    end: datetime,
) -> list[WeekFigure]:
    """The counts per partner (and per person without a partner profile) of what fell in
    [start, end), the largest first, then partners before people, then by id; no zero counts.

    `hours` holds the profiles of the contacts' partners; a partner missing from it is never
    judged (it was forgotten meanwhile)."""
    counts: dict[tuple[int | None, str | None], int] = {}
    for message in messages:
        if start <= message.sent_at < end:
            key = (
                (message.partner_id, None)
                if message.partner_id is not None
                else (None, message.person_user_id)
            )
            counts[key] = counts.get(key, 0) + 1
    for contact in contacts:
        in_week = start <= contact.occurred_at < end
        if in_week and contact_after_hours(contact, hours.get(contact.partner_id)):
            key = (contact.partner_id, None)
            counts[key] = counts.get(key, 0) + 1
    figures = [WeekFigure(p, u, n) for (p, u), n in counts.items() if n > 0]
    figures.sort(
        key=lambda f: (-f.count, f.partner_id is None, f.partner_id or 0, f.person_user_id or "")
    )
    return figures
