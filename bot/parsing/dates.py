"""Dates and times in `/logcontact` text: when a contact happened, and when a promise is due.

Both read the same words, in opposite directions. A *when* phrase says when a contact happened,
so it leans into the past: "Monday" is the latest Monday, today included, and "Nov 20" the
nearest Nov 20. A *due* phrase says when a promise must be kept, so it leans into the future:
"Friday" is the next Friday, today included, and "Dec 3" the next Dec 3.

Fixed rules cover what people actually type in English and German, so the same words always mean
the same day and a reminder never fires on a day nobody meant. dateparser only gets a bounded
look at leftovers that contain a digit or a month name, with its base date, its direction and the
parts it must find pinned down.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeVar

import dateparser

from bot.parsing.keywords import DUE_LEAD_WORDS, spelled_sequences, spellings
from bot.parsing.questions import CANCEL, NeedsAnswer, Question, Reading

# Dates outside this range are typing mistakes ("20.11.2062" is fine, "1.1.0026" is not), and
# keeping them out means no date arithmetic below can overflow.
MIN_YEAR = 1900
MAX_YEAR = 2199

_FALLBACK_SPAN = 4  # words handed to dateparser at most
_FALLBACK_TRIES = 3  # places per text where dateparser may be asked


class BadDate(ValueError):
    """Words that clearly mean to be a date or time but name none (31.02., 2026-13-45, 25:00)."""

    def __init__(self, phrase: str) -> None:
        super().__init__(f"not a valid date or time: {phrase!r}")
        self.phrase = phrase


@dataclass(frozen=True)
class Word:
    """One whitespace-separated word, with surrounding punctuation set aside for matching."""

    text: str  # as typed, without surrounding quotes, brackets or trailing punctuation
    key: str  # `text` casefolded: what the rules compare
    tail: str  # the trailing punctuation set aside (a ":" ends the keyword region)
    start: int  # span of `text` in the source
    end: int
    raw_start: int  # span of the whole word, punctuation included
    raw_end: int

    @property
    def dotted(self) -> bool:
        """Written with a full stop, as abbreviations are ("Do.", "Dez.")."""
        return "." in self.tail


_OPENING = "\"'„“”‚‘’«»‹›([{<"
_CLOSING = "\"'“”‘’«»‹›)]}>,;:!?"


def words(text: str) -> list[Word]:
    """Split text into words, remembering where each one is so phrases can be cut out as typed."""
    found: list[Word] = []
    for match in re.finditer(r"\S+", text):
        raw = match.group()
        core = raw.lstrip(_OPENING)
        # Full stops belong to numeric dates ("20.11.") but are sentence punctuation after words.
        closing = _CLOSING if any(ch.isdigit() for ch in core) else _CLOSING + "."
        body = core.rstrip(closing)
        start = match.start() + len(raw) - len(core)
        found.append(
            Word(
                text=body,
                key=body.casefold(),
                tail=core[len(body) :],
                start=start,
                end=start + len(body),
                raw_start=match.start(),
                raw_end=match.end(),
            )
        )
    return found


# --- vocabulary -------------------------------------------------------------------------------

_V = TypeVar("_V")


def _vocabulary(entries: Mapping[str, _V]) -> dict[str, _V]:
    return {spelling: value for word, value in entries.items() for spelling in spellings(word)}


def _word_set(*entries: str) -> frozenset[str]:
    return frozenset(spelling for entry in entries for spelling in spellings(entry))


_MONTHS = _vocabulary(
    {
        "january": 1, "jan": 1, "januar": 1, "jänner": 1,
        "february": 2, "feb": 2, "februar": 2,
        "march": 3, "mar": 3, "märz": 3, "mär": 3, "mrz": 3,
        "april": 4, "apr": 4,
        "may": 5, "mai": 5,
        "june": 6, "jun": 6, "juni": 6,
        "july": 7, "jul": 7, "juli": 7,
        "august": 8, "aug": 8,
        "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "oktober": 10, "okt": 10,
        "november": 11, "nov": 11,
        "december": 12, "dec": 12, "dezember": 12, "dez": 12,
    }
)  # fmt: skip

_WEEKDAYS = _vocabulary(
    {
        "monday": 0, "mon": 0, "montag": 0, "mo": 0,
        "tuesday": 1, "tue": 1, "tues": 1, "dienstag": 1, "di": 1,
        "wednesday": 2, "wed": 2, "mittwoch": 2, "mi": 2,
        "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "donnerstag": 3, "do": 3,
        "friday": 4, "fri": 4, "freitag": 4, "fr": 4,
        "saturday": 5, "sat": 5, "samstag": 5, "sonnabend": 5, "sa": 5,
        "sunday": 6, "sun": 6, "sonntag": 6, "so": 6,
    }
)  # fmt: skip

# Abbreviations that are everyday words as well ("so we agreed", "do the review", "sat down"):
# they only count as weekdays after a lead word ("am Do", "by Sat") or with a dot ("Do.").
_EVERYDAY_WORD_WEEKDAYS = frozenset({"do", "so", "sa", "sat", "sun"})

_NUMBERS = _vocabulary(
    {
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1, "eins": 1, "zwei": 2,
        "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
        "zehn": 10, "elf": 11, "zwölf": 12, "vierzehn": 14,
    }
)  # fmt: skip

_Unit = Literal["day", "business day", "week", "fortnight", "month", "year"]
_UNITS: dict[str, _Unit] = _vocabulary(
    {
        "day": "day", "days": "day", "tag": "day", "tage": "day", "tagen": "day",
        "werktag": "business day", "werktage": "business day", "werktagen": "business day",
        "arbeitstag": "business day", "arbeitstage": "business day",
        "arbeitstagen": "business day",
        "week": "week", "weeks": "week", "woche": "week", "wochen": "week",
        "fortnight": "fortnight", "fortnights": "fortnight",
        "month": "month", "months": "month", "monat": "month", "monate": "month",
        "monaten": "month",
        "year": "year", "years": "year", "jahr": "year", "jahre": "year", "jahren": "year",
    }
)  # fmt: skip
_BUSINESS = _word_set("business", "working", "work")

_ON = _word_set("on", "am")
_AT = _word_set("at", "um")
_NEXT = _word_set(
    "next", "coming", "nächste", "nächsten", "nächster", "nächstes",
    "kommende", "kommenden", "kommender", "kommendes",
)  # fmt: skip
_THIS = _word_set("this", "diese", "diesen", "dieser", "dieses")
_LAST = _word_set(
    "last", "previous", "letzte", "letzten", "letzter", "letztes",
    "vergangene", "vergangenen", "vergangener", "vorige", "vorigen", "voriger",
)  # fmt: skip
_PART_OF_DAY = (
    "morning|afternoon|evening|night|noon|morgen|früh|vormittag|mittag|nachmittag|abend|nacht"
)

_Sequences = frozenset[tuple[str, ...]]


def _expand(pattern: str) -> _Sequences:
    """The word sequences a pattern allows: "a|b" is either word, "[a|b]" may also be left out."""
    sequences: set[tuple[str, ...]] = {()}
    for part in pattern.split():
        optional = part.startswith("[")
        choices = {
            spelling for choice in part.strip("[]").split("|") for spelling in spellings(choice)
        }
        grown = {(*sequence, choice) for sequence in sequences for choice in choices}
        sequences = grown | sequences if optional else grown
    return frozenset(sequences)


def _patterns(*patterns: str) -> _Sequences:
    return frozenset().union(*(_expand(pattern) for pattern in patterns))


_LAST_WEEK = _patterns(
    "[of] [the] last|previous week",
    "letzte|letzter|vergangene|vergangener|vorige|voriger woche",
    "[in] der letzten|vergangenen|vorigen woche",
)
_NEXT_WEEK = _patterns(
    "[the] next|coming week", "nächste|nächster|nächsten|kommende|kommender|kommenden woche"
)
_OF_NEXT_WEEK = _NEXT_WEEK | _patterns("of [the] next week", "[in] der nächsten|kommenden woche")
_OF_NEXT_MONTH = _patterns("of [the] next month", "[des] nächsten|kommenden monats")
_DUE_LEADS = frozenset().union(*(spelled_sequences(term.word) for term in DUE_LEAD_WORDS))


# --- calendar arithmetic ----------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _friday_of_this_week(today: date) -> date:
    # On a weekend this week's Friday is gone; "by the end of the week" then means today.
    return max(_monday(today) + timedelta(days=4), today)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _end_of_next_month(today: date) -> date:
    first_of_next = _add_months(today.replace(day=1), 1)
    return _month_end(first_of_next.year, first_of_next.month)


def _quarter_end(today: date) -> date:
    return _month_end(today.year, (today.month - 1) // 3 * 3 + 3)


def _add_months(day: date, months: int) -> date:
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def _add_business_days(day: date, count: int) -> date:
    step = 1 if count >= 0 else -1
    for _ in range(abs(count)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


def _shift(today: date, amount: int, unit: _Unit) -> date:
    match unit:
        case "day":
            return today + timedelta(days=amount)
        case "business day":
            return _add_business_days(today, amount)
        case "week":
            return today + timedelta(weeks=amount)
        case "fortnight":
            return today + timedelta(weeks=2 * amount)
        case "month":
            return _add_months(today, amount)
        case "year":
            return _add_months(today, 12 * amount)


def _exists(day: int, month: int, year: int | None) -> bool:
    """Whether the date exists; without a year, whether it exists in some year (29 Feb does)."""
    if not 1 <= month <= 12:
        return False
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        return False
    return 1 <= day <= calendar.monthrange(2024 if year is None else year, month)[1]


def _nearest(
    today: date, candidates: Iterable[date], *, toward: Literal["future", "nearest"]
) -> date | None:
    if toward == "future":
        return min((day for day in candidates if day >= today), default=None)
    # Ties go to the past: a contact has happened.
    return min(candidates, key=lambda day: (abs((day - today).days), day > today), default=None)


# --- reading dates and times ------------------------------------------------------------------


def _key(ws: Sequence[Word], i: int) -> str:
    return ws[i].key if 0 <= i < len(ws) else ""


def _phrase(ws: Sequence[Word], start: int, end: int) -> str:
    return " ".join(word.text for word in ws[start:end])


def _longest(
    ws: Sequence[Word], i: int, sequences: Collection[tuple[str, ...]], longest: int = 6
) -> int | None:
    """End of the longest of `sequences` that starts at ws[i], or None."""
    for length in range(min(longest, len(ws) - i), 0, -1):
        if tuple(word.key for word in ws[i : i + length]) in sequences:
            return i + length
    return None


def _weekday(ws: Sequence[Word], i: int, *, led: bool) -> int | None:
    key = _key(ws, i)
    if key in _EVERYDAY_WORD_WEEKDAYS and not (led or ws[i].dotted):
        return None
    return _WEEKDAYS.get(key)


def is_weekday_abbreviation(word: str) -> bool:
    """Whether a word is a short weekday name ("Mo", "Fri"), which may also be a first name."""
    key = word.casefold()
    return key in _WEEKDAYS and len(key) <= 5


def _amount(key: str) -> int | None:
    if re.fullmatch(r"\d{1,3}", key):
        return int(key)
    return _NUMBERS.get(key)


def _unit(ws: Sequence[Word], i: int) -> tuple[_Unit, int] | None:
    if _key(ws, i) in _BUSINESS and _UNITS.get(_key(ws, i + 1)) == "day":
        return "business day", i + 2
    unit = _UNITS.get(_key(ws, i))
    return (unit, i + 1) if unit else None


@dataclass(frozen=True)
class _CalendarDate:
    end: int
    day: int
    month: int | None  # None: that day of whichever month ("on the 15th")
    year: int | None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\.?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(?:(\d{4}|\d{2})\.?)?")
_DOTTED_OPEN = re.compile(r"(\d{1,2})\.(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\.?")
_GLUED_MONTH = re.compile(r"(\d{1,2})\.([^\W\d]+)\.?")  # "3.Dezember"
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:\.|st|nd|rd|th)?")
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")
_GERMAN_ORDINAL = re.compile(r"(\d{1,2})\.")
_YEAR = re.compile(r"\d{4}")
_ARTICLES = _word_set("the", "dem", "den")
_IDIOMS = frozenset({"24/7"})


def _full_year(digits: str | None) -> int | None:
    if digits is None:
        return None
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _checked(
    ws: Sequence[Word], start: int, end: int, day: int, month: int, year: int | None
) -> _CalendarDate:
    if not _exists(day, month, year):
        raise BadDate(_phrase(ws, start, end))
    return _CalendarDate(end, day, month, year)


def _calendar_date(ws: Sequence[Word], i: int, *, led: bool) -> _CalendarDate | None:
    """A date written with digits or a month name at ws[i]; `led` allows the looser forms.

    Raises BadDate for shapes only a date has (31.02., 2026-13-45, 32/1, Feb 30). Looser shapes
    ("20.11", "5/12", "the 15th") are numbers in running text unless a lead word ("am", "by")
    or a year says they are dates.
    """
    key = _key(ws, i)
    if not key or key in _IDIOMS:
        return None
    year: int | None  # None: the date leaves its year out
    month: int | None  # None: not a month name
    if match := _ISO.fullmatch(key):
        year, month, day = (int(part) for part in match.groups())
        return _checked(ws, i, i + 1, day, month, year)
    if match := _DOTTED.fullmatch(key):
        day, month, year = int(match[1]), int(match[2]), _full_year(match[3])
        if year is None and not 1 <= month <= 12:
            return None  # "costs 12.50." is a price
        return _checked(ws, i, i + 1, day, month, year)
    if led and (match := _DOTTED_OPEN.fullmatch(key)) and 1 <= int(match[2]) <= 12:
        return _checked(ws, i, i + 1, int(match[1]), int(match[2]), None)
    if match := _SLASHED.fullmatch(key):
        return _slashed(ws, i, int(match[1]), int(match[2]), _full_year(match[3]), led=led)
    if (match := _GLUED_MONTH.fullmatch(key)) and (month := _MONTHS.get(match[2])):
        end, year = _year_after(ws, i + 1)
        return _checked(ws, i, end, int(match[1]), month, year)
    if month := _MONTHS.get(key):
        day_match = _DAY_NUMBER.fullmatch(_key(ws, i + 1))
        if day_match is None:
            return None
        end, year = _year_after(ws, i + 2)
        return _checked(ws, i, end, int(day_match[1]), month, year)
    start = i
    if key in _ARTICLES:
        i += 1
    day_match = _DAY_NUMBER.fullmatch(_key(ws, i))
    if day_match is None:
        return None
    month_at = i + 2 if _key(ws, i + 1) == "of" else i + 1
    if month := _MONTHS.get(_key(ws, month_at)):
        end, year = _year_after(ws, month_at + 1)
        return _checked(ws, start, end, int(day_match[1]), month, year)
    ordinal = _ORDINAL.fullmatch(_key(ws, i)) or _GERMAN_ORDINAL.fullmatch(_key(ws, i))
    if led and ordinal and 1 <= int(ordinal[1]) <= 31:
        return _CalendarDate(i + 1, int(ordinal[1]), None, None)
    return None


def _year_after(ws: Sequence[Word], i: int) -> tuple[int, int | None]:
    key = _key(ws, i)
    if _YEAR.fullmatch(key) and MIN_YEAR <= int(key) <= MAX_YEAR:
        return i + 1, int(key)
    return i, None


def _slashed(
    ws: Sequence[Word], i: int, first: int, second: int, year: int | None, *, led: bool
) -> _CalendarDate | None:
    # Day first, as in Europe; month first only when day first cannot be a date (11/20).
    for day, month in ((first, second), (second, first)):
        if _exists(day, month, year):
            if year is None and not led:
                return None  # "1/2 of the team" is a fraction until a lead word says otherwise
            return _CalendarDate(i + 1, day, month, year)
    if first <= 12 or second <= 12:
        raise BadDate(ws[i].text)
    return None


def _resolve(
    found: _CalendarDate, today: date, *, toward: Literal["future", "nearest"]
) -> date | None:
    """The date meant, filling in a missing year (or month).

    A due date takes the next occurrence from today. A contact date takes the nearest one, so
    "20.12." said in January is last December, while "26.11." said on 25 November is tomorrow
    (and refused as future) rather than silently a year ago.
    """
    if found.year is not None and found.month is not None:
        return date(found.year, found.month, found.day)
    if found.month is not None:
        month = found.month
        years = range(today.year - 8, today.year + 9)
        candidates = [date(y, month, found.day) for y in years if _exists(found.day, month, y)]
    else:
        months = (_add_months(today.replace(day=1), offset) for offset in range(-13, 14))
        candidates = [
            first.replace(day=found.day)
            for first in months
            if _exists(found.day, first.month, first.year)
        ]
    return _nearest(today, candidates, toward=toward)


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(h|uhr)?\.?")
_CLOCK_RANGE = re.compile(r"(\d{1,2}):(\d{2})[-–]\d{1,2}:\d{2}(?:h|uhr)?\.?")
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.?|p\.m\.?)")
_HOUR_SUFFIX = re.compile(r"(\d{1,2})(?:h|uhr)")
_HOUR = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?")
_AM_PM = {"am": False, "a.m": False, "pm": True, "p.m": True}
_O_CLOCK = frozenset({"uhr", "h"})


def _time_of_day(ws: Sequence[Word], i: int) -> tuple[int, time] | None:
    """A wall-clock time at ws[i] and where it ends; BadDate for 25:00 and the like."""
    key, following = _key(ws, i), _key(ws, i + 1)
    if match := _CLOCK_RANGE.fullmatch(key):
        return i + 1, _clock(ws, i, i + 1, int(match[1]), int(match[2]))
    if match := _CLOCK.fullmatch(key):
        if following in _AM_PM:
            return i + 2, _twelve_hour(ws, i, int(match[1]), int(match[2]), _AM_PM[following])
        end = i + 2 if following in _O_CLOCK and not match[3] else i + 1
        return end, _clock(ws, i, end, int(match[1]), int(match[2]))
    if match := _TWELVE_HOUR.fullmatch(key):
        afternoon = match[3].startswith("p")
        return i + 1, _twelve_hour(ws, i, int(match[1]), int(match[2] or 0), afternoon)
    if match := _HOUR_SUFFIX.fullmatch(key):
        return i + 1, _clock(ws, i, i + 1, int(match[1]), 0)
    if match := _HOUR.fullmatch(key):
        if following in _AM_PM:
            return i + 2, _twelve_hour(ws, i, int(match[1]), int(match[2] or 0), _AM_PM[following])
        if following in _O_CLOCK:
            return i + 2, _clock(ws, i, i + 2, int(match[1]), int(match[2] or 0))
    return None


def _clock(ws: Sequence[Word], start: int, end: int, hour: int, minute: int) -> time:
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadDate(_phrase(ws, start, end))
    return time(hour, minute)


def _twelve_hour(ws: Sequence[Word], i: int, hour: int, minute: int, afternoon: bool) -> time:
    if not (1 <= hour <= 12 and 0 <= minute <= 59):
        raise BadDate(_phrase(ws, i, i + 2 if ws[i].key.isdigit() else i + 1))
    return time(hour % 12 + (12 if afternoon else 0), minute)


# --- when a contact happened ------------------------------------------------------------------

# A contact is logged after it happened. A date without a year (or month) is the latest such
# day on or before today, except one at most this many days ahead: that is a slip or a meeting
# still to come, so the only past reading (a year or a month ago) is offered as a question
# instead of being taken silently.
FUTURE_SLIP_DAYS = 7
# A weekday beside a year-less date picks the latest day they agree on within this many months;
# one that fits only a date further back is a slip, and asked about.
_WEEKDAY_LOOKBACK_MONTHS = 14


@dataclass(frozen=True)
class WhenHit:
    """A when phrase found at some word: where it ends and the day and/or time it names.

    `choices` holds the days a phrase could mean when it could mean more than one ("last
    Wednesday" said on a Friday); `on` is None then, and the caller asks (`when_question`).
    `weekday`, `week_of` and `written` say what kind of phrase it was, so that a weekday can be
    combined with the week or the date beside it ("Mittwoch vor 2 Wochen", "Friday the 22nd").
    """

    end: int
    on: date | None = None
    at: time | None = None
    choices: tuple[date, ...] = ()
    weekday: int | None = None  # a weekday named without its week
    week_of: date | None = None  # the Monday of a week named without a day
    written: _CalendarDate | None = None  # a date as written, before its year was filled in


_DayRule = Callable[[date], date]


def _day_table(
    entries: Sequence[tuple[Sequence[str], _DayRule]],
) -> dict[tuple[str, ...], _DayRule]:
    return {sequence: rule for patterns, rule in entries for sequence in _patterns(*patterns)}


def _days(offset: int) -> _DayRule:
    return lambda today: today + timedelta(days=offset)


_WHEN_DAYS = _day_table(
    [
        ((f"today|heute|tonight [{_PART_OF_DAY}]", "this morning|afternoon|evening"), _days(0)),
        ((f"yesterday|gestern [{_PART_OF_DAY}]",), _days(-1)),
        (
            (
                f"vorgestern [{_PART_OF_DAY}]",
                "[the] day before yesterday",
                "two|2 days before today",
            ),
            _days(-2),
        ),
        (
            (
                f"vorvorgestern [{_PART_OF_DAY}]",
                "[the] day before the day before yesterday",
                "two|2 days before yesterday",
                "three|3 days before today",
            ),
            _days(-3),
        ),
        # Tomorrow is never a contact date, but reading it lets the user hear "that's in the
        # future" instead of finding "tomorrow" at the start of the note.
        ((f"tomorrow|morgen [{_PART_OF_DAY}]",), _days(1)),
        (("übermorgen", "[the] day after tomorrow"), _days(2)),
    ]
)

# Phrases naming a week: alone they mean its Monday; with a weekday, that day of the week.
_WHEN_WEEKS = _day_table(
    [
        (
            (
                "[the] last|previous|past week",
                "letzte|letzter|vergangene|vergangener|vorige|voriger woche",
                "in der letzten|vergangenen|vorigen woche",
            ),
            lambda today: _monday(today) - timedelta(weeks=1),
        ),
        (
            ("[earlier] this week", "diese|dieser woche", "in dieser woche"),
            _monday,
        ),
        (
            (
                "[the] week before last",
                "vorletzte|vorletzter woche",
                "in der vorletzten woche",
            ),
            lambda today: _monday(today) - timedelta(weeks=2),
        ),
    ]
)
_PAST = _word_set("past")
_WEEKDAY_JOINERS = _word_set("-", "–", "am", "on")


def when_question(phrase: str, choices: Sequence[date]) -> NeedsAnswer:
    """The question for a when phrase that could mean several days: a button for each day."""
    readings = tuple(Reading(day.isoformat(), day=day) for day in choices)
    return NeedsAnswer(
        Question(
            slot="when",
            phrase=phrase,
            reason="question.when",
            readings=(*readings, Reading(CANCEL, label="question.cancel")),
        )
    )


def match_when(
    ws: Sequence[Word],
    i: int,
    *,
    today: date,
    fallback: bool = True,
    led: bool = False,
    month_first: bool = False,
) -> WhenHit | None:
    """The longest when phrase starting at ws[i], or None.

    A bare weekday is the latest one before today; said on that very weekday it could be today
    or a week ago, and the hit carries both as `choices`. "last Monday" is the latest one
    strictly before today, with `choices` when this week's Monday and last week's both fit
    (said on a Wednesday); "Monday last week" is the Monday of the previous ISO week. A date
    without a year is the latest such day on or before today (see `FUTURE_SLIP_DAYS`). A weekday
    beside a date picks the year the two agree on, and a weekday beside a week that day of the
    week. `led` says the words are known to be a date phrase (after "on"/"am", or a whole
    phrase given as a date), which lets looser shapes ("5/12", "the 15th") count. `month_first`
    is for a member whose locale writes the month first: two numbers that are a date both ways
    round ("5/12") get both as `choices` (otherwise day first, as in Europe). Raises BadDate for
    words that can only be a broken date or time.
    """
    key = _key(ws, i)
    if not key:
        return None
    if key in _ON and (hit := _when_day(ws, i + 1, today, led=True, month_first=month_first)):
        return _with_partner(ws, hit, today)
    if key in _AT and (clock := _time_of_day(ws, i + 1)):
        return WhenHit(clock[0], at=clock[1])
    day = _when_day(ws, i, today, led=led, month_first=month_first)
    hits = [hit for hit in (day, _when_time(ws, i)) if hit]
    if hits:
        best = max(hits, key=lambda hit: hit.end)
        return _with_partner(ws, best, today) if best.at is None else best
    return _when_fallback(ws, i, today) if fallback else None


def parse_when(
    phrase: str, *, today: date, month_first: bool = False
) -> tuple[date, time | None] | None:
    """Read a whole when phrase ("gestern 14:30"); None unless every word is understood.

    A time without a day is today at that time; the caller decides whether that is too late.
    Raises NeedsAnswer (slot "when") when the phrase could mean several days, or when two of
    its parts name different days.
    """
    ws = words(phrase)
    on: date | None = None
    at: time | None = None
    # A lone "4/22" or "29.2" given as a date is one, unless it reads as a common fraction.
    led = len(ws) == 1 and any(ch.isdigit() for ch in ws[0].key) and not _fraction(ws[0].key)
    i = 0
    while i < len(ws):
        hit = match_when(ws, i, today=today, led=led, month_first=month_first)
        if hit is None:
            return None
        if hit.choices:
            raise when_question(_phrase(ws, i, hit.end), hit.choices)
        if hit.on is not None and on is not None and hit.on != on:
            raise when_question(phrase.strip(), sorted({on, hit.on}))
        on = hit.on or on
        at = hit.at or at
        i = hit.end
    return ((on or today), at) if ws else None


_COMMON_DENOMINATORS = frozenset({2, 3, 4, 5, 8, 10})


def _fraction(key: str) -> bool:
    """Whether a word is a proper fraction people write ("1/2", "3/4"), not a date."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})", key)
    if match is None:
        return False
    return int(match[1]) < int(match[2]) in _COMMON_DENOMINATORS


