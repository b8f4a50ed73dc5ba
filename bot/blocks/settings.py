"""A member's settings as a reply shows them, and what was wrong with a settings request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from babel import Locale
from babel.dates import get_day_names
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.blocks.replies import Reply
from bot.parsing.settings_text import SettingsProblem
from bot.rules.public_holidays import OFF, country_of_zone, region_of, subdivision_name
from bot.rules.working_hours import clock_label
from bot.texts.reader import Reader, babel_locale, escape
from storage.vocabulary import ALL_DAYS, HINTS_EVERYWHERE

# Each language by its own name, as language choices are shown everywhere.
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "de": "Deutsch"}


class Settings(Protocol):
    """What a settings reply shows of a member."""

    work_start_minute: int
    work_end_minute: int
    work_days: str
    language: str | None
    away_until: date | None
    public_holidays: str | None
    tz: str


# --- writing -------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class SettingsView:
    """A member's settings as a reply shows them on a given day."""

    start: int
    end: int
    days: str
    language: str | None = None  # the member's own choice; None follows Slack
    away_until: date | None = None  # the day they are back, only while it is still ahead
    holidays_choice: str | None = None  # as stored: None (from the zone), "none", or a region
    holidays_region: str | None = None  # the region that applies, None for none
    # After-hours hint mutes: channel ids or HINTS_EVERYWHERE; None when not shown.
    hint_mutes: tuple[str, ...] | None = None

    @classmethod
    def of(
        cls, member: Settings, today: date, *, hint_mutes: tuple[str, ...] | None = None
    ) -> SettingsView:
        """`member`'s settings on their local `today`: an away date that has come is over."""
        away = member.away_until if member.away_until and member.away_until > today else None
        return cls(
            member.work_start_minute,
            member.work_end_minute,
            member.work_days,
            member.language,
            away,
            member.public_holidays,
            region_of(member.public_holidays, member.tz),
            hint_mutes,
        )


def language_line(reader: Reader, chosen: str | None) -> str:
    """ "Language: Deutsch (set by hand)." or "Language: English (from Slack)." """
    if chosen is None:
        return reader.t("settings.language.slack", language=LANGUAGE_NAMES[reader.lang])
    return reader.t("settings.language.chosen", language=LANGUAGE_NAMES.get(chosen, chosen))


def region_label(region: str, lang: str) -> str:
    """ "DE-BY (Germany, Bayern)", "JP (Japan)": the country in the reader's language, the
    subdivision as the holidays library names it; the code alone for a country Babel does not
    name."""
    country = region.partition("-")[0]
    name = Locale.parse(babel_locale(lang)).territories.get(country)
    if not name:
        return escape(region)
    subdivision = subdivision_name(region)
    named = f"{name}, {subdivision}" if subdivision else name
    return f"{escape(region)} ({escape(named)})"


def public_holidays_line(reader: Reader, choice: str | None, region: str | None) -> str:
    """Which public holidays are days off, and whether they were chosen or come from the zone."""
    if choice == OFF:
        return reader.t("settings.public_holidays.off")
    if choice is not None and region is not None:
        return reader.t("settings.public_holidays.chosen", region=region_label(region, reader.lang))
    if region is not None:
        return reader.t(
            "settings.public_holidays.zone",
            region=region_label(region, reader.lang),
            tz=escape(reader.tz),
        )
    known = country_of_zone(reader.tz)
    key = "settings.public_holidays.unsupported" if known else "settings.public_holidays.no_country"
    return reader.t(key, tz=escape(reader.tz), country=escape(known or ""))


# Channels the settings name where hints are muted; the rest are counted, so the line stays far
# within a section's 3,000 characters however many channels someone muted.
MUTES_NAMED = 20


def hints_line(reader: Reader, mutes: tuple[str, ...]) -> str:
    """Whether after-hours hints come: on, off everywhere, or on except in some channels."""
    if HINTS_EVERYWHERE in mutes:
        return reader.t("settings.hints.off")
    if not mutes:
        return reader.t("settings.hints.on")
    named = [f"<#{c}>" for c in mutes[:MUTES_NAMED]]
    if len(mutes) > MUTES_NAMED:
        named.append(reader.t("settings.hints.muted_more", count=len(mutes) - MUTES_NAMED))
    return reader.t("settings.hints.muted", channels=", ".join(named))


def settings_lines(reader: Reader, view: SettingsView) -> list[str]:
    """One line per setting, as the settings reply and the App Home show them."""
    lines = [window_line(reader, view.start, view.end, view.days)]
    lines.append(language_line(reader, view.language))
    lines.append(public_holidays_line(reader, view.holidays_choice, view.holidays_region))
    if view.hint_mutes is not None:
        lines.append(hints_line(reader, view.hint_mutes))
    if view.away_until is not None:
        lines.append(reader.t("settings.away", day=reader.day(view.away_until)))
    return lines


def settings_reply(reader: Reader, view: SettingsView, *, saved: bool, back: bool = False) -> Reply:
    """The member's settings; after a change, confirmed as saved (`back`: no longer away)."""
    title = reader.t("settings.saved" if saved else "settings.title")
    lines = [title, *settings_lines(reader, view)]
    if view.away_until is None and back:
        lines.append(reader.t("settings.back"))
    main = "\n".join(lines)
    how = reader.t(
        "settings.how",
        example=reader.t("settings.example"),
        language_example=reader.t("settings.example_language"),
        away_example=reader.t("settings.example_away"),
        back_example=reader.t("settings.example_back"),
        holidays_example=reader.t("settings.example_public_holidays"),
    )
    if view.hint_mutes is not None:
        how += " " + reader.t(
            "settings.hints.how",
            on_example=reader.t("settings.example_hints_on"),
            off_example=reader.t("settings.example_hints_off"),
        )
    hint = reader.t("settings.zone") if saved else f"{reader.t('settings.zone')} {how}"
    return Reply(
        text=f"{main}\n{hint}",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=main)),
            ContextBlock(elements=[MarkdownTextObject(text=hint)]),
        ],
    )


# A problem with the language or the away date is followed by an example of that setting.
_PROBLEM_EXAMPLES: Mapping[str, str] = {
    "language_missing": "settings.example_language",
    "bad_language": "settings.example_language",
    "away_missing": "settings.example_away",
    "bad_date": "settings.example_away",
    "past_date": "settings.example_away",
    "region_missing": "settings.example_public_holidays",
    "unknown_country": "settings.example_public_holidays",
    "unknown_subdivision": "settings.example_public_holidays",
    "no_subdivisions": "settings.example_public_holidays",
    "hints_missing": "settings.example_hints_on",
    "bad_hints": "settings.example_hints_on",
}


def settings_problem_reply(reader: Reader, problem: SettingsProblem) -> Reply:
    """What was wrong with the request, and a request that works."""
    shown = {name: escape(value) for name, value in problem.details.items()}
    message = reader.t(f"settings.problem.{problem.code}", **shown)
    text = reader.t("settings.problem.title", problem=message)
    example = reader.t(_PROBLEM_EXAMPLES.get(problem.code, "settings.example"))
    hint = reader.t("problem.example", example=example)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=hint)]),
    ]
    return Reply(text=f"{text}\n{hint}", blocks=blocks)
