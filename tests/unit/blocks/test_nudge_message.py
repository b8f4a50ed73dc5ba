"""The nudge DM as a reader sees it: context, answers, limits, fallback text, both languages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import ActionsBlock, Block, SectionBlock

from bot.blocks.budget import TEXT_BUDGET, text_chars
from bot.blocks.nudge_dm import (
    ACTION_SHOW_CARD,
    MAX_HAND_OVERS,
    MAX_ITEMS,
    AfterHoursFigure,
    Answer,
    CheckInItem,
    HandOverItem,
    LastContact,
    OneSidedLine,
    OpenPromise,
    PartnerContext,
    PromiseItem,
    item_block_id,
    nudge_dm,
    parse_item_block_id,
)
from bot.texts.reader import Reader
from storage.vocabulary import NAME_MAX_CHARS, NOTE_MAX_CHARS

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 2, 23, 9, 0, tzinfo=BERLIN)
BUNDLE = "0b7e4c1e-5a57-4f5e-9a53-3c1a8f0d2e11"
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")


def partner(i: int = 0, **kw) -> PartnerContext:
    values = {
        "id": 100 + i,
        "name": f"Partner {i}",
        "organisation": "Org",
        "tz": "Europe/London",
        "preferred_channel": "phone",
        "last_contact": LastContact(
            NOW - timedelta(days=12), True, "call", "U0BOB", "Pricing for Q2. " * 40
        ),
        "open_promises": tuple(
            OpenPromise(900 + n, f"promise {n}", date(2027, 3, 1 + n)) for n in range(5)
        ),
    }
    values.update(kw)
    return PartnerContext(**values)


def check_ins(count: int) -> list[CheckInItem]:
    met = NOW - timedelta(days=95)
    return [CheckInItem(partner(i), 90, None, met) for i in range(count)]


def promises(count: int) -> list[PromiseItem]:
    return [
        PromiseItem(500 + i, f"send item {i}", date(2027, 2, 23), partner(i)) for i in range(count)
    ]


def assert_valid(blocks: list[Block]) -> None:
    assert len(blocks) <= 50
    for block in blocks:
        block.validate_json()


def shown_text(blocks: list[Block]) -> str:
    """The blocks as JSON, with Babel's narrow no-break spaces ("8:00\u202fAM") made plain."""
    shown = "\n".join(json.dumps(block.to_dict(), ensure_ascii=False) for block in blocks)
    return shown.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("checks", "owed"), [(1, 0), (0, 1), (5, 3), (23, 0), (24, 0), (40, 0), (20, 20), (30, 30)]
)
@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_the_dm_validates_and_stays_within_fifty_blocks(checks, owed, reader) -> None:
    dm = nudge_dm(reader, BUNDLE, check_ins(checks), promises(owed), NOW)

    assert_valid(dm.reply.blocks)
    assert len(dm.reply.blocks) <= 50 and text_chars(dm.reply.blocks) <= TEXT_BUDGET
    # What does not fit with buttons (50 blocks, or the text budget) is kept for the next DM,
    # and listed here, one compact line each: at these sizes, every item is.
    left_out = len(dm.left_out)
    assert len(dm.shown) == checks + owed - left_out
    assert left_out >= max(0, checks + owed - MAX_ITEMS)
    assert dm.listed == dm.left_out
    if checks + owed <= 5:
        assert left_out == 0
    text = shown_text(dm.reply.blocks)
    also = "*Also due (with buttons" if reader is ENGLISH else "*Ebenfalls fällig (mit Knöpfen"
    assert (also in text) == bool(left_out)
    for item in dm.listed:
        assert f"• {'' if item.kind == 'promise' else '*'}{item.partner.label}" in text or (
            f"send item {item.id - 500}" in text
        )
    first = "come first in your next" if reader is ENGLISH else "Nachricht zuerst kommen"
    assert first not in text  # nothing is left only counted


def test_promises_come_first_so_a_long_dm_leaves_out_check_ins() -> None:
    dm = nudge_dm(ENGLISH, BUNDLE, check_ins(30), promises(10), NOW)

    assert [item.kind for item in dm.shown[:10]] == ["promise"] * 10
    assert {item.kind for item in dm.left_out} == {"check_in"}


