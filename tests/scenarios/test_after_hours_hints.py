"""After-hours hints in shared channels, end to end: signed message events to the running app,
Slack's stand-in answering the directory's look-ups and taking the ephemeral hint.

The app here is the web process alone, as `rapport serve --no-scheduler` runs it: no scheduler
is built, so every hint below comes from the web process itself, right after the ack. Time is
the injected clock's; nothing sleeps.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.rules.clock import ManualClock
from bot.sandbox.signing import event_callback, message_event
from bot.sandbox.standin import SlackStandIn
from storage.models import (
    AfterHoursHint,
    AfterHoursMessage,
    HintMute,
    Partner,
    ProcessedEvent,
    SlackPersonRow,
)
from storage.queries.members import workspace_for
from storage.vocabulary import name_key
from tests.security.guests import (
    ALL_GUESTS,
    GUESTS,
    REFUSED,
    Guest,
    assert_refused,
    cached_guest,
    in_slack,
)
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.rows import all_of

TOKYO = ZoneInfo("Asia/Tokyo")
# Wednesday 25 November 2026, 23:10 in Tokyo (15:10 in Berlin, where Alice works).
LATE = datetime(2026, 11, 25, 23, 10, tzinfo=TOKYO)
# The clock starts at 10:00 in Berlin that Wednesday and only moves forwards: the next
# morning in Tokyo, and Monday 11 January 2027, Coming of Age Day in Japan, at ten.
MORNING = datetime(2026, 11, 26, 10, 0, tzinfo=TOKYO)
HOLIDAY = datetime(2027, 1, 11, 10, 0, tzinfo=TOKYO)
# Alice's Slack locale is en-US: times as Babel writes them there ("11:10 PM", a narrow space).
NNBSP = "\u202f"
SENTENCE = "Kenji, the signed contract for the Osaka rollout is attached, please countersign."

_event_ids = itertools.count(1)


@pytest.fixture
def shared(slack: SlackStandIn) -> SlackStandIn:
    """Besides the small shared channel (Alice, Kenji, Emma and the bot), a large one."""
    crowd = [f"U0CROWD{n:02d}" for n in range(8)]
    for user in crowd:
        slack.add_user(user, name=user.lower(), tz="Europe/Berlin")
    slack.add_channel(
        "C0BIG",
        name="acme-community",
        members=["U0ALICE", "U0JONAS", "U0KENJI", *crowd],
        is_ext_shared=True,
    )
    return slack


def say(
    rapport: RunningRapport,
    clock: ManualClock,
    at: datetime,
    text: str,
    *,
    user: str = "U0ALICE",
    channel: str = "C0BIG",
    user_team: str | None = None,
    event_id: str | None = None,
    retry: int | None = None,
    **extra: Any,
) -> str:
    """`user` says `text` in `channel` at `at` (the clock moves there); the event's id."""
    clock.set(at)
    event = message_event(
        channel=channel,
        user=user,
        user_team=user_team or rapport.slack.team_id,
        text=text,
        ts=f"{at.timestamp():.6f}",
    )
    event.update(extra)
    event_id = event_id or f"Ev{next(_event_ids):08d}"
    headers = {} if retry is None else {"X-Slack-Retry-Num": str(retry)}
    if retry is not None:
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    answer = rapport.event(event_id, event, is_ext_shared_channel=True, headers=headers)
    assert answer.status == 200, (answer.status, answer.body)
    assert rapport.wait_until_idle()
    return event_id


def rows(rapport: RunningRapport, model: type) -> list[Any]:
    """Every row of a table without an `id` column (`all_of` orders by it)."""
    with rapport.db.transaction() as session:
        return list(session.scalars(select(model)))


def add_partner(rapport: RunningRapport, clock: ManualClock, user: str, tz: str) -> int:
    """A partner profile linked to Slack user `user`, its zone typed as `tz`; its id."""
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, rapport.slack.team_id, clock.now())
        partner = Partner(
            workspace_id=workspace.id,
            name=f"Partner {user}",
            name_key=name_key(f"Partner {user}"),
            slack_user_id=user,
            tz=tz,
            tz_source="typed",
            created_at=clock.now(),
        )
        session.add(partner)
        session.flush()
        return partner.id


