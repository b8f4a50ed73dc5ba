"""Every text exists in English and German, with the same placeholders."""

from __future__ import annotations

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
