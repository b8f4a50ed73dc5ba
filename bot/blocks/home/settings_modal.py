"""The settings modal the Home's "Edit settings" button opens, and the reading of its submission.

Fields, each a block of its own (the block id is where Slack shows an error):

- `hours`: a text field read by `parse_hours`, so "8:30-17", "9am-5pm" and "8 bis 17 Uhr" work
  as they do after `/rapport settings hours`; shown as "08:30-17:00". A text field rather than
  two time pickers, since a working day may end at 24:00, which a time picker cannot hold;
- `days`: seven checkboxes, values the ISO weekday digits ("1" is Monday);
- `language`: radio buttons `en`, `de` and `auto` (follow Slack);
- `holidays`: a text field read by `read_region_words` (the words of `/rapport settings
  public-holidays`: "DE-BY", "none", "keine", "auto"); empty means the zone's country;
- `away`: a date picker, the day the member is back; empty means not away.

`read_settings_form` turns the submitted state into the `SettingsChange` the settings command
makes (every field named, so the form saves what it shows), or the problems by block.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import get_day_names
from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
)
from slack_sdk.models.views import View

from bot.blocks.settings import LANGUAGE_NAMES, SettingsView
from bot.parsing.settings_text import (
    FOLLOW_SLACK,
    LAST_AWAY_DAY,
    NOT_AWAY,
    ZONE_COUNTRY,
    Reset,
    SettingsChange,
    SettingsProblem,
    parse_hours,
    read_region_words,
    too_far,
)
from bot.rules.working_hours import clock_label
from bot.texts.reader import Reader, babel_locale

SETTINGS_CALLBACK_ID = "rapport_home_settings_form"
HOURS, DAYS, LANGUAGE, HOLIDAYS, AWAY = "hours", "days", "language", "holidays", "away"
# Each block's one element.
_ACTION = "value"
AUTO = "auto"
# What a text field takes: longer is no setting anyone types.
_TEXT_MAX_CHARS = 60
# Problems the modal words in its own way (a checkbox has no word to name, a date picker no
# typed date); every other code keeps the settings command's text.
_PICKED_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MODAL_PROBLEMS = frozenset({"hours_missing", "days_missing", "bad_choice", "past_date"})


def settings_modal(reader: Reader, settings: SettingsView) -> View:
    """The modal, filled in with `settings` as they are stored."""
    blocks: list[Block] = [
        _text(
            reader,
            HOURS,
            "home.settings_modal.hours",
            f"{clock_label(settings.start)}-{clock_label(settings.end)}",
            hint=reader.t("home.settings_modal.hours_hint", tz=reader.tz),
        ),
        InputBlock(
            block_id=DAYS,
            label=_plain(reader.t("home.settings_modal.days")),
            element=CheckboxesElement(
                action_id=_ACTION,
                options=_day_options(reader),
                initial_options=[o for o in _day_options(reader) if o.value in settings.days]
                or None,
            ),
        ),
        InputBlock(
            block_id=LANGUAGE,
            label=_plain(reader.t("home.settings_modal.language")),
            element=RadioButtonsElement(
                action_id=_ACTION,
                options=_language_options(reader),
                initial_option=next(
                    o for o in _language_options(reader) if o.value == (settings.language or AUTO)
                ),
            ),
        ),
        _text(
            reader,
            HOLIDAYS,
            "home.settings_modal.holidays",
            settings.holidays_choice or "",
            hint=reader.t("home.settings_modal.holidays_hint"),
            optional=True,
        ),
        InputBlock(
            block_id=AWAY,
            label=_plain(reader.t("home.settings_modal.away")),
            element=DatePickerElement(
                action_id=_ACTION,
                initial_date=settings.away_until.isoformat() if settings.away_until else None,
            ),
            hint=_plain(reader.t("home.settings_modal.away_hint")),
            optional=True,
        ),
    ]
    return View(
        type="modal",
        callback_id=SETTINGS_CALLBACK_ID,
        title=_plain(reader.t("home.settings_modal.title")),
        submit=_plain(reader.t("home.settings_modal.save")),
        close=_plain(reader.t("home.settings_modal.cancel")),
        blocks=blocks,
    )


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text)


def _text(
    reader: Reader, block_id: str, label: str, value: str, *, hint: str, optional: bool = False
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=_plain(reader.t(label)),
        element=PlainTextInputElement(
            action_id=_ACTION, initial_value=value or None, max_length=_TEXT_MAX_CHARS
        ),
        hint=_plain(hint),
        optional=optional,
    )


def _day_options(reader: Reader) -> list[Option]:
    names = get_day_names("wide", context="stand-alone", locale=babel_locale(reader.lang))
    return [Option(value=str(day), label=names[day - 1]) for day in range(1, 8)]


def _language_options(reader: Reader) -> list[Option]:
    options = [Option(value=code, label=name) for code, name in LANGUAGE_NAMES.items()]
    return [*options, Option(value=AUTO, label=reader.t("home.settings_modal.language_slack"))]


# --- reading the submission ----------------------------------------------------------------------


@dataclass(frozen=True)
class FormProblems:
    """What was wrong, by block id."""

    by_block: Mapping[str, SettingsProblem]

    def texts(self, reader: Reader) -> dict[str, str]:
        """The errors for `response_action: errors`, in the reader's language; the details
        are what the member typed, shown as plain text (no markup to escape there)."""
        return {block: _problem_text(reader, p) for block, p in self.by_block.items()}


def _problem_text(reader: Reader, problem: SettingsProblem) -> str:
    if problem.code in _MODAL_PROBLEMS:
        return reader.t(f"home.settings_modal.problem.{problem.code}")
    return reader.t(f"settings.problem.{problem.code}", **problem.details)


def read_settings_form(
    values: Mapping[str, Mapping[str, Mapping[str, Any]]], *, today: date
) -> SettingsChange | FormProblems:
    """The change the submitted state asks for, every setting named; or the problems by block.
    `today` is the member's local date, which an away day must come after."""
    problems: dict[str, SettingsProblem] = {}

    def field(block: str) -> Mapping[str, Any]:
        fields = values.get(block)
        found = fields.get(_ACTION) if isinstance(fields, Mapping) else None
        return found if isinstance(found, Mapping) else {}

    hours = _hours(field(HOURS).get("value"))
    days = _days(field(DAYS).get("selected_options"))
    language = _language(field(LANGUAGE).get("selected_option"))
    holidays = _holidays(field(HOLIDAYS).get("value"))
    away = _away(field(AWAY).get("selected_date"), today)
    for block, value in (
        (HOURS, hours),
        (DAYS, days),
        (LANGUAGE, language),
        (HOLIDAYS, holidays),
        (AWAY, away),
    ):
        if isinstance(value, SettingsProblem):
            problems[block] = value
    if problems:
        return FormProblems(problems)
    assert not isinstance(hours, SettingsProblem) and not isinstance(days, SettingsProblem)
    assert not isinstance(language, SettingsProblem)
    assert not isinstance(holidays, SettingsProblem) and not isinstance(away, SettingsProblem)
    return SettingsChange(
        hours=hours, days=days, language=language, away_until=away, public_holidays=holidays
    )


