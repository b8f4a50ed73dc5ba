"""`/logcontact settings`: a member's own working hours, language, and holidays.

    /logcontact settings                                  show them
    /logcontact settings hours 8-17 days mon-fri          change both
    /logcontact einstellungen arbeitszeit 8:30-17 tage mo-fr
    /logcontact settings language de                      answer me in German (`auto`: as Slack)
    /logcontact settings away until Jan 4                 no nudges before 4 January
    /logcontact einstellungen zurück                      back early
    /logcontact settings public-holidays DE-BY            Bavaria's public holidays are days off
    /logcontact einstellungen feiertage keine             no public holidays (`auto`: the zone's)
    /rapport settings hints off                           no after-hours hints in any channel
    /rapport einstellungen hinweise an                    after-hours hints on again everywhere

Either language's words work for everyone; the reply is in the member's language, the new one
right after it changes. Hours are stored as minutes after local midnight (`work_start_minute`
from 0 to 1439, `work_end_minute` after it and at most 1440), days as ascending ISO weekday
digits (`work_days`, Monday = "1"), both applied in the member's Slack time zone. `language` is
"en", "de" or None (follow Slack). `away_until` is the local day the member is back: nudges wait
until then and arrive together that day. Away dates are read by the same forward-looking parser
as promise due dates, against the member's local today. `public_holidays` is None (the country
of the member's Slack zone), "none", or a region code the holidays library knows ("DE-BY");
"holidays"/"urlaub" mean being away, so the setting has words of its own. `hints` is True (every
mute of after-hours hints taken back, in every channel) or False (muted everywhere). Parsing and
formatting are pure functions; the caller owns the transaction and the member row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Final

from bot.parsing.dates import MAX_YEAR, BadDate, parse_due
from bot.parsing.markup import decode
from bot.parsing.questions import NeedsAnswer
from bot.rules.public_holidays import AUTO_WORDS, OFF, OFF_WORDS, RegionProblem, read_region
from bot.rules.working_hours import clock_label

SETTINGS_WORDS = frozenset({"settings", "einstellungen"})
HOURS_WORDS = frozenset({"hours", "arbeitszeit", "arbeitszeiten", "stunden"})
DAYS_WORDS = frozenset({"days", "workdays", "tage", "arbeitstage"})
LANGUAGE_WORDS = frozenset({"language", "sprache"})
AWAY_WORDS = frozenset({"away", "abwesend", "urlaub"})
BACK_WORDS = frozenset({"back", "zurück", "zurueck"})
PUBLIC_HOLIDAY_WORDS = frozenset(
    {"public-holidays", "public_holidays", "publicholidays", "feiertage", "feiertag"}
)
# After-hours hints in shared channels; "hinweise", not "tipps" or "hilfe" (help). The singular
# is the setting too ("hint off"), and "after-hours" names it as the settings line does.
HINTS_WORDS = frozenset({"hints", "hint", "hinweise", "hinweis", "after-hours", "afterhours"})
HELP_WORDS = frozenset({"help", "hilfe", "?"})
# Each setting and the words that start it, in the order their problems are reported. Being
# back is the away setting cleared, so "away until Jan 4 back" names it twice.
_SECTIONS: Mapping[str, frozenset[str]] = {
    "hours": HOURS_WORDS,
    "days": DAYS_WORDS,
    "language": LANGUAGE_WORDS,
    "away_until": AWAY_WORDS | BACK_WORDS,
    "public_holidays": PUBLIC_HOLIDAY_WORDS,
    "hints": HINTS_WORDS,
}

PROBLEM_CODES = (
    "unknown_word",
    "repeated",
    "hours_missing",
    "bad_hours",
    "bad_time",
    "overnight",
    "ambiguous_hours",
    "days_missing",
    "bad_day",
    "language_missing",
    "bad_language",
    "away_missing",
    "bad_date",
    "past_date",
    "too_far",
    "region_missing",
    "unknown_country",
    "unknown_subdivision",
    "no_subdivisions",
    "hints_missing",
    "bad_hints",
)
# The subdivision codes a problem lists, cut to stay well inside a section block's 3,000
# characters with the sentence around them (the United States have 57, Russia over 80).
_REGIONS_LIST_CHARS = 1500


# The last day an away setting may name: the date reader's last (`bot.parsing.dates.MAX_YEAR`),
# so that the clock's search for the first window after it never runs off the calendar. The
# Home's settings modal refuses the same days with the same words (`too_far`).
LAST_AWAY_DAY: Final = date(MAX_YEAR, 12, 31)
# A year in typed words ("31.12.9999", "2300-01-01"), to tell a day past LAST_AWAY_DAY from one
# that cannot be read.
_YEAR_WORD = re.compile(r"(?<!\d)\d{4}(?!\d)")


class Reset(Enum):
    """A setting taken back to how it is when nobody chose one."""

    FOLLOW_SLACK = "follow_slack"  # language: the one in the member's Slack profile
    NOT_AWAY = "not_away"  # away_until: nudges come in working hours again
    ZONE_COUNTRY = "zone_country"  # public_holidays: those of the Slack zone's country


FOLLOW_SLACK: Final = Reset.FOLLOW_SLACK
NOT_AWAY: Final = Reset.NOT_AWAY
ZONE_COUNTRY: Final = Reset.ZONE_COUNTRY

LANGUAGES: Mapping[str, str | Reset] = {
    "en": "en", "english": "en", "englisch": "en",
    "de": "de", "german": "de", "deutsch": "de",
    "auto": FOLLOW_SLACK, "automatic": FOLLOW_SLACK, "automatisch": FOLLOW_SLACK,
    "slack": FOLLOW_SLACK,
}  # fmt: skip

# ISO weekday numbers; English and German names, full and short. No spelling means two days.
DAY_NAMES: Mapping[str, int] = {
    "monday": 1, "mon": 1, "mo": 1, "montag": 1,
    "tuesday": 2, "tue": 2, "tues": 2, "tu": 2, "dienstag": 2, "di": 2,
    "wednesday": 3, "wed": 3, "we": 3, "mittwoch": 3, "mi": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "th": 4, "donnerstag": 4, "do": 4,
    "friday": 5, "fri": 5, "fr": 5, "freitag": 5,
    "saturday": 6, "sat": 6, "sa": 6, "samstag": 6, "sonnabend": 6,
    "sunday": 7, "sun": 7, "su": 7, "sonntag": 7, "so": 7,
}  # fmt: skip

_DASHES = "-–—"
_RANGE_WORDS = frozenset({"to", "bis", "till", "until"})
_AND_WORDS = frozenset({"and", "und", "&"})
# Words that may lead hours and add nothing: "from 9am to 5pm", "von 9 bis 17 Uhr".
_FROM_WORDS = frozenset({"from", "von", "ab"})
# A time of day: an hour, minutes after ":" or "." (9:30, 9.30), an hour mark (9h, 9 Uhr), and
# an English half of the day (am/pm, a.m./p.m., any case; spaces are gone by then).
_CLOCK = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(?:h|uhr)?(am|pm|a\.m\.|p\.m\.)?"
_HOURS = re.compile(rf"{_CLOCK}[{_DASHES}]{_CLOCK}")
_ECHO_CHARS = 40
_OFF_WORDS = frozenset({"off", "aus"})
# Words that may lead an away date: "away until Jan 4", "abwesend bis zum 4. Januar".
_UNTIL_WORDS = frozenset({"until", "till", "til", "bis", "zum", "zur"})


@dataclass(frozen=True)
class SettingsChange:
    """What a member asked to change (None: leave as is); nothing at all means "show me"."""

    hours: tuple[int, int] | None = None  # (start, end) in minutes after local midnight
    days: str | None = None  # ascending ISO weekday digits, "12345" for Monday to Friday
    language: str | Reset | None = None  # "en", "de", or FOLLOW_SLACK
    away_until: date | Reset | None = None  # the local day back at work, or NOT_AWAY
    public_holidays: str | Reset | None = None  # a region code, "none", or ZONE_COUNTRY
    hints: bool | None = None  # after-hours hints: True on everywhere, False off everywhere

    @property
    def is_empty(self) -> bool:
        return self == SettingsChange()


@dataclass(frozen=True)
class SettingsProblem:
    """Why the request cannot be read: `code` (one of PROBLEM_CODES) picks the text, `details`
    fill it."""

    code: str
    details: Mapping[str, str] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------------


def settings_text(text: str) -> str | None:
    """What follows `settings` / `einstellungen` when the command starts with one, Slack's
    markup decoded (a word quoted back in a problem is then escaped once, not twice); else
    None."""
    first, _, rest = text.strip().partition(" ")
    return decode(rest).strip() if first.casefold().rstrip(":") in SETTINGS_WORDS else None


_QUOTES = "\"'“”„‚‘’«»‹›"

# A setting's name people type as two words; read as the one word it is written as.
PUBLIC_HOLIDAYS_TWO_WORDS: Mapping[tuple[str, str], str] = {
    ("public", "holidays"): "public-holidays",
    ("public", "holiday"): "public-holidays",
}
# In settings "after hours" names the hints too; a partner profile has no such setting, and
# there it may be part of an organisation's name.
_TWO_WORD_NAMES: Mapping[tuple[str, str], str] = {
    **PUBLIC_HOLIDAYS_TWO_WORDS,
    ("after", "hours"): "after-hours",
}


def joined_names(
    tokens: list[str], names: Mapping[tuple[str, str], str] = _TWO_WORD_NAMES
) -> list[str]:
    """`tokens` with a two-word setting name of `names` made one ("public holidays DE" →
    "public-holidays DE"), so that it reads as the name it is and not as an unknown word."""
    joined: list[str] = []
    for token in tokens:
        name = names.get((joined[-1].casefold(), token.casefold())) if joined else None
        if name is not None:
            joined[-1] = name
        else:
            joined.append(token)
    return joined


def parse_settings(
    text: str, *, today: date, month_first: bool = False
) -> SettingsChange | SettingsProblem:
    """Read `hours START-END`, `days DAYS`, `language LANG` and `away until DAY` / `back` (in
    any order, any of them alone, EN or DE words). `today` is the member's local date, which an
    away date must come after; `month_first`: the member's Slack locale writes numeric dates
    month first (`bot.texts.reader.writes_month_first`), so "2/3" can be either day."""
    # Phones and Macs turn "off" into “off” as it is typed: quotes around a word are not part
    # of it.
    tokens = joined_names([token.strip(_QUOTES) or token for token in text.split()])
    if not tokens or (len(tokens) == 1 and tokens[0].casefold() in HELP_WORDS):
        return SettingsChange()
    sections = _sections(tokens)
    if isinstance(sections, SettingsProblem):
        return sections
    values: dict[str, Any] = {}
    for kind in _SECTIONS:
        if kind not in sections:
            continue
        keyword, words = sections[kind]
        value: tuple[int, int] | str | date | Reset | bool | SettingsProblem
        if kind == "hours":
            value = parse_hours(keyword, words)
        elif kind == "days":
            value = parse_days(keyword, words)
        elif kind == "language":
            value = parse_language(keyword, words)
        elif kind == "public_holidays":
            value = parse_public_holidays(keyword, words)
        elif kind == "hints":
            value = parse_hints(keyword, words)
        else:
            value = parse_away(keyword, words, today=today, month_first=month_first)
        if isinstance(value, SettingsProblem):
            return value
        values[kind] = value
    return SettingsChange(**values)


def _sections(tokens: list[str]) -> dict[str, tuple[str, list[str]]] | SettingsProblem:
    """The words after each setting's name, by setting, with the name as typed."""
    sections: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for token in tokens:
        keyword, value = _keyword(token)
        if keyword is None:
            if current is None:
                return SettingsProblem("unknown_word", {"word": _echo(token)})
            current.append(token)
            continue
        kind = next(kind for kind, names in _SECTIONS.items() if keyword.casefold() in names)
        if kind in sections:
            return SettingsProblem("repeated", {"word": keyword})
        current = [value] if value else []
        sections[kind] = (keyword, current)
    return sections


