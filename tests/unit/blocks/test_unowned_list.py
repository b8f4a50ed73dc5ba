"""The list of partners nobody looks after, as a reader sees it: within Slack's block limit, who
had each partner and when they last met, in English and German."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.blocks.ownership import (
    ACTION_TAKE_OVER,
    UnownedPartner,
    contact_age,
    rows_that_fit,
    unowned_reply,
)
from bot.blocks.replies import MESSAGE_BLOCKS_MAX as MAX_BLOCKS
from bot.texts.reader import Reader

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")


def test_rows_fill_a_message_and_leave_room_to_say_how_many_more() -> None:
    assert rows_that_fit(10, 2) == 10
    assert rows_that_fit(48, 2) == 48
    assert rows_that_fit(49, 2) == 47
    assert rows_that_fit(200, 3) == 46


def unowned(count: int) -> list[UnownedPartner]:
    return [
        UnownedPartner(i, f"Partner {i:03d}", None, "U0ALICE", datetime(2026, 11, 13, tzinfo=UTC))
        for i in range(1, count + 1)
    ]


def test_a_long_list_stays_within_slacks_block_limit_and_counts_the_rest() -> None:
    reply = unowned_reply(ENGLISH, unowned(MAX_BLOCKS), 60, NOW, lead="You now look after *X*.")

    assert len(reply.blocks) == MAX_BLOCKS
    buttons = [b.accessory for b in reply.blocks if getattr(b, "accessory", None)]
    assert len(buttons) == MAX_BLOCKS - 4
    assert {b.action_id for b in buttons} == {ACTION_TAKE_OVER}
    assert [b.value for b in buttons[:2]] == ["1", "2"]
    assert "…and 14 more. Take some over to see the rest." in reply.text
    assert reply.text.startswith("You now look after *X*.")


def test_a_list_that_fits_shows_every_partner_with_who_had_it_and_when_they_met() -> None:
    partners = [
        UnownedPartner(1, "Acme", None, "U0ALICE", datetime(2026, 11, 13, 12, tzinfo=UTC)),
        UnownedPartner(2, "Jens <Ohlsen>", "Nordwind", None, None),
    ]

    reply = unowned_reply(ENGLISH, partners, 2, NOW)

    assert len(reply.blocks) == 4
    assert "*Partners nobody looks after* (2)" in reply.text
    assert "*Acme*: formerly looked after by <@U0ALICE> · last contact 12 days ago" in reply.text
    assert "*Jens &lt;Ohlsen&gt; (Nordwind)*: never had an owner · no contact logged" in reply.text
    assert "more" not in reply.text


def test_the_list_speaks_german() -> None:
    partners = [UnownedPartner(1, "Acme", None, "U0ALICE", datetime(2026, 11, 24, tzinfo=UTC))]

    reply = unowned_reply(GERMAN, partners, 1, NOW)

    assert "*Partner ohne Zuständige* (1)" in reply.text
    assert "zuvor zuständig: <@U0ALICE> · letzter Kontakt gestern" in reply.text
    assert reply.blocks[-1].accessory.text.text == "Übernehmen"


def test_an_empty_list_says_every_partner_has_an_active_owner() -> None:
    reply = unowned_reply(ENGLISH, [], 0, NOW, lead="You now look after *Acme*.")

    assert len(reply.blocks) == 2
    assert "Every partner has an active owner" in reply.text


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (datetime(2026, 11, 25, 8, tzinfo=UTC), "last contact today"),
        (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "last contact today"),  # 00:30 in Berlin
        (datetime(2026, 11, 24, 12, tzinfo=UTC), "last contact yesterday"),
        (datetime(2026, 8, 27, 12, tzinfo=UTC), "last contact 90 days ago"),
        (None, "no contact logged"),
    ],
)
def test_days_since_the_last_contact_count_the_readers_calendar_days(last, expected) -> None:
    assert contact_age(ENGLISH, last, NOW) == expected
