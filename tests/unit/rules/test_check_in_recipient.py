"""Who a partner's check-in nudges go to: the claimer while a claim lives, else the owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.rules.nudges import check_in_recipient

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OWNER, CLAIMER = 1, 2


@pytest.mark.parametrize(
    ("owner", "claimer", "until", "expected"),
    [
        (OWNER, None, None, OWNER),  # no claim
        (OWNER, CLAIMER, NOW + timedelta(days=14), CLAIMER),  # a live claim
        (OWNER, CLAIMER, NOW + timedelta(seconds=1), CLAIMER),
        (OWNER, CLAIMER, NOW, OWNER),  # ends exactly now: ended
        (OWNER, CLAIMER, NOW - timedelta(days=1), OWNER),  # ended: the owner's again
        (OWNER, None, NOW + timedelta(days=3), OWNER),  # the claimer cannot receive nudges
        (None, CLAIMER, NOW + timedelta(days=3), CLAIMER),  # nobody looks after it but the claimer
        (None, CLAIMER, NOW - timedelta(days=3), None),
        (None, None, None, None),
        (OWNER, OWNER, NOW + timedelta(days=3), OWNER),  # the owner's own claim
    ],
)
def test_the_recipient(owner, claimer, until, expected) -> None:
    assert check_in_recipient(owner, claimer, until, NOW) == expected
