"""Who reads a message, in which language, and how dates look to them.

The language follows the Slack locale (`de-*` → German, anything else → English); dates and times
are formatted by Babel in the reader's locale and time zone, so a Berliner reads
"Dienstag, 24. November 2026" and a New Yorker "Tuesday, November 24, 2026".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.lists import format_list

from bot.rules.zones import DEFAULT_TZ, zone
from bot.texts.catalog import TEXTS

DEFAULT_LOCALE = "en-US"


@dataclass(frozen=True)
class Reader:
    """The person a message is for: their Slack locale and IANA time zone."""

    locale: str = DEFAULT_LOCALE
    tz: str = DEFAULT_TZ

    @cached_property
    def lang(self) -> str:
        """Worked out once per reader: a reply looks it up for each of its thirty-odd texts."""
        return language_of(self.locale)

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    @property
    def month_first(self) -> bool:
        """Whether this locale writes numeric dates month first ("2/3/27" is 3 February in
        en-US): its short date pattern, from Babel's CLDR data, puts the month before the day."""
        return writes_month_first(self.locale)

    def t(self, key: str, **values: object) -> str:
        return text(self.lang, key, **values)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def today(self, now: datetime) -> date:
        return self.local(now).date()

    def day(self, day: date) -> str:
        """A calendar date spelled out, weekday included: people plan by weekdays."""
        return spelled_date(day, "full", self.locale)

    def days_or(self, days: Sequence[date]) -> str:
        """Calendar dates spelled out (`day`), as alternatives: "Friday, 8 January 2027 or
        Monday, 11 January 2027"."""
        spelled = [self.day(day) for day in days]
        return format_list(spelled, style="or", locale=babel_locale(self.locale))

    def time(self, instant: datetime) -> str:
        return format_time(self.local(instant), format="short", locale=babel_locale(self.locale))

    def when(self, instant: datetime, *, has_time: bool, now: datetime) -> str:
        """ "today", "yesterday, 14:30" or "Monday, 23 November 2026"; relative words near today."""
        local_day = self.local(instant).date()
        days_ago = (self.today(now) - local_day).days
        if days_ago == 0:
            label = self.t("when.today")
        elif days_ago == 1:
            label = self.t("when.yesterday")
        else:
            label = self.day(local_day)
        return f"{label}, {self.time(instant)}" if has_time else label


class Person(Protocol):
    """Whom a text is for: read-only, so a member's computed preferred_locale fits."""

    @property
    def preferred_locale(self) -> str: ...

    @property
    def tz(self) -> str: ...


def reader_of(person: Person | None) -> Reader:
    """How to speak to a cached member: their chosen language and their zone; defaults if none."""
    return Reader(person.preferred_locale, person.tz) if person else Reader()


def language_of(locale: str | None) -> str:
    return "de" if (locale or "").lower().startswith("de") else "en"


def text(lang: str, key: str, **values: object) -> str:
    entry = TEXTS[key]
    return entry.get(lang, entry["en"]).format(**values)


@lru_cache(maxsize=64)
def babel_locale(slack_locale: str) -> Locale:
    try:
        return Locale.parse(slack_locale, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(language_of(slack_locale))


@lru_cache(maxsize=1024)
def spelled_date(day: date, pattern: str, slack_locale: str) -> str:
    """`day` formatted by Babel with `pattern` (a format name or a date pattern) in the locale:
    cached, as a reply spells the same few days (today's week, a due day) again and again, and
    each spelling walks Babel's pattern and locale data anew."""
    return format_date(day, format=pattern, locale=babel_locale(slack_locale))


@lru_cache(maxsize=64)
def writes_month_first(slack_locale: str) -> bool:
    pattern = babel_locale(slack_locale).date_formats["short"].pattern
    month, day = pattern.find("M"), pattern.find("d")
    return 0 <= month < day


def escape(value: str) -> str:
    """Make user text safe inside Slack mrkdwn (Slack's three control characters)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
