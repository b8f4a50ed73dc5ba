"""Who counts as one of the company's members, decided from a payload or from what Slack said."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.blocks.replies import refusal
from bot.rules.access import from_another_organisation, outsider
from bot.rules.people import SlackPerson
from bot.texts.reader import Reader

ROOT = Path(__file__).resolve().parents[2]


def interaction(user_team: str | None, **extra: Any) -> dict[str, Any]:
    user: dict[str, Any] = {"id": "U0X"}
    if user_team is not None:
        user["team_id"] = user_team
    return {"type": "block_actions", "user": user, "team": {"id": "T0ACME"}, **extra}


@pytest.mark.parametrize(
    ("body", "acting_team", "expected"),
    [
        (interaction("T0ACME"), "T0ACME", False),
        # A Slack Connect user pressing a button in a shared channel.
        (interaction("T0PARTNER"), "T0ACME", True),
        # A modal opened in a shared channel: the request acts for the team that installed the
        # app, whatever the payload's `team` says.
        (
            {**interaction("T0PARTNER"), "team": {"id": "T0PARTNER"}},
            "T0ACME",
            True,
        ),
        # Enterprise Grid: the user's team may be the organisation itself.
        (
            interaction("E0ACME", team={"id": "T0ACME", "enterprise_id": "E0ACME"}),
            "T0ACME",
            False,
        ),
        (interaction("E0ACME", enterprise={"id": "E0ACME", "name": "Acme"}), "T0ACME", False),
        (interaction("E0OTHER", enterprise={"id": "E0ACME"}), "T0ACME", True),
        # Nothing says otherwise: a command carries no team of the user's own.
        ({"command": "/logcontact", "team_id": "T0ACME", "user_id": "U0X"}, "T0ACME", False),
        (interaction(None), "T0ACME", False),
    ],
)
def test_a_payload_says_when_its_user_is_of_another_organisation(body, acting_team, expected):
    assert from_another_organisation(body, acting_team) is expected


def person(**changes: Any) -> SlackPerson:
    fields: dict[str, Any] = {
        "user_id": "U0X",
        "team_id": "T0ACME",
        "name": "X",
        "tz": "Europe/Berlin",
        "locale": "en-US",
        "email": None,
        "is_bot": False,
        "deleted": False,
        "is_admin": False,
        "is_guest": False,
    }
    return SlackPerson(**(fields | changes))


@pytest.mark.parametrize(
    ("someone", "expected"),
    [
        (person(), False),
        (person(team_id=None), False),
        (person(is_guest=True), True),
        (person(team_id="T0PARTNER"), True),
        (person(is_bot=True), True),
        (None, True),
    ],
    ids=["member", "member-without-team", "guest", "other-organisation", "app", "unknown"],
)
def test_only_a_member_of_the_company_is_no_outsider(someone, expected) -> None:
    assert outsider(someone, "T0ACME") is expected


def test_the_refusal_is_in_the_readers_language_or_both_when_unknown() -> None:
    english = refusal(Reader("en-GB")).text
    german = refusal(Reader("de-AT")).text
    both = refusal(None).text

    assert "own members" in english and "vorbehalten" not in english
    assert "vorbehalten" in german and "own members" not in german
    assert both == f"{english}\n{german}"


def test_the_person_asking_is_loaded_only_through_the_members_only_check() -> None:
    """Every use case loads the asker with `bot.usecases.members.asker` (or `asker_row`, the
    same as columns), which refuses guests: a new one calling a query behind them directly
    would skip the check."""
    callers = [
        path.relative_to(ROOT).as_posix()
        for folder in ("bot", "handlers", "scheduler")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"\bmember(_row)?_of_team\(", path.read_text())
    ]
    assert callers == ["bot/usecases/members.py"]