def _keyword(token: str) -> tuple[str | None, str]:
    """A setting's name and anything glued to it ("hours:8-17"), or None for another word."""
    name, _, value = token.partition(":") if ":" in token else token.partition("=")
    if any(name.casefold() in names for names in _SECTIONS.values()):
        return name, value
    return None, ""


def parse_hours(keyword: str, tokens: list[str]) -> tuple[int, int] | SettingsProblem:
    """`8-17`, `8:30-17:15`, `08:00 – 17:30`, `8 to 17`, `8 bis 17 Uhr`, `9.30-17.30`, `9am-5pm`,
    `9:30am–5:30pm`, `9 AM - 5 PM`, `9-5pm` → minutes (start, end).

    An hour without am/pm is read on the 24-hour clock, except beside one with am/pm, where it
    may also be the afternoon ("9-5pm": 9:00-17:00; "10am-2": 10:00-14:00). Where both
    readings are business hours ("1-5pm": 1:00 or 13:00) nothing is guessed: the problem
    `ambiguous_hours` names both, to be typed again with am/pm on each side or as 24-hour
    times. 12am is midnight (0:00 as a start, 24:00 as an end), 12pm noon.
    """
    if not tokens:
        return SettingsProblem("hours_missing", {"word": keyword})
    typed = " ".join(tokens)
    words = tokens[1:] if tokens[0].casefold() in _FROM_WORDS else tokens
    squeezed = "".join("-" if t.casefold() in _RANGE_WORDS else t for t in words).casefold()
    match = _HOURS.fullmatch(squeezed.removesuffix("uhr"))
    if match is None:
        return SettingsProblem("bad_hours", {"value": _echo(typed)})
    start_hour, start_minute, start_half, end_hour, end_minute, end_half = match.groups()
    starts = _clock_readings(start_hour, start_minute, start_half, end_half, is_end=False)
    if isinstance(starts, SettingsProblem):
        return starts
    ends = _clock_readings(end_hour, end_minute, end_half, start_half, is_end=True)
    if isinstance(ends, SettingsProblem):
        return ends
    readings = sorted({(s, e) for s in starts for e in ends if s < e})
    if not readings:
        start, end = starts[0], ends[0]
        return SettingsProblem("overnight", {"start": clock_label(start), "end": clock_label(end)})
    if len(readings) > 1:
        first, second = (f"{clock_label(s)}–{clock_label(e)}" for s, e in readings[:2])
        return SettingsProblem(
            "ambiguous_hours", {"value": _echo(typed), "first": first, "second": second}
        )
    return readings[0]