def test_every_item_carries_its_answers_named_by_dm_and_item() -> None:
    dm = nudge_dm(ENGLISH, BUNDLE, check_ins(1), promises(1), NOW)

    actions = [b for b in dm.reply.blocks if isinstance(b, ActionsBlock)]
    assert [parse_item_block_id(a.block_id) for a in actions] == [
        (BUNDLE, "promise", 500),
        (BUNDLE, "check_in", 100),
    ]
    assert [e.action_id for e in actions[0].elements] == [
        "nudge_kept",
        "nudge_more_time",
        "nudge_drop",
    ]
    assert [e.action_id for e in actions[1].elements] == [
        "nudge_check_in",
        "nudge_snooze",
        "nudge_pause",
    ]


def test_an_item_says_who_when_how_and_why() -> None:
    dm = nudge_dm(ENGLISH, BUNDLE, check_ins(1), [], NOW)
    text = shown_text(dm.reply.blocks)

    assert "*Partner 0 (Org)*: no check-in yet; first contact 95 days ago" in text
    assert "a check-in every 90 days" in text
    assert "8:00 AM for them (Europe/London)" in text
    assert "prefers phone" in text
    assert "Last contact: Call, 12 days ago (Thursday, February 11, 2027), by <@U0BOB>" in text
    assert "Pricing for Q2." in text and "…" in text  # the note, cut short
    assert "promise 0 (due Monday, March 1, 2027)" in text
    assert "and 2 more" in text


def test_a_german_reader_reads_german() -> None:
    dm = nudge_dm(GERMAN, BUNDLE, check_ins(1), promises(1), NOW)
    text = shown_text(dm.reply.blocks)

    assert "bei ihnen 08:00 (Europe/London)" in text
    assert "bevorzugt Telefon" in text
    assert "Letzter Kontakt: Anruf, vor 12 Tagen" in text
    assert "Gehalten" in text and "Check-in erfassen" in text
    assert dm.reply.text == "Rapport für heute: 1 Check-in fällig und 1 Zusage."


def both_ways(ours: int, theirs: int) -> PartnerContext:
    """A partner with `ours` promises made to them and `theirs` made by them, one overdue each."""
    mine = [OpenPromise(900 + n, f"ours {n}", date(2027, 2, 20 + n)) for n in range(ours)]
    them = [
        OpenPromise(950 + n, f"theirs {n}", date(2027, 2, 22 + n), by_partner=True)
        for n in range(theirs)
    ]
    return partner(open_promises=tuple(sorted(mine + them, key=lambda p: p.due_on)))


def test_open_promises_are_listed_apart_ours_then_theirs_each_marking_overdue() -> None:
    item = CheckInItem(both_ways(2, 1), 90, None, NOW - timedelta(days=95))
    text = shown_text(nudge_dm(ENGLISH, BUNDLE, [item], [], NOW).reply.blocks)

    assert (
        "Promised to them and still open: ours 0 (*overdue* since Saturday, February 20, 2027); "
        "ours 1 (*overdue* since Sunday, February 21, 2027)"
    ) in text
    assert (
        "They promised and it is still open: theirs 0 (*overdue* since Monday, February 22, 2027)"
    ) in text
    assert text.index("Promised to them") < text.index("They promised")


def test_each_side_shows_three_promises_then_how_many_more() -> None:
    item = CheckInItem(both_ways(4, 5), 90, None, NOW - timedelta(days=95))
    text = shown_text(nudge_dm(ENGLISH, BUNDLE, [item], [], NOW).reply.blocks)

    assert "ours 2" in text and "ours 3" not in text and "ours 2 (*overdue* since" in text
    assert "theirs 2 (due Wednesday, February 24, 2027) and 2 more" in text
    assert "theirs 3" not in text
    assert "ours 2 (*overdue* since Monday, February 22, 2027) and 1 more" in text


def test_only_the_partners_promises_give_only_their_line_in_german() -> None:
    item = CheckInItem(both_ways(0, 1), 90, None, NOW - timedelta(days=95))
    text = shown_text(nudge_dm(GERMAN, BUNDLE, [item], [], NOW).reply.blocks)

    assert "Offene Zusagen des Partners an uns: theirs 0 (*überfällig* seit" in text
    assert "Unsere offenen Zusagen an den Partner" not in text


def test_the_promise_an_item_is_about_is_not_repeated_among_ours() -> None:
    context = both_ways(1, 0)
    item = PromiseItem(900, "ours 0", date(2027, 2, 20), context)
    text = shown_text(nudge_dm(ENGLISH, BUNDLE, [], [item], NOW).reply.blocks)

    assert "Promised to them and still open" not in text
    assert "They promised" not in text