def _when_day(
    ws: Sequence[Word], i: int, today: date, *, led: bool, month_first: bool = False
) -> WhenHit | None:
    hits: list[WhenHit] = []
    if (end := _longest(ws, i, _WHEN_DAYS)) is not None:
        words_found = tuple(word.key for word in ws[i:end])
        hits.append(WhenHit(end, on=_WHEN_DAYS[words_found](today)))
    if (end := _longest(ws, i, _WHEN_WEEKS)) is not None:
        monday = _WHEN_WEEKS[tuple(word.key for word in ws[i:end])](today)
        hits.append(WhenHit(end, on=monday, week_of=monday))
    for rule in (_when_weekday, _when_ago, _when_spelled, _when_nth_weekday):
        if hit := rule(ws, i, today, led=led):
            hits.append(hit)
    if hit := _when_calendar(ws, i, today, led=led, month_first=month_first):
        hits.append(hit)
    return max(hits, key=lambda hit: hit.end, default=None)


def _when_weekday(ws: Sequence[Word], i: int, today: date, *, led: bool) -> WhenHit | None:
    at = i
    strictly_before = _key(ws, at) in _LAST or _key(ws, at) in _PAST
    if _key(ws, at) in _THIS and _key(ws, at + 1) in _PAST:  # "this past Wednesday"
        at, strictly_before = at + 1, True
    past = _key(ws, at) in _PAST
    if strictly_before or _key(ws, at) in _THIS:
        at += 1
    weekday = _weekday(ws, at, led=led or at > i or _day_follows(ws, at + 1))
    if weekday is None:
        return None
    if at == i and (end := _longest(ws, at + 1, _LAST_WEEK)) is not None:
        return WhenHit(end, on=_monday(today) - timedelta(weeks=1) + timedelta(days=weekday))
    back = (today.weekday() - weekday) % 7
    if strictly_before:
        latest = today - timedelta(days=back or 7)
        if back and today.weekday() > weekday and not past:
            # Said on a Friday, "last Wednesday" is this week's (two days ago) for some and last
            # week's for others.
            return WhenHit(at + 1, choices=(latest - timedelta(weeks=1), latest))
        return WhenHit(at + 1, on=latest)
    if back == 0 and _key(ws, i) not in _THIS:
        # "Monday" said on a Monday: today, or a week ago (who logs today's says "today").
        return WhenHit(at + 1, choices=(today - timedelta(weeks=1), today), weekday=weekday)
    return WhenHit(at + 1, on=today - timedelta(days=back), weekday=weekday)


