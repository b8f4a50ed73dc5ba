"""The Home's settings modal: filled in with the member's settings, valid for Slack's models, and
its submission read with the settings command's own words (EN and DE), every problem named
under its field in the member's language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.blocks.home.settings_modal import (
    AWAY,
    DAYS,
    HOLIDAYS,
    HOURS,
    LANGUAGE,
    SETTINGS_CALLBACK_ID,
    FormProblems,
    read_settings_form,
    settings_modal,
)
from bot.blocks.settings import SettingsView
from bot.parsing.settings_text import FOLLOW_SLACK, NOT_AWAY, ZONE_COUNTRY, SettingsChange
from bot.texts.reader import Reader

TODAY = date(2026, 11, 25)
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")
READERS = pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])


def state(
    hours: str | None = "8:30-17",
    days: list[str] | None = None,
    language: str | None = "en",
    holidays: str | None = None,
    away: str | None = None,
) -> dict[str, Any]:
    """A submission's `state.values` as Slack sends it."""
    picked = ["1", "2", "3", "4", "5"] if days is None else days
    return {
        HOURS: {"value": {"type": "plain_text_input", "value": hours}},
        DAYS: {
            "value": {
                "type": "checkboxes",
                "selected_options": [{"value": d, "text": {"text": d}} for d in picked],
            }
        },
        LANGUAGE: {
            "value": {
                "type": "radio_buttons",
                "selected_option": {"value": language} if language else None,
            }
        },
        HOLIDAYS: {"value": {"type": "plain_text_input", "value": holidays}},
        AWAY: {"value": {"type": "datepicker", "selected_date": away}},
    }


@READERS
def test_the_modal_is_filled_in_and_valid(reader: Reader) -> None:
    settings = SettingsView(
        8 * 60 + 30,
        24 * 60,
        "135",
        language="de",
        away_until=date(2027, 1, 4),
        holidays_choice="DE-BY",
        holidays_region="DE-BY",
    )
    view = settings_modal(reader, settings)
    view.validate_json()
    shown = view.to_dict()

    assert shown["callback_id"] == SETTINGS_CALLBACK_ID
    blocks = {block["block_id"]: block["element"] for block in shown["blocks"]}
    assert blocks[HOURS]["initial_value"] == "08:30-24:00"
    assert [o["value"] for o in blocks[DAYS]["initial_options"]] == ["1", "3", "5"]
    monday = "Monday" if reader is ENGLISH else "Montag"
    assert blocks[DAYS]["options"][0]["text"]["text"] == monday
    assert blocks[LANGUAGE]["initial_option"]["value"] == "de"
    assert blocks[HOLIDAYS]["initial_value"] == "DE-BY"
    assert blocks[AWAY]["initial_date"] == "2027-01-04"
    assert shown["title"]["text"] == reader.t("home.settings_modal.title")


def test_defaults_show_as_empty_fields_and_slacks_language() -> None:
    view = settings_modal(ENGLISH, SettingsView(9 * 60, 17 * 60, "12345")).to_dict()
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}

    assert "initial_value" not in blocks[HOLIDAYS]
    assert "initial_date" not in blocks[AWAY]
    assert blocks[LANGUAGE]["initial_option"]["value"] == "auto"


@pytest.mark.parametrize(
    ("values", "change"),
    [
        (
            state(),
            SettingsChange(
                hours=(510, 1020),
                days="12345",
                language="en",
                away_until=NOT_AWAY,
                public_holidays=ZONE_COUNTRY,
            ),
        ),
        (
            state("8 bis 17 Uhr", ["6", "7"], "de", "keine", "2027-01-04"),
            SettingsChange(
                hours=(480, 1020),
                days="67",
                language="de",
                away_until=date(2027, 1, 4),
                public_holidays="none",
            ),
        ),
        (
            state("9am-5pm", ["1"], "auto", " de by ", None),
            SettingsChange(
                hours=(540, 1020),
                days="1",
                language=FOLLOW_SLACK,
                away_until=NOT_AWAY,
                public_holidays="DE-BY",
            ),
        ),
        (
            state("von 7:30 bis 24", ["5", "1"], "en", "auto", "2026-11-26"),
            SettingsChange(
                hours=(450, 1440),
                days="15",
                language="en",
                away_until=date(2026, 11, 26),
                public_holidays=ZONE_COUNTRY,
            ),
        ),
    ],
)
def test_a_submission_is_read_with_the_settings_commands_words(
    values: dict[str, Any], change: SettingsChange
) -> None:
    assert read_settings_form(values, today=TODAY) == change


@pytest.mark.parametrize(
    ("values", "block", "key"),
    [
        (state(hours=""), HOURS, "home.settings_modal.problem.hours_missing"),
        (state(hours="8-25"), HOURS, "settings.problem.bad_time"),
        (state(hours="17-8"), HOURS, "settings.problem.overnight"),
        (state(hours="1-5pm"), HOURS, "settings.problem.ambiguous_hours"),
        (state(hours="morgens"), HOURS, "settings.problem.bad_hours"),
        (state(days=[]), DAYS, "home.settings_modal.problem.days_missing"),
        (state(days=["1", "8"]), DAYS, "home.settings_modal.problem.bad_choice"),
        (state(language="fr"), LANGUAGE, "home.settings_modal.problem.bad_choice"),
        (state(language=None), LANGUAGE, "home.settings_modal.problem.bad_choice"),
        (state(holidays="XX"), HOLIDAYS, "settings.problem.unknown_country"),
        (state(holidays="DE-XX"), HOLIDAYS, "settings.problem.unknown_subdivision"),
        (state(away="2026-11-25"), AWAY, "home.settings_modal.problem.past_date"),
        (state(away="2026-11-20"), AWAY, "home.settings_modal.problem.past_date"),
        (state(away="4 Jan"), AWAY, "home.settings_modal.problem.bad_choice"),
    ],
)
@READERS
def test_each_problem_is_named_under_its_field_in_the_members_language(
    values: dict[str, Any], block: str, key: str, reader: Reader
) -> None:
    found = read_settings_form(values, today=TODAY)

    assert isinstance(found, FormProblems)
    errors = found.texts(reader)
    assert list(errors) == [block]
    # The text of that problem in the member's language, with what was typed filled in.
    assert errors[block] == reader.t(key, **found.by_block[block].details)
    assert "{" not in errors[block]
    other = GERMAN if reader is ENGLISH else ENGLISH
    assert errors[block] != found.texts(other)[block]


def test_several_problems_are_named_at_once() -> None:
    found = read_settings_form(state(hours="x", days=[], away="2020-01-01"), today=TODAY)

    assert isinstance(found, FormProblems)
    assert set(found.by_block) == {HOURS, DAYS, AWAY}


def test_a_state_in_a_shape_slack_does_not_send_is_refused_field_by_field() -> None:
    found = read_settings_form({HOURS: {"value": ["8-17"]}, DAYS: "1"}, today=TODAY)

    assert isinstance(found, FormProblems)
    assert set(found.by_block) == {HOURS, DAYS, LANGUAGE}