def test_outside_their_business_hours_is_said() -> None:
    late = partner(tz="America/New_York", business_start_minute=9 * 60, business_end_minute=17 * 60)
    dm = nudge_dm(ENGLISH, BUNDLE, [CheckInItem(late, 90, None, NOW - timedelta(days=95))], [], NOW)

    assert "3:00 AM for them (America/New_York) (outside their business hours)" in shown_text(
        dm.reply.blocks
    )


def test_without_hours_set_the_default_hours_judge_as_the_after_hours_hint_does() -> None:
    night = partner(tz="America/New_York")  # 03:00 there; no hours in the profile
    dm = nudge_dm(
        ENGLISH, BUNDLE, [CheckInItem(night, 90, None, NOW - timedelta(days=95))], [], NOW
    )
    assert "(America/New_York) (outside their business hours)" in shown_text(dm.reply.blocks)

    day = partner(tz="Europe/London")  # 08:00 there, before 09:00: outside too
    dm = nudge_dm(ENGLISH, BUNDLE, [CheckInItem(day, 90, None, NOW - timedelta(days=95))], [], NOW)
    assert "(Europe/London) (outside their business hours)" in shown_text(dm.reply.blocks)

    unknown = partner(tz=None)
    dm = nudge_dm(
        ENGLISH, BUNDLE, [CheckInItem(unknown, 90, None, NOW - timedelta(days=95))], [], NOW
    )
    assert "outside their business hours" not in shown_text(dm.reply.blocks)


def test_a_public_holiday_where_the_partner_is_is_said() -> None:
    met = NOW - timedelta(days=95)
    tokyo = partner(tz="Asia/Tokyo")  # 23 February: the Emperor's Birthday in Japan
    dm = nudge_dm(ENGLISH, BUNDLE, [CheckInItem(tokyo, 90, None, met)], [], NOW)
    assert "(Asia/Tokyo) (a public holiday there today: Emperor's Birthday)" in shown_text(
        dm.reply.blocks
    )
    german = nudge_dm(
        Reader("de-DE", "Europe/Berlin"), BUNDLE, [CheckInItem(tokyo, 90, None, met)], [], NOW
    )
    assert "(dort heute Feiertag: Emperor's Birthday)" in shown_text(german.reply.blocks)
    for quiet in (replace(tokyo, public_holidays="none"), partner(tz="Europe/London")):
        dm = nudge_dm(ENGLISH, BUNDLE, [CheckInItem(quiet, 90, None, met)], [], NOW)
        assert "public holiday" not in shown_text(dm.reply.blocks)


def test_an_answered_item_shows_what_was_done_and_by_whom_without_buttons() -> None:
    kept = Answer("kept", "U0ALICE", NOW)
    snoozed = Answer("snoozed", "U0ALICE", NOW, until=date(2027, 3, 2))
    items = check_ins(2)
    items[0] = CheckInItem(items[0].partner, 90, None, NOW - timedelta(days=95), snoozed)
    owed = [PromiseItem(500, "send the offer", date(2027, 2, 23), partner(), kept)]

    dm = nudge_dm(ENGLISH, BUNDLE, items, owed, NOW)

    text = shown_text(dm.reply.blocks)
    assert "Kept, marked by <@U0ALICE>, Tuesday, February 23, 2027." in text
    assert "Snoozed by <@U0ALICE> until Tuesday, March 2, 2027." in text
    actions = [b for b in dm.reply.blocks if isinstance(b, ActionsBlock)]
    assert [parse_item_block_id(a.block_id)[2] for a in actions] == [101]
    assert dm.reply.text == (
        "Rapport for today: 2 check-ins due and 1 promise. Done: kept send the offer "
        "(Partner 0 (Org)); Partner 0 (Org) snoozed until Tuesday, March 2, 2027."
    )
    assert_valid(dm.reply.blocks)


def test_more_time_offers_a_heads_up_in_the_partners_language() -> None:
    german_partner = partner(name="Jens", language="de")
    moved = Answer("more_time", "U0ALICE", NOW, until=date(2027, 3, 5))
    item = PromiseItem(500, "Angebot schicken", date(2027, 3, 5), german_partner, moved)

    text = shown_text(nudge_dm(ENGLISH, BUNDLE, [], [item], NOW).reply.blocks)

    assert "Now due Friday, March 5, 2027, moved by <@U0ALICE>." in text
    assert "A note for Jens (in German) to copy and send:" in text
    assert "Hallo Jens, für „Angebot schicken“ brauche ich etwas mehr Zeit." in text
    assert "Freitag, 5. März 2027" in text