def _when_ago(ws: Sequence[Word], i: int, today: date, *, led: bool) -> WhenHit | None:
    """ "3 days ago", "vor zwei Wochen", and spans of several units ("1 month and 21 days ago",
    "vor 1 Monat und 3 Tagen"); a span of weeks alone also names its week."""
    german = _key(ws, i) == "vor"
    at = i + 1 if german else i
    parts: list[tuple[int, _Unit]] = []
    while True:
        amount = _amount(_key(ws, at))
        unit = _unit(ws, at + 1)
        if amount is None or unit is None:
            break
        parts.append((amount, unit[0]))
        at = unit[1]
        if _key(ws, at) in ("and", "und") and _amount(_key(ws, at + 1)) is not None:
            at += 1
        elif ws[at - 1].tail.startswith(",") and _amount(_key(ws, at)) is not None:
            continue
        elif _amount(_key(ws, at)) is None:
            break
    if not parts:
        return None
    start_from = today
    if not german:
        if _key(ws, at) == "before" and _key(ws, at + 1) in ("today", "yesterday"):
            start_from = today - timedelta(days=1 if _key(ws, at + 1) == "yesterday" else 0)
            at += 1
        elif _key(ws, at) != "ago":
            return None
        at += 1
    day = start_from
    for amount, unit_of in parts:
        day = _shift(day, -amount, unit_of)
    weeks_only = all(unit_of in ("week", "fortnight") for _, unit_of in parts)
    return WhenHit(at, on=day, week_of=_monday(day) if weeks_only else None)


