"""The App Home's view as a member sees it: a welcome before their first partner, their
partners with their health and their open promises after it, always a valid Home view within
Slack's 100 blocks and 250 kB, with the exact count of the partners that did not fit, in
English and German."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.blocks.home.view import (
    HOME_BLOCKS_MAX,
    HOME_BYTES_MAX,
    HOME_PROMISES_MAX,
    HomeData,
    HomePartner,
    home_view,
    partner_rows_wanted,
)
from bot.blocks.partner_lists import OpenPromise
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader
from storage.vocabulary import NAME_MAX_CHARS

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")
READERS = pytest.mark.parametrize("reader", [ENGLISH, GERMAN], ids=["en", "de"])


def partners(count: int, name: str = "Partner {i}", org: str = "Org") -> list[HomePartner]:
    states = [(), (Health.NEGLECTED, Health.CHECK_IN_OVERDUE), (Health.CHECK_IN_DUE_SOON,)]
    return [
        HomePartner(name.format(i=i), org if i % 2 else None, states[i % 3]) for i in range(count)
    ]


def promise(i: int, due: date, by: str = "us") -> OpenPromise:
    return OpenPromise(f"send the quote {i}", due, by, f"Partner {i}", None)


def valid(view: dict[str, Any]) -> dict[str, Any]:
    """The view as Slack's model accepts it, within the Home's limits."""
    checked = View(**view)
    checked.validate_json()
    assert checked.to_dict()["type"] == "home"
    assert len(view["blocks"]) <= HOME_BLOCKS_MAX
    assert len(json.dumps(view).encode()) <= HOME_BYTES_MAX
    return view


def texts(view: dict[str, Any]) -> list[str]:
    found = []
    for block in view["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [element["text"] for element in block.get("elements", [])]
    return found


def rows_shown(view: dict[str, Any], prefix: str) -> int:
    """Partner rows: one line each (a promise's row has its due day on a second line)."""
    return sum(1 for text in texts(view) if text.startswith(prefix) and "\n" not in text)


@READERS
def test_a_member_without_partners_is_welcomed_with_how_to_log_a_contact(reader: Reader) -> None:
    view = valid(home_view(reader, HomeData([], 0, [], 0), NOW))

    shown = "\n".join(texts(view))
    assert "`/logcontact Acme" in shown
    help_word = "help" if reader is ENGLISH else "hilfe"
    assert f"`/rapport {help_word}`" in shown
    assert reader.t("home.partners.title") not in shown
    assert reader.t("home.promises.none") in shown


@READERS
def test_three_partners_are_shown_with_their_health_and_no_remainder(reader: Reader) -> None:
    data = HomeData(partners(3), 3, [promise(1, TODAY - timedelta(days=2))], 1)
    view = valid(home_view(reader, data, NOW))

    shown = texts(view)
    assert shown[0] == reader.t("home.partners.title")
    rows = [text for text in shown if text.startswith("*Partner ")]
    assert rows[0] == f"*Partner 0* · :large_green_circle: {reader.t('health.fine')}"
    neglected = f"{reader.t('health.neglected')}"
    assert rows[1].startswith("*Partner 1 (Org)* · :red_circle: " + neglected)
    assert reader.t("health.check_in_overdue") in rows[1]
    assert ":large_yellow_circle:" in rows[2]
    # The promise, overdue, with its day; and no "N more" line for either list.
    overdue = reader.t("rapport.promise.overdue", day=reader.day(TODAY - timedelta(days=2)))
    assert any(overdue in text for text in shown)
    assert not any("`/rapport partner" in text for text in shown)
    assert not any("/rapport promises" in t or "/rapport zusagen" in t for t in shown)


@READERS
def test_three_hundred_partners_fill_the_view_and_say_exactly_how_many_more(
    reader: Reader,
) -> None:
    wanted = partner_rows_wanted(0)
    data = HomeData(partners(wanted), 300, [], 0)
    view = valid(home_view(reader, data, NOW))

    shown = rows_shown(view, "*Partner ")
    assert shown == wanted
    assert len(view["blocks"]) == HOME_BLOCKS_MAX
    more = reader.t("home.partners.more", count=str(300 - shown))
    assert more in texts(view)


@READERS
def test_promises_are_capped_and_partners_take_the_rest_of_the_blocks(reader: Reader) -> None:
    promises = [promise(i, TODAY + timedelta(days=i)) for i in range(HOME_PROMISES_MAX)]
    wanted = partner_rows_wanted(len(promises))
    data = HomeData(partners(wanted), 1_300, promises, 45)
    view = valid(home_view(reader, data, NOW))

    assert rows_shown(view, "*Partner ") == wanted
    assert len(view["blocks"]) == HOME_BLOCKS_MAX
    left = f"{1_300 - wanted:,}"  # 1,229 beside the promises and the reliability section
    count = left if reader is ENGLISH else left.replace(",", ".")
    assert reader.t("home.partners.more", count=count) in texts(view)
    assert reader.t("home.promises.more", count="25") in texts(view)


@READERS
def test_the_byte_limit_stops_rows_before_the_block_limit_with_an_exact_remainder(
    reader: Reader,
) -> None:
    """Names of emoji are 12 bytes a character in JSON: far fewer rows fit than blocks."""
    name = "\U0001f600" * NAME_MAX_CHARS + " {i}"
    emoji = "\U0001f600" * NAME_MAX_CHARS
    data = HomeData(partners(partner_rows_wanted(0), name=name, org=emoji), 300, [], 0)
    view = valid(home_view(reader, data, NOW))

    shown = rows_shown(view, "*\U0001f600")
    assert 0 < shown < partner_rows_wanted(0)
    assert reader.t("home.partners.more", count=str(300 - shown)) in texts(view)
    # One more row would not have fitted: the view is filled, not cut short early.
    row_bytes = len(json.dumps(view["blocks"][1]).encode())
    assert len(json.dumps(view).encode()) + row_bytes > HOME_BYTES_MAX


def test_partner_names_are_escaped() -> None:
    data = HomeData([HomePartner("<!channel> & Co", None, ())], 1, [], 0)
    view = valid(home_view(ENGLISH, data, NOW))

    assert "*&lt;!channel&gt; &amp; Co* ·" in texts(view)[1]


@READERS
def test_their_promises_and_ours_are_told_apart(reader: Reader) -> None:
    data = HomeData(
        partners(1), 1, [promise(1, TODAY), promise(2, TODAY + timedelta(days=3), "partner")], 2
    )
    shown = "\n".join(texts(valid(home_view(reader, data, NOW))))

    assert reader.t("rapport.promise.ours", partner="Partner 1", text="send the quote 1") in shown
    assert reader.t("rapport.promise.due_today") in shown
    theirs = reader.t("rapport.promise.theirs", partner="Partner 2", text="send the quote 2")
    assert theirs in shown