def test_a_dropped_promise_shows_its_reason() -> None:
    dropped = Answer("dropped", "U0ALICE", NOW, reason="they <b>cancelled</b>")
    item = PromiseItem(500, "send the offer", date(2027, 2, 23), partner(), dropped)

    text = shown_text(nudge_dm(ENGLISH, BUNDLE, [], [item], NOW).reply.blocks)

    assert "Dropped by <@U0ALICE>" in text
    assert "Reason: _they &lt;b&gt;cancelled&lt;/b&gt;_" in text


def test_a_problem_is_shown_under_its_item() -> None:
    problems = {("check_in", 100): "Pick a day after today."}
    text = shown_text(
        nudge_dm(ENGLISH, BUNDLE, check_ins(1), [], NOW, problems=problems).reply.blocks
    )

    assert ":warning: Pick a day after today." in text


def test_partner_names_cannot_inject_slack_markup() -> None:
    item = CheckInItem(partner(name="<!channel> & co"), 90, None, NOW - timedelta(days=91))
    dm = nudge_dm(ENGLISH, BUNDLE, [item], [], NOW)

    assert "&lt;!channel&gt; &amp; co" in shown_text(dm.reply.blocks)


def test_block_ids_round_trip_and_forgeries_are_not_read() -> None:
    assert parse_item_block_id(item_block_id(BUNDLE, "promise", 7)) == (BUNDLE, "promise", 7)
    for forged in (
        None,
        "",
        "nudge|x|promise",
        "nudge|x|partner|7",
        "nudge|x|promise|7a",
        "x|y|z|1",
    ):
        assert parse_item_block_id(forged) is None


# --- hand-overs told of ------------------------------------------------------------------------


def hand_overs(count: int, kind: str = "handed_over", **kw) -> list[HandOverItem]:
    values = {"actor": "U0OWEN", "handed_to": "U0JONAS", "next_check_in": date(2027, 5, 24)}
    values.update(kw)
    return [
        HandOverItem(kind=kind, partner=partner(i), paused=False, **values) for i in range(count)
    ]


@pytest.mark.parametrize(
    ("told", "checks", "owed"), [(1, 0, 0), (1, 30, 30), (3, 30, 0), (10, 30, 30), (15, 5, 5)]
)
@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_hand_overs_come_first_and_the_dm_stays_within_fifty_blocks(
    told, checks, owed, reader
) -> None:
    dm = nudge_dm(
        reader, BUNDLE, check_ins(checks), promises(owed), NOW, hand_overs=hand_overs(told)
    )

    assert_valid(dm.reply.blocks)
    shown = min(told, MAX_HAND_OVERS)
    assert [item.kind for item in dm.left_out].count("handed_over") == told - shown
    buttons = [
        b.accessory.action_id
        for b in dm.reply.blocks
        if isinstance(b, SectionBlock) and b.accessory is not None
    ]
    assert buttons == [ACTION_SHOW_CARD] * shown
    heading = "Handed over" if reader is ENGLISH else "Übergeben"
    assert dm.reply.blocks[1].text.text == f"*{heading}*"


def test_a_hand_over_says_who_gave_which_partner_with_the_cards_summary() -> None:
    [item] = hand_overs(1, next_check_in=date(2027, 2, 1))
    their = OpenPromise(950, "the contract", date(2027, 3, 9), by_partner=True)
    item = replace(
        item, partner=replace(item.partner, open_promises=(*item.partner.open_promises, their))
    )

    dm = nudge_dm(ENGLISH, BUNDLE, [], [], NOW, hand_overs=[item])

    text = shown_text(dm.reply.blocks)
    assert ":handshake: <@U0OWEN> handed *Partner 0* over to you." in text
    assert "Organisation: Org" in text
    assert "Last contact: Call, 12 days ago (Thursday, February 11, 2027), by <@U0BOB>." in text
    assert "Next check-in: *due* since Monday, February 1, 2027" in text
    assert "Open promises: 5 ours to them, 1 theirs to us" in text
    assert dm.reply.text.startswith("Rapport for today: 1 hand-over. :handshake: <@U0OWEN>")


