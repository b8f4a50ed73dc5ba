"""Who looks after a partner and who is on it, as the card, list rows and the Home draw them
from plain values: an owner who is gone is named as the one it had (never as looking after
it), a live claim by the claimer's name (never a mention) and its end's day in the reader's
zone, in English and German, and every surface stays valid within Slack's limits with the
longest names."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.home.view import (
    HOME_BLOCKS_MAX,
    HOME_CLAIMS_MAX,
    HOME_PAGE_SIZE,
    HomeClaim,
    HomeData,
    HomePartner,
    home_view,
)
from bot.blocks.partner_card import partner_card
from bot.blocks.partner_lists import ClaimOn, PageOf, partners_reply
from bot.blocks.partner_profile_form import CardContext, hand_over_modal
from bot.parsing.rapport_text import AllPartners
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader
from storage.vocabulary import NAME_MAX_CHARS
from tests.support.blocks import texts
from tests.unit.blocks.test_home_view import valid as valid_view
from tests.unit.blocks.test_partner_card import CARD
from tests.unit.blocks.test_partner_lists import health
from tests.unit.blocks.test_partner_lists import valid as valid_reply

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")
TOKYO = Reader("en-US", "Asia/Tokyo")
# Ends late on Wednesday 9 December in Berlin: already Thursday the 10th in Tokyo.
UNTIL = datetime(2026, 12, 9, 22, 30, tzinfo=UTC)
BOBS = ClaimOn("Bob Miller", UNTIL, mine=False)


def card_text(reader: Reader, **changes: Any) -> str:
    reply = partner_card(reader, replace(CARD, **changes), NOW)
    body = reply.body()
    assert 0 < len(body["blocks"]) <= 50
    for block in body["blocks"]:
        Block.parse(block).validate_json()
    return (texts(body) + "\n" + body["text"]).replace("\u202f", " ")


def owner_field(text: str, label: str) -> str:
    return text.split(f"*{label}*\n", 1)[1].split("\n", 1)[0]


# --- the card ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "label", "expected", "fallback"),
    [
        (EN, "Looked after by", "nobody (was <@U0BOB>)", "Owner: nobody (was <@U0BOB>)."),
        (DE, "Zuständig", "niemand (zuvor <@U0BOB>)", "Zuständig: niemand (zuvor <@U0BOB>)."),
    ],
)
def test_a_card_names_an_owner_who_is_gone_as_the_one_it_had(
    reader: Reader, label: str, expected: str, fallback: str
) -> None:
    text = card_text(reader, owner=None, former_owner="U0BOB", health=(Health.UNOWNED,))
    assert owner_field(text, label) == expected
    assert fallback in text


def test_a_card_without_any_owner_says_nobody_and_one_with_an_owner_names_them() -> None:
    assert owner_field(card_text(EN, owner=None), "Looked after by") == "nobody"
    assert owner_field(card_text(EN), "Looked after by") == "<@U0ALICE>"
    assert owner_field(card_text(DE, owner=None), "Zuständig") == "niemand"


def test_the_hand_over_form_offers_no_owner_who_is_gone() -> None:
    gone = replace(CARD, owner=None, former_owner="U0BOB")
    view = hand_over_modal(EN, gone, CardContext(CARD.id, None)).to_dict()
    element = next(b["element"] for b in view["blocks"] if b.get("block_id") == "owner")
    assert "initial_user" not in element
    view = hand_over_modal(EN, CARD, CardContext(CARD.id, None)).to_dict()
    element = next(b["element"] for b in view["blocks"] if b.get("block_id") == "owner")
    assert element["initial_user"] == "U0ALICE"


@pytest.mark.parametrize(
    ("reader", "claim", "expected"),
    [
        (
            EN,
            BOBS,
            ":raising_hand: @Bob Miller is on it until Wed, Dec 9 and gets its check-in nudges "
            "until then.",
        ),
        (
            DE,
            BOBS,
            ":raising_hand: @Bob Miller kümmert sich bis Mi., 9. Dez. und bekommt bis dahin die "
            "Check-in-Erinnerungen.",
        ),
        (
            EN,
            replace(BOBS, mine=True),
            ":raising_hand: You are on it until Wed, Dec 9: its check-in nudges come to you until "
            "then.",
        ),
        (
            DE,
            replace(BOBS, mine=True),
            ":raising_hand: Du kümmerst dich bis Mi., 9. Dez.: bis dahin bekommst du die "
            "Check-in-Erinnerungen.",
        ),
        # The day is the reader's: Thursday already in Tokyo.
        (TOKYO, BOBS, ":raising_hand: @Bob Miller is on it until Thu, Dec 10"),
        (EN, replace(BOBS, name=None), ":raising_hand: @(no name) is on it until Wed, Dec 9"),
    ],
)
def test_a_card_says_who_is_on_it_by_name(reader: Reader, claim: ClaimOn, expected: str) -> None:
    text = card_text(reader, claim=claim)
    # In the card's blocks and in its plain-text fallback.
    assert text.count(expected) == 2, text


def test_a_claimers_name_is_escaped_and_cut_never_a_mention() -> None:
    claim = replace(BOBS, name="<!channel> *Bob* & <@U0ALICE> " + "x" * NAME_MAX_CHARS)
    text = card_text(EN, claim=claim)
    line = next(t for t in text.splitlines() if "is on it" in t)
    assert "<!channel>" not in line and "<@" not in line
    assert "&lt;!channel&gt;" in line and "&amp;" in line
    assert "x" * 80 not in line and "…" in line


def test_a_card_without_a_claim_says_nothing_of_one() -> None:
    assert "on it" not in card_text(EN) and "kümmer" not in card_text(DE)


# --- list rows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "claim", "expected"),
    [
        (EN, BOBS, ":raising_hand: @Bob Miller is on it until Wed, Dec 9"),
        (DE, BOBS, ":raising_hand: @Bob Miller kümmert sich bis Mi., 9. Dez."),
        (EN, replace(BOBS, mine=True), ":raising_hand: you are on it until Wed, Dec 9"),
        (DE, replace(BOBS, mine=True), ":raising_hand: du kümmerst dich bis Mi., 9. Dez."),
    ],
)
def test_a_row_ends_with_who_is_on_it(reader: Reader, claim: ClaimOn, expected: str) -> None:
    rows = [health(1, claim=claim), health(2)]
    reply = partners_reply(reader, PageOf(AllPartners(), 0, 2), rows, NOW, asker_user_id="U0JONAS")
    valid_reply(reply)
    first, second = (b.text.text for b in reply.blocks[1:3])  # type: ignore[attr-defined]
    assert first.endswith(" · " + expected)
    assert "raising_hand" not in second


def test_a_full_page_of_claimed_rows_with_the_longest_names_fits() -> None:
    long = "&" * NAME_MAX_CHARS
    rows = [
        health(i, name=long, organisation=long, claim=replace(BOBS, name=long)) for i in range(20)
    ]
    reply = partners_reply(EN, PageOf(AllPartners(), 0, 5000), rows, NOW, asker_user_id="U0X")
    valid_reply(reply)


# --- the Home ------------------------------------------------------------------------------------


def home_partners(count: int, claimed_every: int) -> list[HomePartner]:
    return [
        HomePartner(
            "&" * NAME_MAX_CHARS + str(i),
            "&" * NAME_MAX_CHARS,
            (Health.NEGLECTED, Health.CHECK_IN_OVERDUE, Health.ONE_SIDED),
            replace(BOBS, name="&" * NAME_MAX_CHARS) if i % claimed_every == 0 else None,
        )
        for i in range(count)
    ]


def held(count: int) -> list[HomeClaim]:
    return [
        HomeClaim(f"Partner {i}", None, "U0ALICE", True, UNTIL + timedelta(hours=i))
        for i in range(count)
    ]


@pytest.mark.parametrize("reader", [EN, DE], ids=["en", "de"])
def test_a_home_page_of_300_claimed_partners_stays_within_the_limits(reader: Reader) -> None:
    """Every row claimed, the longest names, twenty claims of the member's own: valid, within
    100 blocks and 250 kB, every row shown with its claim."""
    data = HomeData(home_partners(HOME_PAGE_SIZE, 1), 300, [], 0, claims=held(20), claims_total=20)
    view = valid_view(home_view(reader, data, NOW))
    assert len(view["blocks"]) <= HOME_BLOCKS_MAX
    rows = [t for t in texts_of(view) if t.startswith("*&amp;")]
    assert rows and all(":raising_hand: @&amp;" in row for row in rows)


def texts_of(view: dict[str, Any]) -> list[str]:
    found = []
    for block in view["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element["text"]
            found.append(text["text"] if isinstance(text, dict) else text)
    return found


def test_the_owners_home_rows_say_who_is_on_it_and_the_claimers_home_lists_claims() -> None:
    partners = [HomePartner("Acme", None, (), BOBS), HomePartner("Globex", None, ())]
    claims = [
        HomeClaim("Initech", "Initech Corp", "U0BOB", False, UNTIL),
        HomeClaim("Umbrella", None, None, False, UNTIL),
        *held(HOME_CLAIMS_MAX),
    ]
    data = HomeData(partners, 2, [], 0, claims=claims, claims_total=len(claims) + 3)
    shown = texts_of(valid_view(home_view(DE, data, NOW)))
    on_it = ":raising_hand: @Bob Miller kümmert sich bis Mi., 9. Dez."
    assert f"*Acme* · :large_green_circle: in Ordnung\n{on_it}" in shown
    assert not any(t.startswith("*Globex*") and "kümmert" in t for t in shown)
    at = shown.index("Ich kümmere mich")
    assert shown[at + 2 : at + 4] == [
        "*Initech (Initech Corp)* · niemand zuständig (zuvor <@U0BOB>) · "
        ":raising_hand: bis Mi., 9. Dez.",
        "*Umbrella* · niemand zuständig · :raising_hand: bis Mi., 9. Dez.",
    ]
    # Five claims shown, the rest counted exactly.
    assert shown[at + 2 + HOME_CLAIMS_MAX] == f"{len(claims) + 3 - HOME_CLAIMS_MAX} weitere"


def test_a_home_without_claims_has_no_claims_section() -> None:
    data = HomeData([HomePartner("Acme", None, ())], 1, [], 0)
    shown = texts_of(valid_view(home_view(EN, data, NOW)))
    assert "I'm on it" not in shown
    assert not any("raising_hand" in t for t in shown)
