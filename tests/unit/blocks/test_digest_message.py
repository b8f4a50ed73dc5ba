"""A team digest as the channel reads it: its rows, its menus, and Slack's limits, in English
and German (`bot.blocks.digest.message`). Every message is validated with slack_sdk's models."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.budget import STANDIN_LIMIT, TEXT_BUDGET, text_chars, within_budget
from bot.blocks.digest import DigestMessage
from bot.blocks.digest.message import (
    ACTION_DIGEST_MENU,
    CLAIM,
    LOG,
    TAKE_OVER,
    ClaimShown,
    DigestGroup,
    DigestPartner,
    digest_message,
    menu_value,
    quiet_digest,
    read_menu_value,
)
from bot.blocks.ownership import contact_age
from bot.blocks.replies import MESSAGE_BLOCKS_MAX
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader
from storage.vocabulary import NAME_MAX_CHARS

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
ENGLISH = Reader("en", "Europe/Berlin")
GERMAN = Reader("de", "Europe/Berlin")
DIGEST = "0b9e8f5c-3c1e-4d7a-9a55-2f0d6f7c1a11"


def partner(
    id: int,
    *,
    name: str = "Acme",
    organisation: str | None = "Acme Corp",
    days_ago: int | None = 92,
    by: str | None = "Anna",
    unowned: bool = False,
    claim: ClaimShown | None = None,
    health: tuple[Health, ...] = (Health.NEGLECTED, Health.CHECK_IN_OVERDUE),
) -> DigestPartner:
    return DigestPartner(
        id=id,
        name=name,
        organisation=organisation,
        health=health,
        last_contact=None if days_ago is None else NOW - timedelta(days=days_ago),
        last_contact_by=by,
        ours_open=2,
        ours_overdue=1,
        theirs_open=0,
        theirs_overdue=0,
        unowned=unowned,
        claim=claim,
    )


def valid(message: DigestMessage) -> DigestMessage:
    blocks = message.reply.blocks
    assert 0 < len(blocks) <= MESSAGE_BLOCKS_MAX
    for block in blocks:
        Block.parse(block.to_dict()).validate_json()  # type: ignore[union-attr]
        text = block.to_dict().get("text", {}).get("text", "")
        assert len(text) <= 3000
    assert within_budget(blocks) and text_chars(blocks) <= STANDIN_LIMIT
    # The count kept while building is the budget's count of what was built.
    assert message.chars == text_chars(blocks)
    assert message.reply.text
    return message


def section_texts(message: DigestMessage) -> list[str]:
    return [b.to_dict()["text"]["text"] for b in message.reply.blocks if b.type == "section"]


def menu_of(message: DigestMessage, index: int) -> dict[str, str]:
    """The options of the `index`th menu, label → value."""
    menus = [
        b.to_dict()["accessory"]
        for b in message.reply.blocks
        if b.type == "section" and "accessory" in b.to_dict()
    ]
    assert menus[index]["action_id"] == ACTION_DIGEST_MENU
    return {o["text"]["text"]: o["value"] for o in menus[index]["options"]}


def test_one_owner_group_and_the_unowned_group_in_english() -> None:
    claim = ClaimShown("U0BOB", datetime(2026, 12, 14, 9, tzinfo=UTC), "Bob <Miller>")
    groups = [
        DigestGroup("Anna <Schmidt> & Co", False, [partner(1, claim=claim)]),
        DigestGroup(
            None,
            True,
            [
                partner(
                    2,
                    name="Globex",
                    organisation=None,
                    days_ago=None,
                    unowned=True,
                    health=(Health.UNOWNED,),
                )
            ],
        ),
    ]
    message = valid(digest_message(ENGLISH, groups, NOW, digest_id=DIGEST))
    assert message.partner_ids == [1, 2] and message.more == 0 and not message.quiet
    texts = section_texts(message)
    assert texts[0] == "*Partners who need attention*"
    # The owner by name, escaped, never a mention.
    assert texts[1] == "*Anna &lt;Schmidt&gt; &amp; Co*"
    assert texts[2] == (
        "*Acme (Acme Corp)* · :red_circle: neglected and check-in overdue\n"
        "last contact 92 days ago by Anna · we promised 2 (1 overdue :warning:)\n"
        ":raising_hand: @Bob &lt;Miller&gt; is on it until Mon, Dec 14"
    )
    assert texts[3] == "*Nobody looks after these*"
    assert texts[4].startswith("*Globex* · :red_circle: unowned\nno contact logged · ")
    assert "<@" not in "".join(texts)
    assert message.reply.text == "Partners who need attention: 2 partners, 1 owner"
    assert menu_of(message, 0) == {
        "I'll reach out": menu_value(CLAIM, DIGEST, 1),
        "Log contact": menu_value(LOG, DIGEST, 1),
    }
    assert menu_of(message, 1) == {
        "I'll reach out": menu_value(CLAIM, DIGEST, 2),
        "Log contact": menu_value(LOG, DIGEST, 2),
        "Take over": menu_value(TAKE_OVER, DIGEST, 2),
    }


def test_the_same_in_german() -> None:
    claim = ClaimShown("U0BOB", datetime(2026, 12, 14, 9, tzinfo=UTC), "Bob Müller")
    groups = [
        DigestGroup("Anna", False, [partner(1, claim=claim, days_ago=0)]),
        DigestGroup("Ben", False, [partner(3, days_ago=95, by=None)]),
        DigestGroup(None, True, [partner(2, unowned=True, health=(Health.UNOWNED,))]),
    ]
    message = valid(digest_message(GERMAN, groups, NOW, digest_id=DIGEST))
    texts = section_texts(message)
    assert texts[0] == "*Partner, die Aufmerksamkeit brauchen*"
    assert texts[2].split("\n")[1:] == [
        # Anna logged it under her own heading: not said again.
        "letzter Kontakt heute · wir haben 2 zugesagt (1 überfällig :warning:)",
        ":raising_hand: @Bob Müller kümmert sich bis Mo., 14. Dez.",
    ]
    assert "letzter Kontakt vor 95 Tagen · " in texts[4]
    assert texts[5] == "*Partner ohne Zuständige*"  # as the lists say it
    assert message.reply.text == (
        "Partner, die Aufmerksamkeit brauchen: 3 Partner, 2 zuständige Personen"
    )
    assert set(menu_of(message, 2)) == {"Ich melde mich", "Kontakt erfassen", "Übernehmen"}


@pytest.mark.parametrize(
    ("reader", "more"),
    [
        (ENGLISH, "{} more, see Rapport's Home tab"),
        (GERMAN, "{} weitere, siehe den Home-Tab von Rapport"),
    ],
)
def test_500_partners_with_maximal_names_fill_one_message_and_count_the_rest(
    reader: Reader, more: str
) -> None:
    long = "W" * NAME_MAX_CHARS
    groups = [
        DigestGroup(
            f"{owner:03d}" + "<&>" * NAME_MAX_CHARS,
            False,
            [
                partner(
                    owner * 50 + i,
                    name=f"{i:03d}" + "&" * NAME_MAX_CHARS,
                    organisation=long,
                    by="B" * NAME_MAX_CHARS,
                    claim=ClaimShown(
                        "U0" + "X" * 9, NOW + timedelta(days=14), "X" * NAME_MAX_CHARS
                    ),
                    health=(
                        Health.PROMISES_OVERDUE,
                        Health.NEGLECTED,
                        Health.CHECK_IN_OVERDUE,
                        Health.ONE_SIDED,
                    ),
                )
                for i in range(50)
            ],
        )
        for owner in range(9)
    ] + [DigestGroup(None, True, [partner(10_000 + i, unowned=True) for i in range(50)])]
    message = valid(digest_message(reader, groups, NOW, digest_id=DIGEST))
    shown = len(message.partner_ids)
    assert shown >= 10  # the longest names, organisations and claimers Rapport accepts
    assert message.more == 500 - shown
    last = message.reply.blocks[-1].to_dict()
    assert last["type"] == "context"
    assert last["elements"][0]["text"] == more.format(500 - shown)
    # Filled: one more partner would not have fitted in text or blocks.
    one_row = text_chars(message.reply.blocks[2:3])
    assert (
        text_chars(message.reply.blocks) + one_row > TEXT_BUDGET
        or len(message.reply.blocks) + 1 > MESSAGE_BLOCKS_MAX
    )
    # Names were cut, and every row shows its own ids in order.
    assert "W" * 81 not in "".join(section_texts(message))
    assert message.partner_ids == sorted(message.partner_ids)


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN])
@pytest.mark.parametrize("digest_id", [DIGEST, None])
def test_the_text_counted_while_building_is_the_text_built(
    reader: Reader, digest_id: str | None
) -> None:
    """Every kind of row (claims, no organisation, never contacted, logged by someone else or
    by nobody, unowned with its third menu choice, markup to escape, umlauts) and every fill
    (a few rows, the text budget reached, the block limit reached): the message's own count
    of its text is `text_chars` of its blocks, so the budget it was filled by is the real one."""
    claim = ClaimShown("U0CLAIMER", NOW + timedelta(days=3), "Jörg *Ü* <Bär>")
    kinds = [
        partner(1),
        partner(2, organisation=None, by=None, claim=claim),
        partner(3, days_ago=None, health=(Health.ONE_SIDED,)),
        partner(4, name="Müller & <Söhne>", by="Anna", health=(Health.PROMISES_OVERDUE,)),
        partner(5, unowned=True, by="Bob", health=(Health.UNOWNED,)),
        partner(6, name="x" * NAME_MAX_CHARS, organisation="ß" * NAME_MAX_CHARS, claim=claim),
    ]
    for copies in (1, 4, 40):
        groups = [
            DigestGroup("Anna", False, [k for k in kinds if not k.unowned] * copies),
            DigestGroup(None, True, [k for k in kinds if k.unowned] * copies),
        ]
        message = valid(digest_message(reader, groups, NOW, digest_id=digest_id, left_out=3))
        assert message.partner_ids


def test_many_short_rows_stop_at_the_block_limit() -> None:
    groups = [DigestGroup("Anna", False, [partner(i, organisation=None) for i in range(1, 80)])]
    message = valid(digest_message(ENGLISH, groups, NOW, digest_id=DIGEST))
    assert len(message.reply.blocks) == MESSAGE_BLOCKS_MAX
    # Title, owner line, the rows, the "more" line.
    assert len(message.partner_ids) == MESSAGE_BLOCKS_MAX - 3
    assert message.more == 79 - len(message.partner_ids)


def test_a_redrawn_digest_keeps_counting_what_it_left_out() -> None:
    groups = [DigestGroup("Anna", False, [partner(1)])]
    message = valid(digest_message(ENGLISH, groups, NOW, digest_id=DIGEST, left_out=7))
    assert message.partner_ids == [1] and message.more == 7
    assert message.reply.blocks[-1].to_dict()["elements"][0]["text"] == (
        "7 more, see Rapport's Home tab"
    )
    assert message.reply.text == "Partners who need attention: 8 partners, 1 owner"


@pytest.mark.parametrize(
    ("reader", "line"),
    [(ENGLISH, "All partners looked after"), (GERMAN, "Alle Partner sind gut betreut")],
)
def test_a_quiet_period_is_one_line(reader: Reader, line: str) -> None:
    for message in (quiet_digest(reader), digest_message(reader, [], NOW, digest_id=DIGEST)):
        valid(message)
        assert message.quiet and message.partner_ids == [] and message.more == 0
        assert message.reply.text == line
        assert len(message.reply.blocks) == 1 and line in section_texts(message)[0]


def test_without_a_digest_row_there_is_no_menu() -> None:
    message = valid(
        digest_message(ENGLISH, [DigestGroup("A", False, [partner(1)])], NOW, digest_id=None)
    )
    assert all("accessory" not in b.to_dict() for b in message.reply.blocks)


def test_menu_values_read_back_and_tampered_ones_are_refused() -> None:
    for choice in (CLAIM, LOG, TAKE_OVER):
        assert read_menu_value(menu_value(choice, DIGEST, 42)) == (choice, DIGEST, 42)
    for tampered in (
        None,
        "",
        "rapport_digest_claim",
        f"rapport_digest_delete|{DIGEST}:1",
        f"rapport_digest_claim|{DIGEST}:x",
        f"rapport_digest_claim|{DIGEST}:-1",
        "rapport_digest_claim|:1",
        f"rapport_digest_claim|{DIGEST}:" + "9" * 40,
    ):
        assert read_menu_value(tampered) is None, tampered
    assert re.fullmatch(r"[\w|:-]+", menu_value(CLAIM, DIGEST, 1))


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN])
def test_a_full_digest_keeps_promises_past_their_reminders_over_neglect(reader: Reader) -> None:
    # Anna's 70 neglected partners come first in the groups' order; Zoe's five partners with
    # promises past their last reminder come last (their contact is recent), yet none is cut.
    neglected = [partner(i, name=f"Neglected {i:02d}", days_ago=200) for i in range(1, 71)]
    overdue = [
        partner(100 + i, name=f"Overdue {i}", days_ago=3, health=(Health.PROMISES_OVERDUE,))
        for i in range(1, 6)
    ]
    groups = [
        DigestGroup(owner_name="Anna", unowned=False, partners=neglected),
        DigestGroup(owner_name="Zoe", unowned=False, partners=overdue),
    ]

    message = digest_message(reader, groups, NOW, digest_id=DIGEST)

    assert set(message.partner_ids) >= {p.id for p in overdue}
    assert message.more == 75 - len(message.partner_ids) > 0
    # Shown in the groups' order all the same: Anna's rows, then Zoe's.
    assert message.partner_ids[-5:] == [p.id for p in overdue]
    assert len(message.reply.blocks) <= MESSAGE_BLOCKS_MAX
    assert within_budget(message.reply.blocks)


@pytest.mark.parametrize(
    ("days_ago", "english", "german"),
    [
        (0, "last contact today", "letzter Kontakt heute"),
        (1, "last contact yesterday", "letzter Kontakt gestern"),
        (2, "last contact 2 days ago", "letzter Kontakt vor 2 Tagen"),
        (49, "last contact 49 days ago", "letzter Kontakt vor 49 Tagen"),
        (400, "last contact 400 days ago", "letzter Kontakt vor 400 Tagen"),
    ],
)
def test_last_contact_reads_as_the_lists_read_it(days_ago: int, english: str, german: str) -> None:
    """The digest and `/rapport partners` (`contact_age`) say the same of the same day."""
    when = NOW - timedelta(days=days_ago)
    for reader, expected in ((ENGLISH, english), (GERMAN, german)):
        assert contact_age(reader, when, NOW) == expected
        groups = [DigestGroup("Ben", False, [partner(1, days_ago=days_ago, by="Anna")])]
        [_, _, row] = section_texts(valid(digest_message(reader, groups, NOW, digest_id=DIGEST)))
        assert f"{expected} {'by' if reader is ENGLISH else 'von'} Anna · " in row
