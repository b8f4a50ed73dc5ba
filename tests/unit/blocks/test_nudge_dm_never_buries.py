"""A full nudge DM buries nothing: the longest waiting items get the buttons, the rest are
listed one compact line each, and only what does not fit even so is counted, exactly; and the
DM of a claimer says whose partner it is. English and German."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from slack_sdk.models.blocks import ActionsBlock

from bot.blocks.budget import STANDIN_LIMIT, TEXT_BUDGET, text_chars
from bot.blocks.nudge_dm import ClaimedFor, by_waiting, nudge_dm
from storage.vocabulary import NAME_MAX_CHARS, NOTE_MAX_CHARS
from tests.unit.blocks.test_nudge_message import (
    BUNDLE,
    ENGLISH,
    GERMAN,
    NOW,
    assert_valid,
    check_ins,
    promises,
    shown_text,
)

TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)


def test_the_longest_waiting_come_first_promises_before_check_ins_of_the_same_day() -> None:
    new_promises = [replace(p, since=TODAY) for p in promises(2)]
    old_check_in = replace(check_ins(1)[0], since=YESTERDAY - timedelta(days=1))
    old_promise = replace(promises(3)[2], since=YESTERDAY)
    same_day_check_in = replace(check_ins(2)[1], since=YESTERDAY)
    undated = promises(5)[4]

    ranked = by_waiting([same_day_check_in, old_check_in], [undated, *new_promises, old_promise])

    assert ranked == [old_check_in, old_promise, same_day_check_in, *new_promises, undated]


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_items_left_out_yesterday_get_the_buttons_before_those_due_today(reader) -> None:
    today = [replace(p, since=TODAY) for p in promises(30)]
    waiting = [replace(c, since=YESTERDAY) for c in check_ins(12)]

    dm = nudge_dm(reader, BUNDLE, waiting, today, NOW)

    assert_valid(dm.reply.blocks)
    # The buttons go to the first in line: yesterday's check-ins, then today's promises.
    ranked = [*waiting, *today]
    assert len(dm.shown) >= 10
    assert set(dm.shown) == set(ranked[: len(dm.shown)])
    assert dm.listed == dm.left_out == ranked[len(dm.shown) :]
    # Buttons for the items shown alone, none for the compact lines.
    actions = [b for b in dm.reply.blocks if isinstance(b, ActionsBlock)]
    assert len(actions) == len(dm.shown)


def sixty_of_the_largest(check_in_count: int = 30, promise_count: int = 30) -> tuple[list, list]:
    longest = "W" * NAME_MAX_CHARS
    items = [
        replace(
            item,
            partner=replace(
                item.partner,
                name=f"{i:02d}" + longest[2:],
                organisation=longest,
                last_contact=replace(item.partner.last_contact, note="n" * NOTE_MAX_CHARS),
            ),
        )
        for i, item in enumerate(check_ins(check_in_count))
    ]
    owed = [
        replace(
            item,
            text="x" * NOTE_MAX_CHARS,
            partner=replace(
                item.partner,
                name=f"{check_in_count + i:02d}" + longest[2:],
                organisation=longest,
            ),
        )
        for i, item in enumerate(promises(promise_count))
    ]
    return items, owed


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_sixty_of_the_largest_items_stay_under_the_stand_ins_limit_and_are_counted_exactly(
    reader,
) -> None:
    items, owed = sixty_of_the_largest()

    dm = nudge_dm(reader, BUNDLE, items, owed, NOW)

    assert_valid(dm.reply.blocks)
    assert text_chars(dm.reply.blocks) <= TEXT_BUDGET < STANDIN_LIMIT
    assert len(dm.shown) >= 5  # a few keep their buttons, whatever their size
    counted = 60 - len(dm.shown) - len(dm.listed)
    assert len(dm.shown) + len(dm.left_out) == 60 and set(dm.listed) <= set(dm.left_out)
    assert len(dm.listed) >= 3 * len(dm.shown)  # compact lines list far more than buttons
    text = shown_text(dm.reply.blocks)
    more = (
        f"…and {counted} more, which come first in your next message"
        if reader is ENGLISH
        else f"…und {counted} weitere, die in deiner nächsten Nachricht zuerst kommen"
    )
    assert (more in text) == (counted > 0)
    assert (more in dm.reply.text) == (counted > 0)
    # Every listed item's line names its partner (cut short).
    for item in dm.listed:
        assert re.search(rf"\*{item.partner.name[:2]}W+…\*", text)


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_the_title_counts_every_item_listed_with_or_without_buttons(reader) -> None:
    dm = nudge_dm(reader, BUNDLE, check_ins(20), promises(20), NOW)

    assert len(dm.shown) < 40 and len(dm.listed) == 40 - len(dm.shown)
    title = json.dumps(dm.reply.blocks[0].to_dict(), ensure_ascii=False)
    counts = (
        "20 check-ins due and 20 promises"
        if reader is ENGLISH
        else "20 Check-ins fällig und 20 Zusagen"
    )
    assert counts in title


@pytest.mark.parametrize(
    ("reader", "owner", "expected"),
    [
        (ENGLISH, "U0ALICE", "<@U0ALICE>'s partner; you said you'd reach out."),
        (GERMAN, "U0ALICE", "Partner von <@U0ALICE>; du wolltest dich melden."),
        (ENGLISH, None, "Nobody looks after this partner; you said you'd reach out."),
        (GERMAN, None, "Um diesen Partner kümmert sich niemand; du wolltest dich melden."),
    ],
)
def test_a_claimers_check_in_says_whose_partner_it_is(reader, owner, expected) -> None:
    item = replace(check_ins(1)[0], claimed_for=ClaimedFor(owner))

    dm = nudge_dm(reader, BUNDLE, [item], [], NOW)

    assert expected in shown_text(dm.reply.blocks)
    own = nudge_dm(reader, BUNDLE, check_ins(1), [], NOW)
    assert ":raising_hand:" not in shown_text(own.reply.blocks)


def test_an_old_due_date_reads_as_overdue_in_its_compact_line() -> None:
    late = [replace(p, due_on=date(2027, 2, 19), since=date(2027, 2, 18)) for p in promises(40)]

    dm = nudge_dm(ENGLISH, BUNDLE, [], late, NOW)

    assert dm.listed
    assert "*overdue* since Friday, February 19, 2027 (4 days)" in shown_text(dm.reply.blocks)


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
@pytest.mark.parametrize(
    ("check_in_count", "promise_count", "lists"),
    [
        (60, 0, {"partners"}),
        (0, 60, {"promises"}),
        (30, 30, {"partners", "promises"}),
    ],
)
def test_the_count_of_what_did_not_fit_points_to_where_those_items_are_listed(
    reader, check_in_count: int, promise_count: int, lists: set[str]
) -> None:
    items, owed = sixty_of_the_largest(check_in_count, promise_count)

    dm = nudge_dm(reader, BUNDLE, items, owed, NOW)

    counted = [item for item in dm.left_out if item not in dm.listed]
    assert counted, "the DM must leave some out for this test to mean anything"
    kinds = {"partners" if hasattr(item, "cadence_days") else "promises" for item in counted}
    assert kinds == lists
    commands = {
        "partners": "`/rapport partners`" if reader is ENGLISH else "`/rapport partner`",
        "promises": "`/rapport promises`" if reader is ENGLISH else "`/rapport zusagen`",
    }
    text = shown_text(dm.reply.blocks)
    for name, command in commands.items():
        assert (command in text) == (name in lists), (name, text[-300:])
    assert text_chars(dm.reply.blocks) <= TEXT_BUDGET
