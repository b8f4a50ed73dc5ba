"""The after-hours hint and its mute confirmations, in English and German; no Slack, no
database. Block Kit limits are checked by slack_sdk's models when the blocks are built."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.after_hours.hint import (
    ACTION_MUTE_CHANNEL,
    ACTION_MUTE_EVERYWHERE,
    ACTION_UNMUTE,
    hint,
    muted,
    unmuted,
)
from bot.blocks.settings import SettingsView, settings_reply
from bot.rules.after_hours.reach import Reached, Why
from bot.texts.reader import Reader
from tests.support.blocks import buttons, texts

TOKYO = ZoneInfo("Asia/Tokyo")
EN = Reader("en-GB", "Europe/Berlin")
DE = Reader("de-DE", "Europe/Berlin")
LATE = Reached("U0KENJI", datetime(2026, 11, 25, 23, 10, tzinfo=TOKYO), partner_id=4)
# Monday 23 November 2026, Labour Thanksgiving Day in Japan.
HOLIDAY = Reached("U0KENJI", datetime(2026, 11, 23, 10, 0, tzinfo=TOKYO), holiday_region="JP")


def message(blocks: list[Block]) -> dict:
    return {"blocks": [block.to_dict() for block in blocks]}


def test_the_hint_names_the_person_their_time_and_zone_in_english() -> None:
    reply = hint(EN, "C0SHARED", [LATE])
    shown = texts(message(reply.blocks))
    assert "reached someone outside their business hours" in shown
    assert "<@U0KENJI>: Wednesday, 23:10 their time (Asia/Tokyo)" in shown
    assert "pick a later time (on mobile, press and hold the send button)" in shown
    assert (
        "pick a later time (on mobile, press and hold the send button)" in reply.text
        and "<@U0KENJI>" in reply.text
    )
    found = buttons(message(reply.blocks))
    assert found["Mute in this channel"]["action_id"] == ACTION_MUTE_CHANNEL
    assert found["Mute in this channel"]["value"] == "C0SHARED"
    assert found["Mute everywhere"]["action_id"] == ACTION_MUTE_EVERYWHERE


def test_the_hint_in_german() -> None:
    reply = hint(DE, "C0SHARED", [LATE])
    shown = texts(message(reply.blocks))
    assert "hat jemanden außerhalb der Geschäftszeiten erreicht" in shown
    assert "<@U0KENJI>: Mittwoch, 23:10 Ortszeit (Asia/Tokyo)" in shown
    assert "Pfeil neben dem Senden-Knopf und wähle eine spätere Zeit" in shown
    assert set(buttons(message(reply.blocks))) == {"In diesem Channel aus", "Überall aus"}


def test_a_us_reader_reads_the_time_their_way() -> None:
    reply = hint(Reader("en-US", "America/New_York"), "C0SHARED", [LATE])
    assert "Wednesday, 11:10\u202fPM their time (Asia/Tokyo)" in reply.text


@pytest.mark.parametrize(
    ("reader", "name"),
    # The library names Japan's holidays in English, not German: German readers get that.
    [(EN, "public holiday: Labor Thanksgiving Day"), (DE, "Feiertag: Labor Thanksgiving Day")],
)
def test_a_holiday_is_named_when_it_is_why(reader: Reader, name: str) -> None:
    reply = hint(reader, "C0SHARED", [HOLIDAY])
    assert name in reply.text
    assert "public holiday" not in hint(EN, "C0SHARED", [LATE]).text


def test_up_to_three_people_then_how_many_more() -> None:
    people = [Reached(f"U0P{n}", datetime(2026, 11, 25, 23, n, tzinfo=TOKYO)) for n in range(5)]
    english = hint(EN, "C0SHARED", people).text
    assert english.count("<@U0P") == 3
    assert "• and 2 more" in english
    assert "reached 5 people outside" in english
    german = hint(DE, "C0SHARED", people).text
    assert "• und 2 weitere" in german and "hat 5 Personen außerhalb" in german
    assert "more" not in hint(EN, "C0SHARED", people[:3]).text


def late(user_id: str, why: Why) -> Reached:
    return Reached(user_id, datetime(2026, 11, 25, 23, 10, tzinfo=TOKYO), why=why)


def test_a_mention_needs_no_reason() -> None:
    for reader in (EN, DE):
        shown = hint(reader, "C0SHARED", [LATE]).text
        assert "Why" not in shown and "Warum" not in shown


@pytest.mark.parametrize(
    ("reader", "why", "line"),
    [
        (
            EN,
            Why(small_channel=5),
            "Why: this channel is small (5 members), so everyone in it sees each message.",
        ),
        (
            DE,
            Why(small_channel=5),
            "Warum: dieser Channel ist klein (5 Mitglieder), also sieht jeder darin jede "
            "Nachricht.",
        ),
        (EN, Why(called="here"), "Why: your message said @here."),
        (DE, Why(called="channel"), "Warum: deine Nachricht enthielt @channel."),
        (
            EN,
            Why(called="everyone", small_channel=4),
            "Why: your message said @everyone; this channel is small (4 members), so everyone "
            "in it sees each message.",
        ),
        (
            EN,
            Why(small_channel=3, broadcast=True),
            "Why: this channel is small (3 members), so everyone in it sees each message; your "
            "thread reply was sent to the channel too.",
        ),
        (
            DE,
            Why(called="here", broadcast=True),
            "Warum: deine Nachricht enthielt @here; deine Thread-Antwort ging auch an den Channel.",
        ),
    ],
)
def test_people_not_mentioned_are_told_why(reader: Reader, why: Why, line: str) -> None:
    reply = hint(reader, "C0SHARED", [late("U0KENJI", why)])
    assert line in reply.text
    assert line in texts(message(reply.blocks))


@pytest.mark.parametrize(
    ("reader", "line"),
    [
        (EN, "Why those you did not mention: your message said @here."),
        (DE, "Warum auch die, die du nicht erwähnt hast: deine Nachricht enthielt @here."),
    ],
)
def test_with_some_mentioned_the_line_is_about_the_others(reader: Reader, line: str) -> None:
    people = [
        late("U0EMMA", Why(mentioned=True, called="here")),
        late("U0KENJI", Why(called="here")),
    ]
    assert line in hint(reader, "C0SHARED", people).text


def test_the_reason_covers_people_beyond_the_three_shown() -> None:
    # The three shown were mentioned; the fourth, counted in "and 1 more", was not.
    people = [late(f"U0P{n}", Why(mentioned=True, small_channel=5)) for n in range(3)]
    people.append(late("U0P9", Why(small_channel=5)))
    shown = hint(EN, "C0SHARED", people).text
    assert "• and 1 more" in shown
    assert "Why those you did not mention: this channel is small (5 members)" in shown


@pytest.mark.parametrize(
    ("reader", "channel", "everywhere"),
    [
        (
            EN,
            "No more after-hours hints in <#C0SHARED>.",
            "After-hours hints are off now, in every channel.",
        ),
        (
            DE,
            "Keine Geschäftszeiten-Hinweise mehr in <#C0SHARED>.",
            "Geschäftszeiten-Hinweise sind jetzt aus, in allen Channels.",
        ),
    ],
)
def test_mutes_are_confirmed_with_undo(reader: Reader, channel: str, everywhere: str) -> None:
    for scope, said in (("C0SHARED", channel), ("*", everywhere)):
        reply = muted(reader, scope)
        assert said in reply.text
        assert "/rapport" in reply.text  # how to turn them on again later
        undo = message(reply.blocks)["blocks"][0]["accessory"]
        assert (undo["action_id"], undo["value"]) == (ACTION_UNMUTE, scope)
        assert unmuted(reader, scope).text != reply.text


def test_settings_show_the_mutes() -> None:
    view = SettingsView(9 * 60, 18 * 60, "12345", hint_mutes=())
    assert "After-hours hints in shared channels: on." in settings_reply(EN, view, saved=False).text
    off = SettingsView(9 * 60, 18 * 60, "12345", hint_mutes=("*", "C0A"))
    assert "überall aus" in settings_reply(DE, off, saved=False).text
    some = SettingsView(9 * 60, 18 * 60, "12345", hint_mutes=("C0A", "C0B"))
    assert "on, except in <#C0A>, <#C0B>." in settings_reply(EN, some, saved=True).text
    hidden = SettingsView(9 * 60, 18 * 60, "12345")
    assert "After-hours" not in settings_reply(EN, hidden, saved=False).text
