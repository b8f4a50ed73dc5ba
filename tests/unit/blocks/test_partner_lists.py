"""The lists of `/rapport` as a reader sees them: valid Block Kit within Slack's limits, exact
counts, page buttons where there is more, and the health of each partner, in English and
German."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from babel.numbers import format_decimal
from slack_sdk.models.blocks import ActionsBlock, SectionBlock

from bot.blocks.partner_lists import (
    ACTION_PAGE_NEXT,
    ACTION_PAGE_PREVIOUS,
    PAGE_SIZE,
    OpenPromise,
    PageOf,
    PartnerHealth,
    card_usage,
    number,
    partners_reply,
    promise_row,
    promises_reply,
    rapport_help,
)
from bot.blocks.replies import MESSAGE_BLOCKS_MAX, Reply
from bot.parsing.rapport_text import (
    AllPartners,
    MyPartners,
    MyPromises,
    SearchPartners,
    read_page_value,
)
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader, babel_locale
from storage.vocabulary import NAME_MAX_CHARS

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")
SECTION_MAX_CHARS = 3000


def valid(reply: Reply) -> None:
    """What Slack accepts: every block valid by slack_sdk's models, at most 50 of them, each
    section's text within 3,000 characters."""
    assert len(reply.blocks) <= MESSAGE_BLOCKS_MAX
    for block in reply.blocks:
        block.validate_json()
        if isinstance(block, SectionBlock) and block.text is not None:
            assert len(block.text.text) <= SECTION_MAX_CHARS
    assert reply.text


def health(i: int, **changes: object) -> PartnerHealth:
    values: dict[str, object] = {
        "name": f"Partner {i:04d}",
        "organisation": None,
        "owner_user_id": "U0ALICE",
        "owner_active": True,
        "last_contact": NOW - timedelta(days=12),
        "last_contact_by": "U0ALICE",
        "check_in_on": TODAY + timedelta(days=3),
        "paused": False,
        "paused_until": None,
        "ours_open": 0,
        "ours_overdue": 0,
        "theirs_open": 0,
        "theirs_overdue": 0,
        "health": (Health.CHECK_IN_DUE_SOON,),
    }
    values.update(changes)
    return PartnerHealth(**values)  # type: ignore[arg-type]


def page_of(total: int, offset: int, request: object = None) -> list[PartnerHealth]:
    return [health(i) for i in range(offset + 1, min(total, offset + PAGE_SIZE) + 1)]


def page_buttons(reply: Reply) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in reply.blocks:
        if isinstance(block, ActionsBlock):
            for element in block.elements:
                found[element.action_id] = element.value  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("offset", [0, 20, 2480, 4980])
def test_a_page_of_5000_partners_is_valid_and_counts_exactly(offset: int) -> None:
    rows = page_of(5000, offset)
    reply = partners_reply(
        ENGLISH, PageOf(MyPartners(), offset, 5000), rows, NOW, asker_user_id="U0ALICE"
    )
    valid(reply)
    last = offset + len(rows)
    assert f"*Your partners* · {offset + 1:,}–{last:,} of 5,000" in reply.text
    buttons = page_buttons(reply)
    assert (ACTION_PAGE_PREVIOUS in buttons) == (offset > 0)
    assert (ACTION_PAGE_NEXT in buttons) == (last < 5000)
    if ACTION_PAGE_NEXT in buttons:
        page = read_page_value(buttons[ACTION_PAGE_NEXT])
        assert page is not None and page.offset == last and page.request == MyPartners()
    if ACTION_PAGE_PREVIOUS in buttons:
        page = read_page_value(buttons[ACTION_PAGE_PREVIOUS])
        assert page is not None and page.offset == offset - PAGE_SIZE


def test_german_counts_are_written_the_german_way() -> None:
    reply = partners_reply(
        GERMAN, PageOf(AllPartners(), 20, 5000), page_of(5000, 20), NOW, asker_user_id="U0X"
    )
    valid(reply)
    assert "*Alle Partner* · 21–40 von 5.000" in reply.text
    assert number(GERMAN, 200000) == "200.000"
    assert number(ENGLISH, 200000) == "200,000"


def test_the_longest_names_and_a_long_search_still_fit() -> None:
    long_name = "N" * NAME_MAX_CHARS
    rows = [
        health(i, name=long_name, organisation="O" * NAME_MAX_CHARS, ours_open=99, theirs_open=9)
        for i in range(PAGE_SIZE)
    ]
    search = SearchPartners("s" * 200)
    reply = partners_reply(ENGLISH, PageOf(search, 0, 5000), rows, NOW, asker_user_id="U0A")
    valid(reply)
    buttons = page_buttons(reply)
    assert read_page_value(buttons[ACTION_PAGE_NEXT]) is not None


