"""Undo on an answered nudge item: beside the answer line (its section then names the item), or
first among the item's buttons when it lists the partner's promises; never when not offered."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from slack_sdk.models.blocks import ActionsBlock, Block, SectionBlock

from bot.blocks.nudge_dm import (
    ACTION_THEIR_PROMISE,
    ACTION_UNDO,
    Answer,
    CheckInItem,
    OpenPromise,
    PromiseItem,
    item_block_id,
    nudge_dm,
)
from bot.texts.reader import Reader
from tests.unit.blocks.test_nudge_message import BUNDLE, NOW, partner

EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")


def valid(blocks: list[Block]) -> list[dict]:
    dumped = [b.to_dict() for b in blocks]
    for block in dumped:
        Block.parse(block).validate_json()
    return dumped


def undo_of(block: dict) -> list[dict]:
    elements = [block.get("accessory") or {}, *block.get("elements", [])]
    return [e for e in elements if e.get("action_id") == ACTION_UNDO]


@pytest.mark.parametrize(("reader", "label"), [(EN, "Undo"), (DE, "Rückgängig")])
def test_an_answer_still_undoable_has_undo_beside_it_named_by_the_item(
    reader: Reader, label: str
) -> None:
    kept = Answer("kept", "U0ALICE", NOW, undo=True)
    owed = [PromiseItem(500, "send the offer", date(2027, 2, 23), partner(), kept)]

    dm = nudge_dm(reader, BUNDLE, [], owed, NOW)

    blocks = valid(dm.reply.blocks)
    [answered] = [b for b in blocks if undo_of(b)]
    assert answered["type"] == "section"
    assert answered["block_id"] == item_block_id(BUNDLE, "promise", 500)
    [button] = undo_of(answered)
    assert (button["text"]["text"], button["value"]) == (label, "500")
    assert not any(isinstance(b, ActionsBlock) for b in dm.reply.blocks), "no other buttons"


def test_no_undo_once_it_is_no_longer_offered() -> None:
    snoozed = Answer("snoozed", "U0ALICE", NOW, until=date(2027, 3, 2), undo=False)
    items = [CheckInItem(partner(), 90, None, NOW - timedelta(days=95), snoozed)]

    dm = nudge_dm(EN, BUNDLE, items, [], NOW)

    blocks = valid(dm.reply.blocks)
    assert not any(undo_of(b) for b in blocks)
    assert all("block_id" not in b for b in blocks if b["type"] == "section")


def test_undo_comes_first_beside_the_menu_of_their_promises() -> None:
    theirs = (OpenPromise(951, "the signed contract", date(2027, 2, 24), by_partner=True),)
    paused = Answer("paused", "U0ALICE", NOW, until=date(2027, 4, 1), undo=True)
    item = CheckInItem(
        replace(partner(), open_promises=theirs), 90, None, NOW - timedelta(days=95), paused
    )

    dm = nudge_dm(DE, BUNDLE, [item], [], NOW)

    blocks = valid(dm.reply.blocks)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert actions["block_id"] == item_block_id(BUNDLE, "check_in", item.partner.id)
    assert [e["action_id"] for e in actions["elements"]] == [ACTION_UNDO, ACTION_THEIR_PROMISE]
    assert not any(isinstance(b, SectionBlock) and b.block_id for b in dm.reply.blocks), (
        "one block per item carries its id"
    )
