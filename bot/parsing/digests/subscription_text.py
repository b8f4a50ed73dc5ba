"""Reading `/rapport digest on|off|status …`: a team channel's digest subscription.

    /rapport digest on                        subscribe the channel (weekly, Monday 09:00, in
                                              the subscriber's zone and language)
    /rapport digest on biweekly tue 08:30 Europe/Berlin language de quiet nothing
    /rapport digest an zweiwöchentlich di 8 uhr sprache de ruhig nichts
    /rapport digest off                       (`aus`) stop it; the settings are kept
    /rapport digest status                    (also a bare `digest`) what is set, the next post

The options after `on` come in any order, in either language for everyone:
- how often: a digest comes every week or every other week, nothing else.
  Weekly: `weekly`, `wöchentlich`, `every week`, `jede woche`, `every 7 days`; and a weekday
  after `every`, `each`, `jeden`, `jede` or `jeder` (`every tuesday`, `jeden Dienstag`) means
  weekly on that day, unless how often is also said (`biweekly every tuesday` is fortnightly).
  Every other week: `biweekly`, `fortnightly`, `every other week`, `every two weeks`,
  `every 2nd week`, `every 14 days`, `every fortnight`, `zweiwöchentlich`, `alle zwei wochen`,
  `jede zweite woche`, `14-tägig`, `vierzehntägig`; and with a day, `every other friday`,
  `every second friday`, `jeden zweiten Freitag`, `jeden 2. Freitag`.
  Any other interval (`every 3 weeks`, `alle 3 wochen`, `daily`, `monatlich`, `every other
  day`) is refused naming the two there are (code "interval"), not read as something else;
- a weekday, full or short (`mon`, `monday`, `mo`, `montag`, `tue`, `di`, `dienstag`, …), or
  plural (`thursdays`, `dienstags`): alone it moves the day and keeps how often;
- a time of day: `08:30`, `8:30`, `8.30`, `8 uhr`, `8uhr`, `9am`, `9 pm`, `14h`; an hour alone
  from 1 to 12 (`9`) could be 09:00 or 21:00, and is asked about (`NeedsAnswer`, slot
  `HOUR_SLOT`); any other number alone (`14`: 14:00, or every 14 days?) is refused;
- a zone: an IANA Area/Location name (`Europe/Berlin`, any case) or `UTC`, read as a partner's
  zone is; and any other zone name Rapport may hold for a subscriber (`Etc/GMT+5`, `GMT`) in
  the spelling it writes;
- `language de|en` (`sprache`; the values also `deutsch`, `german`, `english`, `englisch`,
  which may stand alone);
- `quiet line|nothing` (`ruhig zeile|nichts`): a quiet week posts one line, or nothing.
A few small words may stand between them and are passed over: `at`, `um`, `on`, `am`. Commas,
parentheses and backticks only separate words, so that what `digest status` writes ("every
other Friday at 16:00 (Europe/Berlin)", "jeden zweiten Dienstag um 08:30 (UTC)", "German",
"`quiet line`") can be typed back and means the same schedule.

Nothing is guessed: a word not understood, a second value for one setting, or a keyword
without its value makes a `DigestProblem` naming the word, and nothing changes. The one option
with two readings, an hour alone, is asked about only once every other word has been read and
found good, so that whichever reading is chosen makes a valid setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from bot.parsing import checks
from bot.parsing.profile_text import echo, parse_zone
from bot.parsing.questions import CANCEL, Answers, NeedsAnswer, Question, Reading
from bot.parsing.settings_text import day_number

# The question about an hour typed alone ("9": 09:00 or 21:00?); the answer is its minute.
HOUR_SLOT = "digest_hour"

DIGEST_WORDS = frozenset({"digest", "digests"})
ON_WORDS = frozenset({"on", "an", "ein"})
OFF_WORDS = frozenset({"off", "aus"})
STATUS_WORDS = frozenset({"status"})
LANGUAGE_WORDS = frozenset({"language", "sprache"})
QUIET_WORDS = frozenset({"quiet", "ruhig"})

# The values of `language`: also accepted alone, except the two-letter codes.
LANGUAGE_VALUES = {
    "de": "de",
    "en": "en",
    "deutsch": "de",
    "german": "de",
    "english": "en",
    "englisch": "en",
}
LANGUAGE_ALONE = frozenset(word for word in LANGUAGE_VALUES if len(word) > 2)
QUIET_VALUES = {"line": "line", "zeile": "line", "nothing": "nothing", "nichts": "nothing"}

# How often, in one word: every week or every other week (the two intervals there are).
OFTEN_WORDS: dict[str, int] = {
    "weekly": 1,
    "wöchentlich": 1,
    "woechentlich": 1,
    "biweekly": 2,
    "bi-weekly": 2,
    "fortnightly": 2,
}
# Intervals said in one word that a digest does not have: refused, naming the two it has.
NOT_OFFERED_WORDS = frozenset(
    {
        "hourly",
        "stündlich",
        "daily",
        "täglich",
        "taeglich",
        "monthly",
        "monatlich",
        "quarterly",
        "vierteljährlich",
        "yearly",
        "annually",
        "jährlich",
        "jaehrlich",
    }
)
# Words that lead a weekday or an interval: "every tuesday", "alle zwei wochen".
EVERY_WORDS = frozenset({"every", "each", "jeden", "jede", "jeder", "alle"})
# Units of an interval, in days; None for a month, which is no whole number of weeks.
UNIT_DAYS: dict[str, int | None] = {
    "day": 1,
    "days": 1,
    "tag": 1,
    "tage": 1,
    "tagen": 1,
    "week": 7,
    "weeks": 7,
    "woche": 7,
    "wochen": 7,
    "fortnight": 14,
    "fortnights": 14,
    "month": None,
    "months": None,
    "monat": None,
    "monate": None,
    "monaten": None,
}
# Numbers of units written as words ("two weeks", "alle zwei Wochen").
NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(("one", "ein", "eine", "einen"), 1),
    **dict.fromkeys(("two", "zwei"), 2),
    **dict.fromkeys(("three", "drei"), 3),
    **dict.fromkeys(("four", "vier"), 4),
    **dict.fromkeys(("five", "fünf", "fuenf"), 5),
    **dict.fromkeys(("six", "sechs"), 6),
    **dict.fromkeys(("seven", "sieben"), 7),
    **dict.fromkeys(("eight", "acht"), 8),
    **dict.fromkeys(("ten", "zehn"), 10),
    **dict.fromkeys(("fourteen", "vierzehn"), 14),
}
# "every other …", "jeden zweiten …": the how-manyth week (or day) after `EVERY_WORDS`.
ORDINAL_WORDS: dict[str, int] = {
    **dict.fromkeys(("other", "second", "2nd", "zweite", "zweiten", "zweiter", "2."), 2),
    **dict.fromkeys(("third", "3rd", "dritte", "dritten", "dritter", "3."), 3),
    **dict.fromkeys(("fourth", "4th", "vierte", "vierten", "vierter", "4."), 4),
}
# A number glued to a German unit: "14-tägig", "zweiwöchentlich", "3-wöchig".
_GLUED_UNITS = {
    "tägig": 1,
    "taegig": 1,
    "wöchentlich": 7,
    "woechentlich": 7,
    "wöchig": 7,
    "woechig": 7,
}
_GLUED = re.compile(
    r"([0-9]{{1,3}}|{numbers})-?({units})".format(
        numbers="|".join(sorted(NUMBER_WORDS, key=len, reverse=True)),
        units="|".join(_GLUED_UNITS),
    )
)
# Small words passed over between options ("on Tuesdays at 8:30", "jeden Dienstag um 8 Uhr").
FILLER_WORDS = frozenset({"at", "um", "on", "am"})
# What only separates words: what `digest status` writes puts the zone in parentheses, Slack's
# code marks put backticks around an option, and a list of options may have commas.
_SEPARATORS = re.compile(r"[\s,()`]+")

# A time of day in one token: hour, minutes after ":" or ".", an hour mark (h, uhr) and an
# English half of the day. At least one of minutes, mark or half must be there.
_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(h|uhr)?(am|pm|a\.m\.|p\.m\.)?")
_HOUR_MARKS = frozenset({"h", "uhr"})
_HALVES = frozenset({"am", "pm", "a.m.", "p.m."})

# The settings an option may set. "every_weeks" said outright wins over the weekly that
# "every tuesday" implies (`_IMPLIED_WEEKLY`), so "biweekly every tuesday" is fortnightly.
_EVERY_WEEKS = "every_weeks"
_IMPLIED_WEEKLY = "implied_weekly"


@dataclass(frozen=True)
class _HourAlone:
    """An hour typed alone whose reading is not chosen yet: asked about once everything else
    has been read and found good."""

    word: str
    hour: int


@dataclass(frozen=True)
class DigestOn:
    """`digest on …`: subscribe, or change what is named; None leaves a setting as it is (or
    its default for a new subscription)."""

    every_weeks: int | None = None  # 1 or 2
    weekday: int | None = None  # ISO, Monday = 1
    minute: int | None = None  # after local midnight
    tz: str | None = None  # IANA name, in its own spelling
    language: str | None = None  # "en" or "de"
    quiet: str | None = None  # "line" or "nothing"

    @property
    def names_anything(self) -> bool:
        return any(
            value is not None
            for value in (
                self.every_weeks,
                self.weekday,
                self.minute,
                self.tz,
                self.language,
                self.quiet,
            )
        )


@dataclass(frozen=True)
class DigestOff:
    """`digest off`: stop the channel's digest, its settings kept."""


