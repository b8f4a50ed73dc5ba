"""Received / Drop on the partner's promises as Block Kit: the card's menus and the nudge DM's,
valid for slack_sdk and within Slack's limits (five elements an actions block, 75 characters
an option's label), in English and German; and the values a press may carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.nudge_dm import (
    ACTION_THEIR_PROMISE,
    Answer,
    CheckInItem,
    OpenPromise,
    PromiseItem,
    nudge_dm,
)
from bot.blocks.partner_card import ACTION_THEIR_PROMISE as CARD_ACTION
from bot.blocks.partner_card import (
    CardPromise,
    TheirPromiseChoice,
    choice_value,
    parse_choice,
    partner_card,
)
from bot.texts.reader import Reader
from tests.unit.blocks.test_nudge_message import BUNDLE, NOW, partner
from tests.unit.blocks.test_partner_card import CARD
from tests.unit.blocks.test_partner_card import NOW as CARD_NOW

EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")


def valid(blocks: list) -> list[dict]:
    dumped = [b.to_dict() for b in blocks]
    assert len(dumped) <= 50
    for block in dumped:
        Block.parse(block).validate_json()
    return dumped


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_card_has_a_menu_on_each_of_their_promises_shown(reader: Reader) -> None:
    theirs = tuple(
        CardPromise(
            f"part {n} " + "y" * 500, date(2026, 11, 20) + timedelta(days=n), "U0BOB", n + 1
        )
        for n in range(5)
    )
    card = replace(CARD, theirs=theirs, theirs_total=9)

    blocks = valid(partner_card(reader, card, CARD_NOW, lead="*done*").blocks)

    menus = [
        b["accessory"] for b in blocks if (b.get("accessory") or {}).get("type") == "static_select"
    ]
    assert len(menus) == 5
    assert {m["action_id"] for m in menus} == {CARD_ACTION}
    labels = {"Received", "Drop"} if reader is EN else {"Erhalten", "Verwerfen"}
    for n, menu in enumerate(menus):
        options = {o["text"]["text"]: o["value"] for o in menu["options"]}
        assert set(options) == labels
        assert {parse_choice(v) for v in options.values()} == {
            TheirPromiseChoice("received", CARD.id, n + 1),
            TheirPromiseChoice("drop", CARD.id, n + 1),
        }
    assert "…and 4 more" in str(blocks) or "…und 4 weitere" in str(blocks)


def test_our_promises_and_promises_without_an_id_get_no_menu() -> None:
    card = replace(CARD, theirs=(CardPromise("the contract", date(2026, 12, 1), "U0BOB"),))
    blocks = valid(partner_card(EN, card, CARD_NOW).blocks)
    assert not any(b.get("accessory") for b in blocks)


def their(n: int, text: str = "the signed contract") -> OpenPromise:
    return OpenPromise(950 + n, f"{text} {n}", date(2027, 2, 22 + n), by_partner=True)


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_dm_has_one_menu_per_item_for_the_three_it_lists(reader: Reader) -> None:
    ours = OpenPromise(900, "ours", date(2027, 2, 20))
    long = "a very long promise about the figures for the pilot " * 5
    listed = (ours, *(their(n, long) for n in range(5)))
    context = partner(open_promises=listed)
    check_in = CheckInItem(context, 90, None, NOW - timedelta(days=95))
    promise = PromiseItem(900, "ours", date(2027, 2, 20), context)

    dm = nudge_dm(reader, BUNDLE, [check_in], [promise], NOW)

    blocks = valid(dm.reply.blocks)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 2
    for block in actions:
        assert len(block["elements"]) == 4
        [menu] = [e for e in block["elements"] if e["action_id"] == ACTION_THEIR_PROMISE]
        values = [o["value"] for o in menu["options"]]
        # Three promises listed, Received and Drop each; the fourth and fifth are not offered.
        assert [parse_choice(v).promise_id for v in values] == [950, 950, 951, 951, 952, 952]
        assert all(len(o["text"]["text"]) <= 75 for o in menu["options"])
        assert menu["options"][0]["text"]["text"].endswith("…")
        first = "Received: a very long" if reader is EN else "Erhalten: a very long"
        assert menu["options"][0]["text"]["text"].startswith(first)


@pytest.mark.parametrize("reader", [EN, DE])
def test_an_answered_item_keeps_their_open_promises_and_only_their_menu(reader: Reader) -> None:
    context = partner(open_promises=(OpenPromise(900, "ours", date(2027, 2, 20)), their(1)))
    kept = PromiseItem(900, "ours", date(2027, 2, 20), context, Answer("kept", "U0ALICE", NOW))

    blocks = valid(nudge_dm(reader, BUNDLE, [], [kept], NOW).reply.blocks)

    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == [ACTION_THEIR_PROMISE]
    assert "the signed contract 1" in str(blocks)
    answered = PromiseItem(900, "ours", date(2027, 2, 20), partner(open_promises=()))
    done = replace(answered, answer=Answer("kept", "U0ALICE", NOW))
    assert not [
        b
        for b in valid(nudge_dm(reader, BUNDLE, [], [done], NOW).reply.blocks)
        if b["type"] == "actions"
    ]


def test_an_item_without_their_promises_has_no_menu_and_a_bare_due_day_reads_as_a_promise() -> None:
    alone = CheckInItem(partner(open_promises=()), 90, None, NOW - timedelta(days=95))
    blocks = valid(nudge_dm(EN, BUNDLE, [alone], [], NOW).reply.blocks)
    assert ACTION_THEIR_PROMISE not in str(blocks)

    dated = OpenPromise(960, "by 2027-03-01", date(2027, 3, 1), by_partner=True)
    item = CheckInItem(partner(open_promises=(dated,)), 90, None, NOW - timedelta(days=95))
    blocks = valid(nudge_dm(EN, BUNDLE, [item], [], NOW).reply.blocks)
    assert "Received: a promise" in str(blocks)


@pytest.mark.parametrize(
    "value",
    ["", "received", "received:1", "kept:1:2", "received:x:2", "received:1:²", "drop:1:2:3", None],
)
def test_a_value_no_menu_sends_is_read_as_nothing(value: str | None) -> None:
    assert parse_choice(value) is None


def test_values_read_back_as_written() -> None:
    assert parse_choice(choice_value("drop", 12, 345)) == TheirPromiseChoice("drop", 12, 345)
    assert parse_choice(choice_value("received", 1, 2)).status == "kept"  # type: ignore[union-attr]
    assert parse_choice("drop:1:2").status == "dropped"  # type: ignore[union-attr]
