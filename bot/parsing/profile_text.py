"""A partner's profile in one line: `/rapport partner Acme set …`.

    tz Asia/Tokyo hours 9-18 days mon-fri prefers email lang en cadence 60
    email ana@acme.example org "Acme GmbH"
    zeitzone Europe/Berlin zeiten 9:30-17:30 tage mo-fr bevorzugt telefon sprache de
    rhythmus 3 monate
    public-holidays JP      feiertage DE-BY      feiertage keine      public-holidays auto

Each setting is a word and its value, in any order, any of them alone, English or German words
for everyone. Values are read strictly, and one bad value refuses the whole line: a profile is
typed again in a moment, a half-applied one would be wrong without anyone noticing.

- time zone: an IANA name (`Asia/Tokyo`, any case); what this machine's zoneinfo knows, but
  not its legacy abbreviations and fixed offsets (`CET`, `EST`, `EST5EDT`, `Etc/GMT+5`): `EST`
  has no summer time, so a New York partner's hours would be an hour off half the year, and
  `Etc/GMT+5` is five hours *behind* GMT. `UTC` is kept;
- hours and days: read as a member's own settings are (`bot.parsing.settings_text`: 24-hour
  `9-18`, `9.30-17.30`, `9 bis 17 Uhr`, 12-hour `9am-5pm`; hours that read two ways, such as
  `1-5pm`, refused naming both), stored as minutes after local midnight (start, end) and
  ascending ISO weekday digits;
- preferred channel: one of `storage.vocabulary.PREFERRED_CHANNELS`, from EN/DE words;
- language: `en` / `de` and their names in either language;
- cadence: days between check-ins, `CADENCE_MIN_DAYS` to `CADENCE_MAX_DAYS`: `60`, `60d`,
  `60 days`, `8 weeks`, `3 months` (30 days each), `1 year`, and the German words;
- e-mail: a plausible address; Slack's `<mailto:…|…>` markup is decoded first;
- organisation: a name (quoted when it has several words that could be read as settings);
- public holidays: a region the holidays library knows (`DE-BY`, `JP`, read as a member's own
  setting is), `none` / `keine` for none, `auto` (or `clear`) for those of the country of the
  partner's zone, which is also what an unset field means.
- contact limit (`max-contacts 5`, `kontaktgrenze 5`): how many contacts we start within 14
  days before the reply to a logged one says it is a lot, `MAX_CONTACTS_MIN` to
  `MAX_CONTACTS_MAX`, or `off` / `aus` for never (`bot.rules.relationships.contact_balance`).

`clear` / `löschen` as a value takes a setting back to unset (the cadence to its default).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypeVar
from zoneinfo import available_timezones

from bot.parsing import checks
from bot.parsing.markup import decode
from bot.parsing.settings_text import (
    PUBLIC_HOLIDAYS_TWO_WORDS,
    ZONE_COUNTRY,
    SettingsProblem,
    joined_names,
    parse_days,
    parse_hours,
    parse_language,
    read_region_words,
)
from storage.vocabulary import (
    CADENCE_MAX_DAYS,
    CADENCE_MIN_DAYS,
    DEFAULT_CADENCE_DAYS,
    DEFAULT_MAX_CONTACTS,
    EMAIL_MAX_CHARS,
    MAX_CONTACTS_MAX,
    MAX_CONTACTS_MIN,
    MAX_CONTACTS_OFF,
)

# Each setting and the words that name it, in the order problems are reported.
SETTING_WORDS: Mapping[str, frozenset[str]] = {
    "tz": frozenset({"tz", "timezone", "zone", "zeitzone"}),
    "hours": frozenset({"hours", "zeiten", "geschäftszeiten", "geschaeftszeiten", "stunden"}),
    "days": frozenset({"days", "tage", "geschäftstage", "geschaeftstage", "arbeitstage"}),
    "channel": frozenset({"prefers", "preferred", "channel", "bevorzugt", "kanal"}),
    "language": frozenset({"lang", "language", "sprache"}),
    "cadence": frozenset({"cadence", "rhythmus", "turnus"}),
    "email": frozenset({"email", "e-mail", "mail"}),
    "organisation": frozenset({"org", "organisation", "organization", "company", "firma"}),
    "holidays": frozenset(
        {"public-holidays", "public_holidays", "publicholidays", "feiertage", "feiertag"}
    ),
    "max_contacts": frozenset(
        {"max-contacts", "maxcontacts", "contact-limit", "max-kontakte", "kontaktgrenze"}
    ),
}
CLEAR_WORDS = frozenset({"clear", "none", "löschen", "loeschen", "keine", "keiner"})

CHANNEL_WORDS: Mapping[str, str] = {
    "email": "email", "e-mail": "email", "mail": "email",
    "phone": "phone", "call": "phone", "telephone": "phone", "telefon": "phone",
    "anruf": "phone", "handy": "phone",
    "meeting": "meeting", "in-person": "meeting", "person": "meeting", "treffen": "meeting",
    "persönlich": "meeting", "persoenlich": "meeting",
    "slack": "slack",
}  # fmt: skip

# Days per unit of a cadence; a month is counted as 30 days, a year as 365.
CADENCE_UNITS: Mapping[str, int] = {
    "d": 1, "day": 1, "days": 1, "tag": 1, "tage": 1, "tagen": 1, "t": 1,
    "w": 7, "week": 7, "weeks": 7, "woche": 7, "wochen": 7,
    "m": 30, "mo": 30, "month": 30, "months": 30, "monat": 30, "monate": 30, "monaten": 30,
    "y": 365, "year": 365, "years": 365, "jahr": 365, "jahre": 365,
}  # fmt: skip
# Up to 12 ASCII digits: a number far out of range is answered as out of range, not unreadable.
_NUMBER = re.compile(r"[0-9]{1,12}")
_CADENCE = re.compile(r"([0-9]{1,12})\s*([a-zäöü]*)")
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"'.]+(?:\.[^@\s<>,;\"'.]+)+")
# A quoted value ("Acme GmbH", “Acme GmbH”, „Acme GmbH“) or one word.
_TOKEN = re.compile(r"[\"“„”]([^\"“”„]*)[\"“”]|(\S+)")
ECHO_CHARS = 40
# How many words a value may have: a word past these is a slip ("tz Asia/Tokyo colour blue").
_WORDS_AT_MOST: Mapping[str, int] = {
    "tz": 1,
    "channel": 1,
    "language": 1,
    "email": 1,
    "cadence": 2,
    "holidays": 4,
    "max_contacts": 1,
}
# Words that clear a setting; for public holidays "none"/"keine" means none, not unset.
_UNSET_WORDS = frozenset({"clear", "löschen", "loeschen"})
# The over-contact hint turned off (`MAX_CONTACTS_OFF`).
OFF_WORDS = frozenset({"off", "never", "aus", "nie"})
T = TypeVar("T")

PROBLEM_CODES = (
    "empty",
    "unknown_word",
    "repeated",
    "missing",
    "bad_zone",
    "hours_missing",
    "bad_hours",
    "bad_time",
    "overnight",
    "ambiguous_hours",
    "days_missing",
    "bad_day",
    "bad_channel",
    "language_missing",
    "bad_language",
    "bad_cadence",
    "cadence_range",
    "bad_email",
    "bad_organisation",
    "unknown_country",
    "unknown_subdivision",
    "no_subdivisions",
    "bad_max_contacts",
    "max_contacts_too_small",
    "max_contacts_too_large",
)


class Clear:
    """A setting taken back to unset (its default, for the cadence)."""

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = Clear()


@dataclass(frozen=True)
class ProfileChange:
    """The settings named, each with its new value or CLEAR; a setting not named is absent.

    Values: `tz` an IANA name; `hours` (start, end) minutes; `days` ISO weekday digits;
    `channel` one of PREFERRED_CHANNELS; `language` "en"/"de"; `cadence` days; `email` an
    address; `organisation` a name; `holidays` a region code or "none" (CLEAR: from the zone).
    """

    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ProfileProblem:
    """Why the line cannot be read: `code` (one of PROBLEM_CODES) picks the text, `details`
    fill it (what was typed, quoted back short); `setting` is the one whose value was wrong (a
    key of SETTING_WORDS), so that the reply's example shows that setting, or None when the
    line as a whole was (an unknown word, a setting named twice)."""

    code: str
    details: Mapping[str, str] = field(default_factory=dict)
    setting: str | None = None


def parse_profile(text: str) -> ProfileChange | ProfileProblem:
    """Read the settings in `text` (as Slack sent it, markup and all)."""
    sections = _sections(_tokens(decode(text)))
    if isinstance(sections, ProfileProblem):
        return sections
    if not sections:
        return ProfileProblem("empty")
    values: dict[str, object] = {}
    for setting in SETTING_WORDS:
        if setting not in sections:
            continue
        keyword, words = sections[setting]
        if setting != "holidays" and len(words) == 1 and words[0].casefold() in CLEAR_WORDS:
            values[setting] = DEFAULT_CADENCE_DAYS if setting == "cadence" else CLEAR
            continue
        limit = _WORDS_AT_MOST.get(setting, len(words))
        if words[limit:]:
            return replace(_too_many_words(setting, keyword, words, limit), setting=setting)
        value = _READERS[setting](keyword, words)
        if isinstance(value, ProfileProblem):
            return replace(value, setting=setting)
        values[setting] = value
    return ProfileChange(values)


def _too_many_words(setting: str, keyword: str, words: list[str], limit: int) -> ProfileProblem:
    """More words after a setting than its value takes. Where the value's own words are not a
    value either ("prefers carrier pigeon", "cadence every 8 weeks"), the value is what is wrong,
    and the reply names all of it; otherwise ("prefers email pigeon") the first word too many."""
    alone = _READERS[setting](keyword, words[:limit])
    whole = _READERS[setting](keyword, words)
    if isinstance(alone, ProfileProblem) and isinstance(whole, ProfileProblem):
        return whole
    return ProfileProblem("unknown_word", {"word": echo(words[limit])})


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The words of `text`, each with whether it was quoted (a quoted word is never a
    setting's name)."""
    tokens = [
        (match[1], True) if match[1] is not None else (match[2], False)
        for match in _TOKEN.finditer(text)
    ]
    joined: list[tuple[str, bool]] = []
    for word, quoted in tokens:
        if joined and not quoted and not joined[-1][1]:
            one = joined_names([joined[-1][0], word], PUBLIC_HOLIDAYS_TWO_WORDS)
            if len(one) == 1:
                joined[-1] = (one[0], False)
                continue
        joined.append((word, quoted))
    return joined


