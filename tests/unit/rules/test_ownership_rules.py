"""Who looks after a partner, decided without Slack or a database: who may hand it over, what
pressing Take over does, and who can be an owner at all."""

from __future__ import annotations

import pytest

from bot.rules.ownership import (
    TakeOver,
    hand_over_announcements,
    is_unowned,
    may_hand_over,
    person_problem,
    take_over_outcome,
)
from bot.rules.people import SlackPerson


def test_a_partner_is_unowned_without_an_owner_or_with_one_who_left() -> None:
    assert is_unowned(None, None)
    assert is_unowned(7, False)
    assert not is_unowned(7, True)


@pytest.mark.parametrize(
    ("asker_is_admin", "owner_id", "owner_active", "allowed"),
    [
        (False, 1, True, True),  # the owner hands over
        (False, 2, True, False),  # someone else's partner
        (True, 2, True, True),  # a workspace admin steps in
        (False, 2, False, True),  # the owner left
        (False, None, None, True),  # never had one
    ],
)
def test_who_may_hand_a_partner_over(asker_is_admin, owner_id, owner_active, allowed) -> None:
    decided = may_hand_over(
        asker_id=1, asker_is_admin=asker_is_admin, owner_id=owner_id, owner_active=owner_active
    )
    assert decided is allowed


def test_pressing_take_over_takes_an_unowned_partner_only() -> None:
    assert take_over_outcome(1, None, None) is TakeOver.TAKEN
    assert take_over_outcome(1, 2, False) is TakeOver.TAKEN
    assert take_over_outcome(1, 1, True) is TakeOver.ALREADY_YOURS
    assert take_over_outcome(1, 2, True) is TakeOver.TAKEN_BY_OTHER


def person(**changes: object) -> SlackPerson:
    fields: dict = {
        "user_id": "U0BOB",
        "team_id": "T0ACME",
        "name": "Bob",
        "tz": "America/New_York",
        "locale": "en-US",
        "email": None,
        "is_bot": False,
        "deleted": False,
        "is_admin": False,
    }
    return SlackPerson(**(fields | changes))


@pytest.mark.parametrize(
    ("someone", "expected"),
    [
        (person(), None),
        (person(team_id=None), None),
        (None, "unknown_user"),
        (person(is_bot=True), "bot"),
        (person(team_id="T0PARTNER"), "external"),
        (person(is_guest=True), "guest"),
        (person(deleted=True), "inactive"),
    ],
)
def test_only_an_active_colleague_can_look_after_a_partner(someone, expected) -> None:
    assert person_problem(someone, "T0ACME") == expected


@pytest.mark.parametrize(
    ("actor", "previous", "previous_active", "new", "told"),
    [
        # A third person (an admin) moves Bob's partner to Carol: both hear of it.
        (1, 2, True, 3, [("handed_over", 3), ("handed_away", 2)]),
        # The owner hands their own partner over: only the new owner hears.
        (2, 2, True, 3, [("handed_over", 3)]),
        # Someone takes a partner from its active owner themselves: only the owner hears.
        (3, 2, True, 3, [("handed_away", 2)]),
        # Taking over an unowned partner, or one whose owner left: nobody to tell.
        (3, None, None, 3, []),
        (3, 2, False, 3, []),
        # Giving an unowned partner to a colleague: the colleague hears.
        (1, None, None, 3, [("handed_over", 3)]),
        (1, 2, False, 3, [("handed_over", 3)]),
        # A move to the owner it already has is no hand-over.
        (1, 3, True, 3, []),
        (3, 3, True, 3, []),
    ],
)
def test_who_is_told_of_a_hand_over(
    actor: int, previous: int | None, previous_active: bool | None, new: int, told: list
) -> None:
    assert (
        hand_over_announcements(
            actor_id=actor, previous_id=previous, previous_active=previous_active, new_owner_id=new
        )
        == told
    )
