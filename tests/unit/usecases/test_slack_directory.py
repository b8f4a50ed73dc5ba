"""The directory of shared channels on both backends, Slack played by the stand-in: one Slack
call per new channel or person, a day's cache, bounded listing, races, and Slack's refusals."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.slack import conversations
from bot.slack.clients import app_client
from bot.slack.conversations import MEMBERS_LISTED_MAX, ChannelFacts
from bot.slack.users import LookupFailed
from bot.usecases.slack_directory import SlackDirectory
from storage.db import Database
from storage.models import ChannelMember, SlackChannel, SlackPersonRow
from tests.support.racing import at_once
from tests.support.world import TEAM


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return app_client(slack.bot_token, slack.base_url)


@pytest.fixture
def directory(db: Database, clock: ManualClock) -> SlackDirectory:
    return SlackDirectory(db, clock)


@pytest.fixture(autouse=True)
def fresh_warnings() -> None:
    """Each test sees the once-per-process missing_scope warning anew."""
    conversations._warned.clear()


def calls(slack: SlackStandIn, method: str) -> int:
    return len(slack.calls_to(method))


# --- channels ------------------------------------------------------------------------------------


def test_a_shared_channel_is_read_once_and_then_served_from_the_cache(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, db: Database
) -> None:
    first = directory.channel(client, TEAM, "C0SHARED")
    again = directory.channel(client, TEAM, "C0SHARED")

    expected = ChannelFacts(
        channel_id="C0SHARED",
        is_private=False,
        is_ext_shared=True,
        is_pending_ext_shared=False,
        member_count=4,  # Alice, Kenji, Emma and the bot
        member_ids=frozenset({"U0ALICE", "U0KENJI", "U0EMMA", "U0BOT"}),
    )
    assert first == again == expected
    assert (calls(slack, "conversations.info"), calls(slack, "conversations.members")) == (1, 1)
    with db.reading() as session:
        assert session.scalars(select(SlackChannel.member_count)).all() == [4]
        assert len(session.scalars(select(ChannelMember)).all()) == 4


def test_a_day_old_channel_is_read_again(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    clock: ManualClock,
) -> None:
    directory.channel(client, TEAM, "C0SHARED")
    slack.update_channel("C0SHARED", leave=["U0EMMA"], is_ext_shared=False)

    clock.advance(timedelta(hours=23))
    assert directory.channel(client, TEAM, "C0SHARED").is_ext_shared  # type: ignore[union-attr]
    clock.advance(timedelta(hours=1, minutes=1))
    later = directory.channel(client, TEAM, "C0SHARED")

    assert later is not None and not later.is_ext_shared
    assert later.member_ids == frozenset({"U0ALICE", "U0KENJI", "U0BOT"})
    assert later.member_count == 3
    assert calls(slack, "conversations.info") == 2


@pytest.mark.parametrize(
    ("error", "status"),
    [("ratelimited", 429), ("internal_error", 500), ("missing_scope", 200)],
)
def test_a_day_old_channel_serves_when_slack_does_not_answer(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    clock: ManualClock,
    error: str,
    status: int,
) -> None:
    directory.channel(client, TEAM, "C0SHARED")
    clock.advance(timedelta(hours=25))
    slack.fail_next("conversations.info", error=error, status=status, retry_after=None)
    facts = directory.channel(client, TEAM, "C0SHARED")
    assert facts is not None and facts.is_ext_shared and facts.member_count == 4
    # Older than two days it serves no more.
    clock.advance(timedelta(days=1))
    slack.fail_next("conversations.info", error=error, status=status, retry_after=None)
    if error == "missing_scope":
        clock.advance(timedelta(hours=1))  # believed for an hour: Slack is not asked before
    with pytest.raises(LookupFailed):
        directory.channel(client, TEAM, "C0SHARED")


def test_a_channel_the_bot_cannot_see_is_believed_for_an_hour(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, clock: ManualClock
) -> None:
    for _ in range(5):
        assert directory.channel(client, TEAM, "C0NOSUCH") is None
        clock.advance(timedelta(minutes=10))
    assert calls(slack, "conversations.info") == 1
    clock.advance(timedelta(minutes=11))
    slack.add_channel("C0NOSUCH", name="now", members=["U0ALICE"], is_ext_shared=True)
    assert directory.channel(client, TEAM, "C0NOSUCH") is not None
    assert calls(slack, "conversations.info") == 2


def test_a_private_channel_and_a_pending_invitation_are_told_apart(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    slack.add_channel(
        "G0SECRET", name="secret", members=["U0ALICE"], is_private=True, is_pending_ext_shared=True
    )
    facts = directory.channel(client, TEAM, "G0SECRET")
    assert facts is not None
    assert (facts.is_private, facts.is_ext_shared, facts.is_pending_ext_shared) == (
        True,
        False,
        True,
    )


def test_a_channel_the_bot_is_not_in_is_none_and_not_cached(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, db: Database
) -> None:
    slack.add_channel("G0CLOSED", name="closed", members=["U0ALICE"], is_private=True)
    slack.add_channel(
        "G0CLOSED", name="closed", members=["U0ALICE"], is_private=True, bot_is_member=False
    )
    assert directory.channel(client, TEAM, "G0CLOSED") is None
    assert directory.channel(client, TEAM, "C0NOSUCH") is None
    with db.reading() as session:
        assert session.scalars(select(SlackChannel)).all() == []


def test_a_channel_the_bot_could_not_see_is_asked_again_once_the_bot_joins_it(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    private = {"name": "later", "members": ["U0ALICE"], "is_private": True}
    slack.add_channel("G0LATER", **private, bot_is_member=False)
    assert directory.channel(client, TEAM, "G0LATER") is None
    assert directory.channel(client, TEAM, "G0LATER") is None  # believed for an hour
    assert calls(slack, "conversations.info") == 1

    slack.add_channel("G0LATER", **private, is_ext_shared=True)
    directory.member_joined(TEAM, "Ev0BOTJOINS", "G0LATER", "U0BOT", bot_user_id="U0BOT")

    assert directory.channel(client, TEAM, "G0LATER") is not None
    assert calls(slack, "conversations.info") == 2


def test_someone_slack_said_was_no_user_is_asked_again_once_they_join_a_channel(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    slack.fail_next("users.info", error="user_not_found", status=200, retry_after=None)
    assert directory.people(client, TEAM, ["U0KENJI"]) == {}
    assert directory.people(client, TEAM, ["U0KENJI"]) == {}  # believed for a day
    assert calls(slack, "users.info") == 1

    directory.channel(client, TEAM, "C0SHARED")
    directory.member_joined(TEAM, "Ev0KENJIJOINS", "C0SHARED", "U0KENJI", bot_user_id="U0BOT")

    assert set(directory.people(client, TEAM, ["U0KENJI"])) == {"U0KENJI"}
    assert calls(slack, "users.info") == 2


def test_a_channel_the_bot_was_removed_from_leaves_the_cache_when_read_again(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, clock: ManualClock, db
) -> None:
    slack.add_channel("G0PRIV", name="priv", members=["U0ALICE"], is_private=True)
    assert directory.channel(client, TEAM, "G0PRIV") is not None
    slack.add_channel(
        "G0PRIV", name="priv", members=["U0ALICE"], is_private=True, bot_is_member=False
    )
    clock.advance(timedelta(days=2))
    assert directory.channel(client, TEAM, "G0PRIV") is None
    with db.reading() as session:
        assert session.scalars(select(SlackChannel)).all() == []
        assert session.scalars(select(ChannelMember)).all() == []


def test_an_id_that_is_no_slack_id_is_not_asked_about(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    for channel in ("c0lower", "", "C0\x00", "C" * 40, "<#C0SHARED>"):
        assert directory.channel(client, TEAM, channel) is None
    assert directory.channel(client, "not a team", "C0SHARED") is None
    assert calls(slack, "conversations.info") == 0


def test_members_are_listed_in_pages_of_200(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    people = [f"U{n:05d}" for n in range(MEMBERS_LISTED_MAX - 1)]  # and the bot: 1,000
    slack.add_channel("C0BIG", name="big", members=people, is_ext_shared=True)

    facts = directory.channel(client, TEAM, "C0BIG")

    assert facts is not None and facts.member_count == MEMBERS_LISTED_MAX
    assert facts.member_ids is not None and len(facts.member_ids) == MEMBERS_LISTED_MAX
    pages = slack.calls_to("conversations.members")
    assert len(pages) == 5
    assert {int(call.args["limit"]) for call in pages} == {200}


def test_a_channel_over_a_thousand_is_known_by_its_count_alone(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, db: Database
) -> None:
    people = [f"U{n:05d}" for n in range(MEMBERS_LISTED_MAX)]  # and the bot: 1,001
    slack.add_channel("C0HUGE", name="huge", members=people, is_ext_shared=True)

    facts = directory.channel(client, TEAM, "C0HUGE")
    cached = directory.channel(client, TEAM, "C0HUGE")

    assert facts is not None and cached == facts
    assert (facts.member_count, facts.member_ids) == (MEMBERS_LISTED_MAX + 1, None)
    assert calls(slack, "conversations.members") == 0
    with db.reading() as session:
        assert session.scalars(select(SlackChannel.members_known)).all() == [False]


def test_slack_not_answering_raises_and_caches_nothing(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    db: Database,
    clock: ManualClock,
) -> None:
    slack.fail_next("conversations.info", retry_after=30)
    with pytest.raises(LookupFailed) as raised:
        directory.channel(client, TEAM, "C0SHARED")
    assert raised.value.error == "ratelimited"
    # Slack's Retry-After is honoured: not asked again before it passed.
    clock.advance(timedelta(seconds=29))
    with pytest.raises(LookupFailed):
        directory.channel(client, TEAM, "C0OTHER")
    assert calls(slack, "conversations.info") == 1
    clock.advance(timedelta(seconds=1))

    slack.fail_next("conversations.members", error="internal_error", status=500, retry_after=None)
    with pytest.raises(LookupFailed):
        directory.channel(client, TEAM, "C0SHARED")
    with db.reading() as session:
        assert session.scalars(select(SlackChannel)).all() == []

    # No answer about the channel is believed for a minute: not asked again before.
    asked = calls(slack, "conversations.info")
    with pytest.raises(LookupFailed):
        directory.channel(client, TEAM, "C0SHARED")
    assert calls(slack, "conversations.info") == asked
    clock.advance(timedelta(minutes=1))
    assert directory.channel(client, TEAM, "C0SHARED") is not None


def test_a_missing_scope_is_logged_once_with_the_advice(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.fail_next("conversations.info", error="missing_scope", status=200, times=3)
    with caplog.at_level(logging.WARNING, logger="bot.slack.conversations"):
        for _ in range(3):
            with pytest.raises(LookupFailed):
                directory.channel(client, TEAM, "C0SHARED")

    advice = [r.getMessage() for r in caplog.records if "missing_scope" in r.getMessage()]
    assert len(advice) == 1
    assert "channels:read" in advice[0] and "groups:read" in advice[0]
    assert "reinstall" in advice[0]


def test_two_threads_filling_one_channel_at_once_both_succeed(
    directory: SlackDirectory, client: WebClient, db: Database
) -> None:
    found = at_once(4, lambda _: directory.channel(client, TEAM, "C0SHARED"))

    assert len({facts for facts in found}) == 1
    with db.reading() as session:
        assert len(session.scalars(select(SlackChannel)).all()) == 1
        assert len(session.scalars(select(ChannelMember)).all()) == 4


def test_threads_asking_about_one_new_channel_at_once_make_one_slack_call(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    slack.set_delay("conversations.info", 0.2)  # all of them arrive while the first asks

    found = at_once(6, lambda _: directory.channel(client, TEAM, "C0SHARED"))

    assert len(set(found)) == 1
    assert calls(slack, "conversations.info") == 1


# --- people --------------------------------------------------------------------------------------


def test_people_are_asked_once_each_and_then_served_from_the_cache(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    ids = ["U0ALICE", "U0KENJI", "U0EMMA"]
    first = directory.people(client, TEAM, ids)
    again = directory.people(client, TEAM, [*ids, "U0KENJI"])

    assert first == again
    assert calls(slack, "users.info") == 3
    kenji = first["U0KENJI"]
    assert (kenji.team_id, kenji.tz, kenji.name) == ("T0PARTNER", "Asia/Tokyo", "Kenji Sato")
    assert first["U0ALICE"].team_id == TEAM


def test_an_external_person_without_a_zone_is_cached_without_one(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    slack.add_user("U0NOTZ", team_id="T0PARTNER", name="nozone", tz=None)
    slack.add_user("U0BADTZ", team_id="T0PARTNER", name="badzone", tz="Mars/Olympus")

    found = directory.people(client, TEAM, ["U0NOTZ", "U0BADTZ"])

    assert found["U0NOTZ"].tz is None and found["U0BADTZ"].tz is None
    assert directory.people(client, TEAM, ["U0NOTZ"])["U0NOTZ"].team_id == "T0PARTNER"
    assert calls(slack, "users.info") == 2


def test_at_most_so_many_are_asked_and_the_rest_next_time(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    for n in range(5):
        slack.add_user(f"U0NEW{n}", team_id="T0PARTNER", name=f"new{n}")
    ids = [f"U0NEW{n}" for n in range(5)]

    first = directory.people(client, TEAM, ids, ask_at_most=3)
    second = directory.people(client, TEAM, ids, ask_at_most=3)

    assert len(first) == 3 and len(second) == 5
    assert calls(slack, "users.info") == 5


def test_a_complete_answer_beyond_so_many_new_people_is_refused_and_goes_on_next_time(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    for n in range(5):
        slack.add_user(f"U0NEW{n}", team_id="T0PARTNER", name=f"new{n}")
    ids = [f"U0NEW{n}" for n in range(5)]

    with pytest.raises(LookupFailed):
        directory.people(client, TEAM, ids, ask_at_most=3, complete=True)
    everyone = directory.people(client, TEAM, ids, ask_at_most=3, complete=True)

    assert set(everyone) == set(ids)
    assert calls(slack, "users.info") == 5  # the first three were kept, and not asked again


def test_someone_slack_does_not_know_is_left_out_and_remembered_so_for_a_day(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    clock: ManualClock,
    db: Database,
) -> None:
    assert set(directory.people(client, TEAM, ["U0EMMA", "U0GHOST"])) == {"U0EMMA"}
    with slack._lock:  # Emma's account is gone from Slack altogether
        del slack._users["U0EMMA"]
    clock.advance(timedelta(days=1, minutes=1))

    assert directory.people(client, TEAM, ["U0EMMA"]) == {}
    asked = calls(slack, "users.info")
    assert asked == 3
    with db.reading() as session:
        rows = session.scalars(select(SlackPersonRow).order_by(SlackPersonRow.slack_user_id))
        assert [(r.slack_user_id, r.team_id, r.deleted) for r in rows] == [
            ("U0EMMA", None, True),
            ("U0GHOST", None, True),
        ]
    # Within the day Emma is not asked about again, nor ever read as a person.
    clock.advance(timedelta(hours=23))
    assert directory.people(client, TEAM, ["U0EMMA"]) == {}
    assert calls(slack, "users.info") == asked
    # A day after it was said, she is asked about again (an id may come back).
    clock.advance(timedelta(hours=2))
    assert directory.people(client, TEAM, ["U0EMMA"]) == {}
    assert calls(slack, "users.info") == asked + 1


def test_ghost_mentions_cost_one_call_each_once(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    ghosts = [f"U0GHOST{n:02d}" for n in range(30)]
    for _ in range(5):
        assert directory.people(client, TEAM, ghosts) == {}
    assert calls(slack, "users.info") == 30


def test_stale_people_are_asked_again_after_the_new_ones_and_kept_when_not_asked(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, clock: ManualClock
) -> None:
    directory.people(client, TEAM, ["U0KENJI"])
    slack.add_user("U0KENJI", team_id="T0PARTNER", name="kenji", real_name="Kenji", tz="Asia/Seoul")
    clock.advance(timedelta(days=1, minutes=1))

    held_back = directory.people(client, TEAM, ["U0KENJI", "U0EMMA"], ask_at_most=1)
    assert held_back["U0KENJI"].tz == "Asia/Tokyo"  # yesterday's answer, not asked yet
    assert set(held_back) == {"U0KENJI", "U0EMMA"}

    refreshed = directory.people(client, TEAM, ["U0KENJI", "U0EMMA"], ask_at_most=1)
    assert refreshed["U0KENJI"].tz == "Asia/Seoul"
    assert calls(slack, "users.info") == 3


def test_slack_not_answering_ends_the_asking_with_what_is_known(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn, clock: ManualClock
) -> None:
    directory.people(client, TEAM, ["U0ALICE"])
    slack.fail_next("users.info", times=1, retry_after=2)

    found = directory.people(client, TEAM, ["U0ALICE", "U0KENJI", "U0EMMA"])

    assert set(found) == {"U0ALICE"}
    assert calls(slack, "users.info") == 2  # Alice once, then the refused call; Emma not asked
    # Until Slack's Retry-After has passed nobody is asked about; asked for all, it raises.
    clock.advance(timedelta(seconds=1))
    assert directory.people(client, TEAM, ["U0KENJI"]) == {}
    with pytest.raises(LookupFailed):
        directory.people(client, TEAM, ["U0ALICE", "U0KENJI"], complete=True)
    assert calls(slack, "users.info") == 2
    clock.advance(timedelta(seconds=1))
    assert set(directory.people(client, TEAM, ["U0KENJI", "U0EMMA"])) == {"U0KENJI", "U0EMMA"}


def test_ids_that_are_no_slack_ids_are_left_out_unasked(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    found = directory.people(client, TEAM, ["u0alice", "", "U0\u00c4", "U" * 40, "U0KENJI"])
    assert set(found) == {"U0KENJI"}
    assert calls(slack, "users.info") == 1


def test_two_threads_filling_one_person_at_once_both_succeed(
    directory: SlackDirectory, client: WebClient, db: Database
) -> None:
    found = at_once(4, lambda _: directory.people(client, TEAM, ["U0KENJI", "U0EMMA"]))

    assert all(set(each) == {"U0KENJI", "U0EMMA"} for each in found)
    with db.reading() as session:
        assert len(session.scalars(select(SlackPersonRow)).all()) == 2


def test_a_missing_users_read_scope_is_logged_once_and_ends_the_asking(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
    clock: ManualClock,
) -> None:
    slack.fail_next("users.info", error="missing_scope", status=200, times=2)
    with caplog.at_level(logging.WARNING, logger="bot.slack.conversations"):
        assert directory.people(client, TEAM, ["U0KENJI", "U0EMMA"]) == {}
        assert directory.people(client, TEAM, ["U0KENJI", "U0EMMA"]) == {}
        # The missing scope is believed for an hour: Slack is asked once, then again after.
        assert calls(slack, "users.info") == 1
        clock.advance(timedelta(minutes=61))
        assert directory.people(client, TEAM, ["U0KENJI", "U0EMMA"]) == {}

    advice = [r.getMessage() for r in caplog.records if "missing_scope" in r.getMessage()]
    assert len(advice) == 1 and "users:read" in advice[0] and "reinstall" in advice[0]
    assert calls(slack, "users.info") == 2


# --- events --------------------------------------------------------------------------------------


def test_joins_and_leaves_at_once_all_count(
    directory: SlackDirectory, client: WebClient, db: Database
) -> None:
    crowd = [f"U0J{n}" for n in range(6)]
    assert directory.channel(client, TEAM, "C0SHARED") is not None

    changed = at_once(
        6,
        lambda n: directory.member_joined(
            TEAM, f"EvJ{n}", "C0SHARED", crowd[n], bot_user_id="U0BOT"
        ),
    )
    assert changed == [True] * 6
    left = at_once(
        3,
        lambda n: directory.member_left(TEAM, f"EvL{n}", "C0SHARED", crowd[n], bot_user_id="U0BOT"),
    )
    assert left == [True] * 3

    facts = directory.channel(client, TEAM, "C0SHARED")
    assert facts is not None and facts.member_count == 4 + 6 - 3
    assert facts.member_ids == {"U0ALICE", "U0KENJI", "U0EMMA", "U0BOT", *crowd[3:]}


def test_one_event_delivered_at_once_by_several_threads_counts_once(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    crowd = [f"U{n:05d}" for n in range(MEMBERS_LISTED_MAX)]
    slack.add_channel("C0HUGE", name="huge", members=crowd, is_ext_shared=True)
    directory.channel(client, TEAM, "C0HUGE")

    done = at_once(
        4, lambda _: directory.member_joined(TEAM, "EvSame", "C0HUGE", "U0BOB", bot_user_id="U0BOT")
    )

    assert sorted(done) == [False, False, False, True]
    facts = directory.channel(client, TEAM, "C0HUGE")
    assert facts is not None and facts.member_count == MEMBERS_LISTED_MAX + 2


def test_events_for_a_workspace_with_nothing_cached_change_nothing(
    directory: SlackDirectory, db: Database
) -> None:
    assert not directory.member_joined(TEAM, "Ev1", "C0SHARED", "U0BOB", bot_user_id="U0BOT")
    assert not directory.channel_shared(TEAM, "Ev2", "C0SHARED")
    assert not directory.member_joined(TEAM, "", "C0SHARED", "U0BOB", bot_user_id="U0BOT")
    with db.reading() as session:
        assert session.scalars(select(SlackChannel)).all() == []


def test_threads_asking_about_one_new_person_at_once_make_one_slack_call_each(
    directory: SlackDirectory, client: WebClient, slack: SlackStandIn
) -> None:
    slack.set_delay("users.info", 0.1)  # all of them arrive while the first asks

    found = at_once(6, lambda _: directory.people(client, TEAM, ["U0KENJI", "U0EMMA"]))

    assert all(set(each) == {"U0KENJI", "U0EMMA"} for each in found)
    assert calls(slack, "users.info") == 2


def test_users_info_failing_is_told_once_an_hour_and_a_pause_not_at_all(
    directory: SlackDirectory,
    client: WebClient,
    slack: SlackStandIn,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.fail_next("users.info", error="internal_error", status=500, retry_after=None, times=3)
    slack.fail_next("users.info", error="ratelimited", status=429, retry_after=120)
    with caplog.at_level(logging.DEBUG, logger="bot.usecases.slack_directory"):
        for _ in range(4):
            assert directory.people(client, TEAM, ["U0KENJI"]) == {}
            clock.advance(timedelta(minutes=1))
        for _ in range(5):  # within the Retry-After: not asked, not told
            assert directory.people(client, TEAM, ["U0KENJI"]) == {}
            clock.advance(timedelta(seconds=10))
    told = [r.getMessage() for r in caplog.records if "users.info" in r.getMessage()]
    assert told == ["users.info stopped: internal_error", "users.info stopped: ratelimited"]
    assert calls(slack, "users.info") == 4
    clock.advance(timedelta(seconds=20))
    assert set(directory.people(client, TEAM, ["U0KENJI"])) == {"U0KENJI"}