def _sections(tokens: list[tuple[str, bool]]) -> dict[str, tuple[str, list[str]]] | ProfileProblem:
    """The words after each setting's name, by setting, with the name as typed."""
    sections: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    current_setting = ""
    for token, quoted in tokens:
        setting = None if quoted else setting_of(token)
        if setting is not None and _a_value_here(current_setting, current, token):
            setting = None  # "prefers email", "cadence 60 days": a value, not a setting
        if setting is None:
            if current is None:
                return ProfileProblem("unknown_word", {"word": echo(token)})
            current.append(token)
            continue
        if setting in sections:
            return ProfileProblem("repeated", {"word": echo(token)})
        current, current_setting = [], setting
        sections[setting] = (token, current)
    return sections


def setting_of(word: str) -> str | None:
    """The setting a word names ("Zeitzone:" → "tz"), or None."""
    folded = word.casefold().rstrip(":=")
    return next((s for s, names in SETTING_WORDS.items() if folded in names), None)


def _a_value_here(setting: str, words: list[str] | None, token: str) -> bool:
    """Whether a word that names a setting is the value of the one being read: a channel
    right after `prefers` ("prefers email"), a unit after a cadence's number ("60 days")."""
    if words is None:
        return False
    folded = token.casefold()
    if setting == "channel":
        return not words and folded in CHANNEL_WORDS
    return (
        setting == "cadence" and len(words) == 1 and words[0].isdigit() and folded in CADENCE_UNITS
    )


