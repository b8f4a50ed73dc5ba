"""Undo's value on a summary: the contact alone after logging, the contact and which edit after
an edit; any other value is read as nothing, before a database is asked."""

from __future__ import annotations

import pytest

from bot.blocks.replies import parse_undo_value, undo_value

TOKEN = "0123456789abcdef"


def test_values_read_back_as_written() -> None:
    assert undo_value(17, None) == "17"
    assert parse_undo_value(undo_value(17, None)) == (17, None)
    assert parse_undo_value(undo_value(17, TOKEN)) == (17, TOKEN)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        ":",
        "17:",
        f":{TOKEN}",
        "x:" + TOKEN,
        "17:" + TOKEN.upper(),
        "17:" + TOKEN[:-1],
        "17:" + TOKEN + "0",
        f"17:{TOKEN}:1",
        "１７",
    ],
)
def test_a_value_no_summary_carries_is_read_as_nothing(value: str | None) -> None:
    assert parse_undo_value(value) is None
