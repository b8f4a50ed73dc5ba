"""The reliability figure as Block Kit: the Home's "My reliability" section (the share, the
counts behind it, or that nothing fell due, and that only its owner sees it) and the card's one
line of the reader's own figure for a partner, valid for slack_sdk, in English and German."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks.home.reliability import (
    RELIABILITY_BLOCKS,
    percent,
    reliability_blocks,
    reliability_line,
)
from bot.blocks.home.view import HomeData, home_view
from bot.blocks.partner_card import PartnerCard, partner_card
from bot.rules.relationships.reliability import Reliability
from bot.texts.reader import Reader
from tests.support.blocks import texts

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")


def plain(text: str) -> str:
    """Babel's German percent sign follows a no-break space."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("reader", "figure", "line"),
    [
        (EN, Reliability(11, 12), "*92%* — 11 of 12 promises due in the last 90 days kept on time"),
        (
            DE,
            Reliability(11, 12),
            "*92 %* — 11 von 12 Zusagen, die in den letzten 90 Tagen fällig waren, "
            "rechtzeitig gehalten",
        ),
        (EN, Reliability(1, 1), "*100%* — 1 of 1 promise due in the last 90 days kept on time"),
        (
            DE,
            Reliability(0, 1),
            "*0 %* — 0 von 1 Zusage, die in den letzten 90 Tagen fällig war, rechtzeitig gehalten",
        ),
        (
            EN,
            Reliability(1_999, 2_000),
            "*99%* — 1,999 of 2,000 promises due in the last 90 days kept on time",
        ),
        (
            DE,
            Reliability(1_999, 2_000),
            "*99 %* — 1.999 von 2.000 Zusagen, die in den letzten 90 Tagen fällig waren, "
            "rechtzeitig gehalten",
        ),
        (EN, None, "No promises fell due in the last 90 days."),
        (DE, None, "In den letzten 90 Tagen war keine deiner Zusagen fällig."),
    ],
)
def test_the_line_says_the_share_and_the_counts_behind_it(
    reader: Reader, figure: Reliability | None, line: str
) -> None:
    assert plain(reliability_line(reader, figure)) == line


def test_the_share_is_written_as_the_reader_writes_percentages() -> None:
    assert percent(EN, Reliability(3, 4)) == "75%"
    assert plain(percent(DE, Reliability(3, 4))) == "75 %"


@pytest.mark.parametrize("reader", [EN, DE])
@pytest.mark.parametrize("figure", [Reliability(3, 4), None])
def test_the_section_is_valid_and_says_only_its_owner_sees_it(
    reader: Reader, figure: Reliability | None
) -> None:
    blocks = [block.to_dict() for block in reliability_blocks(reader, figure)]
    assert len(blocks) == RELIABILITY_BLOCKS
    for block in blocks:
        Block.parse(block).validate_json()
    shown = plain(texts({"blocks": blocks}))
    assert ("My reliability" if reader is EN else "Meine Verlässlichkeit") in shown
    assert ("Only you see this." if reader is EN else "Nur du siehst das.") in shown


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_home_ends_with_the_section_both_for_a_new_member_and_one_with_promises(
    reader: Reader,
) -> None:
    for data in (HomeData([], 0, [], 0), HomeData([], 0, [], 0, reliability=Reliability(11, 12))):
        view = home_view(reader, data, NOW)
        View(**view).validate_json()
        last = plain(texts({"blocks": view["blocks"][-RELIABILITY_BLOCKS:]}))
        assert plain(reliability_line(reader, data.reliability)) in last


CARD = PartnerCard(
    id=7,
    name="Acme <script>",
    organisation=None,
    owner="U0BOB",
    slack_user_id=None,
    email=None,
    tz=None,
    tz_typed=False,
    business_start_minute=None,
    business_end_minute=None,
    business_days=None,
    preferred_channel=None,
    language=None,
    cadence_days=90,
    status="active",
    paused_until=None,
    next_check_in=date(2027, 1, 19),
    contacts=(),
    contacts_total=0,
    ours=(),
    ours_total=0,
    theirs=(),
    theirs_total=0,
)


def card_text(reader: Reader, card: PartnerCard) -> str:
    body: dict[str, Any] = partner_card(reader, card, NOW).body()
    for block in body["blocks"]:
        Block.parse(block).validate_json()
    return texts(body)


@pytest.mark.parametrize(
    ("reader", "line"),
    [
        (EN, "Your promises to Acme &lt;script&gt;: 3 of 4 kept on time (last 90 days)"),
        (DE, "Deine Zusagen an Acme &lt;script&gt;: 3 von 4 rechtzeitig gehalten (letzte 90 Tage)"),
    ],
)
def test_the_card_says_the_readers_own_figure_in_one_escaped_line(
    reader: Reader, line: str
) -> None:
    assert line in card_text(reader, replace(CARD, mine=Reliability(3, 4)))


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_card_says_nothing_of_reliability_when_none_of_the_readers_promises_fell_due(
    reader: Reader,
) -> None:
    shown = card_text(reader, CARD)
    assert "kept on time" not in shown and "rechtzeitig" not in shown
