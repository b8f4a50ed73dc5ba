"""Reading `/rapport digest on|off|status …`: a team channel's digest subscription.

    /rapport digest on                        subscribe the channel (weekly, Monday 09:00, in
                                              the subscriber's zone and language)
    /rapport digest on biweekly tue 08:30 Europe/Berlin language de quiet nothing
    /rapport digest an zweiwöchentlich di 8 uhr sprache de ruhig nichts
    /rapport digest off                       (`aus`) stop it; the settings are kept
    /rapport digest status                    (also a bare `digest`) what is set, the next post

The options after `on` come in any order, in either language for everyone:
- how often: `weekly`, `wöchentlich`; `biweekly`, `fortnightly`, `every two weeks`,
  `zweiwöchentlich`, `alle zwei wochen`, `14-tägig`;
- a weekday, full or short (`mon`, `monday`, `mo`, `montag`, `tue`, `di`, `dienstag`, …);
- a time of day: `08:30`, `8:30`, `8.30`, `8 uhr`, `8uhr`, `9am`, `9 pm`, `14h`; an hour alone
  from 1 to 12 (`9`) could be 09:00 or 21:00, and is asked about (`NeedsAnswer`, slot
  `HOUR_SLOT`); any other number alone (`14`: 14:00, or every 14 days?) is refused;
- an IANA zone (`Europe/Berlin`, any case; `UTC`), read as a partner's zone is;
- `language de|en` (`sprache`; the values also `deutsch`, `german`, `english`, `englisch`,
  which may stand alone);
- `quiet line|nothing` (`ruhig zeile|nichts`): a quiet week posts one line, or nothing.
A few small words may stand between them and are passed over: `at`, `um`, `on`, `am`, `every`,
`each`, `jeden`, `jede`, `jeder`.

Nothing is guessed: a word not understood, a second value for one setting, or a keyword
without its value makes a `DigestProblem` naming the word, and nothing changes; the one option
with two readings, an hour alone, is asked about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

# How often, by the words (or phrases, matched longest first) that say it.
EVERY_WEEKS_WORDS: dict[str, int] = {
    "weekly": 1,
    "every week": 1,
    "wöchentlich": 1,
    "woechentlich": 1,
    "jede woche": 1,
    "biweekly": 2,
    "fortnightly": 2,
    "every two weeks": 2,
    "every 2 weeks": 2,
    "every other week": 2,
    "zweiwöchentlich": 2,
    "zweiwoechentlich": 2,
    "alle zwei wochen": 2,
    "alle 2 wochen": 2,
    "jede zweite woche": 2,
    "14-tägig": 2,
    "14-taegig": 2,
    "14tägig": 2,
    "vierzehntägig": 2,
}
# Small words passed over between options ("on Tuesdays at 8:30", "jeden Dienstag um 8 Uhr").
FILLER_WORDS = frozenset({"at", "um", "on", "am", "every", "each", "jeden", "jede", "jeder"})

# A time of day in one token: hour, minutes after ":" or ".", an hour mark (h, uhr) and an
# English half of the day. At least one of minutes, mark or half must be there.
_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(h|uhr)?(am|pm|a\.m\.|p\.m\.)?")
_HOUR_MARKS = frozenset({"h", "uhr"})
_HALVES = frozenset({"am", "pm", "a.m.", "p.m."})
_PHRASE_WORDS_MAX = max(len(phrase.split()) for phrase in EVERY_WEEKS_WORDS)


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
    from 1 to 12), "bad_zone" (no zone this machine knows).
    """

    code: str
    word: str
    other: str = ""


_NO_ANSWERS: Answers = {}

DigestRequest = DigestOn | DigestOff | DigestStatus | DigestProblem


