"""Which members write numeric dates month first: read from Babel's locale data, not a list."""

from __future__ import annotations

import pytest

from bot.texts.reader import Reader


@pytest.mark.parametrize(
    ("locale", "month_first"),
    [
        ("en-US", True),
        ("en-CA", True),
        ("en-GB", False),
        ("en-AU", False),
        ("de-DE", False),
        ("de-AT", False),
        ("fr-FR", False),
        ("es-ES", False),
        ("ja-JP", True),  # year, month, day
        ("xx-YY", True),  # unknown: English, as Rapport answers it, read as en-US: asked
    ],
)
def test_a_locale_writes_dates_month_first_or_not(locale: str, month_first: bool) -> None:
    assert Reader(locale).month_first is month_first
