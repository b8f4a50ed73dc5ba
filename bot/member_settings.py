"""`/logcontact settings`: a member's own working hours, the window Rapport may nudge them in.

    /logcontact settings                                  show them
    /logcontact settings hours 8-17 days mon-fri          change both
    /logcontact einstellungen arbeitszeit 8:30-17 tage mo-fr

Either language's words work for everyone; the reply is in the member's language. Hours are
stored as minutes after local midnight (`work_start_minute` from 0 to 1439, `work_end_minute`
after it and at most 1440), days as ascending ISO weekday digits (`work_days`, Monday = "1"),
both applied in the member's Slack time zone. Parsing and formatting are pure functions; the
caller owns the transaction and the member row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from babel.dates import get_day_names
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.i18n import Reader, babel_locale, escape
from bot.replies import Reply

if TYPE_CHECKING:
    from storage.models import Member

MINUTES_PER_DAY = 24 * 60
ALL_DAYS = "1234567"

SETTINGS_WORDS = frozenset({"settings", "einstellungen"})
HOURS_WORDS = frozenset({"hours", "arbeitszeit", "arbeitszeiten", "stunden"})
DAYS_WORDS = frozenset({"days", "workdays", "tage", "arbeitstage"})
HELP_WORDS = frozenset({"help", "hilfe", "?"})
_SETTING_NAMES = HOURS_WORDS | DAYS_WORDS

PROBLEM_CODES = (
    "unknown_word",
    "repeated",
    "hours_missing",
    "bad_hours",
    "bad_time",
    "overnight",
    "days_missing",
    "bad_day",
)

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
_RANGE_WORDS = frozenset({"to", "bis"})
_AND_WORDS = frozenset({"and", "und", "&"})
_CLOCK = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(?:h|uhr)?"
_HOURS = re.compile(rf"{_CLOCK}[{_DASHES}]{_CLOCK}")
_ECHO_CHARS = 40


@dataclass(frozen=True)
class SettingsChange:
    """What a member asked to change; nothing at all means "show me my settings"."""

    hours: tuple[int, int] | None = None  # (start, end) in minutes after local midnight
    days: str | None = None  # ascending ISO weekday digits, "12345" for Monday to Friday

    @property
    def is_empty(self) -> bool:
        return self.hours is None and self.days is None


@dataclass(frozen=True)
class SettingsProblem:
    """Why the request cannot be read: `code` (one of PROBLEM_CODES) picks the text, `details`
    fill it."""

    code: str
    details: Mapping[str, str] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------------


def settings_text(text: str) -> str | None:
    """What follows `settings` / `einstellungen` when the command starts with one; else None."""
    first, _, rest = text.strip().partition(" ")
    return rest.strip() if first.casefold().rstrip(":") in SETTINGS_WORDS else None


def parse_settings(text: str) -> SettingsChange | SettingsProblem:
    """Read `hours START-END` and `days DAYS` (in either order, either alone, EN or DE words)."""
    tokens = text.split()
    if not tokens or (len(tokens) == 1 and tokens[0].casefold() in HELP_WORDS):
        return SettingsChange()
    sections: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for token in tokens:
        keyword, value = _keyword(token)
        if keyword is None:
            if current is None:
                return SettingsProblem("unknown_word", {"word": _echo(token)})
            current.append(token)
            continue
        kind = "hours" if keyword.casefold() in HOURS_WORDS else "days"
        if kind in sections:
            return SettingsProblem("repeated", {"word": keyword})
        current = [value] if value else []
        sections[kind] = (keyword, current)
    hours = days = None
    if "hours" in sections:
        hours = parse_hours(*sections["hours"])
        if isinstance(hours, SettingsProblem):
            return hours
    if "days" in sections:
        days = parse_days(*sections["days"])
        if isinstance(days, SettingsProblem):
            return days
    return SettingsChange(hours=hours, days=days)


def _keyword(token: str) -> tuple[str | None, str]:
    """A setting's name and anything glued to it ("hours:8-17"), or None for another word."""
    name, _, value = token.partition(":") if ":" in token else token.partition("=")
    if name.casefold() in _SETTING_NAMES:
        return name, value
    return None, ""


