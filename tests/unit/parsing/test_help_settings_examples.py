"""The settings the help texts name are ones `/rapport settings` reads: each example in the
settings lines of `/rapport help` and `/logcontact help`, in English and German."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.parsing.settings_text import SettingsChange, parse_settings
from bot.texts.catalog import TEXTS

HELP_KEYS = ("rapport.help.body", "help.body")


def settings_line(key: str, lang: str) -> str:
    [line] = [
        line
        for line in TEXTS[key][lang].splitlines()
        if "/rapport settings`" in line or "/rapport einstellungen`" in line
    ]
    return line


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("key", HELP_KEYS)
def test_every_settings_example_in_help_is_read_as_a_setting(key: str, lang: str) -> None:
    line = settings_line(key, lang)
    examples = [e for e in re.findall(r"`([^`]+)`", line) if not e.startswith("/")]
    assert len(examples) == 3, line
    for example in examples:
        change = parse_settings(example, today=date(2026, 11, 25))
        assert isinstance(change, SettingsChange) and not change.is_empty, example


@pytest.mark.parametrize(
    ("key", "lang", "words"),
    [(key, "en", ("away", "public holidays", "after-hours hints")) for key in HELP_KEYS]
    + [(key, "de", ("abwesend", "Feiertage", "Geschäftszeiten-Hinweise")) for key in HELP_KEYS],
)
def test_help_names_away_public_holidays_and_hints_apart(
    key: str, lang: str, words: tuple[str, ...]
) -> None:
    line = settings_line(key, lang)
    for word in words:
        assert word in line, (key, lang, word)
    assert "your holidays" not in line and "Urlaub" not in line
