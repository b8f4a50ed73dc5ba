"""Slack's events keep the directory of shared channels current, over signed HTTP on both
backends: joins, leaves and sharing change a cached channel without asking Slack again, each
event is handled once however often Slack delivers it, and an event for another workspace or
in a shape Slack does not send changes nothing and breaks nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox.signing import event_callback
from bot.slack.conversations import MEMBERS_LISTED_MAX
from storage.models import ChannelMember, ProcessedEvent, SlackChannel, SlackPersonRow
from tests.support.app import RunningRapport
from tests.support.rows import count
from tests.support.world import TEAM

BOT = "U0BOT"


def look_up(rapport: RunningRapport, channel: str = "C0SHARED") -> Any:
    """What the message listener asks the directory, as it asks it."""
    return rapport.services.slack_directory.channel(rapport.app.client, TEAM, channel)


def joined(channel: str, user: str) -> dict[str, Any]:
    return {
        "type": "member_joined_channel",
        "user": user,
        "channel": channel,
        "channel_type": "C",
        "team": TEAM,
        "inviter": "U0ALICE",
        "event_ts": "1764064800.000100",
    }


def left(channel: str, user: str) -> dict[str, Any]:
    return {
        "type": "member_left_channel",
        "user": user,
        "channel": channel,
        "channel_type": "C",
        "team": TEAM,
        "event_ts": "1764064800.000200",
    }


def shared(channel: str) -> dict[str, Any]:
    return {
        "type": "channel_shared",
        "connected_team_id": "T0PARTNER",
        "channel": channel,
        "event_ts": "1764064800.000300",
    }


def unshared(channel: str) -> dict[str, Any]:
    return {
        "type": "channel_unshared",
        "previously_connected_team_id": "T0PARTNER",
        "channel": channel,
        "is_ext_shared": False,
        "event_ts": "1764064800.000400",
    }


def info_calls(rapport: RunningRapport) -> int:
    return len(rapport.slack.calls_to("conversations.info"))


def cached_channels(rapport: RunningRapport) -> list[str]:
    with rapport.db.reading() as session:
        return list(session.scalars(select(SlackChannel.channel_id)))


# --- membership ----------------------------------------------------------------------------------


def test_a_join_updates_a_cached_channel_without_asking_slack_again(
    rapport: RunningRapport,
) -> None:
    assert look_up(rapport).member_count == 4
    rapport.slack.update_channel("C0SHARED", join=["U0BOB"])

    assert rapport.event("EvJoin1", joined("C0SHARED", "U0BOB")).status == 200

    facts = look_up(rapport)
    assert facts.member_count == 5
    assert facts.member_ids == {"U0ALICE", "U0KENJI", "U0EMMA", BOT, "U0BOB"}
    assert info_calls(rapport) == 1
    assert len(rapport.slack.calls_to("conversations.members")) == 1


def test_a_leave_updates_a_cached_channel_without_asking_slack_again(
    rapport: RunningRapport,
) -> None:
    look_up(rapport)

    assert rapport.event("EvLeft1", left("C0SHARED", "U0EMMA")).status == 200
    # Someone the cache never had leaving changes nothing (a join the cache missed).
    assert rapport.event("EvLeft2", left("C0SHARED", "U0JONAS")).status == 200

    facts = look_up(rapport)
    assert (facts.member_count, facts.member_ids) == (3, {"U0ALICE", "U0KENJI", BOT})
    assert info_calls(rapport) == 1


def test_membership_of_a_channel_not_cached_is_left_for_the_first_look_up(
    rapport: RunningRapport,
) -> None:
    look_up(rapport)  # the workspace is known, C0TEAM is not cached

    assert rapport.event("EvJoin2", joined("C0TEAM", "U0EMMA")).status == 200
    assert rapport.event("EvLeft3", left("C0TEAM", "U0BOB")).status == 200

    assert cached_channels(rapport) == ["C0SHARED"]
    facts = look_up(rapport, "C0TEAM")
    assert facts.member_ids == {"U0ALICE", "U0JONAS", "U0BOB", BOT}  # as Slack lists them
    assert info_calls(rapport) == 2


def test_the_bot_leaving_drops_the_channel_and_rejoining_reads_it_afresh(
    rapport: RunningRapport,
) -> None:
    look_up(rapport)
    look_up(rapport, "C0TEAM")

    assert rapport.event("EvBotLeft", left("C0SHARED", BOT)).status == 200
    assert cached_channels(rapport) == ["C0TEAM"]

    assert rapport.event("EvBotJoined", joined("C0TEAM", BOT)).status == 200
    assert cached_channels(rapport) == []
    with rapport.db.reading() as session:
        assert session.scalars(select(ChannelMember)).all() == []

    look_up(rapport, "C0TEAM")
    assert info_calls(rapport) == 3


# --- sharing -------------------------------------------------------------------------------------


def test_a_channel_shared_is_marked_so_and_unshared_is_read_afresh(
    rapport: RunningRapport,
) -> None:
    assert look_up(rapport, "C0TEAM").is_ext_shared is False

    rapport.slack.update_channel("C0TEAM", is_ext_shared=True)
    assert rapport.event("EvShared1", shared("C0TEAM")).status == 200
    assert look_up(rapport, "C0TEAM").is_ext_shared is True
    assert info_calls(rapport) == 1

    rapport.slack.update_channel("C0TEAM", is_ext_shared=False)
    assert rapport.event("EvUnshared1", unshared("C0TEAM")).status == 200
    assert cached_channels(rapport) == []
    assert look_up(rapport, "C0TEAM").is_ext_shared is False
    assert info_calls(rapport) == 2


# --- once per event id ---------------------------------------------------------------------------


def test_an_event_delivered_three_times_is_processed_once(
    rapport: RunningRapport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.events")
    # Too large to list: its count is all the cache has, so only the event id stops a retry
    # from counting the same join again.
    crowd = [f"U{n:05d}" for n in range(MEMBERS_LISTED_MAX)]
    rapport.slack.add_channel("C0HUGE", name="huge", members=crowd, is_ext_shared=True)
    assert look_up(rapport, "C0HUGE").member_count == MEMBERS_LISTED_MAX + 1
    event = joined("C0HUGE", "U0BOB")

    answers = [rapport.event("EvThrice1", event)]
    for retry in ("1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        answers.append(rapport.event("EvThrice1", event, headers=headers))

    assert [answer.status for answer in answers] == [200, 200, 200]
    assert look_up(rapport, "C0HUGE").member_count == MEMBERS_LISTED_MAX + 2  # one more
    assert info_calls(rapport) == 1
    assert count(rapport.db, ProcessedEvent) == 1
    retries = [r.getMessage() for r in caplog.records if "delivered again" in r.getMessage()]
    assert retries == [
        "member_joined_channel event delivered again by Slack (retry 1)",
        "member_joined_channel event delivered again by Slack (retry 2)",
    ]
    assert all(r.levelno == logging.INFO for r in caplog.records if "retry" in r.getMessage())


def test_a_leave_retried_after_a_rejoin_is_not_counted_twice(rapport: RunningRapport) -> None:
    look_up(rapport)
    assert rapport.event("EvOut", left("C0SHARED", "U0EMMA")).status == 200
    assert rapport.event("EvIn", joined("C0SHARED", "U0EMMA")).status == 200
    headers = {"X-Slack-Retry-Num": "1"}
    assert rapport.event("EvOut", left("C0SHARED", "U0EMMA"), headers=headers).status == 200

    facts = look_up(rapport)
    assert facts.member_count == 4 and "U0EMMA" in facts.member_ids


# --- other workspaces and shapes Slack does not send ---------------------------------------------


def test_an_event_for_another_workspace_changes_nothing(
    rapport: RunningRapport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.events")
    look_up(rapport)

    for n, event in enumerate(
        (joined("C0SHARED", "U0BOB"), left("C0SHARED", "U0EMMA"), unshared("C0SHARED"))
    ):
        envelope = event_callback(team_id="T0ELSEWHERE", event_id=f"EvOther{n}", event=event)
        assert rapport.sender.event(envelope).status == 200

    facts = look_up(rapport)
    assert facts.member_count == 4 and facts.is_ext_shared
    assert count(rapport.db, ProcessedEvent) == 0
    ignored = [r for r in caplog.records if "not installed in" in r.getMessage()]
    assert len(ignored) == 3


def test_an_event_from_a_shared_channel_counts_for_the_workspace_it_was_delivered_to(
    rapport: RunningRapport,
) -> None:
    """In a Slack Connect channel the envelope's `team_id` may be the other organisation's;
    `authorizations` names the installation the event is delivered to, as Bolt reads it."""
    look_up(rapport)
    envelope = event_callback(team_id=TEAM, event_id="EvConnect", event=joined("C0SHARED", "U0BOB"))
    envelope["team_id"] = "T0PARTNER"

    assert rapport.sender.event(envelope).status == 200
    assert look_up(rapport).member_count == 5


def test_a_user_change_for_another_workspace_changes_nothing(rapport: RunningRapport) -> None:
    rapport.services.slack_directory.people(rapport.app.client, TEAM, ["U0KENJI"])
    kenji = {"id": "U0KENJI", "team_id": "T0PARTNER", "tz": "Asia/Seoul"}
    envelope = event_callback(
        team_id="T0ELSEWHERE", event_id="EvOtherUser", event={"type": "user_change", "user": kenji}
    )
    assert rapport.sender.event(envelope).status == 200
    with rapport.db.reading() as session:
        assert session.scalars(select(SlackPersonRow.tz)).all() == ["Asia/Tokyo"]


@pytest.mark.parametrize(
    "event",
    [
        {"type": "member_joined_channel", "user": "U0BOB"},  # no channel
        {"type": "member_joined_channel", "channel": "C0SHARED"},  # no user
        {"type": "member_joined_channel", "channel": "C0SHARED", "user": "bob"},
        {"type": "member_joined_channel", "channel": "#acme-partners", "user": "U0BOB"},
        {"type": "member_joined_channel", "channel": "C0SHARED", "user": "U0" + "B" * 40},
        {"type": "member_left_channel", "channel": {"id": "C0SHARED"}, "user": "U0EMMA"},
        {"type": "member_left_channel", "channel": "C0SHARED", "user": {"id": "U0EMMA"}},
        {"type": "member_left_channel", "channel": "C0SHARED\u0000", "user": "U0EMMA"},
        {"type": "channel_shared", "channel": None},
        {"type": "channel_unshared", "channel": "c0shared"},
        {"type": "channel_unshared", "channel": ["C0SHARED"]},
        {"type": "member_joined_channel", "channel": 7, "user": 8},
        {"type": "user_change", "user": {"tz": "Asia/Tokyo"}},
        {"type": "user_change", "user": "U0KENJI"},
        {"type": "user_change", "user": {"id": "U0KENJI\u202e", "tz": "Asia/Tokyo"}},
    ],
)
def test_an_event_in_a_shape_slack_does_not_send_changes_nothing(
    rapport: RunningRapport, event: dict[str, Any]
) -> None:
    look_up(rapport)
    rapport.services.slack_directory.people(rapport.app.client, TEAM, ["U0KENJI"])

    answer = rapport.event("EvOdd1", event)

    assert answer.status in (200, 400), (answer.status, answer.body)
    facts = look_up(rapport)
    assert facts.member_count == 4 and facts.is_ext_shared
    with rapport.db.reading() as session:
        assert session.scalars(select(SlackPersonRow.tz)).all() == ["Asia/Tokyo"]
    assert count(rapport.db, ProcessedEvent) == 0


def test_an_event_without_an_event_id_changes_nothing(rapport: RunningRapport) -> None:
    look_up(rapport)
    envelope = event_callback(team_id=TEAM, event_id="", event=joined("C0SHARED", "U0BOB"))
    del envelope["event_id"]

    assert rapport.sender.event(envelope).status == 200
    assert look_up(rapport).member_count == 4


# --- people --------------------------------------------------------------------------------------


def test_one_users_info_per_new_person_and_user_change_refreshes_the_cached(
    rapport: RunningRapport,
) -> None:
    people = rapport.services.slack_directory.people
    client = rapport.app.client
    people(client, TEAM, ["U0KENJI", "U0EMMA"])
    people(client, TEAM, ["U0KENJI", "U0EMMA", "U0ALICE"])
    assert len(rapport.slack.calls_to("users.info")) == 3

    kenji = {"id": "U0KENJI", "team_id": "T0PARTNER", "real_name": "Kenji Sato", "tz": "Asia/Seoul"}
    assert rapport.event("EvKenji", {"type": "user_change", "user": kenji}).status == 200
    # An external profile without a zone keeps the one cached.
    emma = {"id": "U0EMMA", "team_id": "T0BRIT", "real_name": "Emma Clarke"}
    assert rapport.event("EvEmma", {"type": "user_change", "user": emma}).status == 200
    # Someone never seen in a shared channel is not added.
    bob = {"id": "U0BOB", "team_id": TEAM, "real_name": "Bob Miller", "tz": "Asia/Tokyo"}
    assert rapport.event("EvBob", {"type": "user_change", "user": bob}).status == 200

    found = people(client, TEAM, ["U0KENJI", "U0EMMA"])
    assert (found["U0KENJI"].tz, found["U0EMMA"].tz) == ("Asia/Seoul", "Europe/London")
    assert len(rapport.slack.calls_to("users.info")) == 3
    with rapport.db.reading() as session:
        assert "U0BOB" not in session.scalars(select(SlackPersonRow.slack_user_id)).all()


def test_an_external_person_without_a_zone_is_known_without_one(
    rapport: RunningRapport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.usecases.slack_directory")
    rapport.slack.add_user("U0NOZONE", team_id="T0PARTNER", name="nozone", tz=None)
    people = rapport.services.slack_directory.people

    found = people(rapport.app.client, TEAM, ["U0NOZONE", "U0KENJI"])
    again = people(rapport.app.client, TEAM, ["U0NOZONE"])

    assert found["U0NOZONE"].tz is None and found["U0NOZONE"].team_id == "T0PARTNER"
    assert again["U0NOZONE"] == found["U0NOZONE"]
    told = [r.getMessage() for r in caplog.records if "no time zone" in r.getMessage()]
    assert told == ["users.info named no time zone for a person of another organisation"]
    nozone = {"id": "U0NOZONE", "team_id": "T0PARTNER", "real_name": "No Zone"}
    assert rapport.event("EvNoZone", {"type": "user_change", "user": nozone}).status == 200
    assert people(rapport.app.client, TEAM, ["U0NOZONE"])["U0NOZONE"].name == "No Zone"


@pytest.mark.parametrize("event_id", ["Ev" + "x" * 80, "Ev\u0000nul", "Ev\ud800"])
def test_an_event_id_slack_does_not_send_changes_nothing(
    rapport: RunningRapport, event_id: str
) -> None:
    look_up(rapport)
    answer = rapport.event(event_id, joined("C0SHARED", "U0BOB"))

    assert answer.status in (200, 400), (answer.status, answer.body)
    assert look_up(rapport).member_count == 4
    assert count(rapport.db, ProcessedEvent) == 0


# --- event types no listener takes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "logged"),
    [
        ({"type": "app_mention", "user": "U0ALICE", "text": "hi", "channel": "C0X"}, "app_mention"),
        ({"type": "emoji_changed", "subtype": "add", "name": "x"}, "emoji_changed"),
        ({"type": "reaction_added", "user": "U0ALICE", "reaction": "x"}, "reaction_added"),
        ({"type": "Robert'); DROP TABLE members;--"}, "?"),
        ({"type": "x" * 65}, "?"),
    ],
)
def test_an_event_type_no_listener_takes_is_acknowledged_and_nothing_done(
    rapport: RunningRapport,
    caplog: pytest.LogCaptureFixture,
    event: dict[str, Any],
    logged: str,
) -> None:
    caplog.set_level(logging.INFO)
    before = len(rapport.slack.calls)
    answer = rapport.event("EvUnhandled", event)
    assert answer.status == 200, (answer.status, answer.body)
    assert rapport.wait_until_idle()
    assert len(rapport.slack.calls) == before
    assert count(rapport.db, ProcessedEvent) == 0
    lines = [r.getMessage() for r in caplog.records if logged in r.getMessage()]
    assert lines, [r.getMessage() for r in caplog.records]
    for record in caplog.records:
        assert "DROP" not in record.getMessage() and "hi" not in record.getMessage().split()