def _when_calendar(
    ws: Sequence[Word], i: int, today: date, *, led: bool, month_first: bool = False
) -> WhenHit | None:
    found = _calendar_date(ws, i, led=led) or _when_written(ws, i, led=led)
    if found is None and _key(ws, i) in _ARTICLES:  # "den 28.10."
        found = _calendar_date(ws, i + 1, led=True) or _when_written(ws, i + 1, led=True)
    if found is None:
        return None
    return _contact_hit(ws, i, found, today, month_first=month_first)


def _contact_hit(
    ws: Sequence[Word], i: int, found: _CalendarDate, today: date, *, month_first: bool
) -> WhenHit | None:
    """The hit for a written date: its day, or the days to ask about when a member who writes
    the month first typed two numbers that are a date both ways round, or when the date is a
    few days ahead (a slip, or a meeting still to come: the only past reading is a year or a
    month ago, offered as a question rather than taken)."""
    readings = _both_ways(ws, i, found) if month_first else [found]
    days = sorted({day for reading in readings if (day := contact_day(reading, today))})
    if not days:
        return None
    if len(days) > 1:
        return WhenHit(found.end, choices=tuple(days), written=found)
    if _soon_after(found, today) is not None:
        return WhenHit(found.end, choices=(days[0],), written=found)
    return WhenHit(found.end, on=days[0], written=found)


