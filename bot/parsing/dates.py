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
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal, TypeVar

import dateparser

from bot.parsing.keywords import DUE_LEAD_WORDS, spelled_sequences, spellings
from bot.parsing.questions import CANCEL, Answers, NeedsAnswer, Question, Reading

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


# "|" sets a word apart in chat as brackets do ("|Friday", a table cell).
_OPENING = "\"'„“”‚‘’«»‹›([{<|"
_CLOSING = "\"'“”‘’«»‹›)]}>,;:!?|"


_WORD = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
_CLOSING_OR_STOP = _CLOSING + "."
# Words glued together without a space, split where a date starts: after a colon that follows a
# word ("says:30 December"), and after a weekday joined by a dash to a date ("Friday-Jun-15",
# not "Freitag-Lieferung"). Only a word
# of letters alone is split off: a colon between digits is a clock ("14:30"), and anything in an
# address ("example.com/plan:30", "https://…") stays one word, never read as a date.
_GLUED_AFTER_COLON = re.compile(r"[^\W\d_]{2,}:(?=\d)")
_GLUED_WEEKDAY = re.compile(r"([^\W\d]{2,})-(?=[^\W_])")
# A year glued to a date by a comma ("08/12,2015", "12.08.,2015"): read as the date with its
# year, "08/12/2015" and "12.08.2015".
_COMMA_YEAR = re.compile(r"(\d{1,2})([/.])(\d{1,2})\.?,(\d{4}|\d{2})(\.?)")


def _pieces(raw: str, at: int) -> list[tuple[str, int]]:
    """A whitespace-separated word as the words it stands for, each with where it starts."""
    core_at = len(raw) - len(raw.lstrip(_OPENING))
    glued = _GLUED_WEEKDAY.match(raw, core_at)
    if glued and glued[1].casefold() in _WEEKDAYS and _starts_a_date(raw[glued.end() :]):
        rest = glued.end()
        return [(raw[: rest - 1], at), *_pieces(raw[rest:], at + rest)]
    colon = _GLUED_AFTER_COLON.match(raw, core_at)
    if colon:
        return [(raw[: colon.end()], at), *_pieces(raw[colon.end() :], at + colon.end())]
    return [(raw, at)]


def _starts_a_date(rest: str) -> bool:
    """Whether what follows a weekday's dash is a date ("12.2.", "Jun-15"), not the rest of a
    compound word ("Freitag-Lieferung", "Friday-meeting")."""
    first = re.split(r"[-/.]", rest, maxsplit=1)[0].casefold()
    return first[:1].isdigit() or first in _MONTHS


def _key_of(body: str) -> str:
    key = body.casefold()
    if match := _COMMA_YEAR.fullmatch(key):
        return f"{match[1]}{match[2]}{match[3]}{match[2]}{match[4]}{match[5]}"
    return key


@lru_cache(maxsize=256)
def words(text: str) -> tuple[Word, ...]:
    """Split text into words, remembering where each one is so phrases can be cut out as typed.

    Words glued by a colon or a weekday's dash are split (`_pieces`); a year glued to a date by a
    comma keys as the date with its year (`Word.text` stays as typed).

    Cached (the words are immutable): reading one command splits the same texts more than once
    (the promise by the due reader and again when its due phrase is cut out, the text kept by
    the check of what is left and again by the summary), and each split builds every `Word`.
    """
    found: list[Word] = []
    for match in _WORD.finditer(text):
        at = match.start()
        for body, key, tail, start, raw_start, raw_end in _read_token(match.group()):
            found.append(
                Word(
                    text=body,
                    key=key,
                    tail=tail,
                    start=at + start,
                    end=at + start + len(body),
                    raw_start=at + raw_start,
                    raw_end=at + raw_end,
                )
            )
    return tuple(found)


@lru_cache(maxsize=4096)
def _read_token(raw: str) -> tuple[tuple[str, str, str, int, int, int], ...]:
    """The words one whitespace-separated token stands for (`words`), each as its text, key,
    tail, and where its text and the whole piece start and end within the token. Cached: the
    same few hundred tokens ("call", "by", "Friday", "promise:") make up most of what people
    type, and reading one costs a handful of regular expressions."""
    read = []
    for piece, piece_start in _pieces(raw, 0):
        core = piece.lstrip(_OPENING)
        # Full stops belong to numeric dates ("20.11.") but are sentence punctuation after
        # words.
        closing = _CLOSING if _DIGIT.search(core) else _CLOSING_OR_STOP
        body = core.rstrip(closing)
        start = piece_start + len(piece) - len(core)
        read.append(
            (body, _key_of(body), core[len(body) :], start, piece_start, piece_start + len(piece))
        )
    return tuple(read)


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


# The word sequence tables are module constants, looked into at every word of every text: for
# each, the first words and the lengths it has, so that most words are turned away at once.
_SHAPES: dict[int, tuple[Collection[tuple[str, ...]], frozenset[str], tuple[int, ...]]] = {}


def _shape(sequences: Collection[tuple[str, ...]]) -> tuple[frozenset[str], tuple[int, ...]]:
    """The first words and the lengths (longest first) of a table of word sequences."""
    cached = _SHAPES.get(id(sequences))
    if cached is not None and cached[0] is sequences:
        return cached[1], cached[2]
    firsts = frozenset(sequence[0] for sequence in sequences if sequence)
    lengths = tuple(sorted({len(sequence) for sequence in sequences if sequence}, reverse=True))
    if len(_SHAPES) < 256:  # the tables are few; the table itself is kept, so its id stays its own
        _SHAPES[id(sequences)] = (sequences, firsts, lengths)
    return firsts, lengths


def _longest(
    ws: Sequence[Word], i: int, sequences: Collection[tuple[str, ...]], longest: int = 6
) -> int | None:
    """End of the longest of `sequences` that starts at ws[i], or None."""
    if not 0 <= i < len(ws):
        return None
    firsts, lengths = _shape(sequences)
    if ws[i].key not in firsts:
        return None
    for length in lengths:
        fits = length <= longest and i + length <= len(ws)
        if fits and tuple(word.key for word in ws[i : i + length]) in sequences:
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


def weekday_named(word: str) -> int | None:
    """The weekday a word names (Monday = 0), written in full or short ("Do.", "Fri"); None for
    any other word. Says nothing of whether the word is used as a weekday where it stands."""
    return _WEEKDAYS.get(words(word)[0].key) if word.strip() else None


_AMOUNT_DIGITS = re.compile(r"\d{1,3}")


def _amount(key: str) -> int | None:
    if _AMOUNT_DIGITS.fullmatch(key):
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
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:\.|(?:st|nd|rd|th|te|ten|ter|tes)\.?)?")
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th|te|ten|ter|tes)\.?")  # "15th." ends a sentence
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
    if (spaced := _spaced_iso(ws, i)) and (led or _ends(ws, spaced.end)):
        return spaced
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


_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}")


def _spaced_iso(ws: Sequence[Word], i: int) -> _CalendarDate | None:
    """An ISO date written with spaces ("2016 10 16"): a year, a month and a day, each a word
    of its own with nothing between. Numbers that are no date that way round, or run on into
    an hour ("2027 3 14 Uhr"), are numbers; so are they, unless a lead word ("on", "bis") or
    the end of the clause says otherwise ("order 2027 3 14 units" may count units), as for a
    numeric date without its closing dot."""
    year, month, day = _key(ws, i), _key(ws, i + 1), _key(ws, i + 2).removesuffix(".")
    if not (_YEAR.fullmatch(year) and MIN_YEAR <= int(year) <= MAX_YEAR):
        return None
    if not (_ONE_OR_TWO_DIGITS.fullmatch(month) and _ONE_OR_TWO_DIGITS.fullmatch(day)):
        return None
    if ws[i].tail or ws[i + 1].tail or _key(ws, i + 3) in _HOUR_WORDS:
        return None
    if not _exists(int(day), int(month), int(year)):
        return None
    return _CalendarDate(i + 3, int(day), int(month), int(year))


def _year_after(ws: Sequence[Word], i: int) -> tuple[int, int | None]:
    key = _key(ws, i).removesuffix(".")  # "Jan 4 2019." ends a sentence
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
    candidates = _days_fitting(found, today, years=range(-8, 9), months=range(-13, 14))
    return _nearest(today, candidates, toward=toward)


def _days_fitting(found: _CalendarDate, today: date, *, years: range, months: range) -> list[date]:
    """The days a date without its year (or month) may mean, oldest first: its day and month in
    each of `years` around today's, or its day in each of `months` around today's."""
    if found.month is not None:
        month = found.month
        return [
            date(today.year + offset, month, found.day)
            for offset in years
            if _exists(found.day, month, today.year + offset)
        ]
    firsts = (_add_months(today.replace(day=1), offset) for offset in months)
    return [
        first.replace(day=found.day)
        for first in firsts
        if _exists(found.day, first.month, first.year)
    ]


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(h|uhr)?\.?")
_CLOCK_RANGE = re.compile(r"(\d{1,2}):(\d{2})[-–]\d{1,2}:\d{2}(?:h|uhr)?\.?")
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.?|p\.m\.?)")
_HOUR_SUFFIX = re.compile(r"(\d{1,2})(?:h|uhr)")
_HOUR = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?")
_AM_PM = {"am": False, "a.m": False, "pm": True, "p.m": True}
_O_CLOCK = frozenset({"uhr", "h"})
# Words after a number that make it an hour, not a day of the month. "o'clock" is one, but not
# read as a time: "3 o'clock" leaves morning or afternoon open.
_HOUR_WORDS = _O_CLOCK | frozenset(_AM_PM) | frozenset({"o'clock", "o’clock"})


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
# A weekday beside a day of the month without its month ("Friday the 21st") picks the latest day
# they agree on within this many months: people name a day that way only while it is recent. One
# that fits only a day further back is a slip (the weekday or the number), and asked about.
_WEEKDAY_LOOKBACK_MONTHS = 2
# Further back than that, but within this many months, the day they agree on is offered as well.
_WEEKDAY_OFFER_MONTHS = 14


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
    day_word: bool = False  # a word naming a day by itself ("heute", "yesterday")
    # The text key of the question to ask about `choices`, when it is not the usual one.
    reason: str | None = None


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
# "A few days ago" names no day: the contact date is asked, with these many days ago offered.
# Any one of them taken silently would be a guess, and a wrong contact date moves every nudge.
FEW_DAYS_AGO = (2, 3, 4)
_FEW_DAYS_AGO = _patterns(
    "[a] couple|few [of] days ago|back",
    "vor ein paar tagen",
    "vor einigen|wenigen tagen",
)
_PAST = _word_set("past")
_WEEKDAY_JOINERS = _word_set("-", "–", "am", "on")