# --- each setting's value ------------------------------------------------------------------------


def parse_zone(keyword: str, words: list[str]) -> str | ProfileProblem:
    """An IANA zone name this machine knows, in its own spelling ("asia/tokyo" → "Asia/Tokyo")."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    typed = " ".join(words)
    found = _zones().get(typed.casefold())
    if found is None or checks.time_zone(found) is None:
        return ProfileProblem("bad_zone", {"value": echo(typed)})
    return found


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """The zones a person may type, by their case-folded names: Area/Location names (and UTC)."""
    return {
        name.casefold(): name
        for name in available_timezones()
        if name == "UTC" or ("/" in name and not name.startswith(("Etc/", "SystemV/")))
    }


def _hours(keyword: str, words: list[str]) -> tuple[int, int] | ProfileProblem:
    return _from_settings(parse_hours(keyword, words))


def _days(keyword: str, words: list[str]) -> str | ProfileProblem:
    return _from_settings(parse_days(keyword, words))


def _language(keyword: str, words: list[str]) -> str | ProfileProblem:
    found = parse_language(keyword, words)
    if isinstance(found, SettingsProblem):
        return _from_settings(found)
    if not isinstance(found, str):  # "auto" follows a member's Slack; a partner has no such
        return ProfileProblem("bad_language", {"value": echo(" ".join(words))})
    return found


def _from_settings(found: T | SettingsProblem) -> T | ProfileProblem:
    if isinstance(found, SettingsProblem):
        return ProfileProblem(found.code, found.details)
    return found


def parse_channel(keyword: str, words: list[str]) -> str | ProfileProblem:
    """`email`, `E-Mail`, `phone`, `Telefon`, `meeting`, `Treffen`, `slack` → a channel."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    typed = " ".join(words)
    channel = CHANNEL_WORDS.get(typed.casefold().strip(".,;!"))
    if channel is None:
        return ProfileProblem("bad_channel", {"value": echo(typed)})
    return channel


