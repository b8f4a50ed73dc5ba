"""A nudge DM never says "in N days" of something that has happened.

A DM is phrased as of its own instant, also when it is redrawn days later; what it shows is read
as it is then. A check-in logged from an older DM, or a contact since, lies after the DM's
instant: it is named by its date, never counted forwards from the DM's day.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.nudge_dm import Answer, CheckInItem, LastContact, PartnerContext, nudge_dm
from bot.texts.reader import Reader

BERLIN = ZoneInfo("Europe/Berlin")
# The DM's own instant: Monday 7 December 2026, 09:00 in Berlin.
SENT = datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
BUNDLE = "0b7e4c1e-5a57-4f5e-9a53-3c1a8f0d2e11"
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")
# Babel's forward counts ("in 3 days", "in 3 Tagen") and the words for tomorrow.
FUTURE = re.compile(r"\bin \d+ (days?|Tag(en)?|weeks?|Wochen?)\b|\btomorrow\b|\bmorgen\b")


def text_of(reader: Reader, item: CheckInItem) -> str:
    blocks = nudge_dm(reader, BUNDLE, [item], [], SENT).reply.blocks
    shown = "\n".join(json.dumps(b.to_dict(), ensure_ascii=False) for b in blocks)
    return shown.replace("\u202f", " ").replace("\u00a0", " ")


def bar(last_contact_at: datetime | None = None) -> PartnerContext:
    contact = (
        LastContact(last_contact_at, True, "call", "U0YOU", "")
        if last_contact_at is not None
        else None
    )
    return PartnerContext(id=7, name="Bar", organisation=None, last_contact=contact)


def checked_in(at: datetime) -> Answer:
    return Answer("checked_in", "U0YOU", at)


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        (ENGLISH, "*Bar*: last check-in on Thursday, December 10, 2026; a check-in every 7 days."),
        (
            GERMAN,
            "*Bar*: letzter Check-in am Donnerstag, 10. Dezember 2026; ein Check-in alle 7 Tage.",
        ),
    ],
    ids=["en", "de"],
)
def test_a_check_in_logged_days_after_the_dm_is_named_by_its_date(reader, expected) -> None:
    later = SENT + timedelta(days=3, hours=1)
    item = CheckInItem(bar(later), 7, later, SENT - timedelta(days=7), checked_in(later))

    shown = text_of(reader, item)

    assert expected in shown
    assert not FUTURE.search(shown), shown


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
@pytest.mark.parametrize("days_after", [1, 2, 7, 30, 400])
def test_no_line_counts_forwards_to_a_contact_or_check_in_after_the_dm(reader, days_after) -> None:
    later = SENT + timedelta(days=days_after)
    first = SENT - timedelta(days=40)
    # Unanswered (a redraw after another item's answer shows its context) and answered.
    for item in (
        CheckInItem(bar(later), 30, later, first),
        CheckInItem(bar(later), 30, None, later),
        CheckInItem(bar(later), 30, later, first, checked_in(later)),
    ):
        shown = text_of(reader, item)
        assert not FUTURE.search(shown), shown
        assert reader.day(later.date()) in shown


@pytest.mark.parametrize(
    ("reader", "last_contact"),
    [
        (ENGLISH, "Last contact: Call, on Friday, December 11, 2026, by <@U0YOU>."),
        (GERMAN, "Letzter Kontakt: Anruf, am Freitag, 11. Dezember 2026, von <@U0YOU>."),
    ],
    ids=["en", "de"],
)
def test_a_contact_after_the_dm_in_an_unanswered_items_context(reader, last_contact) -> None:
    later = SENT + timedelta(days=4)
    item = CheckInItem(bar(later), 7, None, SENT - timedelta(days=8))

    assert last_contact in text_of(reader, item)


@pytest.mark.parametrize(
    ("reader", "days_before", "words"),
    [
        (ENGLISH, 0, "last check-in today;"),
        (ENGLISH, 1, "last check-in yesterday;"),
        (ENGLISH, 9, "last check-in 9 days ago (Saturday, November 28, 2026);"),
        (GERMAN, 0, "letzter Check-in heute;"),
        (GERMAN, 1, "letzter Check-in gestern;"),
        (GERMAN, 9, "letzter Check-in vor 9 Tagen (Samstag, 28. November 2026);"),
    ],
)
def test_what_lay_before_the_dm_keeps_its_relative_words(reader, days_before, words) -> None:
    before = SENT - timedelta(days=days_before, minutes=30)
    item = CheckInItem(bar(), 7, before, SENT - timedelta(days=60))

    assert words in text_of(reader, item)


def test_later_the_same_day_is_today_in_the_dms_own_words() -> None:
    # Logged at 11:00 from a DM sent at 09:00: the DM's "today", and not a future.
    later = SENT + timedelta(hours=2)
    item = CheckInItem(bar(later), 7, later, SENT - timedelta(days=8), checked_in(later))

    assert "last check-in today;" in text_of(ENGLISH, item)
