"""Guests and outsiders for the members-only scenarios: who they are and how Slack says so."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.rows import Interaction, Member, Partner, Promise, all_of, count
from tests.support.world import TEAM

REFUSED = {
    "en": "Rapport is for this company's own members",
    "de": "Rapport ist den eigenen Mitgliedern dieser Firma vorbehalten",
}
GERDA = "U0GERDA"
_event_ids = itertools.count(1)


@dataclass(frozen=True)
class Guest:
    """A guest of the workspace: which kind, and the language their Slack is set to."""

    kind: str  # "multi-channel" or "single-channel"
    lang: str  # "en" or "de"
    user_id: str = GERDA

    @property
    def flags(self) -> dict[str, bool]:
        if self.kind == "single-channel":
            return {"is_ultra_restricted": True}
        return {"is_restricted": True}

    @property
    def locale(self) -> str:
        return "de-DE" if self.lang == "de" else "en-US"

    @property
    def refused(self) -> str:
        return REFUSED[self.lang]

    @property
    def logged(self) -> str:
        return "Erfasst" if self.lang == "de" else "Logged"


# Every surface is tried by both kinds of guest, and in both languages.
GUESTS = [
    pytest.param(Guest("multi-channel", "en"), id="multi-channel-guest-en"),
    pytest.param(Guest("single-channel", "de"), id="single-channel-guest-de"),
]
ALL_GUESTS = [
    *GUESTS,
    pytest.param(Guest("multi-channel", "de"), id="multi-channel-guest-de"),
    pytest.param(Guest("single-channel", "en"), id="single-channel-guest-en"),
]


def in_slack(rapport: RunningRapport, guest: Guest, *, as_guest: bool = True) -> dict[str, Any]:
    """Put Gerda into the stand-in's workspace, as a guest or as a full member."""
    flags = guest.flags if as_guest else {}
    return rapport.slack.add_user(
        guest.user_id,
        name="gerda",
        real_name="Gerda Gast",
        tz="Europe/Berlin",
        locale=guest.locale,
        **flags,
    )


def slack_says(rapport: RunningRapport, profile: dict[str, Any]) -> None:
    """A `user_change` event carrying `profile`, as Slack sends it when a user's type changes."""
    event = {"type": "user_change", "user": profile}
    assert rapport.event(f"EvGuest{next(_event_ids)}", event).status == 200


def becomes_guest(rapport: RunningRapport, guest: Guest) -> None:
    slack_says(rapport, in_slack(rapport, guest))


def becomes_member(rapport: RunningRapport, guest: Guest) -> None:
    slack_says(rapport, in_slack(rapport, guest, as_guest=False))


def cached_guest(rapport: RunningRapport, guest: Guest) -> None:
    """Gerda as Rapport knows her after a first command: cached, and marked a guest."""
    in_slack(rapport, guest)
    first = rapport.command("help", user=guest.user_id)
    assert guest.refused in first.later()["text"]
    assert member(rapport, guest.user_id).is_guest


def member(rapport: RunningRapport, user_id: str) -> Member:
    return next(m for m in all_of(rapport.db, Member) if m.slack_user_id == user_id)


def partner_data(rapport: RunningRapport) -> dict[str, Any]:
    """Alice's partner with a note and a promise; her summary, with its buttons."""
    reply = rapport.command(
        "Acme call confidential pricing talk promise: send the price list by Friday"
    ).reply()
    assert "Logged your contact with *Acme*" in texts(reply)
    return reply


def snapshot(rapport: RunningRapport) -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        count(rapport.db, Interaction),
        [(p.name, p.owner_id, p.check_in_snoozed_until, p.paused_until) for p in partners(rapport)],
        [(p.status, p.due_on, p.member_id) for p in all_of(rapport.db, Promise)],
        [
            (m.slack_user_id, m.work_start_minute, m.work_end_minute, m.language, m.is_guest)
            for m in all_of(rapport.db, Member)
        ],
    )


def partners(rapport: RunningRapport) -> list[Partner]:
    return all_of(rapport.db, Partner)


def assert_refused(message: dict[str, Any] | str, refused: str) -> None:
    """The refusal, and nothing of the partner data it stands in front of."""
    shown = message if isinstance(message, str) else f"{message.get('text')}\n{texts(message)}"
    assert refused in shown, shown
    for secret in ("Acme", "pricing", "price list"):
        assert secret not in shown, shown


__all__ = ["TEAM"]