def contact_day(found: _CalendarDate, today: date, weekday: int | None = None) -> date | None:
    """The day a written contact date means: as written when it has its year, else the latest
    such day on or before today (`_contact_hit` asks about it when the same date lies at most
    `FUTURE_SLIP_DAYS` ahead). With `weekday`, only days on that weekday within the last
    `_WEEKDAY_LOOKBACK_MONTHS` count, the latest of them; None when there is none."""
    if found.year is not None and found.month is not None:
        return date(found.year, found.month, found.day)
    if found.month is not None:
        month = found.month
        years = range(today.year - 10, today.year + 2)
        candidates = [date(y, month, found.day) for y in years if _exists(found.day, month, y)]
    else:
        months = (_add_months(today.replace(day=1), offset) for offset in range(-36, 2))
        candidates = [
            first.replace(day=found.day)
            for first in months
            if _exists(found.day, first.month, first.year)
        ]
    if weekday is not None:
        # Within the last year or so: a weekday that fits only a date years ago is a slip.
        since = _add_months(today, -_WEEKDAY_LOOKBACK_MONTHS)
        fitting = (d for d in candidates if d.weekday() == weekday and since <= d <= today)
        return max(fitting, default=None)
    return max((d for d in candidates if d <= today), default=None)


def _soon_after(found: _CalendarDate, today: date) -> date | None:
    """The day a year-less date names at most `FUTURE_SLIP_DAYS` ahead, if it names one."""
    if found.year is not None and found.month is not None:
        return None
    step = 12 if found.month is not None else 1
    ahead = date(today.year, found.month or today.month, 1)
    for _ in range(2):
        if _exists(found.day, ahead.month, ahead.year):
            day = ahead.replace(day=found.day)
            if today < day <= today + timedelta(days=FUTURE_SLIP_DAYS):
                return day
        ahead = _add_months(ahead, step)
    return None


def _with_partner(ws: Sequence[Word], hit: WhenHit, today: date) -> WhenHit:
    """A weekday and the week or date beside it, read as one day ("Mittwoch vor 2 Wochen",
    "Friday the 22nd", "am Montag, den 15. Januar", "previous week - Monday").

    A weekday that disagrees with a full date beside it is a question: both days are offered.
    """
    at = hit.end
    while at < len(ws) and (ws[at].key in _WEEKDAY_JOINERS or not ws[at].key):
        at += 1
    if at >= len(ws) or (hit.weekday is None and hit.week_of is None and hit.choices == ()):
        return hit
    if hit.week_of is not None and hit.weekday is None:
        weekday = _weekday(ws, at, led=True)
        if weekday is None:
            return hit
        return WhenHit(at + 1, on=hit.week_of + timedelta(days=weekday))
    weekday = hit.weekday
    if weekday is None:
        return hit
    other = _when_day(ws, at, today, led=True) or _bare_day_number(ws, at)
    if other is None:
        return hit
    if other.week_of is not None:
        return WhenHit(other.end, on=other.week_of + timedelta(days=weekday))
    written = other.written
    if written is None:
        return hit
    if written.year is not None and written.month is not None:
        day = date(written.year, written.month, written.day)
        if day.weekday() == weekday:
            return WhenHit(other.end, on=day, written=written)
        named = hit.on or max(hit.choices)
        return WhenHit(other.end, choices=tuple(sorted({named, day})))
    fitting = {
        fit
        for reading in _both_ways(ws, at, written)
        if (fit := contact_day(reading, today, weekday)) is not None
    }
    if len(fitting) == 1:
        return WhenHit(other.end, on=fitting.pop(), written=written)
    if fitting:
        return WhenHit(other.end, choices=tuple(sorted(fitting)))
    plain = other.on or contact_day(written, today)
    named = hit.on or max(hit.choices)
    return WhenHit(other.end, choices=tuple(sorted({named, *([plain] if plain else [])})))


_NUMERIC_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]?(?:\d{2}|\d{4})?\.?")


def _both_ways(ws: Sequence[Word], at: int, written: _CalendarDate) -> list[_CalendarDate]:
    """A date written with two small numbers ("7/6", "5.12") read both ways round, when both
    are dates; otherwise as it was read."""
    readings = [written]
    numeric = _NUMERIC_DATE.fullmatch(_key(ws, at)) or (
        _key(ws, at) in _ARTICLES and _NUMERIC_DATE.fullmatch(_key(ws, at + 1))
    )
    if numeric and written.month is not None and written.day != written.month:
        swapped = _CalendarDate(written.end, written.month, written.day, written.year)
        if _exists(swapped.day, swapped.month or 0, swapped.year):
            readings.append(swapped)
    return readings


def _bare_day_number(ws: Sequence[Word], i: int) -> WhenHit | None:
    """A bare day of the month right after a weekday ("Monday 21")."""
    if re.fullmatch(r"\d{1,2}", _key(ws, i)) and 1 <= int(_key(ws, i)) <= 31:
        found = _CalendarDate(i + 1, int(_key(ws, i)), None, None)
        return WhenHit(i + 1, written=found)
    return None


# Numeric and mixed shapes of a whole date in one word, beyond `_calendar_date`'s: dashes
# ("21-04-2016", "3-7-07"), the year first ("2015/08/12", "2015.5.13", "2019-aug-1"), a month
# name glued to its day ("Oct-2", "Oct2", "05-Aug-2016", "Nov/2") and eight digits (20161016).
_SEPARATED = re.compile(r"(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2}|[^\W\d]+)[-/.](\d{1,2})")
_MONTH_DAY = re.compile(r"([^\W\d]+)[-/]?(\d{1,2})(?:st|nd|rd|th)?(?:[-/,](\d{4}))?")
_DAY_MONTH = re.compile(r"(\d{1,2})[-/]([^\W\d]+)[-/](\d{4}|\d{2})")
_EIGHT_DIGITS = re.compile(r"((?:19|20|21)\d{2})(\d{2})(\d{2})")


def _when_written(ws: Sequence[Word], i: int, *, led: bool) -> _CalendarDate | None:
    key = _key(ws, i).rstrip(",")
    if key in _IDIOMS:
        return None
    if match := _YEAR_FIRST.fullmatch(key):
        month = _month_of(match[2])
        if month is None:
            return None
        return _checked(ws, i, i + 1, int(match[3]), month, int(match[1]))
    if (match := _EIGHT_DIGITS.fullmatch(key)) and _exists(
        int(match[3]), int(match[2]), int(match[1])
    ):  # otherwise a number ("20231234", an order), not a broken date
        return _CalendarDate(i + 1, int(match[3]), int(match[2]), int(match[1]))
    if match := _DAY_MONTH.fullmatch(key):
        month = _MONTHS.get(match[2])
        return _checked(ws, i, i + 1, int(match[1]), month, _full_year(match[3])) if month else None
    if (match := _MONTH_DAY.fullmatch(key)) and (month := _MONTHS.get(match[1])):
        if not 1 <= int(match[2]) <= 31:
            return None
        end, year = (i + 1, int(match[3])) if match[3] else _year_after(ws, i + 1)
        return _checked(ws, i, end, int(match[2]), month, year)
    if match := _SEPARATED.fullmatch(key):
        year = _full_year(match[4])
        if year is None and not led:
            return None  # "3-4 people", "1/2 of the team"
        if year is None and _key(ws, i + 1).isdigit() and len(_key(ws, i + 1)) == 4:
            year = int(_key(ws, i + 1))
            return _either_way(ws, i, i + 2, int(match[1]), int(match[3]), year)
        return _either_way(ws, i, i + 1, int(match[1]), int(match[3]), year)
    return None