def test_each_row_shows_owner_last_contact_check_in_and_promises() -> None:
    rows = [
        health(1, last_contact_by="U0BOB", ours_open=2, ours_overdue=1, theirs_open=1),
        health(
            2,
            last_contact=None,
            check_in_on=None,
            owner_user_id=None,
            health=(Health.UNOWNED, Health.NEGLECTED),
        ),
        health(3, check_in_on=TODAY - timedelta(days=2)),
        health(4, check_in_on=TODAY),
        health(5, paused=True),
        health(6, paused=True, paused_until=date(2027, 1, 4)),
        health(7, paused_until=date(2027, 1, 4), check_in_on=date(2027, 1, 4)),
    ]
    reply = partners_reply(ENGLISH, PageOf(AllPartners(), 0, 7), rows, NOW, asker_user_id="U0ALICE")
    valid(reply)
    lines = [b.text.text for b in reply.blocks[1:] if isinstance(b, SectionBlock)]  # type: ignore[union-attr]
    assert lines[0] == (
        "*Partner 0001* · :large_yellow_circle: check-in due soon\n"
        "<@U0ALICE> looks after it · last contact 12 days ago by <@U0BOB> · "
        "check-in due Saturday, November 28, 2026 · we promised 2 (1 overdue :warning:), "
        "they promised 1"
    )
    assert lines[1] == (
        "*Partner 0002* · :red_circle: unowned and neglected\n"
        "nobody looks after it · no contact logged · "
        "no check-in planned before a first contact · no open promises"
    )
    assert ":warning: check-in overdue since Monday, November 23, 2026" in lines[2]
    assert "check-in due today" in lines[3]
    assert " · paused · " in lines[4]
    assert "paused until Monday, January 4, 2027" in lines[5]
    assert "paused until Monday, January 4, 2027" in lines[6]
    assert page_buttons(reply) == {}


def test_my_own_list_does_not_name_me_as_owner() -> None:
    reply = partners_reply(
        GERMAN, PageOf(MyPartners(), 0, 1), [health(1)], NOW, asker_user_id="U0ALICE"
    )
    assert "zuständig" not in reply.text
    assert (
        "*Partner 0001* · :large_yellow_circle: Check-in bald fällig · letzter Kontakt vor "
        "12 Tagen · Check-in fällig"
    ) in reply.text


def test_names_are_escaped() -> None:
    rows = [health(1, name="<!channel> & *bold*")]
    reply = partners_reply(ENGLISH, PageOf(AllPartners(), 0, 1), rows, NOW, asker_user_id="U")
    assert "<!channel>" not in reply.text
    assert "&lt;!channel&gt; &amp;" in reply.text


@pytest.mark.parametrize(
    ("reader", "request_", "expected"),
    [
        (ENGLISH, MyPartners(), "You look after no partners yet."),
        (ENGLISH, AllPartners(), "No partners yet"),
        (GERMAN, SearchPartners("<x>"), "Kein Partner hat „&lt;x&gt;“"),
        (GERMAN, MyPromises(), "Du hast keine offenen Zusagen"),
    ],
)
def test_an_empty_list_says_so(reader: Reader, request_: object, expected: str) -> None:
    page = PageOf(request_, 0, 0)  # type: ignore[arg-type]
    if isinstance(request_, MyPromises):
        reply = promises_reply(reader, page, [], NOW)
    else:
        reply = partners_reply(reader, page, [], NOW, asker_user_id="U")
    valid(reply)
    assert expected in reply.text


def test_promises_say_whose_and_when_overdue_first_as_given() -> None:
    rows = [
        OpenPromise("call back", TODAY - timedelta(days=1), "us", "Initech", None),
        OpenPromise("the contract", TODAY, "partner", "Globex", "Globex AG"),
        OpenPromise("bis 2026-12-10", TODAY + timedelta(days=15), "us", "Acme", None),
    ]
    reply = promises_reply(GERMAN, PageOf(MyPromises(), 0, 43, overdue=1), rows, NOW)
    valid(reply)
    lines = [b.text.text for b in reply.blocks if isinstance(b, SectionBlock)]  # type: ignore[union-attr]
    assert lines[0] == "*Deine offenen Zusagen* · 1–3 von 43 · 1 überfällig"
    assert lines[1].startswith("Du hast *Initech* zugesagt: call back\n:warning: überfällig seit")
    assert lines[2] == "*Globex (Globex AG)* hat uns zugesagt: the contract\nheute fällig"
    assert lines[3].startswith("Du hast *Acme* zugesagt: eine Zusage\nfällig Donnerstag")
    assert set(page_buttons(reply)) == {ACTION_PAGE_NEXT}


