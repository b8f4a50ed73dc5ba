"""Who may forget a partner, and how long the question before it holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.rules.registry import FORGET_QUESTION_LIFETIME, may_forget, question_holds


@pytest.mark.parametrize(
    ("asker_id", "admin", "owner_id", "allowed"),
    [
        (1, False, 1, True),  # the owner
        (2, True, 1, True),  # an admin, someone else's partner
        (2, True, None, True),  # an admin, a partner nobody looks after
        (2, False, 1, False),  # another member
        (2, False, None, False),  # a member, a partner nobody looks after
    ],
)
def test_only_the_owner_or_an_admin_may_forget(
    asker_id: int, admin: bool, owner_id: int | None, allowed: bool
) -> None:
    assert may_forget(asker_id=asker_id, asker_is_admin=admin, owner_id=owner_id) is allowed


def test_a_question_holds_for_its_lifetime_and_not_before_it_was_asked() -> None:
    asked = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert question_holds(asked, asked)
    assert question_holds(asked, asked + FORGET_QUESTION_LIFETIME)
    assert not question_holds(asked, asked + FORGET_QUESTION_LIFETIME + timedelta(seconds=1))
    assert not question_holds(asked, asked - timedelta(seconds=1))