def _month_of(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _MONTHS.get(text)


def _either_way(
    ws: Sequence[Word], start: int, end: int, first: int, second: int, year: int | None
) -> _CalendarDate | None:
    """Day first, as in Europe; month first only when day first cannot be a date (4-22)."""
    for day, month in ((first, second), (second, first)):
        if _exists(day, month, year):
            return _CalendarDate(end, day, month, year)
    return None


# Days of the month as words, as ordinals and as numbers, in English and German.
_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
_EN_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9,
}  # fmt: skip
_EN_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30}
_DE_UNITS = {
    "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9,
}  # fmt: skip
_DE_ORDINAL_STEMS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7,
    "siebent": 7, "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12,
    "dreizehnt": 13, "vierzehnt": 14, "fünfzehnt": 15, "sechzehnt": 16, "siebzehnt": 17,
    "achtzehnt": 18, "neunzehnt": 19, "zwanzigst": 20, "dreißigst": 30,
}  # fmt: skip


def _spelled_table() -> dict[str, int]:
    table: dict[str, int] = {}
    table.update(_EN_ORDINAL_UNITS)
    table.update(_EN_TEENS)
    table.update(_EN_TENS)
    for word, value in {**_EN_UNITS, **_EN_ORDINAL_UNITS}.items():
        table.setdefault(word, value)
        for tens, ten in _EN_TENS.items():
            if ten + value <= 31:
                table[f"{tens}-{word}"] = ten + value
    for stem, value in _DE_ORDINAL_STEMS.items():
        for ending in ("e", "en", "er", "es", "em"):
            table[stem + ending] = value
    for word, value in _DE_UNITS.items():
        for tens, ten in (("zwanzig", 20), ("dreißig", 30)):
            if ten + value <= 31:
                for ending in ("st", "ste", "sten", "ster", "stes", "stem"):
                    table[f"{word}und{tens}{ending}"] = ten + value
    return {spelling: value for word, value in table.items() for spelling in spellings(word)}


_SPELLED_DAYS = _spelled_table()
_ORDINAL_WORDS = frozenset(
    word for word in _SPELLED_DAYS if not (word in _EN_UNITS or word in _EN_TENS)
) - frozenset(_EN_TEENS.keys() & {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                                   "sixteen", "seventeen", "eighteen", "nineteen"})  # fmt: skip
_NUMBER_WORDS = frozenset(_EN_UNITS) | frozenset(_EN_TENS) | frozenset(
    {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
     "eighteen", "nineteen"}
)  # fmt: skip
_OF = _word_set("of", "day")


def _spelled_day(ws: Sequence[Word], i: int) -> tuple[int, int, bool] | None:
    """A day of the month written as a word or two at ws[i] ("first", "twenty second",
    "neunundzwanzigsten", "7."): (day, end, written as an ordinal)."""
    key = _key(ws, i)
    tens = _EN_TENS.get(key)
    if tens is not None:
        unit = _key(ws, i + 1)
        value = _EN_ORDINAL_UNITS.get(unit) or _EN_UNITS.get(unit)
        if value is not None and tens + value <= 31:
            return tens + value, i + 2, unit in _EN_ORDINAL_UNITS
    value = _SPELLED_DAYS.get(key)
    if value is not None:
        return value, i + 1, key not in _NUMBER_WORDS
    match = _ORDINAL.fullmatch(key) or _GERMAN_ORDINAL.fullmatch(key)
    if match and 1 <= int(match[1]) <= 31:
        return int(match[1]), i + 1, True
    if re.fullmatch(r"\d{1,2}", key) and 1 <= int(key) <= 31:
        return int(key), i + 1, False  # "the 27": a day only after an article
    return None


def _spelled_month(ws: Sequence[Word], i: int) -> tuple[int, int] | None:
    """A month at ws[i] as a name, as "11." or as an ordinal word ("vierten"): (month, end)."""
    key = _key(ws, i)
    if month := _MONTHS.get(key):
        return month, i + 1
    if (match := _GERMAN_ORDINAL.fullmatch(key)) and 1 <= int(match[1]) <= 12:
        return int(match[1]), i + 1
    value = _SPELLED_DAYS.get(key)
    if value is not None and key not in _NUMBER_WORDS and value <= 12:
        return value, i + 1
    return None


def _day_follows(ws: Sequence[Word], i: int) -> bool:
    """Whether a day of the month starts at ws[i] ("14th", "14.", "the 14th", "Nov 14"), which
    makes a word like "Sat" before it a weekday."""
    at = i + 1 if _key(ws, i) in _ARTICLES else i
    key = _key(ws, at)
    return bool(
        _ORDINAL.fullmatch(key)
        or _GERMAN_ORDINAL.fullmatch(key)
        or _DOTTED.fullmatch(key)
        or key in _MONTHS
        or (at > i and key.isdigit())
    )


def _when_spelled(ws: Sequence[Word], i: int, today: date, *, led: bool) -> WhenHit | None:
    """Dates with the day (or month) in words: "am ersten Januar", "May twenty-first", "second
    of Aug", "the 27th", "am 27. 11.", "siebter 4.", "am dritter/11.", "the twenty second"."""
    glued = re.fullmatch(r"([^\W\d]+)/(\d{1,2})\.?", _key(ws, i))
    if glued and (glued_day := _SPELLED_DAYS.get(glued[1])) and 1 <= int(glued[2]) <= 12:
        written = _checked(ws, i, i + 1, glued_day, int(glued[2]), None)
        return _contact_hit(ws, i, written, today, month_first=False)
    at = i + 1 if _key(ws, i) in _ARTICLES else i
    found: _CalendarDate | None = None
    if month := _MONTHS.get(_key(ws, at)):
        day = _spelled_day(ws, at + 1)
        if day is not None:
            end, year = _year_after(ws, day[1])
            found = _checked(ws, i, end, day[0], month, year)
    else:
        day = _spelled_day(ws, at)
        if day is None:
            return None
        month_at = day[1] + 1 if _key(ws, day[1]) in _OF else day[1]
        if _key(ws, month_at) == "of":  # "twenty third day of September"
            month_at += 1
        month_found = _spelled_month(ws, month_at)
        if month_found is not None and (month_found[0] == _MONTHS.get(_key(ws, month_at)) or
                                        ws[at].key not in _NUMBER_WORDS):  # fmt: skip
            end, year = _year_after(ws, month_found[1])
            found = _checked(ws, i, end, day[0], month_found[0], year)
        elif led or at > i:
            # A day without its month ends the phrase, or its clause, unless a lead word says
            # it is a date: "the second meeting" and "on 15 topics" are no dates.
            ends = day[1] >= len(ws) or bool(ws[day[1] - 1].tail)
            if not ends and not (led and day[2]):
                return None
            if not day[2] and at == i and not led:
                return None  # "two" alone is a number, not a day
            found = _CalendarDate(day[1], day[0], None, None)
        elif _key(ws, i).isdigit():
            return None
    if found is None:
        return None
    return _contact_hit(ws, i, found, today, month_first=False)


_NTH_ARTICLES = _word_set("the", "der", "die", "den", "dem", "am")
_THIS_MONTH = _patterns("this month", "diesen|dieses monats", "in diesem monat")
_LAST_MONTH = _patterns(
    "[the] last|previous month",
    "letzten|vergangenen|vorigen monats",
    "im letzten|vergangenen|vorigen monat",
)