def hints(slack: SlackStandIn, user: str = "U0ALICE") -> list[dict[str, Any]]:
    return [e for e in slack.ephemerals() if e["user"] == user]


# --- when a hint comes, and when not ---------------------------------------------------------


def test_a_mention_of_a_partner_at_23_10_their_time_earns_a_hint(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")

    (hint,) = hints(shared)
    assert hint["channel"] == "C0BIG"
    shown = texts(hint)
    assert "your message here reached someone outside their business hours" in shown
    assert f"<@U0KENJI>: Wednesday, 11:10{NNBSP}PM their time (Asia/Tokyo)" in shown
    assert "pick a later time" in shown
    assert f"11:10{NNBSP}PM" in hint["text"]  # the plain-text fallback says the same
    assert set(buttons(hint)) == {"Mute in this channel", "Mute everywhere"}
    assert "Why" not in shown  # mentioned: that is why
    (row,) = all_of(rapport.db, AfterHoursMessage)
    assert (row.author_user_id, row.channel_id, row.person_user_id) == (
        "U0ALICE",
        "C0BIG",
        "U0KENJI",
    )
    assert row.sent_at == LATE


def test_none_at_ten_in_the_morning_partner_time(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, MORNING, f"<@U0KENJI> {SENTENCE}")
    assert hints(shared) == []
    assert all_of(rapport.db, AfterHoursMessage) == []


def test_one_on_the_partners_public_holiday_at_ten(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, HOLIDAY, f"<@U0KENJI> {SENTENCE}")
    (hint,) = hints(shared)
    assert f"Monday, 10:00{NNBSP}AM their time (Asia/Tokyo), public holiday: Coming of Age Day" in (
        texts(hint)
    )


def test_none_for_a_plain_message_in_a_large_channel(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, SENTENCE)
    assert hints(shared) == []
    # The same words with @here reach Kenji, and the hint says that is why.
    say(rapport, clock, LATE, f"<!here> {SENTENCE}")
    (hint,) = hints(shared)
    assert "Why: your message said @here." in texts(hint)


def test_a_plain_message_in_a_small_shared_channel_reaches_everyone_in_it(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    # C0SHARED: Alice, Kenji (23:10) and Emma (14:10 in London), with the bot: four members.
    say(rapport, clock, LATE, SENTENCE, channel="C0SHARED")
    (hint,) = hints(shared)
    assert hint["channel"] == "C0SHARED"
    assert "<@U0KENJI>" in hint["text"] and "U0EMMA" not in hint["text"]
    assert "Why: this channel is small (4 members), so everyone in it sees each message." in texts(
        hint
    )


@pytest.mark.parametrize(
    ("user", "line"),
    [
        (
            "U0ALICE",
            "Why: this channel is small (5 members), so everyone in it sees each message; "
            "your thread reply was sent to the channel too.",
        ),
        (
            "U0JONAS",
            "Warum: dieser Channel ist klein (5 Mitglieder), also sieht jeder darin jede "
            "Nachricht; deine Thread-Antwort ging auch an den Channel.",
        ),
    ],
)
def test_a_thread_reply_sent_to_the_small_channel_says_so(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, user: str, line: str
) -> None:
    shared.update_channel("C0SHARED", join=["U0JONAS"])  # five members with the bot
    started = f"{LATE.replace(minute=0).timestamp():.6f}"
    # A reply kept in the thread reaches nobody it does not mention...
    say(rapport, clock, LATE, SENTENCE, user=user, channel="C0SHARED", thread_ts=started)
    assert hints(shared, user) == []
    # ...one also sent to the channel reaches everyone in this small channel.
    say(
        rapport,
        clock,
        LATE,
        SENTENCE,
        user=user,
        channel="C0SHARED",
        thread_ts=started,
        subtype="thread_broadcast",
    )
    (hint,) = hints(shared, user)
    assert line in texts(hint)


def test_none_for_the_partners_own_message(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<!here> {SENTENCE}", user="U0KENJI", user_team="T0PARTNER")
    say(rapport, clock, LATE, f"<@U0EMMA> {SENTENCE}", user="U0KENJI", user_team="T0PARTNER")
    assert shared.ephemerals() == []
    assert all_of(rapport.db, AfterHoursMessage) == []


def test_none_for_a_guest_of_the_workspace(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    shared.add_user("U0GUEST", name="guest", is_restricted=True)
    shared.update_channel("C0BIG", join=["U0GUEST"])
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user="U0GUEST")
    assert shared.ephemerals() == []


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "message_changed"},
        {"subtype": "channel_join"},
        {"subtype": "bot_message", "bot_id": "B0OTHER"},
        {"bot_id": "B0OTHER"},
        {"channel_type": "im"},
        {"thread_ts": "1764000000.000100"},  # a thread reply not broadcast, no mention of Kenji
    ],
)
def test_edits_joins_bots_dms_and_thread_replies_earn_none(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, extra: dict[str, Any]
) -> None:
    say(rapport, clock, LATE, f"<!channel> {SENTENCE}", **extra)
    assert shared.ephemerals() == []