def parse_hours(keyword: str, tokens: list[str]) -> tuple[int, int] | SettingsProblem:
    """`8-17`, `8:30-17:15`, `08:00 – 17:30`, `8 to 17`, `8 bis 17 Uhr` → minutes (start, end)."""
    if not tokens:
        return SettingsProblem("hours_missing", {"word": keyword})
    squeezed = "".join("-" if t.casefold() in _RANGE_WORDS else t for t in tokens).casefold()
    match = _HOURS.fullmatch(squeezed.removesuffix("uhr"))
    if match is None:
        return SettingsProblem("bad_hours", {"value": _echo(" ".join(tokens))})
    times = []
    for hour, minute in (match.group(1, 2), match.group(3, 4)):
        h, m = int(hour), int(minute or 0)
        if h > 24 or m > 59 or (h == 24 and m > 0):
            shown = f"{hour}:{minute}" if minute else hour
            return SettingsProblem("bad_time", {"time": shown})
        times.append(h * 60 + m)
    start, end = times
    if end <= start:
        return SettingsProblem("overnight", {"start": clock_label(start), "end": clock_label(end)})
    return start, end


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


# --- writing -------------------------------------------------------------------------------------


def clock_label(minute: int) -> str:
    """Minutes after midnight on a 24-hour clock: 480 → "08:00", 1440 → "24:00"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def days_label(days: str, lang: str) -> str:
    """Working days in short names, runs of three or more joined: "Mon–Fri", "Mo, Mi, Fr"."""
    names = get_day_names("abbreviated", context="stand-alone", locale=babel_locale(lang))
    numbers = sorted({int(d) for d in days if d in ALL_DAYS})
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = []
    for run in runs:
        if len(run) >= 3:
            shown.append(f"{names[run[0] - 1]}–{names[run[-1] - 1]}")
        else:
            shown.extend(names[n - 1] for n in run)
    return ", ".join(shown)


def window_line(reader: Reader, start: int, end: int, days: str) -> str:
    """ "Rapport will nudge you Mon–Fri, 08:00–17:00 (Europe/Berlin)." in the reader's language."""
    return reader.t(
        "settings.window",
        days=days_label(days, reader.lang),
        start=clock_label(start),
        end=clock_label(end),
        tz=escape(reader.tz),
    )


def settings_reply(reader: Reader, start: int, end: int, days: str, *, saved: bool) -> Reply:
    """The member's working hours; after a change, confirmed as saved."""
    title = reader.t("settings.saved" if saved else "settings.title")
    main = f"{title}\n{window_line(reader, start, end, days)}"
    how = reader.t("settings.how", example=reader.t("settings.example"))
    hint = reader.t("settings.zone") if saved else f"{reader.t('settings.zone')} {how}"
    return Reply(
        text=f"{main}\n{hint}",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=main)),
            ContextBlock(elements=[MarkdownTextObject(text=hint)]),
        ],
    )


def settings_problem_reply(reader: Reader, problem: SettingsProblem) -> Reply:
    """What was wrong with the request, and a request that works."""
    shown = {name: escape(value) for name, value in problem.details.items()}
    message = reader.t(f"settings.problem.{problem.code}", **shown)
    text = reader.t("settings.problem.title", problem=message)
    hint = reader.t("problem.example", example=reader.t("settings.example"))
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=hint)]),
    ]
    return Reply(text=f"{text}\n{hint}", blocks=blocks)


# --- the use case --------------------------------------------------------------------------------


def answer_settings(member: Member, reader: Reader, text: str) -> Reply:
    """Show or change `member`'s working hours (the caller's transaction saves the change)."""
    change = parse_settings(text)
    if isinstance(change, SettingsProblem):
        return settings_problem_reply(reader, change)
    if change.hours is not None:
        member.work_start_minute, member.work_end_minute = change.hours
    if change.days is not None:
        member.work_days = change.days
    return settings_reply(
        reader,
        member.work_start_minute,
        member.work_end_minute,
        member.work_days,
        saved=not change.is_empty,
    )