def _when_nth_weekday(ws: Sequence[Word], i: int, today: date, *, led: bool) -> WhenHit | None:
    """The n-th weekday of a month: "the first Friday of July", "second Sunday", "der dritte
    Dienstag im Oktober", "the third Wednesday of previous month". Without a month, this
    month's, or last month's when this month's is still ahead."""
    at = i + 1 if _key(ws, i) in _NTH_ARTICLES else i
    nth = _spelled_day(ws, at)
    if nth is None or not nth[2] or not 1 <= nth[0] <= 5:
        return None
    weekday = _weekday(ws, nth[1], led=True)
    if weekday is None:
        return None
    end = nth[1] + 1
    after = end + 1 if _key(ws, end) in ("of", "in", "im", "des") else end
    first_of_this = today.replace(day=1)
    months: list[date]
    if month := _MONTHS.get(_key(ws, after)):
        end, year = _year_after(ws, after + 1)
        if year is not None:
            months = [date(year, month, 1)]
        else:
            months = [date(today.year, month, 1), date(today.year - 1, month, 1)]
    elif (found := _longest(ws, after, _THIS_MONTH)) is not None:
        end, months = found, [first_of_this]
    elif (found := _longest(ws, after, _LAST_MONTH)) is not None:
        end, months = found, [_add_months(first_of_this, -1)]
    else:
        months = [first_of_this, _add_months(first_of_this, -1)]
    days = [day for first in months if (day := _nth_weekday(first, weekday, nth[0]))]
    if not days:
        return None
    past = [day for day in days if day <= today]
    return WhenHit(end, on=max(past) if past else min(days))


def _nth_weekday(first: date, weekday: int, nth: int) -> date | None:
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == first.month else None


def _when_time(ws: Sequence[Word], i: int) -> WhenHit | None:
    clock = _time_of_day(ws, i)
    return WhenHit(clock[0], at=clock[1]) if clock else None


def _when_fallback(ws: Sequence[Word], i: int, today: date) -> WhenHit | None:
    # Only spans naming a month: digits alone in a note ("3 new orders", "2 hours") are
    # quantities far more often than dates, and the rules above already read numeric dates.
    if not (any(ch.isdigit() for ch in ws[i].key) or ws[i].key in _MONTHS):
        return None
    for end in _fallback_ends(ws, i):
        if any(word.key in _MONTHS for word in ws[i:end]):
            found = _dateparser_date(_phrase(ws, i, end), today=today, prefer="past")
            if found:
                return WhenHit(end, on=found)
    return None


# --- when a promise is due --------------------------------------------------------------------


@dataclass(frozen=True)
class _Due:
    end: int
    due: date
    self_led: bool = False  # the phrase carries its own lead word ("in 2 weeks", "in KW 12")


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    due: date
    led: bool


_DUE_DAYS = _day_table(
    [
        (
            (
                f"today|heute|tonight [{_PART_OF_DAY}]",
                "this morning|afternoon|evening",
                "eod|cob",
                "[the] end of [the] day",
                "end of today",
            ),
            _days(0),
        ),
        ((f"tomorrow|morgen [{_PART_OF_DAY}]",), _days(1)),
        (("übermorgen", "[the] day after tomorrow"), _days(2)),
        # Past days are read so that "by yesterday" is reported as past, not as "no due date".
        (("yesterday|gestern",), _days(-1)),
        (("vorgestern", "[the] day before yesterday"), _days(-2)),
        (
            (
                "this week",
                "diese|dieser woche",
                "[the] end of [the|this] week",
                "ende der|dieser woche",
                "[the] weekend|wochenende",
                "eow",
            ),
            _friday_of_this_week,
        ),
        (
            (
                "[the] next|coming week",
                "nächste|nächster|nächsten|kommende|kommender|kommenden woche",
                "[the] end of [the] next week",
                "ende nächster|kommender woche",
                "ende der nächsten|kommenden woche",
            ),
            lambda today: _monday(today) + timedelta(days=11),
        ),
        (
            (
                "early next week",
                "[the] start|beginning of [the] next week",
                "anfang nächster|kommender woche",
                "anfang der nächsten|kommenden woche",
            ),
            lambda today: _monday(today) + timedelta(days=7),
        ),
        (
            (
                "mid next week",
                "[the] middle of [the] next week",
                "mitte nächster|kommender woche",
                "mitte der nächsten|kommenden woche",
            ),
            lambda today: _monday(today) + timedelta(days=9),
        ),
        (
            ("[the] week after next", "übernächste|übernächster|übernächsten woche"),
            lambda today: _monday(today) + timedelta(days=18),
        ),
        (
            (
                "[the] end of [the|this] month",
                "[the] month-end",
                "[the] month end",
                "monatsende|eom",
                "ende des|dieses monats",
                "ende monat",
            ),
            lambda today: _month_end(today.year, today.month),
        ),
        (
            (
                "[the] end of [the] next month",
                "ende nächsten|kommenden monats",
                "ende des nächsten|kommenden monats",
            ),
            _end_of_next_month,
        ),
        (
            (
                "[the] end of [the|this] quarter",
                "[the] quarter-end",
                "[the] quarter end",
                "quartalsende|eoq",
                "ende des|dieses quartals",
            ),
            _quarter_end,
        ),
        (
            (
                "[the] end of [the|this] year",
                "[the] year-end",
                "[the] year end",
                "jahresende|eoy",
                "ende des|dieses jahres",
            ),
            lambda today: date(today.year, 12, 31),
        ),
    ]
)


@dataclass(frozen=True)
class DueRead:
    """The day a promise is due, and where in its text the words that say so stand.

    `phrase` is `text[start:end]`, without the lead word before it ("by", "bis"): a caller that
    takes the phrase out of the text finds the lead word itself (`bot.parsing.promise_text`).
    """

    due: date
    phrase: str
    start: int
    end: int


def parse_due(promise_text: str, *, today: date) -> tuple[date, str] | None:
    """When a promise is due, and the words that say so; None when it names no day.

    `read_due` says the same with where the words stand.
    """
    found = read_due(promise_text, today=today)
    return (found.due, found.phrase) if found else None


def read_due(promise_text: str, *, today: date) -> DueRead | None:
    """When a promise is due, and the words that say so with their place; None when it names
    no day.

    A bare weekday is the next one, today included ("by Friday" said on a Friday is today);
    "next Friday" is the first Friday strictly after today; "Friday next week" is the Friday of
    the next ISO week. "next week" alone is the Friday of next week, "end of the week" the Friday
    of this one (today on a weekend). "KW 12" is the Friday of ISO week 12 in the next such week
    from today (so said in week 48, it is next year's). A date without a year is its next
    occurrence from today. When several phrases name a day, the last one after a lead word
    ("by", "bis", …) wins, else the last one. Raises BadDate for words that can only be a
    broken date.
    """
    ws = words(promise_text)
    found: list[_Found] = []
    fallbacks_left = _FALLBACK_TRIES
    i = 0
    while i < len(ws):
        lead_end = _longest(ws, i, _DUE_LEADS, longest=3)
        if lead_end is not None:
            due = _due_at(ws, lead_end, today, led=True)
            if due is None and fallbacks_left and _fallback_ends(ws, lead_end):
                fallbacks_left -= 1
                due = _due_fallback(ws, lead_end, today)
            if due is not None:
                found.append(_Found(lead_end, due.end, due.due, led=True))
                i = due.end
                continue
        due = _due_at(ws, i, today, led=False)
        if due is not None:
            found.append(_Found(i, due.end, due.due, led=due.self_led))
            i = due.end
            continue
        i += 1
    led = [candidate for candidate in found if candidate.led]
    if not (led or found):
        return None
    chosen = (led or found)[-1]
    start, end = ws[chosen.start].start, ws[chosen.end - 1].end
    return DueRead(chosen.due, promise_text[start:end], start, end)