def is_digest_text(text: str) -> bool:
    """Whether `/rapport TEXT` is about the channel's digest (its first word)."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return first.casefold().rstrip(":") in DIGEST_WORDS


def digest_request(text: str, answers: Answers = _NO_ANSWERS) -> DigestRequest | None:
    """What `digest …` asks for; None when `text` does not start with the digest word.

    Raises `NeedsAnswer` for an hour typed alone, unless `answers` holds the chosen reading
    (`HOUR_SLOT`: the minute after midnight)."""
    words = text.replace(",", " ").split()
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
    """The options after `on`, in any order; the first problem met, or all of them read."""
    found: dict[str, tuple[int | str, str]] = {}  # setting → (value, words as typed)
    at = 0
    while at < len(words):
        read = _option_at(words, at, answers)
        if isinstance(read, DigestProblem):
            return read
        setting, value, used = read
        typed = " ".join(words[at : at + used])
        at += used
        if setting is None:
            continue  # a filler word
        if setting in found:
            return DigestProblem("twice", echo(typed), echo(found[setting][1]))
        found[setting] = (value, typed)
    numbers = {k: v for k, (v, _typed) in found.items() if isinstance(v, int)}
    words_ = {k: v for k, (v, _typed) in found.items() if isinstance(v, str)}
    return DigestOn(
        every_weeks=numbers.get("every_weeks"),
        weekday=numbers.get("weekday"),
        minute=numbers.get("minute"),
        tz=words_.get("tz"),
        language=words_.get("language"),
        quiet=words_.get("quiet"),
    )


# One option read at a position: (setting or None for a filler word, value, words used).
_Read = tuple[str | None, int | str, int]


def _option_at(words: list[str], at: int, answers: Answers) -> _Read | DigestProblem:
    """The option starting at `words[at]`."""
    word = words[at]
    folded = word.casefold()
    following = words[at + 1].casefold() if at + 1 < len(words) else None
    phrase = _phrase_at(words, at)
    if phrase is not None:
        return phrase
    if folded in LANGUAGE_WORDS | QUIET_WORDS:
        return _keyword_value(word, following)
    if folded in LANGUAGE_ALONE:
        return "language", LANGUAGE_VALUES[folded], 1
    weekday = day_number(folded)
    if weekday is not None:
        return "weekday", weekday, 1
    clock = _time_at(word, following, answers)
    if clock is not None:
        return clock
    if folded in FILLER_WORDS:
        return None, "", 1
    if "/" in word or folded == "utc":
        zone = parse_zone("", [word])
        if isinstance(zone, str):
            return "tz", zone, 1
        return DigestProblem("bad_zone", echo(word))
    return DigestProblem("word", echo(word))


def _phrase_at(words: list[str], at: int) -> _Read | None:
    """A how-often word or phrase starting at `at`, the longest first."""
    for size in range(min(_PHRASE_WORDS_MAX, len(words) - at), 0, -1):
        phrase = " ".join(words[at : at + size]).casefold()
        if phrase in EVERY_WEEKS_WORDS:
            return "every_weeks", EVERY_WEEKS_WORDS[phrase], size
    return None


def _keyword_value(keyword: str, following: str | None) -> _Read | DigestProblem:
    """`language de`, `quiet nothing`: the keyword and the word after it."""
    is_language = keyword.casefold() in LANGUAGE_WORDS
    values = LANGUAGE_VALUES if is_language else QUIET_VALUES
    if following is None:
        return DigestProblem("missing", echo(keyword))
    if following not in values:
        return DigestProblem("value", echo(following), echo(keyword))
    return ("language" if is_language else "quiet"), values[following], 2


def _time_at(word: str, following: str | None, answers: Answers) -> _Read | DigestProblem | None:
    """A time of day at `word` (with an hour mark or half of the day as the next word: `8 uhr`,
    `9 pm`); None when `word` is not shaped like one. An hour alone is asked about."""
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
    return "minute", value, used


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
    """`9` alone: the reading chosen before, else a question (09:00 or 21:00?). Any other
    number alone is refused: `14` could as well mean every 14 days."""
    if not 1 <= hour <= 12:
        return DigestProblem("bare_number", echo(word))
    readings = hour_readings(hour)
    chosen = answers.get(HOUR_SLOT)
    if chosen in {str(minute) for minute in readings}:
        return "minute", int(chosen or 0), 1
    raise NeedsAnswer(
        Question(
            slot=HOUR_SLOT,
            phrase=word,
            reason="digest.subscription.question.hour",
            readings=(
                *(
                    Reading(
                        str(minute),
                        label="digest.subscription.reading.hour",
                        values={"time": f"{minute // 60:02d}:{minute % 60:02d}"},
                    )
                    for minute in readings
                ),
                Reading(CANCEL, label="question.cancel"),
            ),
        )
    )