def test_a_hand_over_away_in_german_names_the_new_owner_or_a_take_over() -> None:
    [away] = hand_overs(1, kind="handed_away", next_check_in=None)
    [taken] = hand_overs(1, kind="handed_away", handed_to="U0OWEN")
    [paused] = hand_overs(1, actor=None)
    paused = replace(paused, paused=True, partner=replace(paused.partner, organisation=None))

    text = shown_text(nudge_dm(GERMAN, BUNDLE, [], [], NOW, hand_overs=[away]).reply.blocks)
    assert "<@U0OWEN> hat *Partner 0* an <@U0JONAS> übergeben." in text
    assert "Nächster Check-in" not in text
    text = shown_text(nudge_dm(GERMAN, BUNDLE, [], [], NOW, hand_overs=[taken]).reply.blocks)
    assert "<@U0OWEN> hat *Partner 0* von dir übernommen." in text
    text = shown_text(nudge_dm(GERMAN, BUNDLE, [], [], NOW, hand_overs=[paused]).reply.blocks)
    assert "Jemand hat dir *Partner 0* übergeben." in text
    assert "Nächster Check-in: keiner, solange pausiert" in text
    assert "Organisation:" not in text


def test_a_partner_name_in_a_hand_over_is_escaped() -> None:
    [item] = hand_overs(1)
    item = replace(item, partner=replace(item.partner, name="<!channel> & Co"))

    text = nudge_dm(ENGLISH, BUNDLE, [], [], NOW, hand_overs=[item]).reply.text

    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; Co" in text


LINES_BELOW_THE_ITEMS = {
    "collisions": {"collisions": ["Acme", "Globex"]},
    "one-sided": {"one_sided": [OneSidedLine("Initech", "gave", 6)]},
    "collisions+one-sided": {
        "collisions": ["Acme"],
        "one_sided": [OneSidedLine("Initech", "received", 5)],
    },
    "all": {
        "collisions": ["Acme"],
        "one_sided": [OneSidedLine("Initech", "gave", 6)],
        "after_hours": [AfterHoursFigure("Acme", 3)],
    },
}


@pytest.mark.parametrize("lines", LINES_BELOW_THE_ITEMS.values(), ids=LINES_BELOW_THE_ITEMS.keys())
@pytest.mark.parametrize("told", [0, 1, 5])
@pytest.mark.parametrize(("checks", "owed"), [(23, 0), (30, 30), (0, 24)])
@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_every_line_below_the_items_together_keeps_a_full_dm_within_fifty_blocks(
    checks, owed, told, lines, reader
) -> None:
    dm = nudge_dm(
        reader, BUNDLE, check_ins(checks), promises(owed), NOW, hand_overs=hand_overs(told), **lines
    )

    assert_valid(dm.reply.blocks)
    assert len(dm.reply.blocks) <= 50
    # Everything is shown or kept for the next DM (hand-overs told are in neither list).
    told_now = min(told, MAX_HAND_OVERS)
    assert len(dm.shown) + len(dm.left_out) == checks + owed + told - told_now


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_sixty_items_with_the_longest_names_and_notes_stay_within_the_text_budget(reader) -> None:
    longest = "W" * NAME_MAX_CHARS
    items = [
        replace(item, partner=replace(item.partner, name=longest, organisation=longest))
        for item in check_ins(30)
    ]
    owed = [
        replace(item, text="x" * NOTE_MAX_CHARS, partner=replace(item.partner, name=longest))
        for item in promises(30)
    ]

    dm = nudge_dm(reader, BUNDLE, items, owed, NOW)

    assert_valid(dm.reply.blocks)
    assert text_chars(dm.reply.blocks) <= TEXT_BUDGET
    assert len(dm.shown) >= 1 and len(dm.shown) + len(dm.left_out) == 60


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])
def test_long_hand_overs_and_lines_never_take_a_dm_over_the_text_budget(reader) -> None:
    longest = "H" * NAME_MAX_CHARS
    told = [
        replace(item, partner=replace(item.partner, name=longest, organisation=longest))
        for item in hand_overs(MAX_HAND_OVERS + 2)
    ]
    named = [f"{'N' * 60} {i}" for i in range(45)]

    dm = nudge_dm(
        reader,
        BUNDLE,
        check_ins(10),
        promises(10),
        NOW,
        hand_overs=told,
        collisions=named,
        one_sided=[OneSidedLine(name, "gave", 6) for name in named],
        after_hours=[AfterHoursFigure(name, 3) for name in named],
    )

    assert_valid(dm.reply.blocks)
    assert text_chars(dm.reply.blocks) <= TEXT_BUDGET
    # What was not told or shown waits for the next DM: hand-overs too.
    told_now = MAX_HAND_OVERS + 2 - sum(isinstance(i, HandOverItem) for i in dm.left_out)
    assert 0 <= told_now <= MAX_HAND_OVERS
    assert len(dm.shown) + len(dm.left_out) == 20 + MAX_HAND_OVERS + 2 - told_now