@dataclass(frozen=True)
class DigestStatus:
    """`digest status` or a bare `digest`: what is set and when the next digest comes."""


@dataclass(frozen=True)
class DigestProblem:
    """What could not be read, with the word it is about (`word`, as typed, cut short).

    `code`: "action" (not on, off or status), "extra" (a word after off or status), "word" (not
    understood), "twice" (a second value for a setting already given as `other`), "value" (not
    a value of the keyword `other`), "missing" (the keyword `word` without a value),
    "bad_time" (a time of day that is none), "bare_number" (a number alone that is no hour
    from 1 to 12), "bad_zone" (no zone this machine knows), "interval" (how often, said in
    `word`, is neither every week nor every other week).
    """

    code: str
    word: str
    other: str = ""


_NO_ANSWERS: Answers = {}

DigestRequest = DigestOn | DigestOff | DigestStatus | DigestProblem
# A setting's value as read: a number, a word, or an hour whose reading is still to be asked.
_Value = int | str | _HourAlone
# One option read at a position: the settings it sets (none for a filler word) and how many
# words it took.
_Read = tuple[tuple[tuple[str, _Value], ...], int]


def words_of(text: str) -> list[str]:
    """The words of a command; commas, parentheses and backticks only separate them."""
    return [word for word in _SEPARATORS.split(text) if word]


