"""Ownership commands read and decided without Slack or a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.blocks.ownership import (
    ACTION_TAKE_OVER,
    UnownedPartner,
    contact_age,
    rows_that_fit,
    unowned_reply,
)
from bot.blocks.replies import MESSAGE_BLOCKS_MAX as MAX_BLOCKS
from bot.parsing.ownership_text import (
    HandOver,
    ListUnowned,
    OwnershipProblem,
    name_and_organisation,
    owner_mention,
    ownership_request,
    partner_id_of,
)
from bot.rules.ownership import (
    TakeOver,
    is_unowned,
    may_hand_over,
    person_problem,
    take_over_outcome,
)
from bot.rules.people import SlackPerson
from bot.texts.reader import Reader

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")

# --- reading the command -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("partner Acme owner <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("Partner ACME Owner <@U0BOB>", HandOver("ACME", None, "U0BOB")),
        ("partners Acme owner: <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("partner Acme zuständig <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("partner Acme Inhaber <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        ("partner Acme besitzer <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        (
            "partner Jens Ohlsen (Nordwind GmbH) owner <@U0BOB|bob>",
            HandOver("Jens Ohlsen", "Nordwind GmbH", "U0BOB"),
        ),
        (
            'partner "Jens  Ohlsen" (Nordwind GmbH) zuständig <@U0BOB|bob>',
            HandOver("Jens Ohlsen", "Nordwind GmbH", "U0BOB"),
        ),
        ("partner „Müller & Söhne“ owner <@U0BOB|bob>", HandOver("Müller & Söhne", None, "U0BOB")),
        ("partner Tom &amp; Jerry owner <@U0BOB|bob>", HandOver("Tom & Jerry", None, "U0BOB")),
        # The owner word is read from the end, so a name may contain one.
        ("partner Owner Bank owner <@U0BOB|bob>", HandOver("Owner Bank", None, "U0BOB")),
        ("partners unowned", ListUnowned()),
        ("Partners   Unowned", ListUnowned()),
        ("partner unowned", ListUnowned()),
        ("partner ohne zuständige", ListUnowned()),
        ("Partner ohne Zuständigen", ListUnowned()),
        ("partner ohne zuständigkeit", ListUnowned()),
    ],
)
def test_ownership_commands_are_read_in_either_language(text: str, expected: object) -> None:
    assert ownership_request(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "partner Acme owner",
        "partner owner <@U0BOB|bob>",
        "partner Acme owner bob",
        "partner Acme owner <@U0BOB|bob> <@U0JONAS|jonas>",
        "partner Acme owner <@U0BOB|bob> from Monday",
        'partner "" owner <@U0BOB|bob>',
    ],
)
def test_a_misread_hand_over_is_answered_with_how_to_write_it(text: str) -> None:
    assert ownership_request(text) == OwnershipProblem("usage")


@pytest.mark.parametrize(
    "text",
    [
        "Acme call discussed the roadmap",
        "<@U0KENJI|kenji> call owner <@U0BOB>",
        "partner call kickoff",  # a partner called "partner" keeps being logged
        "partners",
        "settings",
        "",
    ],
)
def test_other_commands_are_left_to_contact_logging(text: str) -> None:
    assert ownership_request(text) is None


def test_the_new_owner_is_found_anywhere_in_a_hand_over_and_nowhere_else() -> None:
    assert owner_mention("partner Acme owner <@U0BOB|bob>") == "U0BOB"
    assert owner_mention("partner Acme owner bob") is None
    assert owner_mention("Acme call with <@U0BOB|bob>") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme", ("Acme", None)),
        ("  Jens   Ohlsen ", ("Jens Ohlsen", None)),
        ("Jens Ohlsen (Nordwind GmbH)", ("Jens Ohlsen", "Nordwind GmbH")),
        ('"Jens Ohlsen"(Nordwind)', ("Jens Ohlsen", "Nordwind")),
        ("Acme ()", ("Acme", None)),
        ("O'Neil", ("O'Neil", None)),
    ],
)
def test_names_and_organisations(text: str, expected: tuple[str, str | None]) -> None:
    assert name_and_organisation(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("17", 17), ("", None), (None, None), ("17:42", None), ("-3", None), ("²", None)],
)
def test_a_take_over_value_is_a_partner_id_or_was_tampered_with(value, expected) -> None:
    assert partner_id_of(value) == expected


def test_an_id_beyond_what_the_database_holds_was_tampered_with() -> None:
    assert partner_id_of("2147483647") == 2147483647
    assert partner_id_of("2147483648") is None


# --- deciding ------------------------------------------------------------------------------------


def test_a_partner_is_unowned_without_an_owner_or_with_one_who_left() -> None:
    assert is_unowned(None, None)
    assert is_unowned(7, False)
    assert not is_unowned(7, True)


@pytest.mark.parametrize(
    ("asker_is_admin", "owner_id", "owner_active", "allowed"),
    [
        (False, 1, True, True),  # the owner hands over
        (False, 2, True, False),  # someone else's partner
        (True, 2, True, True),  # a workspace admin steps in
        (False, 2, False, True),  # the owner left
        (False, None, None, True),  # never had one
    ],
)
def test_who_may_hand_a_partner_over(asker_is_admin, owner_id, owner_active, allowed) -> None:
    decided = may_hand_over(
        asker_id=1, asker_is_admin=asker_is_admin, owner_id=owner_id, owner_active=owner_active
    )
    assert decided is allowed


def test_pressing_take_over_takes_an_unowned_partner_only() -> None:
    assert take_over_outcome(1, None, None) is TakeOver.TAKEN
    assert take_over_outcome(1, 2, False) is TakeOver.TAKEN
    assert take_over_outcome(1, 1, True) is TakeOver.ALREADY_YOURS
    assert take_over_outcome(1, 2, True) is TakeOver.TAKEN_BY_OTHER


def person(**changes: object) -> SlackPerson:
    fields: dict = {
        "user_id": "U0BOB",
        "team_id": "T0ACME",
        "name": "Bob",
        "tz": "America/New_York",
        "locale": "en-US",
        "email": None,
        "is_bot": False,
        "deleted": False,
        "is_admin": False,
    }
    return SlackPerson(**(fields | changes))


@pytest.mark.parametrize(
    ("someone", "expected"),
    [
        (person(), None),
        (person(team_id=None), None),
        (None, "unknown_user"),
        (person(is_bot=True), "bot"),
        (person(team_id="T0PARTNER"), "external"),
        (person(is_guest=True), "guest"),
        (person(deleted=True), "inactive"),
    ],
)
def test_only_an_active_colleague_can_look_after_a_partner(someone, expected) -> None:
    assert person_problem(someone, "T0ACME") == expected


def test_rows_fill_a_message_and_leave_room_to_say_how_many_more() -> None:
    assert rows_that_fit(10, 2) == 10
    assert rows_that_fit(48, 2) == 48
    assert rows_that_fit(49, 2) == 47
    assert rows_that_fit(200, 3) == 46


# --- the list ------------------------------------------------------------------------------------


def unowned(count: int) -> list[UnownedPartner]:
    return [
        UnownedPartner(i, f"Partner {i:03d}", None, "U0ALICE", datetime(2026, 11, 13, tzinfo=UTC))
        for i in range(1, count + 1)
    ]


def test_a_long_list_stays_within_slacks_block_limit_and_counts_the_rest() -> None:
    reply = unowned_reply(ENGLISH, unowned(MAX_BLOCKS), 60, NOW, lead="You now look after *X*.")

    assert len(reply.blocks) == MAX_BLOCKS
    buttons = [b.accessory for b in reply.blocks if getattr(b, "accessory", None)]
    assert len(buttons) == MAX_BLOCKS - 4
    assert {b.action_id for b in buttons} == {ACTION_TAKE_OVER}
    assert [b.value for b in buttons[:2]] == ["1", "2"]
    assert "…and 14 more. Take some over to see the rest." in reply.text
    assert reply.text.startswith("You now look after *X*.")


def test_a_list_that_fits_shows_every_partner_with_who_had_it_and_when_they_met() -> None:
    partners = [
        UnownedPartner(1, "Acme", None, "U0ALICE", datetime(2026, 11, 13, 12, tzinfo=UTC)),
        UnownedPartner(2, "Jens <Ohlsen>", "Nordwind", None, None),
    ]

    reply = unowned_reply(ENGLISH, partners, 2, NOW)

    assert len(reply.blocks) == 4
    assert "*Partners nobody looks after* (2)" in reply.text
    assert "*Acme*: formerly looked after by <@U0ALICE> · last contact 12 days ago" in reply.text
    assert "*Jens &lt;Ohlsen&gt; (Nordwind)*: never had an owner · no contact logged" in reply.text
    assert "more" not in reply.text


def test_the_list_speaks_german() -> None:
    partners = [UnownedPartner(1, "Acme", None, "U0ALICE", datetime(2026, 11, 24, tzinfo=UTC))]

    reply = unowned_reply(GERMAN, partners, 1, NOW)

    assert "*Partner ohne Zuständige* (1)" in reply.text
    assert "zuvor zuständig: <@U0ALICE> · letzter Kontakt gestern" in reply.text
    assert reply.blocks[-1].accessory.text.text == "Übernehmen"


def test_an_empty_list_says_every_partner_has_an_active_owner() -> None:
    reply = unowned_reply(ENGLISH, [], 0, NOW, lead="You now look after *Acme*.")

    assert len(reply.blocks) == 2
    assert "Every partner has an active owner" in reply.text


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (datetime(2026, 11, 25, 8, tzinfo=UTC), "last contact today"),
        (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "last contact today"),  # 00:30 in Berlin
        (datetime(2026, 11, 24, 12, tzinfo=UTC), "last contact yesterday"),
        (datetime(2026, 8, 27, 12, tzinfo=UTC), "last contact 90 days ago"),
        (None, "no contact logged"),
    ],
)
def test_days_since_the_last_contact_count_the_readers_calendar_days(last, expected) -> None:
    assert contact_age(ENGLISH, last, NOW) == expected