def _clock_readings(
    hour: str, minute: str | None, half: str | None, other_half: str | None, *, is_end: bool
) -> list[int] | SettingsProblem:
    """The minutes after midnight a typed time may mean, the 24-hour reading first.

    With am/pm the hour goes from 1 to 12 and there is one reading; without, the 24-hour one,
    and beside a time with am/pm (`other_half`) the afternoon one too, for hours 1 to 11.
    """
    h, m = int(hour), int(minute or 0)
    shown = f"{hour}:{minute}" if minute else hour
    if half is not None:
        if not 1 <= h <= 12 or m > 59:
            return SettingsProblem("bad_time", {"time": shown + half})
        afternoon = half.startswith("p")
        value = (h % 12 + (12 if afternoon else 0)) * 60 + m
        # 12am as an end is the midnight that ends the day: 9pm-12am is 21:00-24:00.
        return [24 * 60 if is_end and value == 0 else value]
    if h > 24 or m > 59 or (h == 24 and m > 0):
        return SettingsProblem("bad_time", {"time": shown})
    readings = [h * 60 + m]
    if other_half is not None and 1 <= h <= 11:
        readings.append((h + 12) * 60 + m)
    return readings


def parse_days(keyword: str, tokens: list[str]) -> str | SettingsProblem:
    """`mon-fri`, `mon,tue,thu`, `mo-fr`, `mon-wed, fri`, `montag bis freitag` → "12345"."""
    words = []
    for token in tokens:
        folded = token.casefold()
        words.append("-" if folded in _RANGE_WORDS else "," if folded in _AND_WORDS else token)
    days: set[int] = set()
    for part in re.split(r"[,;/]", "".join(words)):
        if not part:
            continue
        ends = re.split(f"[{_DASHES}]", part)
        if len(ends) > 2:
            return SettingsProblem("bad_day", {"day": _echo(part)})
        numbers = []
        for name in ends:
            number = day_number(name)
            if number is None:
                return SettingsProblem("bad_day", {"day": _echo(name or part)})
            numbers.append(number)
        first, last = numbers[0], numbers[-1]
        # A range wraps over the weekend like the week does: fri-mon is Friday to Monday.
        span = (last - first) % 7
        days.update((first - 1 + step) % 7 + 1 for step in range(span + 1))
    if not days:
        return SettingsProblem("days_missing", {"word": keyword})
    return "".join(str(d) for d in sorted(days))


