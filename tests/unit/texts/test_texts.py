"""Every text exists in English and German, with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from bot.texts.catalog import TEXTS


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == {"en", "de"}
    assert entry["en"].strip() and entry["de"].strip()
    assert placeholders(entry["en"]) == placeholders(entry["de"])


def test_modal_titles_and_buttons_fit_slacks_24_characters() -> None:
    for key in ("modal.title", "modal.title_edit", "modal.submit", "modal.close"):
        for text in TEXTS[key].values():
            assert len(text) <= 24, (key, text)


# The command words of /rapport and /logcontact that have a German word of their own: a German
# text that shows a command to type shows the German word (either language's words work, so an
# English one is not wrong, but it is English in a German sentence).
ENGLISH_COMMAND_WORDS = frozenset(
    {
        "set",
        "help",
        "partners",
        "all",
        "unowned",
        "search",
        "owner",
        "rename",
        "merge",
        "into",
        "forget",
        "settings",
        "promises",
        "hours",
        "days",
        "language",
        "away",
        "cadence",
        "prefers",
    }
)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_a_command_shown_in_german_uses_the_german_command_words(key: str) -> None:
    commands = re.findall(r"`(/(?:rapport|logcontact)\b[^`]*)`", TEXTS[key]["de"])
    for command in commands:
        english = set(re.findall(r"[a-z]+", command)) & ENGLISH_COMMAND_WORDS
        assert not english, f"{key}: {command} says {sorted(english)}"
