"""Guest status comes from Slack's `users.info` and is cached with the member's profile."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.users import person_from_slack


def slack_user(**changes: Any) -> dict[str, Any]:
    user = {
        "id": "U0GUEST",
        "team_id": "T0ACME",
        "name": "gast",
        "real_name": "Gerda Gast",
        "tz": "Europe/Berlin",
        "locale": "de-DE",
        "is_restricted": False,
        "is_ultra_restricted": False,
        "profile": {"real_name": "Gerda Gast", "team": "T0ACME"},
    }
    return user | changes


@pytest.mark.parametrize(
    ("flags", "guest"),
    [
        ({}, False),
        ({"is_restricted": True}, True),
        ({"is_restricted": True, "is_ultra_restricted": True}, True),
        # Should Slack ever send the single-channel flag alone, it still marks a guest.
        ({"is_ultra_restricted": True}, True),
    ],
)
def test_multi_and_single_channel_guests_are_read_as_guests(flags, guest) -> None:
    person = person_from_slack(slack_user(**flags))

    assert person.is_guest is guest
    assert person.member_profile()["is_guest"] is guest


def test_a_profile_without_the_flags_is_a_member() -> None:
    user = slack_user()
    del user["is_restricted"], user["is_ultra_restricted"]

    assert person_from_slack(user).member_profile()["is_guest"] is False