def test_a_file_shared_at_night_counts(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", subtype="file_share")
    assert len(hints(shared)) == 1


def test_none_twice_a_day_per_sender_and_channel(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    say(rapport, clock, LATE.replace(minute=40), f"<@U0KENJI> {SENTENCE}")
    assert len(hints(shared)) == 1
    # Both messages are counted, each once.
    assert len(all_of(rapport.db, AfterHoursMessage)) == 2
    # Another channel the same day earns its own; so does the next day here.
    say(rapport, clock, LATE.replace(minute=45), SENTENCE, channel="C0SHARED")
    assert [h["channel"] for h in hints(shared)] == ["C0BIG", "C0SHARED"]
    next_night = datetime(2026, 11, 26, 23, 10, tzinfo=TOKYO)
    say(rapport, clock, next_night, f"<@U0KENJI> {SENTENCE}")
    assert [h["channel"] for h in hints(shared)] == ["C0BIG", "C0SHARED", "C0BIG"]
    assert len(rows(rapport, AfterHoursHint)) == 3


def test_an_event_delivered_three_times_is_processed_once(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    event_id = say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    with caplog.at_level(logging.INFO):
        say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", event_id=event_id, retry=1)
        say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", event_id=event_id, retry=2)
    logged = [record.getMessage() for record in caplog.records]
    assert "message event delivered again by Slack (retry 2)" in logged
    assert len(hints(shared)) == 1
    assert len(all_of(rapport.db, AfterHoursMessage)) == 1
    # The directory asked Slack once about the channel and once about each person.
    assert len(shared.calls_to("conversations.info")) == 1
    assert len([c for c in shared.calls_to("users.info") if c.args["user"] == "U0KENJI"]) == 1


def test_a_partner_profile_zone_wins_over_slacks(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    # Emma's Slack says London (14:10 then); her partner profile, typed by a colleague, Tokyo.
    partner_id = add_partner(rapport, clock, "U0EMMA", "Asia/Tokyo")
    shared.update_channel("C0BIG", join=["U0EMMA"])
    say(rapport, clock, LATE, f"<@U0EMMA> {SENTENCE}")
    (hint,) = hints(shared)
    assert f"<@U0EMMA>: Wednesday, 11:10{NNBSP}PM their time (Asia/Tokyo)" in texts(hint)
    (row,) = all_of(rapport.db, AfterHoursMessage)
    assert row.partner_id == partner_id


# --- in the sender's language ------------------------------------------------------------------


def test_the_hint_in_german_for_a_german_slack_locale(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user="U0JONAS")
    (hint,) = hints(shared, "U0JONAS")
    shown = texts(hint)
    assert "Nur zur Info:" in shown
    assert "<@U0KENJI>: Mittwoch, 23:10 Ortszeit (Asia/Tokyo)" in shown
    assert set(buttons(hint)) == {"In diesem Channel aus", "Überall aus"}


def test_a_members_language_setting_wins_over_slacks_locale(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    assert rapport.command("settings language de", command="/rapport").reply()
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    assert "Nur zur Info:" in hints(shared)[0]["text"]


# --- muting, and undoing it --------------------------------------------------------------------


def test_mute_in_this_channel_with_undo_and_settings(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    (hint,) = hints(shared)
    mute = buttons(hint)["Mute in this channel"]
    pressed = rapport.click(mute["action_id"], mute["value"], channel="C0BIG")
    confirmed = pressed.later()
    assert confirmed["replace_original"] is True
    assert "No more after-hours hints in <#C0BIG>." in texts(confirmed)
    assert [(m.slack_user_id, m.channel_id) for m in rows(rapport, HintMute)] == [
        ("U0ALICE", "C0BIG")
    ]

    # The next day here: muted. In the small channel: still on.
    next_night = datetime(2026, 11, 26, 23, 10, tzinfo=TOKYO)
    say(rapport, clock, next_night, f"<@U0KENJI> {SENTENCE}")
    say(rapport, clock, next_night, SENTENCE, channel="C0SHARED")
    assert [h["channel"] for h in hints(shared)] == ["C0BIG", "C0SHARED"]
    # Muted messages are still counted for the sender's own figures.
    assert len(all_of(rapport.db, AfterHoursMessage)) == 3

    shown = texts(rapport.command("settings", command="/rapport").reply())
    assert "After-hours hints in shared channels: on, except in <#C0BIG>." in shown

    undo = confirmed["blocks"][0]["accessory"]
    again = rapport.click(undo["action_id"], undo["value"], channel="C0BIG").later()
    assert "After-hours hints are on again in <#C0BIG>." in texts(again)
    assert rows(rapport, HintMute) == []


@pytest.mark.parametrize(
    ("user", "mute_here", "mute_all", "said"),
    [
        (
            "U0ALICE",
            "Mute in this channel",
            "Mute everywhere",
            "After-hours hints are on again, except in <#C0BIG> (muted on their own).",
        ),
        (
            "U0JONAS",
            "In diesem Channel aus",
            "Überall aus",
            "Geschäftszeiten-Hinweise sind wieder an, außer in <#C0BIG> (dort einzeln "
            "stummgeschaltet).",
        ),
    ],
)
def test_undoing_mute_everywhere_says_which_channels_stay_muted(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    user: str,
    mute_here: str,
    mute_all: str,
    said: str,
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user=user)
    (first,) = hints(shared, user)
    here = buttons(first)[mute_here]
    rapport.click(here["action_id"], here["value"], user=user, channel="C0BIG").later()
    say(rapport, clock, LATE, SENTENCE, user=user, channel="C0SHARED")
    second = hints(shared, user)[-1]
    everywhere = buttons(second)[mute_all]
    confirmed = rapport.click(everywhere["action_id"], everywhere["value"], user=user).later()

    undo = confirmed["blocks"][0]["accessory"]
    again = rapport.click(undo["action_id"], undo["value"], user=user).later()

    assert said in texts(again)
    assert [(m.slack_user_id, m.channel_id) for m in rows(rapport, HintMute)] == [(user, "C0BIG")]


def test_mute_everywhere_then_settings_turn_it_on_again_in_german(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user="U0JONAS")
    (hint,) = hints(shared, "U0JONAS")
    mute = buttons(hint)["Überall aus"]
    confirmed = rapport.click(mute["action_id"], mute["value"], user="U0JONAS").later()
    assert "Geschäftszeiten-Hinweise sind jetzt aus, in allen Channels." in texts(confirmed)
    assert "/rapport einstellungen hinweise an" in texts(confirmed)

    say(rapport, clock, LATE, SENTENCE, user="U0JONAS", channel="C0SHARED")
    assert hints(shared, "U0JONAS") == [hint]

    shown = texts(rapport.command("einstellungen", user="U0JONAS", command="/rapport").reply())
    assert "Geschäftszeiten-Hinweise in geteilten Channels: überall aus." in shown
    on = texts(
        rapport.command("einstellungen hinweise an", user="U0JONAS", command="/rapport").reply()
    )
    assert "Geschäftszeiten-Hinweise in geteilten Channels: an." in on
    assert rows(rapport, HintMute) == []

    next_night = datetime(2026, 11, 26, 23, 10, tzinfo=TOKYO)
    say(rapport, clock, next_night, f"<@U0KENJI> {SENTENCE}", user="U0JONAS")
    assert len(hints(shared, "U0JONAS")) == 2


def test_hints_off_in_settings_mutes_everywhere(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    off = texts(rapport.command("settings hints off", command="/rapport").reply())
    assert "After-hours hints in shared channels: off everywhere." in off
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    assert hints(shared) == []
    assert len(all_of(rapport.db, AfterHoursMessage)) == 1


NOT_CHANNELS = ["U0BOB", "D0DM", "W0ALICE", "EVERYWHERE", "C" + "X" * 300, "", "everywhere "]


@pytest.mark.parametrize("value", [*NOT_CHANNELS, "C", "not a channel; drop table", "C0BIG\u0000"])
@pytest.mark.parametrize("action_id", ["hint_mute_channel", "hint_mute_everywhere", "hint_unmute"])
def test_a_mute_button_with_a_value_no_hint_made_is_refused_as_unexpected(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, action_id: str, value: str
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    pressed = rapport.click(action_id, value, channel="C0BIG")
    assert pressed.answer.status == 200
    assert "Something went wrong on our side and nothing was saved" in texts(pressed.later())
    assert rows(rapport, HintMute) == []


def test_a_forged_value_is_refused_in_german_too(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user="U0JONAS")
    pressed = rapport.click("hint_mute_channel", "D0DM", user="U0JONAS", channel="C0BIG")
    assert "Bei uns ist etwas schiefgegangen" in texts(pressed.later())
    assert rows(rapport, HintMute) == []


@pytest.mark.parametrize("value", ["C0BIG", "*"])
def test_a_channel_or_everywhere_is_muted(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, value: str
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    rapport.click("hint_mute_channel", value, channel="C0BIG").later()
    assert [m.channel_id for m in rows(rapport, HintMute)] == [value]


def test_a_channel_no_hint_was_shown_in_is_not_muted(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    # Forged values: channels the hint was not shown in, and one shown to someone else.
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user="U0JONAS", channel="C0SHARED")
    for channel in ("C0SHARED", "G0OLDPRIVATE", *(f"C0{n:09d}" for n in range(20))):
        pressed = rapport.click("hint_mute_channel", channel, channel="C0BIG")
        assert "Something went wrong on our side" in texts(pressed.later())
    assert [(m.slack_user_id, m.channel_id) for m in rows(rapport, HintMute)] == []
    # Taking a mute back needs no hint: it only ever removes one.
    undo = rapport.click("hint_unmute", "G0OLDPRIVATE", channel="C0BIG").later()
    assert "After-hours hints are on again in <#G0OLDPRIVATE>." in texts(undo)


# --- who may press the buttons -------------------------------------------------------------------


@pytest.mark.parametrize("guest", ALL_GUESTS)
@pytest.mark.parametrize("action_id", ["hint_mute_channel", "hint_mute_everywhere", "hint_unmute"])
def test_a_guest_member_row_is_refused_the_mute_buttons(
    rapport: RunningRapport, shared: SlackStandIn, guest: Guest, action_id: str
) -> None:
    cached_guest(rapport, guest)
    value = "*" if action_id == "hint_mute_everywhere" else "C0BIG"
    pressed = rapport.click(action_id, value, user=guest.user_id, channel="C0BIG")
    assert_refused(pressed.reply(), guest.refused)
    assert rows(rapport, HintMute) == []


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_seen_in_a_shared_channel_is_refused_the_mute_buttons(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, guest: Guest
) -> None:
    in_slack(rapport, guest)
    shared.update_channel("C0BIG", join=[guest.user_id])
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user=guest.user_id)
    assert shared.ephemerals() == []
    for action_id, value in (("hint_mute_channel", "C0BIG"), ("hint_unmute", "*")):
        pressed = rapport.click(action_id, value, user=guest.user_id, channel="C0BIG")
        assert_refused(pressed.reply(), guest.refused)
    assert rows(rapport, HintMute) == []


@pytest.mark.parametrize("user", ["U0NEVERSEEN", "U0KENJI"])
def test_someone_no_hint_was_for_is_refused_the_mute_buttons(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, user: str
) -> None:
    # Kenji is cached as of another organisation; his press here names our team (forged).
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    pressed = rapport.click("hint_mute_everywhere", "*", user=user, channel="C0BIG")
    assert_refused(pressed.reply(), REFUSED["en"])
    assert rows(rapport, HintMute) == []


# --- never the text ------------------------------------------------------------------------------


# The raw file is SQLite's: PostgreSQL keeps no single file to search.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_message_text_is_stored_in_the_sqlite_file(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    say(rapport, clock, LATE, f"<!here> {SENTENCE}", channel="C0SHARED")
    assert len(hints(shared)) == 2
    # Kenji twice; Emma, at 14:10 in London, not at all.
    assert len(all_of(rapport.db, AfterHoursMessage)) == 2
    path = Path(rapport.db.url.removeprefix("sqlite:///"))
    files = [p for p in (path, Path(f"{path}-wal")) if p.exists()]
    assert path in files
    needles = [SENTENCE.encode(), b"Osaka rollout", "Osaka rollout".encode("utf-16-le")]
    for file in files:
        raw = file.read_bytes()
        for needle in needles:
            assert needle not in raw, f"{needle!r} found in {file.name}"
    # The file is a database that holds the rows (the search looked at the right file).
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute("SELECT count(*) FROM after_hours_messages").fetchone()
    assert count == 2


# --- what Slack may send that is not what it should be -------------------------------------------


def test_an_external_user_without_a_zone_is_not_judged_and_logged_without_names(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shared.add_user("U0KENJI", team_id="T0PARTNER", name="kenji", real_name="Kenji Sato", tz=None)
    with caplog.at_level(logging.INFO):
        say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    assert shared.ephemerals() == []
    (line,) = [r.getMessage() for r in caplog.records if "had no tz" in r.getMessage()]
    assert "U0KENJI" not in line and "Kenji" not in line


def test_a_profile_zone_that_is_no_iana_name_gives_way_to_slacks_and_is_logged(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_partner(rapport, clock, "U0KENJI", "Tokyo Standard Time")
    with caplog.at_level(logging.INFO):
        say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    (hint,) = hints(shared)
    assert "(Asia/Tokyo)" in hint["text"]
    (line,) = [r.getMessage() for r in caplog.records if "not an IANA name" in r.getMessage()]
    assert "Tokyo Standard Time" not in line and "U0KENJI" not in line


def test_an_event_for_another_workspace_gets_200_and_a_log_line(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.set(LATE)
    event = message_event(
        channel="C0BIG",
        user="U0ALICE",
        user_team="T0ELSEWHERE",
        text=SENTENCE,
        ts=f"{LATE.timestamp():.6f}",
    )
    envelope = event_callback(team_id="T0ELSEWHERE", event_id="Ev0OTHERWS", event=event)
    with caplog.at_level(logging.INFO):
        answer = rapport.sender.event(envelope)
        assert rapport.wait_until_idle()
    assert answer.status == 200
    assert shared.ephemerals() == [] and shared.calls_to("conversations.info") == []
    assert any("workspace Rapport is not installed in" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "broken",
    [
        {"user": 42},
        {"user": None},
        {"channel": ["C0BIG"]},
        {"ts": "not a time"},
        {"ts": None},
        {"text": {"rich": "text"}},
        {"subtype": ["file_share"]},
        {"thread_ts": 17},
        {"user": "U0ALICE; DROP TABLE members"},
    ],
)
def test_a_malformed_message_event_never_crashes(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, broken: dict[str, Any]
) -> None:
    clock.set(LATE)
    event = message_event(
        channel="C0BIG",
        user="U0ALICE",
        user_team=shared.team_id,
        text="<@U0KENJI> hi",
        ts=f"{LATE.timestamp():.6f}",
    )
    event.update(broken)
    envelope = event_callback(
        team_id=shared.team_id, event_id=f"Ev0BROKEN{len(shared.ephemerals())}", event=event
    )
    answer = rapport.sender.event(envelope)
    assert answer.status in (200, 400)
    assert rapport.wait_until_idle()
    assert shared.ephemerals() == []
    # The same event, well formed, earns its hint: what was wrong was the broken field.
    assert say(rapport, clock, LATE, "<@U0KENJI> hi")
    assert len(shared.ephemerals()) == 1


# --- whose team ----------------------------------------------------------------------------------


def test_a_profile_naming_no_team_is_nobodys_member_and_an_event_keeps_the_cached_team(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    assert len(hints(shared)) == 1

    # A user_change naming no team keeps the team cached; one naming a zone takes it.
    alice = {"id": "U0ALICE", "real_name": "Alice", "tz": "Europe/Paris"}
    assert rapport.event("EvAliceNoTeam", {"type": "user_change", "user": alice}).status == 200
    (row,) = [r for r in rows(rapport, SlackPersonRow) if r.slack_user_id == "U0ALICE"]
    assert (row.team_id, row.tz) == (rapport.slack.team_id, "Europe/Paris")

    # A cached profile that names no team (however it came to be) is told nothing.
    with rapport.db.transaction() as session:
        session.execute(
            update(SlackPersonRow)
            .where(SlackPersonRow.slack_user_id == "U0ALICE")
            .values(team_id=None)
        )
    next_night = datetime(2026, 11, 26, 23, 10, tzinfo=TOKYO)
    say(rapport, clock, next_night, f"<@U0KENJI> {SENTENCE}")
    assert len(shared.ephemerals()) == 1


def test_a_message_counts_for_the_workspace_it_was_delivered_to(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    """In a Slack Connect channel the envelope's `team_id` may be the other organisation's;
    `authorizations` names the installation the event was delivered to."""
    clock.set(LATE)
    event = message_event(
        channel="C0BIG",
        user="U0ALICE",
        user_team=shared.team_id,
        text=f"<@U0KENJI> {SENTENCE}",
        ts=f"{LATE.timestamp():.6f}",
    )
    envelope = event_callback(
        team_id=shared.team_id, event_id="Ev0CONNECT", event=event, is_ext_shared_channel=True
    )
    envelope["team_id"] = "T0PARTNER"
    assert rapport.sender.event(envelope).status == 200
    assert rapport.wait_until_idle()
    assert len(hints(shared)) == 1


@pytest.mark.parametrize(
    ("extra", "level", "reason"),
    [
        ({"subtype": "message_deleted"}, logging.DEBUG, "a kind of message that never counts"),
        ({"channel_type": "im"}, logging.DEBUG, "a kind of message that never counts"),
        ({"user": "U0ALICE; DROP"}, logging.INFO, "fields that are not what Slack sends"),
        ({"ts": "-1"}, logging.INFO, "fields that are not what Slack sends"),
    ],
)
def test_a_message_passed_over_is_logged_with_why_and_nothing_of_it(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
    extra: dict[str, Any],
    level: int,
    reason: str,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="handlers.events"):
        say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", **extra)
    (line,) = [r for r in caplog.records if "message event dropped" in r.getMessage()]
    assert (line.levelno, line.getMessage()) == (level, f"message event dropped: {reason}")
    assert shared.ephemerals() == []


# --- what a message costs in Slack calls ---------------------------------------------------------


GHOSTS = " ".join(f"<@U0GHOST{n:02d}>" for n in range(30))


@pytest.mark.parametrize(
    ("author", "team"),
    [("U0KENJI", "T0PARTNER"), ("U0NOBODY", None), ("U0GUEST", None), ("U0APP", None)],
)
def test_a_message_by_anyone_but_a_member_asks_slack_about_its_author_alone(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, author: str, team: str | None
) -> None:
    shared.add_user("U0GUEST", name="guest", is_restricted=True)
    shared.add_user("U0APP", name="app", is_bot=True)
    for night in (LATE, datetime(2026, 11, 26, 23, 10, tzinfo=TOKYO)):
        say(rapport, clock, night, f"<!here> <@U0EMMA> {GHOSTS}", user=author, user_team=team)
    asked = [call.args.get("user") for call in shared.calls_to("users.info")]
    assert asked == [author]
    assert shared.ephemerals() == []


def test_ghost_mentions_are_asked_about_once(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    shared.update_channel("C0BIG", join=[f"U0GHOST{n:02d}" for n in range(30)])
    for minute in range(5):
        say(rapport, clock, LATE.replace(minute=10 + minute), f"{GHOSTS} <@U0KENJI>")
    asked = [call.args.get("user") for call in shared.calls_to("users.info")]
    # Alice, Kenji and each ghost once: 20 at most a message, the rest the next time.
    assert len(asked) == 32 and len(set(asked)) == 32
    assert len(hints(shared)) == 1


# --- when Slack does not take the hint -----------------------------------------------------------


def test_a_hint_slack_refused_for_its_rate_limit_is_not_used_up(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn
) -> None:
    shared.fail_next("chat.postEphemeral", error="ratelimited", status=429)
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    assert hints(shared) == [] and rows(rapport, AfterHoursHint) == []
    # The next message the same evening brings it.
    say(rapport, clock, LATE.replace(minute=20), f"<@U0KENJI> {SENTENCE}")
    assert len(hints(shared)) == 1 and len(rows(rapport, AfterHoursHint)) == 1


@pytest.mark.parametrize(("error", "status"), [("internal_error", 500), ("fatal_error", 503)])
def test_a_hint_perhaps_shown_before_slack_failed_is_never_shown_twice(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, error: str, status: int
) -> None:
    # Slack showed the hint and then answered 5xx, as it does at times.
    shared.fail_next("chat.postEphemeral", error=error, status=status, after_effect=True)
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    say(rapport, clock, LATE.replace(minute=20), f"<@U0KENJI> {SENTENCE}")
    assert len(hints(shared)) == 1 and len(rows(rapport, AfterHoursHint)) == 1
    assert len(shared.calls_to("chat.postEphemeral")) == 1


@pytest.mark.parametrize("error", ["user_not_in_channel", "channel_not_found"])
def test_a_hint_slack_refused_for_good_keeps_the_days_claim(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, error: str
) -> None:
    shared.fail_next("chat.postEphemeral", error=error, status=200, retry_after=None)
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}")
    say(rapport, clock, LATE.replace(minute=20), f"<@U0KENJI> {SENTENCE}")
    assert hints(shared) == [] and len(rows(rapport, AfterHoursHint)) == 1
    assert len(shared.calls_to("chat.postEphemeral")) == 1


# --- the hint in Slack locales Rapport has no texts for ------------------------------------------


@pytest.mark.parametrize(
    ("locale", "when"),
    [
        ("fr-FR", f"Wednesday, 11:10{NNBSP}PM"),
        ("ja-JP", f"Wednesday, 11:10{NNBSP}PM"),
        ("en-GB", "Wednesday, 23:10"),
        ("de-AT", "Mittwoch, 23:10"),
        ("de-CH", "Mittwoch, 23:10"),
    ],
)
def test_the_time_is_in_the_language_of_the_hint(
    rapport: RunningRapport, clock: ManualClock, shared: SlackStandIn, locale: str, when: str
) -> None:
    shared.add_user("U0PIERRE", name="pierre", tz="Europe/Paris", locale=locale)
    shared.update_channel("C0BIG", join=["U0PIERRE"])
    say(rapport, clock, LATE, f"<@U0KENJI> {SENTENCE}", user="U0PIERRE")
    (hint,) = hints(shared, "U0PIERRE")
    assert f"<@U0KENJI>: {when} " in texts(hint)
    for foreign in ("mercredi", "水曜日", "午後"):
        assert foreign not in hint["text"] and foreign not in texts(hint)


# --- when Slack does not answer the look-ups -----------------------------------------------------


@pytest.mark.parametrize("method", ["conversations.info", "users.info"])
def test_a_check_slack_left_unanswered_is_skipped_unclaimed_and_told_once_an_hour(
    rapport: RunningRapport,
    clock: ManualClock,
    shared: SlackStandIn,
    caplog: pytest.LogCaptureFixture,
    method: str,
) -> None:
    shared.fail_next(method, error="internal_error", status=500, retry_after=None, times=3)
    with caplog.at_level(logging.DEBUG, logger="bot.usecases.after_hours.hints"):
        ids = [
            say(rapport, clock, LATE.replace(minute=m), f"<@U0KENJI> {SENTENCE}")
            for m in (10, 20, 30)
        ]
    skipped = [r for r in caplog.records if "after-hours check skipped" in r.getMessage()]
    assert [r.levelno for r in skipped] == [logging.WARNING, logging.DEBUG, logging.DEBUG]
    assert skipped[0].getMessage() == (
        "after-hours check skipped in C0BIG: Slack did not answer (internal_error)"
    )
    assert hints(shared) == [] and all_of(rapport.db, AfterHoursMessage) == []
    with rapport.db.reading() as session:
        claimed = set(session.scalars(select(ProcessedEvent.event_id)))
    assert claimed.isdisjoint(ids)
    # Slack answers again: the next message is judged and claimed.
    shown = say(rapport, clock, LATE.replace(minute=40), f"<@U0KENJI> {SENTENCE}")
    assert len(hints(shared)) == 1
    with rapport.db.reading() as session:
        assert shown in set(session.scalars(select(ProcessedEvent.event_id)))