def parse_cadence(keyword: str, words: list[str]) -> int | ProfileProblem:
    """Days between check-ins: `60`, `60d`, `8 weeks`, `3 Monate`, `1 year`."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    typed = " ".join(words)
    match = _CADENCE.fullmatch(typed.casefold().strip(".,;!"))
    unit = CADENCE_UNITS.get(match[2] or "d") if match else None
    if match is None or unit is None:
        return ProfileProblem("bad_cadence", {"value": echo(typed)})
    days = int(match[1]) * unit
    if not CADENCE_MIN_DAYS <= days <= CADENCE_MAX_DAYS:
        return ProfileProblem(
            "cadence_range",
            {"value": echo(typed), "min": str(CADENCE_MIN_DAYS), "max": str(CADENCE_MAX_DAYS)},
        )
    return days


def parse_email(keyword: str, words: list[str]) -> str | ProfileProblem:
    """One plausible address: something, an @, and a domain with a dot."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    typed = " ".join(words)
    address = typed.strip().removeprefix("mailto:")
    if (
        len(words) != 1
        or len(address) > EMAIL_MAX_CHARS
        or not _EMAIL.fullmatch(address)
        or checks.email(address) is None
    ):
        return ProfileProblem("bad_email", {"value": echo(typed)})
    return address


def parse_organisation(keyword: str, words: list[str]) -> str | ProfileProblem:
    """A name that fits the name columns and holds no character a name may not."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    name = " ".join(" ".join(words).split())
    if not name:  # `org ""`: the quotes held nothing
        return ProfileProblem("missing", {"word": keyword})
    if not checks.name_fits(name) or checks.name_character(name) is not None:
        return ProfileProblem("bad_organisation", {"value": echo(name)})
    return name


def parse_public_holidays(keyword: str, words: list[str]) -> str | Clear | ProfileProblem:
    """`JP`, `DE-BY`, `de by` → the region code; `none` / `keine` → "none"; `auto`, `clear` →
    CLEAR (the country of the partner's zone)."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    typed = " ".join(words)
    if typed.casefold() in _UNSET_WORDS:
        return CLEAR
    found = read_region_words(typed)
    if isinstance(found, SettingsProblem):
        return ProfileProblem(found.code, found.details)
    return CLEAR if found is ZONE_COUNTRY or not isinstance(found, str) else found


def parse_max_contacts(keyword: str, words: list[str]) -> int | ProfileProblem:
    """How many contacts we start within 14 days before the reply says it is a lot:
    `MAX_CONTACTS_MIN` to `MAX_CONTACTS_MAX`, or `off` / `aus` (`MAX_CONTACTS_OFF`)."""
    if not words:
        return ProfileProblem("missing", {"word": keyword})
    typed = " ".join(words)
    folded = typed.casefold().strip(".,;!")
    if folded in OFF_WORDS:
        return MAX_CONTACTS_OFF
    limits = {
        "value": echo(typed),
        "min": str(MAX_CONTACTS_MIN),
        "max": str(MAX_CONTACTS_MAX),
        "default": str(DEFAULT_MAX_CONTACTS),
    }
    if not _NUMBER.fullmatch(folded):
        return ProfileProblem("bad_max_contacts", limits)
    # A number read, but out of range: say which way ("1 is too small"), the typed digits kept.
    count = int(folded)
    if count < MAX_CONTACTS_MIN:
        return ProfileProblem("max_contacts_too_small", {**limits, "value": folded})
    if count > MAX_CONTACTS_MAX:
        return ProfileProblem("max_contacts_too_large", {**limits, "value": folded})
    return count


_READERS: Mapping[str, Callable[[str, list[str]], object]] = {
    "tz": parse_zone,
    "hours": _hours,
    "days": _days,
    "channel": parse_channel,
    "language": _language,
    "cadence": parse_cadence,
    "email": parse_email,
    "organisation": parse_organisation,
    "holidays": parse_public_holidays,
    "max_contacts": parse_max_contacts,
}


def echo(value: str) -> str:
    """What was typed, quoted back short."""
    return value if len(value) <= ECHO_CHARS else value[: ECHO_CHARS - 1] + "…"
