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
from bot.rules.after_hours.reach import Reached
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
    assert "hat jemanden außerhalb ihrer Geschäftszeiten erreicht" in shown
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