def is_digest_text(text: str) -> bool:
    """Whether `/rapport TEXT` is about the channel's digest (its first word)."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return first.casefold().rstrip(":") in DIGEST_WORDS


def digest_request(text: str, answers: Answers = _NO_ANSWERS) -> DigestRequest | None:
    """What `digest …` asks for; None when `text` does not start with the digest word.

    Raises `NeedsAnswer` for an hour typed alone in an otherwise good `digest on`, unless
    `answers` holds the chosen reading (`HOUR_SLOT`: the minute after midnight)."""
    words = words_of(text)
    if not words or words[0].casefold().rstrip(":") not in DIGEST_WORDS:
        return None
    if len(words) == 1:
        return DigestStatus()
    action, rest = words[1].casefold(), words[2:]
    if action in ON_WORDS:
        return read_options(rest, answers)
    if action in OFF_WORDS | STATUS_WORDS:
        if rest:
            return DigestProblem("extra", echo(rest[0]), echo(words[1]))
        return DigestOff() if action in OFF_WORDS else DigestStatus()
    return DigestProblem("action", echo(words[1]))


def read_options(words: list[str], answers: Answers = _NO_ANSWERS) -> DigestOn | DigestProblem:
    """The options after `on`, in any order; the first problem met, or all of them read.

    Every word is read before an hour typed alone is asked about (`NeedsAnswer`): a word not
    understood, or a setting given twice, is refused first and asks nothing."""
    found: dict[str, tuple[_Value, str]] = {}  # setting → (value, words as typed)
    at = 0
    while at < len(words):
        read = _option_at(words, at, answers)
        if isinstance(read, DigestProblem):
            return read
        settings, used = read
        typed = " ".join(words[at : at + used])
        at += used
        for setting, value in settings:
            if setting in found and setting != _IMPLIED_WEEKLY:
                return DigestProblem("twice", echo(typed), echo(found[setting][1]))
            found[setting] = (value, typed)
    values = {setting: value for setting, (value, _typed) in found.items()}
    minute = values.get("minute")
    if isinstance(minute, _HourAlone):
        raise NeedsAnswer(_hour_question(minute))
    return DigestOn(
        every_weeks=_number(values.get(_EVERY_WEEKS, values.get(_IMPLIED_WEEKLY))),
        weekday=_number(values.get("weekday")),
        minute=_number(minute),
        tz=_text(values.get("tz")),
        language=_text(values.get("language")),
        quiet=_text(values.get("quiet")),
    )


def _number(value: _Value | None) -> int | None:
    return value if isinstance(value, int) else None


def _text(value: _Value | None) -> str | None:
    return value if isinstance(value, str) else None


def _option_at(words: list[str], at: int, answers: Answers) -> _Read | DigestProblem:
    """The option starting at `words[at]`."""
    word = words[at]
    folded = word.casefold()
    following = words[at + 1].casefold() if at + 1 < len(words) else None
    often = _often_at(words, at)
    if often is not None:
        return often
    if folded in LANGUAGE_WORDS | QUIET_WORDS:
        return _keyword_value(word, following)
    if folded in LANGUAGE_ALONE:
        return (("language", LANGUAGE_VALUES[folded]),), 1
    weekday = day_number(folded)
    if weekday is not None:
        return (("weekday", weekday),), 1
    clock = _time_at(word, following, answers)
    if clock is not None:
        return clock
    if folded in FILLER_WORDS:
        return (), 1
    return _zone(word)


def _often_at(words: list[str], at: int) -> _Read | DigestProblem | None:
    """How often, said from `words[at]` on: a word (`weekly`, `zweiwöchentlich`), a weekday
    after `every` (weekly on that day), an ordinal (`every other friday`, `jeden zweiten
    Dienstag`) or a number of units (`every 2 weeks`, `alle 14 Tage`, `3 weeks`). None when
    nothing there says how often; an interval that is no week or two is refused."""
    folded = words[at].casefold()
    if folded in OFTEN_WORDS:
        return ((_EVERY_WEEKS, OFTEN_WORDS[folded]),), 1
    if folded in NOT_OFFERED_WORDS:
        return DigestProblem("interval", echo(words[at]))
    glued = _GLUED.fullmatch(folded)
    if glued is not None:
        count, unit = glued.groups()
        return _interval(_count(count) * _GLUED_UNITS[unit], words, at, 1)
    lead = folded in EVERY_WORDS
    start = at + 1 if lead else at
    nxt = _folded_at(words, start)
    if lead and nxt is not None and (weekday := day_number(nxt)) is not None:
        return (("weekday", weekday), (_IMPLIED_WEEKLY, 1)), 2
    if lead and nxt in ORDINAL_WORDS:
        return _ordinal_at(words, at, ORDINAL_WORDS[nxt])
    unit = _folded_at(words, start + 1)
    if nxt is not None and _is_count(nxt) and unit in UNIT_DAYS:
        days = UNIT_DAYS[unit]
        return _interval(None if days is None else _count(nxt) * days, words, at, start + 2 - at)
    if lead and nxt in UNIT_DAYS:
        return _interval(UNIT_DAYS[nxt], words, at, 2)
    if lead:
        # "every" with nothing it could lead: named with the word after it, not passed over.
        return DigestProblem("word", echo(" ".join(words[at : start + 1])))
    return None


def _ordinal_at(words: list[str], at: int, weeks: int) -> _Read | DigestProblem:
    """`every other friday`, `jeden zweiten Dienstag`, `every other week`, `every third day`:
    the ordinal at `at + 1`, and the weekday or unit after it."""
    after = _folded_at(words, at + 2)
    weekday = day_number(after) if after is not None else None
    if weekday is not None:
        read = _interval(weeks * 7, words, at, 3)
        if isinstance(read, DigestProblem):
            return read
        return ((*read[0], ("weekday", weekday))), 3
    if after in UNIT_DAYS:
        days = UNIT_DAYS[after]
        return _interval(None if days is None else weeks * days, words, at, 3)
    return DigestProblem("word", echo(" ".join(words[at : at + 2])))


def _interval(days: int | None, words: list[str], at: int, used: int) -> _Read | DigestProblem:
    """Every `days` days as how often a digest comes: 7 or 14; any other is refused, naming
    the words (`words[at : at + used]`) that said it."""
    if days in (7, 14):
        return ((_EVERY_WEEKS, days // 7),), used
    return DigestProblem("interval", echo(" ".join(words[at : at + used])))


def _folded_at(words: list[str], at: int) -> str | None:
    return words[at].casefold() if at < len(words) else None


def _is_count(word: str) -> bool:
    """A number of units: up to three digits, or a number word."""
    return word in NUMBER_WORDS or (word.isascii() and word.isdigit() and len(word) <= 3)


def _count(word: str) -> int:
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def _zone(word: str) -> _Read | DigestProblem:
    """A zone: an Area/Location name in any case or UTC, as a partner's zone is typed; or any
    zone a subscription may hold from a Slack profile, in its own spelling (`Etc/GMT+5`, `GMT`),
    so that what `digest status` writes reads back. Anything else is not understood."""
    if "/" in word or word.casefold() == "utc":
        zone = parse_zone("", [word])
        if isinstance(zone, str):
            return (("tz", zone),), 1
    if word in _held_zones():
        return (("tz", word),), 1
    if "/" in word:
        return DigestProblem("bad_zone", echo(word))
    return DigestProblem("word", echo(word))


@lru_cache(maxsize=1)
def _held_zones() -> frozenset[str]:
    """Every zone name a subscription may hold (`checks.time_zone` lets it through)."""
    return frozenset(name for name in available_timezones() if checks.time_zone(name) == name)


def _keyword_value(keyword: str, following: str | None) -> _Read | DigestProblem:
    """`language de`, `quiet nothing`: the keyword and the word after it."""
    is_language = keyword.casefold() in LANGUAGE_WORDS
    values = LANGUAGE_VALUES if is_language else QUIET_VALUES
    if following is None:
        return DigestProblem("missing", echo(keyword))
    if following not in values:
        return DigestProblem("value", echo(following), echo(keyword))
    return ((("language" if is_language else "quiet"), values[following]),), 2


def _time_at(word: str, following: str | None, answers: Answers) -> _Read | DigestProblem | None:
    """A time of day at `word` (with an hour mark or half of the day as the next word: `8 uhr`,
    `9 pm`); None when `word` is not shaped like one. An hour alone waits to be asked about."""
    folded = word.casefold()
    match = _CLOCK.fullmatch(folded)
    if match is None:
        return None
    hour, minute, mark, half = match.groups()
    used = 1
    if mark is None and half is None and following is not None:
        if following in _HOUR_MARKS and minute is None:
            mark, used = following, 2
        elif following in _HALVES:
            half, used = following, 2
    if minute is None and mark is None and half is None:
        return _hour_alone(word, int(hour), answers)
    shown = folded if used == 1 else f"{folded} {following}"
    value = clock_minute(int(hour), int(minute or 0), half)
    if value is None:
        return DigestProblem("bad_time", echo(shown))
    return (("minute", value),), used


def clock_minute(hour: int, minute: int, half: str | None) -> int | None:
    """Minutes after midnight of a time of day; None when it is none (25:00, 13pm, 9:75).

    With am/pm the hour goes from 1 to 12 (12am is midnight, 12pm noon); without, from 0 to 23.
    """
    if minute > 59:
        return None
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        return (hour % 12 + (12 if half.startswith("p") else 0)) * 60 + minute
    if hour > 23:
        return None
    return hour * 60 + minute


def hour_readings(hour: int) -> tuple[int, int]:
    """The two minutes after midnight an hour from 1 to 12 typed alone may mean: the morning's
    and the evening's (12: noon and midnight)."""
    if hour == 12:
        return 12 * 60, 0
    return hour * 60, (hour + 12) * 60


def _hour_alone(word: str, hour: int, answers: Answers) -> _Read | DigestProblem:
    """`9` alone: the reading chosen before, else an hour to ask about once the rest is read.
    Any other number alone is refused: `14` could as well mean every 14 days."""
    if not 1 <= hour <= 12:
        return DigestProblem("bare_number", echo(word))
    chosen = answers.get(HOUR_SLOT)
    if chosen in {str(minute) for minute in hour_readings(hour)}:
        return (("minute", int(chosen or 0)),), 1
    return (("minute", _HourAlone(word, hour)),), 1


def _hour_question(alone: _HourAlone) -> Question:
    """09:00 or 21:00? A button for each reading of the hour, and Cancel."""
    return Question(
        slot=HOUR_SLOT,
        phrase=alone.word,
        reason="digest.subscription.question.hour",
        readings=(
            *(
                Reading(
                    str(minute),
                    label="digest.subscription.reading.hour",
                    values={"time": f"{minute // 60:02d}:{minute % 60:02d}"},
                )
                for minute in hour_readings(alone.hour)
            ),
            Reading(CANCEL, label="question.cancel"),
        ),
    )