def test_a_full_page_of_promises_with_long_texts_fits() -> None:
    rows = [
        OpenPromise("p" * 2000, TODAY, "us", "N" * NAME_MAX_CHARS, "O" * NAME_MAX_CHARS)
        for _ in range(PAGE_SIZE)
    ]
    reply = promises_reply(ENGLISH, PageOf(MyPromises(), 40, 5000, 17), rows, NOW)
    valid(reply)
    assert "41–60 of 5,000 · 17 overdue" in reply.text


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN])
def test_help_and_card_usage_are_valid(reader: Reader) -> None:
    valid(rapport_help(reader))
    valid(card_usage(reader))
    assert "/rapport partner Acme" in card_usage(reader).text


@pytest.mark.parametrize(
    ("reader", "states", "words"),
    [
        (ENGLISH, (Health.FINE,), ":large_green_circle: fine"),
        (GERMAN, (Health.FINE,), ":large_green_circle: in Ordnung"),
        (ENGLISH, (Health.ONE_SIDED,), ":large_orange_circle: one-sided"),
        (
            GERMAN,
            (Health.PROMISES_OVERDUE, Health.CHECK_IN_OVERDUE),
            ":red_circle: Zusagen überfällig trotz Erinnerungen und Check-in überfällig",
        ),
    ],
)
def test_each_row_leads_with_its_health(
    reader: Reader, states: tuple[Health, ...], words: str
) -> None:
    reply = partners_reply(
        reader,
        PageOf(AllPartners(), 0, 2),
        [health(1, health=states), health(2)],
        NOW,
        asker_user_id="U0ALICE",
    )
    valid(reply)
    rows = [b.text.text for b in reply.blocks[1:] if isinstance(b, SectionBlock)]  # type: ignore[union-attr]
    assert rows[0].startswith(f"*Partner 0001* · {words}\n")
    assert rows[1].startswith("*Partner 0002* · :large_yellow_circle: ")
    assert f"*Partner 0001* · {words} · " in reply.text


@pytest.mark.parametrize(
    ("reader", "ours", "theirs"),
    [
        (
            ENGLISH,
            "You promised *Max Muster (Initech)*: the quote\ndue today",
            "*Max Muster (Initech)* promised us: the contract\ndue today",
        ),
        (
            GERMAN,
            "Du hast *Max Muster (Initech)* zugesagt: the quote\nheute fällig",
            "*Max Muster (Initech)* hat uns zugesagt: the contract\nheute fällig",
        ),
    ],
)
def test_a_promise_row_is_a_sentence_with_its_subject(
    reader: Reader, ours: str, theirs: str
) -> None:
    """Who promised is always said: never "Initech · hat zugesagt" without a subject."""
    mine = OpenPromise("the quote", TODAY, "us", "Max Muster", "Initech")
    partners = OpenPromise("the contract", TODAY, "partner", "Max Muster", "Initech")
    assert promise_row(reader, mine, TODAY) == ours
    assert promise_row(reader, partners, TODAY) == theirs


@pytest.mark.parametrize(
    ("locale", "value", "written"),
    [
        ("de-DE", 5000, "5.000"),
        ("de-AT", -5000, "-5.000"),
        ("de-CH", 5000, "5'000"),
        ("en-GB", 10**20, "100,000,000,000,000,000,000"),
        ("en-US", -1, "-1"),
        ("fr-FR", 1234567, "1\u202f234\u202f567"),
        ("en-IN", 1234567, "12,34,567"),
        ("xx-YY", 5000, "5,000"),  # not a locale Babel knows: its language's, else English
    ],
)
def test_a_count_is_written_as_the_readers_slack_locale_writes_it(
    locale: str, value: int, written: str
) -> None:
    """Formatted once per locale and value (cached): each locale keeps its own writing, asked
    in any order, negative and huge values too, as Babel writes them uncached."""
    for _ in range(2):
        assert number(Reader(locale=locale), value) == written
        assert number(Reader(locale="en-US"), value) == format_decimal(value, locale="en_US")
        assert number(Reader(locale=locale), value) == format_decimal(
            value, locale=babel_locale(locale)
        )
