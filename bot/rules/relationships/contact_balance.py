"""Is a relationship in balance? Over-contact and one-sided relationships, from plain values.

Two decisions, both pure so that the reply to a logged contact, the partner card, the nudge DM
and (later) the team digest count alike:

- **over-contact** (`contacts_we_started`, `over_contact`): the contacts *we started* with a
  partner within the last `CONTACT_WINDOW_DAYS` days, today included, counted by the calendar
  day each happened on (`occurred_at`, in the reader's zone), every colleague's included. A
  contact the partner started (direction `received`) or one about trouble (kind `problem`)
  is not counted: answering a partner or handling a problem is never pushy. A contact dated
  before the window is history and never warns, whatever is logged today.
- **one-sided** (`one_sided`): among the contacts of the last `ONE_SIDED_DAYS` days that carry
  a direction (`gave`, `received`; `mutual` is what the parser sets when nothing says who
  gave, so it says nothing about balance and is left out), at least `ONE_SIDED_MIN_CONTACTS`,
  all in the same direction. A stretch of them ends with a contact in the other direction:
  `episode_of` names the stretch, so that it is told of once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from storage.vocabulary import (
    CONTACT_WINDOW_DAYS,
    DEFAULT_MAX_CONTACTS,
    MAX_CONTACTS_OFF,
    ONE_SIDED_DAYS,
    ONE_SIDED_DIRECTIONS,
    ONE_SIDED_MIN_CONTACTS,
)


class Contact(Protocol):
    """What the rules read of a contact (a row of `storage.queries.contacts`)."""

    @property
    def id(self) -> int: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def direction(self) -> str: ...


C = TypeVar("C", bound=Contact)


# --- over-contact ----------------------------------------------------------------------------


# What over-contact leaves out: a contact the partner started, and one about a problem.
THEY_STARTED = "received"
ABOUT_A_PROBLEM = "problem"


def we_started(kind: str, direction: str) -> bool:
    """Whether a contact counts towards over-contact: not one the partner started (`received`),
    not one about a problem."""
    return direction != THEY_STARTED and kind != ABOUT_A_PROBLEM


def window_start(today: date) -> date:
    """The first day of the over-contact window that ends `today` (`CONTACT_WINDOW_DAYS` days,
    today included: with 14, the same weekday two weeks ago is outside)."""
    return today - timedelta(days=CONTACT_WINDOW_DAYS - 1)


def query_since(today: date, tz: ZoneInfo) -> datetime:
    """The UTC instant to read contacts from for the window ending `today` in `tz`: a day
    before the window's first local midnight, so that every contact in it is read whatever
    the zone it was logged in; `contacts_we_started` then picks the days exactly."""
    first = datetime.combine(window_start(today), time(0), tzinfo=tz)
    return (first - timedelta(days=1)).astimezone(UTC)


def threshold_of(max_contacts: int | None) -> int | None:
    """The count from which the reply warns: the partner's setting, the default when unset,
    None when the partner's profile turned it off."""
    if max_contacts is None:
        return DEFAULT_MAX_CONTACTS
    return None if max_contacts == MAX_CONTACTS_OFF else max_contacts


def contacts_we_started(contacts: Iterable[C], today: date, tz: ZoneInfo) -> list[C]:
    """The contacts we started in the window ending `today`, each dated by its local day in
    `tz`, newest first. A contact dated after today (a clock between zones) counts as today's:
    it is not history."""
    first = window_start(today)
    found = [
        c
        for c in contacts
        if we_started(c.kind, c.direction) and c.occurred_at.astimezone(tz).date() >= first
    ]
    return sorted(found, key=lambda c: (c.occurred_at, c.id), reverse=True)


@dataclass(frozen=True)
class OverContact(Generic[C]):
    """The new contact made `count` contacts we started in the window (`threshold` or more);
    `others` are the rest of them, newest first."""

    count: int
    threshold: int
    others: tuple[C, ...]


def over_contact(
    new_id: int,
    contacts: Iterable[C],
    today: date,
    tz: ZoneInfo,
    max_contacts: int | None,
) -> OverContact[C] | None:
    """Whether logging the contact `new_id` (among `contacts`, the partner's, new one
    included) calls for the over-contact line: it counts itself (we started it, in the window)
    and makes the count reach the partner's threshold. None otherwise, and when turned off."""
    threshold = threshold_of(max_contacts)
    counted = contacts_we_started(contacts, today, tz)
    if threshold is None or not any(c.id == new_id for c in counted):
        return None
    if len(counted) < threshold:
        return None
    return OverContact(len(counted), threshold, tuple(c for c in counted if c.id != new_id))


# --- one-sided -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OneSided:
    """`count` contacts with a direction in the window, all `direction` ("gave": we gave and
    received nothing; "received": they gave and we gave nothing back)."""

    direction: str
    count: int


def one_sided(contacts: Iterable[Contact], now: datetime) -> OneSided | None:
    """The one-sidedness of a partner's contacts as of `now`, or None: at least
    `ONE_SIDED_MIN_CONTACTS` directed contacts in the last `ONE_SIDED_DAYS` days (a contact
    exactly that long ago still counts), all in one direction. `mutual` ones are left out."""
    since = now - timedelta(days=ONE_SIDED_DAYS)
    directions = [
        c.direction
        for c in contacts
        if c.direction in ONE_SIDED_DIRECTIONS and since <= c.occurred_at <= now
    ]
    if len(directions) < ONE_SIDED_MIN_CONTACTS or len(set(directions)) != 1:
        return None
    return OneSided(directions[0], len(directions))


def other_direction(direction: str) -> str:
    return "received" if direction == "gave" else "gave"


def episode_of(found: OneSided, last_other: datetime | None) -> str:
    """The stretch `found` belongs to: its direction and the moment of the last contact in the
    other direction (of any age; "none" when there never was one). A new contact the other way
    starts a new stretch, which is told of again once it is one-sided in its turn; contacts
    merely ageing out of the window do not."""
    since = last_other.strftime("%Y-%m-%dT%H:%M:%S") if last_other is not None else "none"
    return f"{found.direction}:{since}"
