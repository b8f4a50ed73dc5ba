"""Last week's after-hours figures as one line of the nudge DM, in English and German."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.nudge_dm import (
    COMPACT_SLOTS,
    MAX_ITEMS,
    AfterHoursFigure,
    CheckInItem,
    PartnerContext,
    PromiseItem,
    how_often,
    nudge_dm,
)
from bot.texts.catalog import TEXTS
from bot.texts.reader import Reader

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")
PROMISE = PromiseItem(5, "send the deck", date(2026, 11, 30), PartnerContext(1, "Globex", None))
FIGURES = [
    AfterHoursFigure("Aiko Tanaka (Kobe <Ltd>)", 3),
    AfterHoursFigure("Jan Berg", 1),
    AfterHoursFigure(None, 2),
]


def line(reader: Reader, figures: list[AfterHoursFigure]) -> str:
    dm = nudge_dm(reader, "b", [], [PROMISE], NOW, after_hours=figures)
    for block in dm.reply.blocks:
        Block.parse(block.to_dict()).validate_json()
    [found] = [
        element["text"]
        for block in dm.reply.blocks
        if (shown := block.to_dict())["type"] == "context"
        for element in shown["elements"]
        if ":crescent_moon:" in element["text"]
    ]
    assert found in dm.reply.text, "the notification text says it too"
    return str(found)


def test_in_english_each_partner_with_how_often_and_a_pointer_to_scheduled_send() -> None:
    assert line(ENGLISH, FIGURES) == (
        ":crescent_moon: Just for you: last week you reached people outside their business "
        "hours: Aiko Tanaka (Kobe &lt;Ltd&gt;) 3 times, Jan Berg once, someone at another "
        "organisation twice. Next time, click the arrow next to the send button and pick a later "
        "time (on mobile, press and hold the send button), so the message arrives in their "
        "business hours."
    )


def test_in_german_the_same_in_the_readers_words() -> None:
    assert line(GERMAN, FIGURES) == (
        ":crescent_moon: Nur für dich: Letzte Woche hast du Leute außerhalb ihrer "
        "Geschäftszeiten erreicht: Aiko Tanaka (Kobe &lt;Ltd&gt;) 3-mal, Jan Berg einmal, jemand "
        "aus einer anderen Organisation zweimal. Nächstes Mal: Klicke auf den Pfeil neben dem "
        "Senden-Knopf und wähle eine spätere Zeit (am Handy: den Senden-Knopf gedrückt halten), "
        "damit die Nachricht in ihren Geschäftszeiten ankommt."
    )


def test_several_people_without_a_name_are_counted_together() -> None:
    figures = [AfterHoursFigure(None, 4, people=3)]
    assert "3 people at other organisations 4 times" in line(ENGLISH, figures)
    assert "3 Personen aus anderen Organisationen 4-mal" in line(GERMAN, figures)


def test_no_figures_no_line() -> None:
    dm = nudge_dm(ENGLISH, "b", [], [PROMISE], NOW)
    assert ":crescent_moon:" not in dm.reply.text
    assert all(":crescent_moon:" not in str(b.to_dict()) for b in dm.reply.blocks)


def test_a_full_dm_with_the_line_stays_within_slacks_50_blocks() -> None:
    met = NOW - timedelta(days=95)
    many = [
        CheckInItem(PartnerContext(100 + i, f"P{i}", "Org"), 90, None, met)
        for i in range(MAX_ITEMS + 5)
    ]
    promises = [
        PromiseItem(i, f"promise {i}", date(2026, 11, 30), PartnerContext(i, f"Q{i}", None))
        for i in range(3)
    ]
    dm = nudge_dm(ENGLISH, "b", many, promises, NOW, after_hours=FIGURES)
    assert len(dm.reply.blocks) <= 50
    assert ":crescent_moon:" in dm.reply.text
    shown = len(many) + len(promises) - len(dm.left_out)
    # The line takes one item's room, the compact lines of those left out two more; every
    # item left out is still listed.
    assert shown == MAX_ITEMS - 1 - COMPACT_SLOTS, "the line takes one item's room"
    assert dm.listed == dm.left_out


@pytest.mark.parametrize(
    ("count", "en", "de"),
    [
        (1, "once", "einmal"),
        (2, "twice", "zweimal"),
        (3, "3 times", "3-mal"),
        (12, "12 times", "12-mal"),
    ],
)
def test_how_often_is_a_word_for_once_and_twice_and_a_number_from_three(
    count: int, en: str, de: str
) -> None:
    assert how_often(ENGLISH, count) == en and how_often(GERMAN, count) == de
    figures = [AfterHoursFigure("Emma Clarke", count)]
    assert f"Emma Clarke {en}." in line(ENGLISH, figures)
    assert f"Emma Clarke {de}." in line(GERMAN, figures)


def test_the_hint_and_the_figures_describe_scheduled_send_in_the_same_words() -> None:
    for lang in ("en", "de"):
        schedule = TEXTS["hints.schedule"][lang]
        steps = schedule.split(" ", 2)[2]  # past "Next time," / "Nächstes Mal:"
        assert steps in TEXTS["nudge.after_hours.line"][lang]
        for label in ("*", "„", "“"):  # no label quoted that Slack's own UI might not show
            assert label not in schedule