def parse_language(keyword: str, tokens: list[str]) -> str | Reset | SettingsProblem:
    """`de`, `German`, `Deutsch`, `en`, `englisch` → "de"/"en"; `auto`, `slack` → FOLLOW_SLACK."""
    if not tokens:
        return SettingsProblem("language_missing", {"word": keyword})
    typed = " ".join(tokens)
    language = LANGUAGES.get(typed.casefold().strip(".,;!"))
    if language is None:
        return SettingsProblem("bad_language", {"value": _echo(typed)})
    return language


def parse_public_holidays(keyword: str, tokens: list[str]) -> str | Reset | SettingsProblem:
    """`DE-BY`, `de by`, `JP` → the region code; `none` / `keine` → "none"; `auto` →
    ZONE_COUNTRY. A country or subdivision the holidays library does not know is a problem
    naming it (for a known country, with its subdivisions' codes)."""
    if not tokens:
        return SettingsProblem("region_missing", {"word": keyword})
    return read_region_words(" ".join(tokens))


_ON_WORDS = frozenset({"on", "an", "ein"})


def parse_hints(keyword: str, tokens: list[str]) -> bool | SettingsProblem:
    """`on` / `an` / `ein` → True; `off` / `aus` → False (EN and DE words for everyone)."""
    if not tokens:
        return SettingsProblem("hints_missing", {"word": keyword})
    typed = " ".join(tokens)
    words = typed.casefold().split()
    # "off everywhere" / "überall aus": the words the settings line itself uses.
    word = " ".join(w for w in words if w not in _EVERYWHERE_WORDS).strip(".,;!")
    if word in _ON_WORDS:
        return True
    if word in _OFF_WORDS:
        return False
    return SettingsProblem("bad_hints", {"value": _echo(typed)})


