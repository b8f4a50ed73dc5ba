"""The App Home's view as a member sees it: a welcome before their first partner, their
partners with their health a page at a time (Previous/Next), their open promises and their
settings after it, always a valid Home view within Slack's 100 blocks and 250 kB, with the
exact count of the partners after the page, in English and German."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.blocks.home.view import (
    ACTION_HOME_PAGE_NEXT,
    ACTION_HOME_PAGE_PREVIOUS,
    ACTION_HOME_SETTINGS,
    HOME_BLOCKS_MAX,
    HOME_BYTES_MAX,
    HOME_PAGE_SIZE,
    HOME_PROMISES_MAX,
    HomeData,
    HomePartner,
    home_view,
    page_start,
    partner_rows_wanted,
    read_page,
)
from bot.blocks.partner_lists import OpenPromise
from bot.blocks.settings import SettingsView
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
        for element in block.get("elements", []):
            text = element["text"]  # a context's text, or a button's plain text object
            found.append(text["text"] if isinstance(text, dict) else text)
    return found


def buttons(view: dict[str, Any]) -> dict[str, str]:
    """The view's buttons: action id → value."""
    return {
        element["action_id"]: element.get("value", "")
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


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
@pytest.mark.parametrize("offset", [0, 50, 100, 250])
def test_three_hundred_partners_are_paged_and_each_page_says_exactly_how_many_more(
    reader: Reader, offset: int
) -> None:
    wanted = partner_rows_wanted(0)
    assert wanted == HOME_PAGE_SIZE
    rows = partners(300)[offset : offset + wanted]
    data = HomeData(rows, 300, [], 0, offset=offset)
    view = valid(home_view(reader, data, NOW))

    shown = rows_shown(view, "*Partner ")
    assert shown == min(wanted, 300 - offset)
    first_row = next(t for t in texts(view) if t.startswith("*Partner "))
    assert first_row.startswith(f"*Partner {offset}")
    left = 300 - offset - shown
    more = reader.t("home.partners.more", count=str(left))
    assert (more in texts(view)) is (left > 0)
    span = reader.t(
        "home.partners.range", first=str(offset + 1), last=str(offset + shown), total="300"
    )
    assert span in texts(view)
    pages = buttons(view)
    assert pages.get(ACTION_HOME_PAGE_PREVIOUS) == (
        str(max(offset - HOME_PAGE_SIZE, 0)) if offset else None
    )
    assert pages.get(ACTION_HOME_PAGE_NEXT) == (str(offset + shown) if left else None)


@READERS
def test_a_list_of_one_page_has_no_page_buttons_and_no_span(reader: Reader) -> None:
    data = HomeData(partners(HOME_PAGE_SIZE), HOME_PAGE_SIZE, [], 0)
    view = valid(home_view(reader, data, NOW))

    assert rows_shown(view, "*Partner ") == HOME_PAGE_SIZE
    assert not any(a.startswith("rapport_home_page") for a in buttons(view))
    assert not any(t.startswith(reader.t("home.partners.title") + " ") for t in texts(view)[1:2])


@READERS
def test_promises_are_capped_and_a_page_of_partners_stays_within_the_blocks(
    reader: Reader,
) -> None:
    promises = [promise(i, TODAY + timedelta(days=i)) for i in range(HOME_PROMISES_MAX)]
    wanted = partner_rows_wanted(len(promises))
    settings = SettingsView(8 * 60, 17 * 60, "12345")
    data = HomeData(partners(wanted), 1_300, promises, 45, settings=settings)
    view = valid(home_view(reader, data, NOW))

    assert rows_shown(view, "*Partner ") == wanted
    count = "1,250" if reader is ENGLISH else "1.250"
    assert reader.t("home.partners.more", count=count) in texts(view)
    assert reader.t("home.promises.more", count="25") in texts(view)
    # Room is left for sections other parts of Rapport add to the Home.
    assert len(view["blocks"]) <= HOME_BLOCKS_MAX - 10


@READERS
def test_the_byte_limit_stops_rows_early_and_the_next_page_starts_at_the_first_left_out(
    reader: Reader,
) -> None:
    """Names of emoji are 12 bytes a character in JSON: fewer rows fit than a page holds."""
    name = "\U0001f600" * NAME_MAX_CHARS + " {i}"
    emoji = "\U0001f600" * NAME_MAX_CHARS
    promises = [
        OpenPromise("\U0001f600" * 300, TODAY, "us", emoji, emoji) for _ in range(HOME_PROMISES_MAX)
    ]
    rows = partners(300, name=name, org=emoji)
    data = HomeData(rows[50:100], 300, promises, 20, offset=50)
    view = valid(home_view(reader, data, NOW))

    shown = rows_shown(view, "*\U0001f600")
    assert 0 < shown < partner_rows_wanted(0)
    assert reader.t("home.partners.more", count=str(300 - 50 - shown)) in texts(view)
    assert buttons(view)[ACTION_HOME_PAGE_NEXT] == str(50 + shown)
    # One more row would not have fitted: the view is filled, not cut short early.
    row_bytes = len(json.dumps(view["blocks"][2]).encode())
    assert len(json.dumps(view).encode()) + row_bytes > HOME_BYTES_MAX


@READERS
def test_the_settings_show_with_a_button_that_edits_them(reader: Reader) -> None:
    settings = SettingsView(8 * 60 + 30, 17 * 60, "1234", language="de", away_until=TODAY)
    data = HomeData(partners(3), 3, [], 0, settings=settings)
    view = valid(home_view(reader, data, NOW))

    shown = texts(view)
    assert reader.t("home.settings.title") in shown
    assert any("08:30–17:00" in text for text in shown)
    assert reader.t("home.settings.edit") in shown
    assert ACTION_HOME_SETTINGS in buttons(view)


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("0", 0),
        ("50", 50),
        ("250", 250),
        ("-50", 0),
        ("5O", 0),
        ("", 0),
        (None, 0),
        (["50"], 0),
        ("٣", 0),  # a digit, but not one a button carries
        ("1" * 7, 0),
    ],
)
def test_a_page_value_no_button_carries_shows_the_first_page(value: object, offset: int) -> None:
    assert read_page(value) == offset


def test_a_page_beyond_the_list_shows_its_last_page() -> None:
    assert page_start(450, 300) == 250
    assert page_start(250, 300) == 250
    assert page_start(100, 0) == 0
    assert page_start(40, 300) == 40


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