def _due_at(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    hits: list[_Due] = []
    if (end := _longest(ws, i, _DUE_DAYS)) is not None:
        hits.append(_Due(end, _DUE_DAYS[tuple(word.key for word in ws[i:end])](today)))
    rules = (_due_weekday, _due_within, _due_week_number, _due_part_of, _due_calendar)
    for rule in rules:
        if hit := rule(ws, i, today, led=led):
            hits.append(hit)
    return max(hits, key=lambda hit: hit.end, default=None)


def _due_weekday(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    next_monday = _monday(today) + timedelta(weeks=1)
    if (after := _longest(ws, i, _NEXT_WEEK)) is not None:
        at = after + 1 if _key(ws, after) in _ON else after
        weekday = _weekday(ws, at, led=True)
        if weekday is not None:
            return _Due(at + 1, next_monday + timedelta(days=weekday))
    at = i
    strictly_after = _key(ws, at) in _NEXT
    if strictly_after or _key(ws, at) in _THIS:
        at += 1
    weekday = _weekday(ws, at, led=led or at > i)
    if weekday is None:
        return None
    if at == i and (end := _longest(ws, at + 1, _OF_NEXT_WEEK)) is not None:
        return _Due(end, next_monday + timedelta(days=weekday))
    ahead = (weekday - today.weekday()) % 7 or (7 if strictly_after else 0)
    return _Due(at + 1, today + timedelta(days=ahead))


def _due_within(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    key = _key(ws, i)
    if key in ("in", "within", "binnen"):
        at = i + 1
    elif key == "innerhalb":
        at = i + 2 if _key(ws, i + 1) == "von" else i + 1
    else:
        return None
    amount = _amount(_key(ws, at))
    unit = _unit(ws, at + 1)
    if amount is None or unit is None:
        return None
    end = unit[1]
    if _key(ws, end) == "time":  # "in two weeks' time"
        end += 1
    elif _key(ws, end) == "from" and _key(ws, end + 1) in ("now", "today"):
        end += 2
    return _Due(end, _shift(today, amount, unit[0]), self_led=True)


_GLUED_WEEK = re.compile(r"(?:kw|cw)\.?(\d{1,2})(?:/(\d{4}))?")
_WEEK_NUMBER = re.compile(r"(\d{1,2})(?:/(\d{4}))?")
_WEEK_WORDS = frozenset({"kw", "cw", "wk", "week", "kalenderwoche"})


def _due_week_number(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    at = i
    self_led = _key(ws, at) == "in"
    if self_led:
        at += 2 if _key(ws, at + 1) in ("der", "the") else 1
    key = _key(ws, at)
    if match := _GLUED_WEEK.fullmatch(key):
        end = at + 1
    else:
        if key == "calendar" and _key(ws, at + 1) == "week":
            at += 1
        elif key not in _WEEK_WORDS:
            return None
        match = _WEEK_NUMBER.fullmatch(_key(ws, at + 1))
        if match is None:
            return None
        end = at + 2
    number, year = int(match[1]), _full_year(match[2])
    this_year, this_week, _ = today.isocalendar()
    if year is None:
        year = this_year if number >= this_week else this_year + 1
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadDate(_phrase(ws, i, end))
    try:
        friday = date.fromisocalendar(year, number, 5)
    except ValueError:
        raise BadDate(_phrase(ws, i, end)) from None
    # Said on the weekend of that very week, the Friday is gone: due today, not in a year.
    due = max(friday, today) if match[2] is None else friday
    return _Due(end, due, self_led=self_led)


_QUARTER = re.compile(r"q([1-4])")


def _due_part_of(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """The last day (or the 15th) of a named month or quarter.

    "end of January", "Mitte Dezember", "mid-March", "Ende Q1".
    """
    at = i + 1 if _key(ws, i) == "the" else i
    key = _key(ws, at)
    middle = False
    if key == "end" and _key(ws, at + 1) == "of":
        at += 2
    elif key == "ende":
        at += 1
    elif key in ("mid", "mitte"):
        middle, at = True, at + 1
    elif key == "middle" and _key(ws, at + 1) == "of":
        middle, at = True, at + 2
    elif key.startswith("mid-") and key[4:] in _MONTHS:
        return _due_in_month(ws, today, _MONTHS[key[4:]], middle=True, month_at=at)
    else:
        return None
    if month := _MONTHS.get(_key(ws, at)):
        return _due_in_month(ws, today, month, middle=middle, month_at=at)
    quarter = _QUARTER.fullmatch(_key(ws, at))
    if quarter and not middle:
        end, year = _year_after(ws, at + 1)
        last_month = int(quarter[1]) * 3
        return _Due(end, _month_or_next_year(today, year, lambda y: _month_end(y, last_month)))
    return None


def _due_in_month(
    ws: Sequence[Word], today: date, month: int, *, middle: bool, month_at: int
) -> _Due:
    end, year = _year_after(ws, month_at + 1)
    if middle:
        return _Due(end, _month_or_next_year(today, year, lambda y: date(y, month, 15)))
    return _Due(end, _month_or_next_year(today, year, lambda y: _month_end(y, month)))


def _month_or_next_year(today: date, year: int | None, day_in: Callable[[int], date]) -> date:
    if year is not None:
        return day_in(year)
    this_year = day_in(today.year)
    return this_year if this_year >= today else day_in(today.year + 1)


def _due_calendar(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    found = _calendar_date(ws, i, led=led)
    if found is None:
        return None
    if found.month is None and (end := _longest(ws, found.end, _OF_NEXT_MONTH)) is not None:
        first = _add_months(today.replace(day=1), 1)  # "the 3rd of next month"
        if not _exists(found.day, first.month, first.year):
            raise BadDate(_phrase(ws, i, end))
        return _Due(end, first.replace(day=found.day))
    due = _resolve(found, today, toward="future")
    return _Due(found.end, due) if due else None


def _due_fallback(ws: Sequence[Word], i: int, today: date) -> _Due | None:
    for end in _fallback_ends(ws, i):
        found = _dateparser_date(_phrase(ws, i, end), today=today, prefer="future")
        if found:
            return _Due(end, found)
    return None


# --- dateparser, for what the rules leave --------------------------------------------------------


def _fallback_ends(ws: Sequence[Word], i: int) -> list[int]:
    """Ends of the spans from ws[i] worth showing dateparser, longest first.

    A span stays inside one clause, contains a digit or a month name, and names no unit of time:
    dateparser reads "2 hours" or "3 Tage" as durations whatever parts it is told to require.
    """
    ends: list[int] = []
    for end in range(i + 1, min(i + _FALLBACK_SPAN, len(ws)) + 1):
        word = ws[end - 1]
        if word.key in _UNITS or word.key in ("ago", "vor"):
            break
        ends.append(end)
        if any(mark in word.tail for mark in ",;:!?."):
            break
    return [
        end
        for end in reversed(ends)
        if any(any(ch.isdigit() for ch in word.key) or word.key in _MONTHS for word in ws[i:end])
    ]


def _dateparser_date(text: str, *, today: date, prefer: Literal["past", "future"]) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime.combine(today, time(12)),
        "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month"],
        "DATE_ORDER": "DMY",
    }
    try:
        found = dateparser.parse(text, languages=["de", "en"], settings=settings)
    except Exception:
        # A third-party parser fed with user text: whatever goes wrong there means "no date",
        # never a failed command.
        return None
    if found is None or not MIN_YEAR <= found.year <= MAX_YEAR:
        return None
    return found.date()


def warm_up() -> None:
    """Load dateparser's German and English data now, so the first real command is not slow."""
    _dateparser_date("3. Dezember 2026", today=date(2026, 1, 1), prefer="future")
    _dateparser_date("December 3rd 2026", today=date(2026, 1, 1), prefer="future")