_EVERYWHERE_WORDS = frozenset({"everywhere", "überall", "ueberall"})


def read_region_words(typed: str) -> str | Reset | SettingsProblem:
    """A typed public-holiday region as a setting or profile field reads it: the code, OFF for
    `none`/`keine`, ZONE_COUNTRY for `auto`/`automatisch`, else a problem."""
    word = typed.strip(" .,;!").casefold()
    if word in OFF_WORDS:
        return OFF
    if word in AUTO_WORDS:
        return ZONE_COUNTRY
    region = read_region(typed.strip(" .,;!"))
    if isinstance(region, RegionProblem):
        return region_problem(region)
    return region


def region_problem(problem: RegionProblem) -> SettingsProblem:
    """A `RegionProblem` as the reply's placeholders: the bad part, the country, and its
    subdivisions' codes (cut short when there are many)."""
    if problem.code == "unknown_country":
        return SettingsProblem("unknown_country", {"value": _echo(problem.typed)})
    if not problem.subdivisions:
        return SettingsProblem(
            "no_subdivisions", {"value": _echo(problem.typed), "country": problem.country}
        )
    codes = ", ".join(problem.subdivisions)
    if len(codes) > _REGIONS_LIST_CHARS:
        codes = codes[: codes.rfind(", ", 0, _REGIONS_LIST_CHARS - 2)] + ", …"
    return SettingsProblem(
        "unknown_subdivision",
        {"value": _echo(problem.typed), "country": problem.country, "regions": codes},
    )


