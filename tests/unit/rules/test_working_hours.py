"""Working hours as people read them: minutes of the day on a 24-hour clock."""

from __future__ import annotations

import pytest

from bot.rules.working_hours import clock_label

H = 60


@pytest.mark.parametrize(
    ("minute", "label"), [(0, "00:00"), (8 * H, "08:00"), (17 * H + 15, "17:15"), (24 * H, "24:00")]
)
def test_clock_labels_use_24_hours(minute: int, label: str) -> None:
    assert clock_label(minute) == label