def _hours(typed: object) -> tuple[int, int] | SettingsProblem:
    words = typed.split() if isinstance(typed, str) else []
    return parse_hours(HOURS, words) if words else SettingsProblem("hours_missing")


def _days(selected: object) -> str | SettingsProblem:
    picked = (
        {o.get("value") for o in selected if isinstance(o, Mapping)}
        if isinstance(selected, list)
        else set()
    )
    digits = sorted(d for d in picked if isinstance(d, str) and d in "1234567" and len(d) == 1)
    if len(digits) != len(picked) and picked:
        return SettingsProblem("bad_choice")
    return "".join(digits) if digits else SettingsProblem("days_missing")


def _language(selected: object) -> str | Reset | SettingsProblem:
    value = selected.get("value") if isinstance(selected, Mapping) else None
    if value == AUTO:
        return FOLLOW_SLACK
    if isinstance(value, str) and value in LANGUAGE_NAMES:
        return value
    return SettingsProblem("bad_choice")


def _holidays(typed: object) -> str | Reset | SettingsProblem:
    words = typed.strip() if isinstance(typed, str) else ""
    if not words:
        return ZONE_COUNTRY
    return read_region_words(words)


def _away(picked: object, today: date) -> date | Reset | SettingsProblem:
    if not picked:
        return NOT_AWAY
    try:
        # A date picker sends YYYY-MM-DD; other ISO forms ("2026-W53-7", "20261231") are no
        # value Slack sends, so none is read into a day.
        shaped = isinstance(picked, str) and _PICKED_DAY.fullmatch(picked) is not None
        back = date.fromisoformat(picked) if shaped and isinstance(picked, str) else None
    except ValueError:
        back = None
    if back is None:
        return SettingsProblem("bad_choice")
    if back <= today:
        return SettingsProblem("past_date")
    # The settings command's bound and words: a picker offers any year up to 9999.
    return back if back <= LAST_AWAY_DAY else too_far(picked if isinstance(picked, str) else "")