def parse_away(
    keyword: str, tokens: list[str], *, today: date, month_first: bool = False
) -> date | Reset | SettingsProblem:
    """`until 2026-12-31`, `until Jan 4`, `bis 4. Januar`, `until next monday` → the day back;
    `off` / `aus`, or the keyword `back` / `zurück` alone → NOT_AWAY.

    The date is read as a promise's due date is (forward from `today`, EN and DE), but must be
    all the words there are: "until Friday lunch" is refused rather than read as Friday.
    """
    if keyword.casefold() in BACK_WORDS:
        return SettingsProblem("unknown_word", {"word": _echo(tokens[0])}) if tokens else NOT_AWAY
    if len(tokens) == 1 and tokens[0].casefold() in _OFF_WORDS:
        return NOT_AWAY
    lead = 0
    while lead < len(tokens) and tokens[lead].casefold() in _UNTIL_WORDS:
        lead += 1
    if lead == len(tokens):
        return SettingsProblem("away_missing", {"word": keyword})
    typed = " ".join(tokens[lead:])
    try:
        found = parse_due(typed, today=today, month_first=month_first)
    except (BadDate, NeedsAnswer):
        # A date that needs a question ("next Friday" on a Monday) is refused here, naming it:
        # a setting is typed again in a moment, with the day spelled out.
        found = None
    if found is None or not _date_alone(typed, found[1]):
        if any(int(year) > MAX_YEAR for year in _YEAR_WORD.findall(typed)):
            return too_far(typed)
        return SettingsProblem("bad_date", {"value": _echo(typed)})
    back, _ = found
    if back <= today:
        return SettingsProblem("past_date", {"value": _echo(typed)})
    return back if back <= LAST_AWAY_DAY else too_far(typed)


def too_far(typed: str) -> SettingsProblem:
    """An away day after LAST_AWAY_DAY, refused in the same words wherever it is set."""
    return SettingsProblem("too_far", {"value": _echo(typed), "last": LAST_AWAY_DAY.isoformat()})


def _date_alone(typed: str, date_words: str) -> bool:
    """Whether `typed` says nothing but the date: a weekday may come before it ("Monday,
    4 January 2027", as replies show a day), nothing after it."""
    before, _, after = typed.rpartition(date_words)
    extra = before.replace(",", " ").split()
    return not after.strip(" .,;!") and all(day_number(word) is not None for word in extra)


def day_number(name: str) -> int | None:
    """The ISO weekday a day name means ("Mo.", "fri", "Freitags" → 1, 5, 5), or None."""
    key = name.casefold().strip(".")
    if key in DAY_NAMES:
        return DAY_NAMES[key]
    if key.endswith("s") and key[:-1] in DAY_NAMES and len(key) > 4:
        return DAY_NAMES[key[:-1]]  # "mondays", "montags"
    return None


def _echo(value: str) -> str:
    """User input quoted back in a reply, cut short when it is long."""
    return value if len(value) <= _ECHO_CHARS else value[: _ECHO_CHARS - 1] + "…"