def when_question(phrase: str, choices: Sequence[date], reason: str | None = None) -> NeedsAnswer:
    """The question for a when phrase that could mean several days: a button for each day.

    With a single day, the words name a day still ahead and that day is the only past reading
    (a year or a week earlier): the question says so rather than "more than one day". `reason`
    names another text for words that name no day at all ("a few days ago").
    """
    readings = tuple(Reading(day.isoformat(), day=day) for day in choices)
    if reason is None:
        reason = "question.when_earlier" if len(readings) == 1 else "question.when"
    return NeedsAnswer(
        Question(
            slot="when",
            phrase=phrase,
            reason=reason,
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
        return _with_partner(ws, hit, today, month_first=month_first)
    if key in _AT and (clock := _time_of_day(ws, i + 1)):
        return WhenHit(clock[0], at=clock[1])
    day = _when_day(ws, i, today, led=led, month_first=month_first)
    hits = [hit for hit in (day, _when_time(ws, i)) if hit]
    if hits:
        best = max(hits, key=lambda hit: hit.end)
        if best.at is None:
            return _with_partner(ws, best, today, month_first=month_first)
        return best
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
            raise when_question(_phrase(ws, i, hit.end), hit.choices, hit.reason)
        if hit.on is not None and on is not None and hit.on != on:
            raise when_question(phrase.strip(), sorted({on, hit.on}))
        on = hit.on or on
        at = hit.at or at
        i = hit.end
    return ((on or today), at) if ws else None


_COMMON_DENOMINATORS = frozenset({2, 3, 4, 5, 8, 10})


_DATE_SHAPED = re.compile(r"(\d{1,2})([/.])(\d{1,2})(?:\2(?:\d{2}|\d{4}))?\.?")


def date_shaped(word: Word, *, plainly: bool = False) -> bool:
    """Whether a word is two numbers joined by "/" or "." that are a date at least one way round
    ("11/23", "12/1", "23.11"), and no common fraction or idiom ("1/2", "24/7"): shapes a reader
    that cannot place them must not pass over as note text.

    `plainly`: and not a decimal number either ("1.5", "12.5" could be hours or percent), which
    only a slash, a year, a closing full stop or two digits after the dot rule out.
    """
    match = _DATE_SHAPED.fullmatch(word.key)
    if match is None or _fraction(word.key) or word.key in _IDIOMS:
        return False
    first, second = int(match[1]), int(match[3])
    if not (_exists(first, second, None) or _exists(second, first, None)):
        return False
    decimal = match[2] == "." and len(match[3]) == 1 and match.end(3) == len(word.key)
    return not (plainly and decimal)


def names_day_or_month(word: Word) -> bool:
    """Whether a word is a weekday or month name (not one that is an everyday word as well:
    "so", "do", "sat", "may")."""
    if word.key in _EVERYDAY_WORD_WEEKDAYS or word.key == "may":
        return False
    return word.key in _WEEKDAYS or word.key in _MONTHS


def names_month(word: Word) -> bool:
    """Whether a word is a month name ("March", "Dez."), which alone is as often a topic ("the
    March numbers") as a date."""
    return word.key in _MONTHS and word.key != "may"


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
        hits.append(WhenHit(end, on=_WHEN_DAYS[words_found](today), day_word=True))
    if (end := _longest(ws, i, _WHEN_WEEKS)) is not None:
        monday = _WHEN_WEEKS[tuple(word.key for word in ws[i:end])](today)
        hits.append(WhenHit(end, on=monday, week_of=monday))
    if (end := _longest(ws, i, _FEW_DAYS_AGO)) is not None:
        choices = tuple(today - timedelta(days=days) for days in FEW_DAYS_AGO)
        hits.append(WhenHit(end, choices=choices, reason="question.when_few_days"))
    for rule in (_when_weekday, _when_ago, _when_spelled, _when_nth_weekday):
        if hit := rule(ws, i, today, led=led):
            hits.append(hit)
    if hit := _when_calendar(ws, i, today, led=led, month_first=month_first):
        hits.append(hit)
    return max(hits, key=lambda hit: hit.end, default=None)


_BEFORE_LAST = _word_set("vorletzte", "vorletzten", "vorletzter", "vorletztem")


def _when_weekday(ws: Sequence[Word], i: int, today: date, *, led: bool) -> WhenHit | None:
    if (hit := _weekday_before_last(ws, i, today)) is not None:
        return hit
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


def _weekday_before_last(ws: Sequence[Word], i: int, today: date) -> WhenHit | None:
    """ "vorletzten Montag", "[the] Monday before last": the one before "last Monday", so a
    question between two weeks when "last Monday" itself would be one."""
    if _key(ws, i) in _BEFORE_LAST:
        weekday, end = _weekday(ws, i + 1, led=True), i + 2
    else:
        at = i + 1 if _key(ws, i) == "the" else i
        weekday, end = _weekday(ws, at, led=True), at + 3
        if (_key(ws, at + 1), _key(ws, at + 2)) != ("before", "last"):
            return None
    if weekday is None:
        return None
    back = (today.weekday() - weekday) % 7
    latest = today - timedelta(days=back or 7)
    if back and today.weekday() > weekday:
        return WhenHit(end, choices=(latest - timedelta(weeks=2), latest - timedelta(weeks=1)))
    return WhenHit(end, on=latest - timedelta(weeks=1))


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
    own = readings[-1]  # month first: the swapped reading, when there is one
    # Dots are how German and most of Europe write a date, day first; a member who writes the
    # month first may mean either, so a dotted date is never taken as theirs alone ("12.2.").
    dotted = "." in _key(ws, i) or (_key(ws, i) in _ARTICLES and "." in _key(ws, i + 1))
    if len(readings) > 1 and not dotted and _soon_after(own, today) is not None:
        # "12/2" said by a member who writes the month first on 30 November: 2 December, a few
        # days ahead, never 12 February; its only past reading is a year ago.
        day = contact_day(own, today)
        return WhenHit(found.end, choices=(day,), written=own) if day else None
    days = sorted({day for reading in readings if (day := contact_day(reading, today))})
    if not days:
        return None
    if len(days) > 1:
        return WhenHit(found.end, choices=tuple(days), written=found)
    if found.month is not None and _soon_after(found, today) is not None:
        # "26.11." said on 25 November: a slip or a meeting still to come, and its only past
        # reading a year ago. A day without its month ("on the 3rd" said on 29 November) is
        # last month's: nobody names a day a year back by its number alone.
        return WhenHit(found.end, choices=(days[0],), written=found)
    return WhenHit(found.end, on=days[0], written=found)


def contact_day(found: _CalendarDate, today: date) -> date | None:
    """The day a written contact date means: as written when it has its year, else the latest
    such day on or before today (`_contact_hit` asks about it when the same date lies at most
    `FUTURE_SLIP_DAYS` ahead); None when there is none."""
    return max(_candidates(found, today), default=None)


def _candidates(found: _CalendarDate, today: date) -> list[date]:
    """The days on or before today a written date may mean, oldest first (a full date: itself,
    wherever it lies)."""
    if found.year is not None and found.month is not None:
        return [date(found.year, found.month, found.day)]
    candidates = _days_fitting(found, today, years=range(-10, 1), months=range(-36, 1))
    return [day for day in candidates if day <= today]


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


def _with_partner(
    ws: Sequence[Word], hit: WhenHit, today: date, *, month_first: bool = False
) -> WhenHit:
    """A weekday and the week, date or day word beside it, read as one day ("Mittwoch vor 2
    Wochen", "Friday the 20th", "am Montag, den 15. Januar", "previous week - Monday", "heute
    Montag", "Monday yesterday").

    A weekday that disagrees with the date or day word beside it is a question, never a day
    months away that happens to fit (`_weekday_with_date`). `month_first` says which way round
    a numeric date the weekday fits neither way is offered.
    """
    at = hit.end
    while at < len(ws) and (ws[at].key in _WEEKDAY_JOINERS or not ws[at].key):
        at += 1
    if at >= len(ws):
        return hit
    if hit.day_word and hit.on is not None:
        # Everyday words ("so", "do") stay words here: "today so we agreed".
        weekday = _weekday(ws, at, led=False)
        return hit if weekday is None else _weekday_with_day(at + 1, weekday, hit.on, today)
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
    if other.day_word and other.on is not None:
        return _weekday_with_day(other.end, weekday, other.on, today)
    if other.written is None:
        return hit
    readings = _both_ways(ws, at, other.written)
    if month_first:
        readings.reverse()  # the swapped reading, when there is one, is the member's own
    return _weekday_with_date(other.end, weekday, readings, today, written=other.written)


def _weekday_with_day(end: int, weekday: int, day: date, today: date) -> WhenHit:
    """A weekday beside a day word ("heute Montag"): that day when they agree, else a question
    between the day word's day and the latest such weekday."""
    if day.weekday() == weekday:
        return WhenHit(end, on=day)
    latest = today - timedelta(days=(today.weekday() - weekday) % 7)
    return WhenHit(end, choices=tuple(sorted({day, latest})))


def _weekday_with_date(
    end: int,
    weekday: int,
    readings: Sequence[_CalendarDate],
    today: date,
    *,
    written: _CalendarDate,
) -> WhenHit:
    """A weekday beside a written date, each way round the date may be read.

    A date with its month is the day the date alone names (a few days ahead included, which the
    caller refuses as future): the weekday only confirms it. A day number alone is the latest
    day within `_WEEKDAY_LOOKBACK_MONTHS` with that number and weekday. Where the weekday fits
    no reading, or more than one, the question offers the agreeing days, or else the date read
    the member's way round (`readings[0]`), that weekday beside it, and for a day number the
    latest day within `_WEEKDAY_OFFER_MONTHS` that fits both.
    """
    agreeing: set[date] = set()
    plain: list[date] = []
    earlier: set[date] = set()  # a day number's latest fitting day, longer ago than the window
    for reading in readings:
        if reading.month is None:
            since = _add_months(today, -_WEEKDAY_LOOKBACK_MONTHS)
            fitting = [day for day in _candidates(reading, today) if day.weekday() == weekday]
            if fitting and max(fitting) >= since:
                agreeing.add(max(fitting))
                continue
            if fitting and max(fitting) >= _add_months(today, -_WEEKDAY_OFFER_MONTHS):
                earlier.add(max(fitting))
        ahead = _soon_after(reading, today) if reading.month is not None else None
        day = ahead or contact_day(reading, today)
        if day is None:
            continue
        if day.weekday() == weekday:
            agreeing.add(day)
        else:
            plain.append(day)
    if len(agreeing) == 1:
        return WhenHit(end, on=agreeing.pop(), written=written)
    if agreeing:
        return WhenHit(end, choices=tuple(sorted(agreeing)))
    if not plain:
        return WhenHit(end, choices=(_weekday_near(today, weekday, today),))
    offered = {plain[0], _weekday_near(plain[0], weekday, today), *earlier}
    return WhenHit(end, choices=tuple(sorted(day for day in offered if day <= today)))


def _weekday_near(day: date, weekday: int, today: date) -> date:
    """The day with `weekday` closest to `day` (in its week or the next few days), not after
    today: what someone meant who got the date's number wrong but not the weekday."""
    offset = (weekday - day.weekday()) % 7
    near = day + timedelta(days=offset if offset <= 3 else offset - 7)
    while near > today:
        near -= timedelta(weeks=1)
    return near


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
    """A bare day of the month right after a weekday ("Monday 21"); not an hour ("Freitag 14
    Uhr", "Friday 2 pm", "Monday 9 o'clock", "Mo 9:30" is a clock already)."""
    key = _key(ws, i)
    if not (re.fullmatch(r"\d{1,2}", key) and 1 <= int(key) <= 31):
        return None
    if ":" in ws[i].tail or _key(ws, i + 1) in _HOUR_WORDS:
        return None
    found = _CalendarDate(i + 1, int(key), None, None)
    return WhenHit(i + 1, written=found)


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

# What kind of phrase a due phrase is, for reading two of them side by side: "EOD Thursday" is
# Thursday, "Tuesday, 19.1." is one day (or a question), "Friday in two weeks" is one day.
_DueKind = Literal["day", "eod", "weekday", "date", "within", "other"]


@dataclass(frozen=True)
class _Due:
    """A due phrase read at some word: where it ends and the day it names.

    `readings` holds more than one day when the phrase alone can be read several ways; `reason`
    is then the text key of the question that asks which.
    """

    end: int
    due: date
    self_led: bool = False  # the phrase carries its own lead word ("in 2 weeks", "in KW 12")
    kind: _DueKind = "other"
    weekday: int | None = None  # kind "weekday": the weekday named (Monday = 0)
    shifted: date | None = None  # kind "within": today moved by the amount
    weeks: int | None = None  # kind "within", counted in weeks: how many
    unit: _Unit | None = None  # kind "within": what was counted
    readings: tuple[date, ...] = ()
    reason: str | None = None

    @property
    def days(self) -> tuple[date, ...]:
        return self.readings or (self.due,)


@dataclass(frozen=True)
class _Found:
    """A due phrase in the promise: its words (lead word excluded) and how strongly it was led."""

    start: int
    end: int
    due: _Due
    strength: int  # 2 after by/until/bis/zum/…, 1 after on/am or with its own lead, 0 without


# The questions `parse_due` may ask, by the text key that says why (bot/texts/catalog.py).
DUE_QUESTIONS = (
    "question.due_weekday_date",
    "question.due_two_days",
    "question.due_month_first",
    "question.due_next_weekday",
    "question.due_weekday_today",
    "question.due_week_offset",
    "question.due_asap",
    "question.due_few_days",
)

# The due questions whose readings are quick choices for words that name no day ("ASAP"): a
# day picked apart from them answers them, whichever it is.
QUICK_CHOICE_QUESTIONS = frozenset({"question.due_asap", "question.due_few_days"})

# "on"/"am" say which day something happens, not by when: a phrase after "by"/"bis" beats them.
_WEAK_LEADS = frozenset().union(*(spelled_sequences(word) for word in ("on", "am")))
# Words that may stand between two phrases that name one day together ("Tuesday, the 19th",
# "Dienstag, den 19.1.", "EOD on Thursday").
_JOINERS = _word_set("the", "den", "der", "dem", "on", "am", "of")
# Words after which a number is a reference, not a date ("version 2.1", "Kapitel 3.4").
_REFERENCE_NOUNS = _word_set(
    "version", "release", "v", "chapter", "section", "page", "pages", "item", "ticket", "no",
    "nr", "number", "article", "paragraph", "kapitel", "abschnitt", "seite", "seiten",
    "punkt", "nummer", "artikel", "absatz", "ziffer", "§", "#",
)  # fmt: skip
_CURRENCIES = _word_set("$", "€", "£", "eur", "usd", "gbp", "chf")
_EOD = _patterns("eod|cob|eob", "[the] end of [the] day|business", "close of business")
_ASAP = _patterns(
    "asap|a.s.a.p|a.s.a.p.|schnellstmöglich|baldmöglichst|schnellstens|umgehend",
    "as soon as possible",
    "so bald|schnell wie möglich",
    "möglichst bald|schnell",
)
_FEW_DAYS = _patterns(
    "[in|within] a couple|few [of] days",
    "[in|within] [the] next couple|few [of] days",
    "[in] ein|einigen paar tagen|tage",
    "[in] einigen|wenigen tagen",
    "[in] den nächsten tagen",
)
_CHRISTMAS = _word_set("christmas", "xmas", "x-mas", "weihnachten", "weihnacht")
_AFTER = _word_set("after", "nach", "über", "over", "past", "seit", "since", "zu", "an")
# With the dative forms after a preposition: "zwei Wochen nach nächstem Freitag".
_STRICTLY_NEXT = _NEXT | _word_set(
    "following", "folgenden", "folgende", "folgendem", "nächstem", "kommendem"
)  # fmt: skip
_AFTER_NEXT = _word_set(
    "übernächste", "übernächsten", "übernächster", "übernächstes", "übernächstem"
)  # fmt: skip
_THIS_WEEK = _patterns("[of] this week", "diese|dieser woche", "in dieser woche")
_WEEK_AFTER_NEXT = _patterns(
    "[the] week after next",
    "übernächste|übernächster|übernächsten woche",
    "in der übernächsten woche",
)
_AFTER_THE_NEXT = _patterns("after next", "after the next", "nach dem|den nächsten")
_ORDINAL_WORDS = _vocabulary(
    {
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
        "erste": 1, "erster": 1, "ersten": 1, "zweite": 2, "zweiter": 2, "zweiten": 2,
        "dritte": 3, "dritter": 3, "dritten": 3, "vierte": 4, "vierter": 4, "vierten": 4,
        "fünfte": 5, "fünfter": 5, "fünften": 5,
        "letzte": -1, "letzter": -1, "letzten": -1,
    }
)  # fmt: skip
_IN_MONTH = _word_set("of", "in", "im")


def _spelled_day_numbers() -> dict[str, int]:
    """Day numbers written as ordinal words, English and German ("twenty-first", "ersten")."""
    english = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
        "seventeenth", "eighteenth", "nineteenth", "twentieth",
    ]  # fmt: skip
    german = [
        "erst", "zweit", "dritt", "viert", "fünft", "sechst", "siebt", "acht", "neunt", "zehnt",
        "elft", "zwölft", "dreizehnt", "vierzehnt", "fünfzehnt", "sechzehnt", "siebzehnt",
        "achtzehnt", "neunzehnt", "zwanzigst",
    ]  # fmt: skip
    units = ["ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
    found: dict[str, int] = {}
    for number, word in enumerate(english, start=1):
        found[word] = number
    for number in range(21, 32):
        tens, unit = ("twenty", "thirty")[number // 10 - 2], english[number % 10 - 1]
        if number % 10:
            found[f"{tens}-{unit}"] = number
    found["thirtieth"] = 30
    stems = {number: stem for number, stem in enumerate(german, start=1)}
    stems[30] = "dreißigst"
    for number in range(21, 32):
        if number % 10:
            tens = ("zwanzig", "dreißig")[number // 10 - 2]
            stems[number] = f"{units[number % 10 - 1]}und{tens}st"
    stems[0] = "siebent"  # "siebente", beside "siebte"
    for number, stem in stems.items():
        for ending in ("e", "en", "er", "es", "em"):
            found[stem + ending] = number or 7
    found |= {word.replace("ß", "ss"): number for word, number in found.items()}
    return {spelling: number for word, number in found.items() for spelling in spellings(word)}


_DAY_WORDS = _spelled_day_numbers()
_TENS_WORDS = {"twenty": 20, "thirty": 30}
_UNIT_WORDS = {
    word: number
    for number, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), start=1
    )
}


_DUE_DAYS = _day_table(
    [
        (
            (
                f"today|heute|tonight [{_PART_OF_DAY}]",
                "this morning|afternoon|evening",
                "end of today",
            ),
            _days(0),
        ),
        (
            (
                f"tomorrow|tmrw|tmr|tmw|tomorow|morgen [{_PART_OF_DAY}]",
                "[the] next|following day",
                "nächsten|folgenden tag",
            ),
            _days(1),
        ),
        (("übermorgen", "[the] day after tomorrow|tmrw|tmr"), _days(2)),
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


def parse_due(
    promise_text: str,
    *,
    today: date,
    month_first: bool = False,
    answers: Answers | None = None,
) -> tuple[date, str] | None:
    """When a promise is due, and the words that say so; None when it names no day.

    `read_due` says the same with where the words stand, and how they are read.
    """
    found = read_due(promise_text, today=today, month_first=month_first, answers=answers)
    return (found.due, found.phrase) if found else None


def read_due(
    promise_text: str,
    *,
    today: date,
    month_first: bool = False,
    answers: Answers | None = None,
) -> DueRead | None:
    """When a promise is due, and the words that say so with their place; None when it names
    no day.

    A bare weekday is the next one ("by Friday"); said on that very weekday it could be today or
    a week from today, so it is asked. "next Friday" is the first Friday after today, asked when
    that is still this week (it may mean next week's). "Friday next week" is the Friday of the
    next ISO week, "Sunday this week" the Sunday of this one. "next week" alone is the Friday of
    next week, "end of the week" the Friday of this one (today on a weekend). "KW 12" is the
    Friday of ISO week 12 in the next such week from today. A date without a year is its next
    occurrence from today; a numeric one is day first unless it can only be month first, and for
    a member who writes month first (`month_first`) one that is valid both ways is asked.

    Two phrases next to each other name one day together: "EOD Thursday" is Thursday, "Tuesday,
    19.1." the 19th (asked when the weekday disagrees), "Friday in two weeks" that Friday. Of
    phrases apart, one after "by"/"until"/"bis"/"zum" beats one after "on"/"am", which beats
    one without a lead word; among equals the one that ends the promise wins, and where none
    does and they name different days, it is asked.

    Asking raises `NeedsAnswer` with a "due" question whose readings are ISO dates; given the
    chosen one in `answers["due"]`, the same text reads as that day. Raises BadDate for words
    that can only be a broken date.
    """
    ws, found = _phrases_in(promise_text, today, month_first)
    if not found:
        return None
    sources, days, reason = _chosen(ws, found)

    def read(day: date, *candidates: _Found) -> DueRead:
        start, end = ws[candidates[0].start].start, ws[candidates[-1].end - 1].end
        return DueRead(day, promise_text[start:end], start, end)

    # A day already past is no reading to offer: the caller refuses it when it is all there is.
    days = tuple(day for day in days if day >= today) or days[-1:]
    if len(days) == 1:
        return read(days[0], *sources)
    chosen = (answers or {}).get("due")
    for day in days:
        if chosen == day.isoformat():
            # The words of the phrase that named the day chosen, not of both phrases asked about.
            named = [source for source in sources if day in source.due.days] or sources
            return read(day, named[-1]) if len(named) < len(sources) else read(day, *sources)
    readings = tuple(Reading(day.isoformat(), day=day) for day in days)
    phrase = read(days[0], *sources).phrase
    question = Question("due", phrase, reason or "question.due_two_days", readings)
    raise NeedsAnswer(question)


@dataclass(frozen=True)
class DuePhrase:
    """A phrase the due reader reads in a promise, chosen as its due day or not: its words
    (`text[start:end]`, lead word excluded) and the day or days they name, soonest first."""

    phrase: str
    start: int
    end: int
    days: tuple[date, ...]


def due_phrases(promise_text: str, *, today: date, month_first: bool = False) -> list[DuePhrase]:
    """Every phrase `read_due` reads in `promise_text`, in the order they stand, by the same
    rules (neighbours that name one day together are one phrase), without choosing among them
    or asking. Raises BadDate where `read_due` would."""
    ws, found = _phrases_in(promise_text, today, month_first)
    phrases = []
    for candidate in found:
        start, end = ws[candidate.start].start, ws[candidate.end - 1].end
        days = tuple(sorted(candidate.due.days))
        phrases.append(DuePhrase(promise_text[start:end], start, end, days))
    return phrases


@lru_cache(maxsize=64)
def _phrases_in(
    promise_text: str, today: date, month_first: bool
) -> tuple[tuple[Word, ...], list[_Found]]:
    """The words of a promise and the due phrases read in them. Kept for the last few texts:
    a promise is read for its due day and then again for the phrases to take out of its text
    (`bot.parsing.promise_text`), and both must see the same phrases. Callers do not change the
    list."""
    ws = words(promise_text)
    return ws, _merged(ws, _due_phrases(ws, today, month_first=month_first), today)


def _due_phrases(ws: Sequence[Word], today: date, *, month_first: bool) -> list[_Found]:
    found: list[_Found] = []
    fallbacks_left = _FALLBACK_TRIES
    i = 0
    while i < len(ws):
        lead_end = _longest(ws, i, _DUE_LEADS, longest=3)
        if lead_end is not None:
            lead = tuple(word.key for word in ws[i:lead_end])
            due = _due_at(ws, lead_end, today, led=True, month_first=month_first)
            if due is None and fallbacks_left and _fallback_ends(ws, lead_end):
                fallbacks_left -= 1
                due = _due_fallback(ws, lead_end, today)
            if due is not None:
                strength = 1 if lead in _WEAK_LEADS else 2
                found.append(_Found(lead_end, due.end, due, strength))
                i = due.end
                continue
        due = _due_at(ws, i, today, led=False, month_first=month_first)
        if due is not None:
            found.append(_Found(i, due.end, due, 1 if due.self_led else 0))
            i = due.end
            continue
        i += 1
    return found


def _merged(ws: Sequence[Word], found: list[_Found], today: date) -> list[_Found]:
    """Neighbouring phrases that name one day together, read as one; a weekday whose date
    words could not be read ("Monday, jan twenty two") dropped rather than read alone."""
    merged: list[_Found] = []
    for candidate in found:
        if merged and _neighbours(ws, merged[-1], candidate):
            apart = _lead_between(ws, merged[-1], candidate)
            together = _together(merged[-1], candidate, today, apart=apart)
            if together is not None:
                merged[-1] = together
                continue
        merged.append(candidate)
    return [
        candidate
        for candidate in merged
        if candidate.due.kind != "weekday" or not _unread_date_beside(ws, candidate)
    ]


def _neighbours(ws: Sequence[Word], first: _Found, second: _Found) -> bool:
    if any(mark in ws[first.end - 1].tail for mark in ";:.!?"):
        return False
    between = ws[first.end : second.start]
    return len(between) <= 3 and all(
        word.key in _JOINERS or _longest(ws, first.end + at, _DUE_LEADS, longest=1)
        for at, word in enumerate(between)
    )


def _lead_between(ws: Sequence[Word], first: _Found, second: _Found) -> bool:
    """True when a due lead other than "on"/"am" stands between two phrases ("the 15.6. venue
    by Friday", "Friday Jun 15 by Friday"): the second then starts a due phrase of its own."""
    return any(
        (end := _longest(ws, at, _DUE_LEADS, longest=3)) is not None
        and tuple(word.key for word in ws[at:end]) not in _WEAK_LEADS
        for at in range(first.end, second.start)
    )


def _together(first: _Found, second: _Found, today: date, *, apart: bool = False) -> _Found | None:
    """One phrase from two neighbours, or None when they are two days after all. `apart`: a
    lead such as "by" or "bis" stands between them, so a weekday and a date are two days
    ("Raum für den 15.6. bis Freitag buchen"); "end of day" still joins ("Thursday by EOD")."""
    strength = max(first.strength, second.strength)
    kinds = (first.due.kind, second.due.kind)
    if "eod" in kinds and kinds != ("eod", "eod"):
        other = second.due if kinds[0] == "eod" else first.due
        return _Found(first.start, second.end, replace(other, end=second.end), strength)
    if apart:
        return None
    if "weekday" in kinds and ("date" in kinds or "within" in kinds):
        weekday, other = (
            (first.due, second.due) if kinds[0] == "weekday" else (second.due, first.due)
        )
        assert weekday.weekday is not None
        if other.kind == "date":
            days, reason = _weekday_and_date(weekday.weekday, other.days, today)
        else:
            days, reason = _weekday_and_offset(weekday, other)
        due = _Due(
            second.end, days[0], kind="date", readings=days if len(days) > 1 else (), reason=reason
        )
        return _Found(first.start, second.end, due, strength)
    return None


def _weekday_and_date(
    weekday: int, dates: Sequence[date], today: date
) -> tuple[tuple[date, ...], str]:
    """The date a weekday and a date name together: the date when the weekday agrees (the one
    that agrees, of a date read two ways); else both, as a question ("Monday 18 or Tuesday 19":
    the weekday's day in the date's week, or the week after where that is past)."""
    agreeing = [day for day in dates if day.weekday() == weekday]
    if len(agreeing) == 1:
        return (agreeing[0],), "question.due_weekday_date"
    readings = set(dates) | {_weekday_beside(day, weekday, today) for day in dates}
    return tuple(sorted(readings)), "question.due_weekday_date"


def _weekday_and_offset(weekday: _Due, offset: _Due) -> tuple[tuple[date, ...], str]:
    """A weekday with a distance ("Friday in two weeks", "Montag in einer Woche", "Thursday,
    two years from now"): that weekday in the week the distance reaches, or the first one on
    or after that day, or for weeks the coming weekday that many weeks on. They agree unless
    the weekday comes before today's in the week; then it is asked."""
    assert weekday.weekday is not None and offset.shifted is not None
    shifted = offset.shifted
    if offset.unit in ("day", "business day") and offset.weeks is None:
        # a few days on: the nearest such weekday ("in 14 Tagen" counts weeks, below)
        nearest = (weekday.weekday - shifted.weekday() + 3) % 7 - 3
        return (shifted + timedelta(days=nearest),), "question.due_week_offset"
    readings = {
        shifted + timedelta(days=weekday.weekday - shifted.weekday()),
        shifted + timedelta(days=(weekday.weekday - shifted.weekday()) % 7),
    }
    if offset.weeks is not None:
        readings.add(weekday.due + timedelta(weeks=offset.weeks))
    elif offset.unit == "week":  # counted from another day: the weekday before it, too
        readings.add(shifted - timedelta(days=(shifted.weekday() - weekday.weekday) % 7))
    return tuple(sorted(readings)), "question.due_week_offset"


def _unread_date_beside(ws: Sequence[Word], candidate: _Found) -> bool:
    """Whether a weekday stands next to date words the rules could not read: a month name or
    an ordinal ("Monday, jan twenty two", "am Donnerstag 7. vierter", "the first Friday of
    July"). Reading the weekday alone would name another day without a word."""
    after = candidate.end
    while _key(ws, after) in _JOINERS:
        after += 1
    following = _key(ws, after)
    before = _key(ws, candidate.start - 1)
    month_before = before in _JOINERS and _key(ws, candidate.start - 2) in _MONTHS
    if month_before and _key(ws, candidate.start - 3) in _IN_MONTH | _DAY_NOUNS | {"week"}:
        return True  # "1st week of Oct. on Friday", not "the March figures on Friday"
    spelled_date = following in _DAY_WORDS and (
        after > candidate.end or _looks_like_a_date_part(_key(ws, after + 1))
    )  # "Donnerstag siebter 4.", "Tuesday the eleventh", but not "Friday first thing"
    return (
        following in _MONTHS
        or spelled_date
        or bool(_NUMERIC.fullmatch(following))
        or bool(_GERMAN_ORDINAL.fullmatch(following) or _ORDINAL.fullmatch(following))
        or before in _ORDINAL_WORDS
        or before in _DAY_WORDS
    )


def _chosen(
    ws: Sequence[Word], found: list[_Found]
) -> tuple[list[_Found], tuple[date, ...], str | None]:
    """The phrase that says when the promise is due: the most strongly led; among equals the
    one ending the promise; else all of them, asked about when they name different days.
    Returns the phrase (or phrases), the days they may mean, and why a question would ask."""
    strongest = max(candidate.strength for candidate in found)
    best = [candidate for candidate in found if candidate.strength == strongest]
    ending = [candidate for candidate in best if _ends(ws, candidate.end, clause=False)]
    if len(best) == 1 or ending:
        winner = (ending or best)[-1]
        return [winner], winner.due.days, winner.due.reason
    days = tuple(sorted({day for candidate in best for day in candidate.due.days}))
    if len(days) == 1:
        return [best[-1]], days, None
    return best, days, "question.due_two_days"


def _ends(ws: Sequence[Word], i: int, *, clause: bool = True) -> bool:
    """Whether nothing but a time of day follows ws[i - 1] in the promise (or, with `clause`,
    in its clause: a comma or full stop ends it)."""
    if clause and i > 0 and any(mark in ws[i - 1].tail for mark in ",;:!?)"):
        return True
    while i < len(ws):
        if not ws[i].key:  # punctuation standing alone: "for the 27 ."
            if clause and any(mark in ws[i].tail for mark in ",;:!?."):
                return True
            i += 1
            continue
        if ws[i].key in _AT:
            i += 1
            continue
        try:
            clock = _time_of_day(ws, i)
        except BadDate:
            return False
        if clock is None:
            return False
        i = clock[0]
    return True


def _may_start_a_due_phrase(key: str) -> bool:
    """Whether a due rule can match at a word: one with a digit, or one a rule starts with.

    Checked before the rules at every word of a promise, so that most words ("send", "deck")
    cost one look-up. `_DUE_STARTS` must name every word a rule in `_due_at` starts with.
    """
    return key in _DUE_STARTS or any(ch.isdigit() for ch in key) or key.startswith("mid-")


def _due_at(
    ws: Sequence[Word], i: int, today: date, *, led: bool, month_first: bool = False
) -> _Due | None:
    if not _may_start_a_due_phrase(_key(ws, i)):
        return None
    hits: list[_Due] = []
    if (end := _longest(ws, i, _DUE_DAYS)) is not None:
        hits.append(_Due(end, _DUE_DAYS[tuple(word.key for word in ws[i:end])](today), kind="day"))
    if (end := _longest(ws, i, _EOD)) is not None:
        hits.append(_Due(end, today, kind="eod"))
    if hit := _due_within(ws, i, today, led=led, month_first=month_first):
        hits.append(hit)
    rules = (
        _due_weekday,
        _due_weekdays_on,
        _due_week_number,
        _due_part_of,
        _due_nth_weekday,
        _due_the_nth,
        _due_day_alone,
        _due_spelled_date,
        _due_christmas,
        _due_quick_choices,
    )
    for rule in rules:
        if hit := rule(ws, i, today, led=led):
            hits.append(hit)
    if _NUMERIC.fullmatch(_key(ws, i)):
        if hit := _due_numeric(ws, i, today, led=led, month_first=month_first):
            hits.append(hit)
    elif hit := _due_calendar(ws, i, today, led=led):
        hits.append(hit)
    return max(hits, key=lambda hit: hit.end, default=None)


def _upcoming(today: date, weekday: int, *, strictly: bool = False) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or (7 if strictly else 0))


# British English counts a weekday on by weeks: "Friday week" is a week after the coming Friday,
# "Friday fortnight" two.
_WEEKS_ON = {"week": 1, "fortnight": 2}


def _due_weekday(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """A weekday with whatever says which week: next week/this week/übernächste Woche before
    or after it, next/this/übernächsten before it, "week" after it or "a week on" before it."""
    monday = _monday(today)
    for weeks, sequences in ((1, _NEXT_WEEK), (0, _THIS_WEEK), (2, _WEEK_AFTER_NEXT)):
        if (after := _longest(ws, i, sequences)) is not None:
            at = after + 1 if _key(ws, after) in _ON else after
            weekday = _weekday(ws, at, led=True)
            if weekday is not None:
                return _weekday_due(at + 1, monday + timedelta(weeks=weeks, days=weekday))
    if (
        _key(ws, i) in ("a", "one")
        and (weeks_on := _WEEKS_ON.get(_key(ws, i + 1)))
        and _key(ws, i + 2) == "on"
    ):
        weekday = _weekday(ws, i + 3, led=True)  # "a week on Friday", "a fortnight on Friday"
        if weekday is not None:
            return _weekday_due(i + 4, _upcoming(today, weekday) + timedelta(weeks=weeks_on))
    at = i
    lead = _key(ws, at)
    if lead in _STRICTLY_NEXT or lead in _THIS or lead in _AFTER_NEXT:
        at += 1
    # "Sat 14th": a day number after it says an everyday word ("sat", "so") is a weekday.
    dated = bool(_ORDINAL.fullmatch(_key(ws, at + 1)))
    weekday = _weekday(ws, at, led=led or at > i or dated)
    if weekday is None:
        return None
    end = at + 1
    if at == i:
        for weeks, sequences in ((1, _OF_NEXT_WEEK), (0, _THIS_WEEK), (2, _WEEK_AFTER_NEXT)):
            if (week_end := _longest(ws, at + 1, sequences)) is not None:
                return _weekday_due(week_end, monday + timedelta(weeks=weeks, days=weekday))
        if (after := _longest(ws, end, _AFTER_THE_NEXT)) is not None:
            return _weekday_due(after, _upcoming(today, weekday, strictly=True) + timedelta(7))
        weeks_after = _WEEKS_ON.get(_key(ws, end))  # "Friday week", "Friday fortnight"
        if weeks_after and not _key(ws, end + 1).isdigit():
            return _weekday_due(end + 1, _upcoming(today, weekday) + timedelta(weeks=weeks_after))
    if lead not in _STRICTLY_NEXT and lead not in _AFTER_NEXT:
        with_day = _due_weekday_day(ws, end, today, weekday)
        if with_day is not None:
            return with_day
    if lead in _AFTER_NEXT:
        return _weekday_due(end, _upcoming(today, weekday, strictly=True) + timedelta(weeks=1))
    if lead in _THIS:
        return _Due(end, _upcoming(today, weekday), kind="weekday", weekday=weekday)
    if lead in _STRICTLY_NEXT:
        first = _upcoming(today, weekday, strictly=True)
        if _monday(first) == monday:  # still this week: or next week's?
            return _asked(end, (first, first + timedelta(weeks=1)), "question.due_next_weekday")
        return _Due(end, first, kind="weekday", weekday=weekday)
    if weekday == today.weekday():
        return _Due(
            end,
            today,
            kind="weekday",
            weekday=weekday,
            readings=(today, today + timedelta(weeks=1)),
            reason="question.due_weekday_today",
        )
    return _Due(end, _upcoming(today, weekday), kind="weekday", weekday=weekday)


_FROM_NOW = _patterns("from now|today", "later|hence")


def _due_weekdays_on(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """A count of weekdays from today: "two Sundays from now", "three Fridays later" (also
    "two monday later"): the nth such weekday after today, today not counted."""
    count = _amount(_key(ws, i))
    key = _key(ws, i + 1)
    weekday = _WEEKDAYS.get(key.removesuffix("s") if len(key) > 6 else key)
    if count is None or not 1 <= count <= 52 or weekday is None:
        return None
    end = _longest(ws, i + 2, _FROM_NOW)
    if end is None:
        return None
    first = _upcoming(today, weekday, strictly=True)
    return _Due(end, first + timedelta(weeks=count - 1), self_led=True)


def _weekday_due(end: int, day: date) -> _Due:
    return _Due(end, day, kind="other")


def _asked(end: int, days: Sequence[date], reason: str) -> _Due:
    readings = tuple(sorted(set(days)))
    return _Due(end, readings[0], readings=readings if len(readings) > 1 else (), reason=reason)


def _due_within(
    ws: Sequence[Word], i: int, today: date, *, led: bool, month_first: bool = False
) -> _Due | None:
    """A distance from today ("in 2 weeks", "innerhalb von 3 Tagen", "two weeks from now"), or
    from another day ("3 days after January 12th", "two days from tomorrow")."""
    key = _key(ws, i)
    self_led = True
    if key in ("in", "within", "binnen"):
        at = i + 1
    elif key == "innerhalb":
        at = i + 2 if _key(ws, i + 1) == "von" else i + 1
    else:
        at, self_led = i, False
    amount = _amount(_key(ws, at))
    unit = _unit(ws, at + 1) or _possessive_unit(ws, at + 1) or _short_unit(ws, at + 1)
    if amount is None or unit is None:
        return None
    if not self_led and _amount(_key(ws, i - 2)) is not None and _unit(ws, i - 1):
        return None  # the second part of "2 years 21 days later", read from its first
    end = unit[1]
    more: list[tuple[int, _Unit]] = []  # "2 years 1 month 21 days later"
    while (next_amount := _amount(_key(ws, end))) is not None and (next_unit := _unit(ws, end + 1)):
        more.append((next_amount, next_unit[0]))
        end = next_unit[1]
    base = today
    if _key(ws, end) == "time":  # "in two weeks' time"
        end += 1
    elif _key(ws, end) in ("later", "später") and not self_led:  # "a fortnight later"
        end += 1
        self_led = True
    elif _key(ws, end) in ("from", "after", "nach", "ab") and _key(ws, end + 1) in (
        "now",
        "today",
        "heute",
        "jetzt",
    ):
        end += 2
    elif _key(ws, end) in _COUNTED_FROM and (
        anchor := _anchor(ws, _after_article(ws, end + 1), today, month_first=month_first)
    ):
        base, end = anchor.due, anchor.end
        if anchor.readings:  # "two months after next Friday": each reading moved, and asked
            moved = [_shifted(day, amount, unit[0], more) for day in anchor.readings]
            return _asked(end, moved, _ANCHOR_REASONS.get(anchor.reason or "", _COUNTED))
    elif not self_led:
        return None
    shifted = _shifted(base, amount, unit[0], more)
    if more:
        return _Due(end, shifted, self_led=True)
    weeks = amount if unit[0] == "week" else 2 * amount if unit[0] == "fortnight" else None
    if unit[0] == "day" and amount % 7 == 0:
        weeks = amount // 7  # "in 14 Tagen" counts weeks as "in zwei Wochen" does
    if base != today:
        weeks = None  # counted from another day: "Sunday 3 weeks after January 15th"
    return _Due(
        end, shifted, self_led=True, kind="within", shifted=shifted, weeks=weeks, unit=unit[0]
    )


# Units of time as people shorten them after a number: "in 15 Tg.", "in 2 wks", "in 1 yr".
_SHORT_UNITS: dict[str, _Unit] = {
    "tg": "day", "tge": "day", "wk": "week", "wks": "week",
    "mth": "month", "mths": "month", "mnth": "month", "mnths": "month", "yr": "year", "yrs": "year",
}  # fmt: skip


def _short_unit(ws: Sequence[Word], i: int) -> tuple[_Unit, int] | None:
    """A shortened unit of time after a number ("15 Tg.", "2 wks")."""
    unit = _SHORT_UNITS.get(_key(ws, i))
    return (unit, i + 1) if unit else None


_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _possessive_unit(ws: Sequence[Word], i: int) -> tuple[_Unit, int] | None:
    """A unit of time with a possessive ending: "a fortnight's time", "two weeks' time"."""
    key = _POSSESSIVE.sub("", _key(ws, i))
    unit = _UNITS.get(key)
    return (unit, i + 1) if unit and key != _key(ws, i) else None


# Words a distance is counted from a day with: "3 days after January 12th", "3 Tage nach dem
# 12. Januar", "zwei Wochen ab Montag".
_COUNTED_FROM = _word_set("from", "after", "nach", "ab")


def _after_article(ws: Sequence[Word], i: int) -> int:
    """ws[i] or, where it is a German article ("nach dem 5.12."), the word after it."""
    return i + 1 if _key(ws, i) in ("dem", "den") else i


def _shifted(base: date, amount: int, unit: _Unit, more: Sequence[tuple[int, _Unit]]) -> date:
    """A day moved by a distance, of one or more parts ("2 years 1 month 21 days")."""
    shifted = _shift(base, amount, unit)
    for extra_amount, extra_unit in more:
        shifted = _shift(shifted, extra_amount, extra_unit)
    return shifted


# Why a distance from a day read two ways is asked: the day's own question where its text still
# fits the whole phrase ("16 days from 01/02/2018" is a date both ways round), else that it can
# be counted two ways.
_COUNTED = "question.due_week_offset"
_ANCHOR_REASONS = {
    reason: reason
    for reason in (
        "question.due_month_first",
        "question.due_next_weekday",
        "question.due_weekday_date",
    )
}


def _anchor(ws: Sequence[Word], i: int, today: date, *, month_first: bool) -> _Due | None:
    """The day a distance is counted from: a phrase naming one day, or a question's days
    (the distance is then asked about too, from each of them). Quick choices ("ASAP") and
    two-way counts are no day to count from."""
    anchor = _due_at(ws, i, today, led=True, month_first=month_first)
    if anchor is None or (anchor.readings and anchor.reason not in _ANCHOR_REASONS):
        return None
    return anchor


def _due_nth_weekday(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """The first, second, … or last weekday of a month: "the first Friday of July", "letzter
    Montag im März 2014", "the second Monday of next month"."""
    at = i + 1 if _key(ws, i) in _ARTICLES else i
    nth = _ORDINAL_WORDS.get(_key(ws, at))
    spelled = _spelled_due_day(ws, at)  # "dritter Tag im Oktober", "the twenty third day of May"
    if nth is None and spelled is not None and _key(ws, spelled[1]) in _DAY_NOUNS:
        nth, at = spelled[0], spelled[1] - 1
    weekday = _WEEKDAYS.get(_key(ws, at + 1))
    if _key(ws, at + 1) in _DAY_NOUNS:
        weekday = -1  # the nth day itself
    if nth is None or weekday is None or _key(ws, at + 2) not in _IN_MONTH:
        return None
    month_at = at + 3
    if (end := _longest(ws, month_at, _OF_NEXT_MONTH_WORDS)) is not None:
        first = _add_months(today.replace(day=1), 1)
        return _Due(end, _nth_weekday_of_month(first.year, first.month, weekday, nth))
    month = _MONTHS.get(_key(ws, month_at))
    if month is None:
        return None
    end, year = _year_after(ws, month_at + 1)
    due = _month_or_next_year(today, year, lambda y: _nth_weekday_of_month(y, month, weekday, nth))
    return _Due(end, due)


_DAY_NOUNS = _word_set("day", "tag")
_OF_NEXT_MONTH_WORDS = _patterns("next month", "nächsten|kommenden monat", "[the] following month")


def _nth_weekday_of_month(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (-1: last) such weekday of a month; weekday -1: the nth day of it."""
    if weekday < 0:
        last = _month_end(year, month)
        return last if nth < 0 else date(year, month, min(nth, last.day))
    if nth < 0:
        last = _month_end(year, month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7, weeks=nth - 1)
    # A fifth weekday that the month lacks is the last one it has.
    return day if day.month == month else day - timedelta(weeks=1)


def _spelled_due_day(ws: Sequence[Word], i: int) -> tuple[int, int] | None:
    """A day number written as words at ws[i] ("first", "twenty second", "ersten") and where it
    ends."""
    key = _key(ws, i)
    unit = _DAY_WORDS.get(_key(ws, i + 1)) or _UNIT_WORDS.get(_key(ws, i + 1))
    if key in _TENS_WORDS and unit and unit < 10:
        number = _TENS_WORDS[key] + unit
        return (number, i + 2) if number <= 31 else None
    alone = _DAY_WORDS.get(key)
    return (alone, i + 1) if alone is not None else None


_WORD_SLASH_NUMBER = re.compile(r"([^\W\d]+)/(\d{1,2})\.?")  # "dritter/11."


def _due_spelled_date(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """A date whose day is spelled out: "Jan first", "second of Aug", "am ersten Januar",
    "der vierte Dezember", "May twenty-first"; also "Oct-2", "Oct2", "Jan/3"."""
    at = i + 1 if _key(ws, i) in _ARTICLES or _key(ws, i) == "die" else i
    found: tuple[int, int, int] | None = None  # day, month, end
    year: int | None = None
    if (spelled := _spelled_due_day(ws, at)) is not None:
        month_at = spelled[1] + 1 if _key(ws, spelled[1]) == "of" else spelled[1]
        if month := _MONTHS.get(_key(ws, month_at)):
            found = spelled[0], month, month_at + 1
        elif month := _ordinal_month(_key(ws, spelled[1])):  # "siebter vierter", "7. vierter"
            found = spelled[0], month, spelled[1] + 1
    elif (month := _MONTHS.get(_key(ws, at))) and (spelled := _spelled_due_day(ws, at + 1)):
        found = spelled[0], month, spelled[1]
    elif (match := _GLUED_MONTH_DAY.fullmatch(_key(ws, at))) and (month := _MONTHS.get(match[1])):
        found = int(match[2]), month, at + 1
    elif match := _MIXED_DATE.fullmatch(_key(ws, at)):
        parts = match.groupdict()
        month_names = ("m1", "m2", "m3", "m4", "m5")
        month = _MONTHS.get(next((parts[name] for name in month_names if parts[name]), ""))
        names = ("y1", "d1", "d2", "y2", "d3", "y3", "d4", "d5", "y4", "y5")
        digits = [parts[name] for name in names if parts[name]]
        if month and len(digits) == 2:
            year_digits = next(part for part in digits if len(part) == 4)
            day_digits = next(part for part in digits if len(part) <= 2)
            found, year = (int(day_digits), month, at + 1), int(year_digits)
    elif (day_match := _GERMAN_ORDINAL.fullmatch(_key(ws, at))) and led:
        if month := _ordinal_month(_key(ws, at + 1)):  # "am 7. vierter"
            found = int(day_match[1]), month, at + 2
    elif (match := _WORD_SLASH_NUMBER.fullmatch(_key(ws, at))) and led:
        spelled_day = _DAY_WORDS.get(match[1])  # "am dritter/11."
        if spelled_day is not None and 1 <= int(match[2]) <= 12:
            found = spelled_day, int(match[2]), at + 1
    if found is None:
        return None
    day, month, end = found
    if year is None:
        end, year = _year_after(ws, end)
    if not _exists(day, month, year):
        raise BadDate(_phrase(ws, i, end))
    due = _resolve(_CalendarDate(end, day, month, year), today, toward="future")
    return _Due(end, due, kind="date") if due else None


_GLUED_MONTH_DAY = re.compile(r"([^\W\d]+)[-/]?(\d{1,2})")
# A month name with a day and a year, in any order, joined by dashes or slashes: "2019-sep-1",
# "23/Sep/2020", "Sep-23-2020", "September-2020-23", "23-2020-September".
_MIXED_DATE = re.compile(
    r"(?P<y1>\d{4})[-/](?:(?P<m1>[^\W\d]+)[-/](?P<d1>\d{1,2})|(?P<d2>\d{1,2})[-/](?P<m2>[^\W\d]+))"
    r"\.?"
    r"|(?P<m3>[^\W\d]+)[-/](?:(?P<d3>\d{1,2})[-/](?P<y2>\d{4})|(?P<y3>\d{4})[-/](?P<d4>\d{1,2}))\.?"
    r"|(?P<d5>\d{1,2})[-/](?:(?P<m4>[^\W\d]+)[-/](?P<y4>\d{4})|(?P<y5>\d{4})[-/](?P<m5>[^\W\d]+))"
    r"\.?"
)


def _ordinal_month(key: str) -> int | None:
    """A month given as an ordinal, as spoken German dates have it ("vierter", "4.")."""
    number = _DAY_WORDS.get(key)
    if number is None and (match := _GERMAN_ORDINAL.fullmatch(key)):
        number = int(match[1])
    return number if number is not None and 1 <= number <= 12 else None


def _due_christmas(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """ "before Christmas", "vor Weihnachten", "by Xmas": the last working day before
    24 December, when offices close; "after Christmas" or "über Weihnachten" is not read."""
    at = i + 1 if _key(ws, i) == "vor" else i
    if _key(ws, at) not in _CHRISTMAS or (at == i and _key(ws, i - 1) in _AFTER):
        return None

    def last_working_day(year: int) -> date:
        return _add_business_days(date(year, 12, 24), -1)

    return _Due(at + 1, _month_or_next_year(today, None, last_working_day))


def _due_quick_choices(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """Words that ask for speed or a few days without naming a day ("ASAP", "in ein paar
    Tagen"): a question with quick choices, since any one day would be a guess."""
    if (end := _longest(ws, i, _ASAP)) is not None:
        choices = (today, today + timedelta(days=1), _friday_of_this_week(today))
        return _asked(end, choices, "question.due_asap")
    if (end := _longest(ws, i, _FEW_DAYS)) is not None:
        choices = (today + timedelta(days=2), today + timedelta(days=3), today + timedelta(7))
        return _asked(end, choices, "question.due_few_days")
    return None


_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(\.?)")


def _due_numeric(
    ws: Sequence[Word], i: int, today: date, *, led: bool, month_first: bool
) -> _Due | None:
    """A date of two or three numbers: "19.1.", "19.7", "28/10", "14-12-2027", "4/22".

    Day first, as in Europe, unless it can only be month first (4/22); dotted dates are German
    and always day first, except for a member who writes month first. For such a member a date
    valid both ways round is asked. Without a year or closing dot, the numbers are a date only
    after a lead word or at the end of the promise (or its clause): "19.7 Tonnen" is a weight,
    "1/2 of the samples" a fraction; after "version" or "page" they are never a date; with
    dashes they need a lead word ("pages 2-3").
    """
    key = _key(ws, i)
    match = _NUMERIC.fullmatch(key)
    if match is None or key in _IDIOMS or _key(ws, i - 1) in _REFERENCE_NOUNS:
        return None
    first, separator, second = int(match[1]), match[2], int(match[3])
    year = _full_year(match[4])
    end = i + 1
    year_next = i + 1 < len(ws) and _YEAR.fullmatch(_key(ws, i + 1).removesuffix("."))
    if year is None and year_next and (ws[i].tail == "," or (not ws[i].tail and _ends(ws, i + 2))):
        # Its year as the next word ("08/12, 2027", "bis 12.08. 2027"): the date in that year,
        # not the next 12 August with the year left over. A number running on ("12.08. 2027
        # Stück") may be a quantity, and is left alone.
        end, year = _year_after(ws, i + 1)
    closed = year is not None or (separator == "." and match[5] == ".")
    if not closed:
        if separator == "-" and not led:
            return None
        if not (led or _ends(ws, end)) or _UNITS.get(_key(ws, i + 1)):
            return None
    orders = [(first, second)]
    if separator != "." or month_first:
        orders.append((second, first))
    valid = [(day, month) for day, month in dict.fromkeys(orders) if _exists(day, month, year)]
    if not valid:
        if separator == "." and not 1 <= second <= 12 and not (month_first and first <= 12):
            return None  # "costs 12.50." is a price
        if separator == "." or first <= 12 or second <= 12:
            raise BadDate(ws[i].text)
        return None
    if not month_first:
        valid = valid[:1]
    days = [
        day
        for day_number, month in valid
        if (day := _resolve(_CalendarDate(end, day_number, month, year), today, toward="future"))
    ]
    if not days:
        return None
    if len(set(days)) > 1:
        ordered = tuple(sorted(set(days)))
        return _Due(
            end, ordered[0], kind="date", readings=ordered, reason="question.due_month_first"
        )
    return _Due(end, days[0], kind="date")


_DOUBLE_DOT_DAY = re.compile(r"(\d{1,2})\.\.")


def _due_weekday_day(ws: Sequence[Word], i: int, today: date, weekday: int) -> _Due | None:
    """A weekday and a day of the month without the month ("Monday 21", "Mon 13th", "Dienstag,
    der 25.", "Wednesday the thirty first").

    The day is the next one from today on which that day of the month is that weekday: this
    month's when it agrees, else the first month within a year where it does ("Mon 13th" said
    on 1 May 2022, a Friday the 13th, is 13 June). Where the next such day of the month is one
    weekday off ("Fri 14th" when the 14th is a Saturday) the weekday may be a slip, so it is
    asked, as it is when no month within a year agrees. A German ordinal month after the day
    ("Donnerstag 7. vierter") makes it a full date, read against the weekday as one.
    """
    at = i
    while _key(ws, at) in _JOINERS:
        at += 1
    match = _DAY_NUMBER.fullmatch(_key(ws, at)) or _DOUBLE_DOT_DAY.fullmatch(_key(ws, at))
    spelled = _spelled_due_day(ws, at) if at > i else None  # "Tuesday the eleventh"
    if match is not None:
        number, after = int(match[1]), at + 1
    elif spelled is not None:
        number, after = spelled
    else:
        return None
    bare = _key(ws, at).isdigit()
    if bare and _bracketed(ws[at]):
        return None  # "Friday [1]": a reference
    if not 1 <= number <= 31 or _MONTHS.get(_key(ws, after)) or (bare and not _ends(ws, after)):
        return None
    if not bare and (month := _ordinal_month(_key(ws, after))):  # "Donnerstag, den 7. vierten"
        return _weekday_full_date(ws, i, today, weekday, (number, month, after + 1))
    year_on = _shift(today, 1, "year")
    months = [_add_months(today.replace(day=1), offset) for offset in range(13)]
    days = [
        first.replace(day=number)
        for first in months
        if _exists(number, first.month, first.year) and today <= first.replace(day=number) < year_on
    ]
    agreeing = next((day for day in days if day.weekday() == weekday), None)
    slip = (days[0].weekday() - weekday) % 7 in (1, 6)
    if agreeing is not None and (agreeing == days[0] or not slip):
        return _Due(after, agreeing, kind="date")
    readings = {days[0], _weekday_beside(days[0], weekday, today)} | (
        {agreeing} if agreeing else set()
    )
    return _asked_date(after, readings)


def _weekday_beside(day: date, weekday: int, today: date) -> date:
    """The weekday in the week of a day it was written beside, or in the week after where that
    is past and the day is not: a reading a question can offer (a past one would be dropped, and
    the day left alone read without a question although the weekday disagrees). Beside a past
    day it stays in that week: the day is refused as past either way."""
    beside = day + timedelta(days=weekday - day.weekday())
    return beside + timedelta(weeks=1) if beside < today <= day else beside


def _weekday_full_date(
    ws: Sequence[Word], i: int, today: date, weekday: int, found: tuple[int, int, int]
) -> _Due | None:
    """A weekday and a date spoken with an ordinal month: the date when the weekday agrees, else
    the question between the date and the weekday in its week."""
    number, month, end = found
    if not _exists(number, month, None):
        raise BadDate(_phrase(ws, i, end))
    day = _resolve(_CalendarDate(end, number, month, None), today, toward="future")
    if day is None:
        return None
    return _asked_date(
        end, {day} if day.weekday() == weekday else {day, _weekday_beside(day, weekday, today)}
    )


def _asked_date(end: int, days: Iterable[date]) -> _Due:
    """A date phrase whose weekday and day may disagree: one day, or the question which."""
    readings = tuple(sorted(days))
    return _Due(
        end,
        readings[0],
        kind="date",
        readings=readings if len(readings) > 1 else (),
        reason="question.due_weekday_date",
    )


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
    """A date with a month name, an ISO date or a led day of the month ("am 15.", "the 3rd of
    next month"), with the year forms only promises need: "28 June in 2020", "14te April 15"."""
    if _key(ws, i - 1) in _CURRENCIES:
        return None  # "for $ 12 December 27" is an amount first
    found = _calendar_date(ws, i, led=led)
    if found is None:
        return None
    if found.month is None:
        at = found.end + 1 if _key(ws, found.end) == "day" else found.end  # "the 15th day of"
        if (end := _longest(ws, at, _OF_NEXT_MONTH)) is not None:
            first = _add_months(today.replace(day=1), 1)  # "the 3rd of next month"
            if not _exists(found.day, first.month, first.year):
                raise BadDate(_phrase(ws, i, end))
            return _Due(end, first.replace(day=found.day))
        if at > found.end or _looks_like_a_date_part(_key(ws, found.end)):
            return None  # "am 7. vierter", "the 15th day of …": more date than the rules read
    elif (
        found.year is None
        and (year := _year_later(ws, found.end, two_digits=not _key(ws, i).isdigit())) is not None
    ):
        found = _CalendarDate(year[0], found.day, found.month, year[1])
        if not _exists(found.day, found.month or 1, found.year):
            raise BadDate(_phrase(ws, i, found.end))
    due = _resolve(found, today, toward="future")
    return _Due(found.end, due, kind="date") if due else None


def _due_the_nth(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """A day of the month without a lead word, where nothing else can be meant: an ordinal
    after "the"/"den"/"dem" ending the promise or its clause ("for the 27th", "the 21st."),
    or one of next month ("20th of next month")."""
    if led:
        return None
    at = i + 1 if _key(ws, i) in _ARTICLES else i
    match = _ORDINAL.fullmatch(_key(ws, at)) or (
        _GERMAN_ORDINAL.fullmatch(_key(ws, at)) if at > i else None
    )
    if match is None or not 1 <= int(match[1]) <= 31:
        return None
    after = at + 2 if _key(ws, at + 1) == "day" else at + 1
    if _longest(ws, after, _OF_NEXT_MONTH) is not None:
        return _due_calendar(ws, i, today, led=True)
    if at > i and after == at + 1 and _ends(ws, after):
        return _due_calendar(ws, i, today, led=True)
    return None


# Words after which a day number alone is a day of the month: "on 15", "am 15", "bis zum 27";
# after "for"/"für" only with an article ("for the 27", "für den 27"), not "for 15 people".
_DAY_ALONE_LEADS = _word_set("on", "am", "zum")
_FOR = _word_set("for", "für")


def _bracketed(word: Word) -> bool:
    """Whether a word was written in brackets or quotes ("[2]", "(3)"): a reference, not a day."""
    return word.raw_start != word.start


def _due_day_alone(ws: Sequence[Word], i: int, today: date, *, led: bool) -> _Due | None:
    """A day of the month as a bare or spelled number ending the promise or its clause: "on 15",
    "am 15", "bis zum 27", "for the 27", "by the second", "for the twenty second", "am zweiten".

    The next such day from today, today included, as for any date without a month. A number
    followed by anything but a time ("on 15 pages", "for the 15 people") is no date.
    """
    article = _key(ws, i) in _ARTICLES
    before = _key(ws, i - 1)
    if article and not (led or before in _FOR):
        return None
    if not article and not (led and before in _DAY_ALONE_LEADS):
        return None
    at = i + 1 if article else i
    key = _key(ws, at)
    if key.isdigit() and len(key) <= 2 and not _bracketed(ws[at]):
        number, end = int(key), at + 1
    elif (spelled := _spelled_due_day(ws, at)) is not None and (article or before != "on"):
        number, end = spelled
    else:
        return None
    if not 1 <= number <= 31 or not _ends(ws, end):
        return None
    due = _resolve(_CalendarDate(end, number, None, None), today, toward="future")
    return _Due(end, due, kind="date") if due else None


def _looks_like_a_date_part(key: str) -> bool:
    """Whether a word could be part of a date: a month, a day or an ordinal, in digits or words."""
    return (
        key in _MONTHS
        or key in _DAY_WORDS
        or key in _ORDINAL_WORDS
        or bool(_DAY_NUMBER.fullmatch(key) or _NUMERIC.fullmatch(key))
    )


_TWO_DIGITS = re.compile(r"\d{2}")


def _year_later(ws: Sequence[Word], i: int, *, two_digits: bool) -> tuple[int, int] | None:
    """A year after a date that lacks one: "in 2020", or (with `two_digits`, for a day written
    as an ordinal) two digits ending the promise ("14te April 15"), where they are no time."""
    if _key(ws, i) == "in" and _YEAR.fullmatch(_key(ws, i + 1).removesuffix(".")):
        year = int(_key(ws, i + 1).removesuffix("."))
        return (i + 2, year) if MIN_YEAR <= year <= MAX_YEAR else None
    if (
        two_digits
        and _TWO_DIGITS.fullmatch(_key(ws, i))
        and _time_of_day(ws, i) is None
        and _ends(ws, i + 1)
    ):
        return i + 1, 2000 + int(_key(ws, i))
    return None


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


def _plural_weekdays() -> frozenset[str]:
    """ "mondays", "sundays": how `_due_weekdays_on` finds a weekday counted more than once."""
    return frozenset(f"{key}s" for key in _WEEKDAYS if len(key) > 5)


def _first_words(*tables: Collection[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(sequence[0] for table in tables for sequence in table if sequence)


# Every word a rule of `_due_at` can start at, besides words with a digit and "mid-March":
# the first words of its phrase tables, and the words each rule looks at ws[i] for.
_DUE_STARTS = (
    _first_words(
        _DUE_DAYS, _EOD, _ASAP, _FEW_DAYS, _NEXT_WEEK, _THIS_WEEK, _WEEK_AFTER_NEXT
    )
    | frozenset(_NUMBERS) | frozenset(_WEEKDAYS) | _plural_weekdays() | frozenset(_MONTHS)
    | _STRICTLY_NEXT | _THIS | _AFTER_NEXT | _ARTICLES | _CHRISTMAS
    | frozenset(_ORDINAL_WORDS) | frozenset(_DAY_WORDS) | frozenset(_TENS_WORDS)
    | frozenset(_WEEK_WORDS)
    | _word_set(
        "in", "within", "binnen", "innerhalb", "a", "one", "calendar", "end", "ende", "mid",
        "mitte", "middle", "die", "vor",
    )
)  # fmt: skip


def warm_up() -> None:
    """Load dateparser's German and English data now, so the first real command is not slow."""
    _dateparser_date("3. Dezember 2026", today=date(2026, 1, 1), prefer="future")
    _dateparser_date("December 3rd 2026", today=date(2026, 1, 1), prefer="future")
