"""The pure checks every text passes before the database sees it: characters nobody types,
lengths no column holds (after case folding), profile values cut or checked to their columns,
ids no row can have, and a refusal that quotes the user's text still fitting one Slack section."""

from __future__ import annotations

import sys

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.contact_form import ModalContext
from bot.blocks.nudge_dm import parse_item_block_id
from bot.blocks.replies import problem
from bot.parsing.checks import (
    UNREADABLE_TEAM,
    forbidden_character,
    line_breaks,
    name_fits,
    row_id,
    without_forbidden,
)
from bot.parsing.contact_text import COMMAND_MAX_CHARS, ParseProblem, check_command, command_problem
from bot.parsing.ownership_text import OwnershipProblem, ownership_request
from bot.slack.users import person_from_slack
from bot.texts.reader import Reader
from bot.usecases.log_contact import message_note
from storage.vocabulary import NAME_KEY_MAX_CHARS, NAME_MAX_CHARS, NOTE_MAX_CHARS, name_key

# --- characters nobody types ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("\x00Acme call", (1, "U+0000")),
        ("Acme call ring\x07ring", (15, "U+0007")),
        ("Acme\x1b[31m call", (5, "U+001B")),
        ("Acme call \x7f", (11, "U+007F")),
        ("Acme call next\x85line", (15, "U+0085")),  # NEL, a C1 control that str.split() eats
        ("Acme \x9f", (6, "U+009F")),
        ("Acme \ud800 call", (6, "U+D800")),  # a lone surrogate, as a JSON payload can carry
    ],
)
def test_control_characters_and_lone_surrogates_are_found_with_their_position(
    text: str, found: tuple[int, str]
) -> None:
    assert forbidden_character(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Acme call\tfirst\nsecond\r\nthird\rfourth",
        "Müller & Söhne 🎉 Straße ﬃ",
        "zero\u200bwidth and a soft\u00adhyphen",  # format characters, not controls
        "",
    ],
)
def test_tab_line_breaks_and_ordinary_unicode_are_fine(text: str) -> None:
    assert forbidden_character(text) is None


def test_cleaning_takes_out_controls_and_keeps_lines() -> None:
    assert without_forbidden("one\x00 two\x07\nthree\r\n\tfour\ud800") == "one two\nthree\r\n\tfour"
    assert line_breaks("a\r\nb\rc\nd") == "a\nb\nc\nd"


# --- the whole command ------------------------------------------------------------------------


def test_a_command_is_bounded_in_length_as_typed() -> None:
    check_command("x" * COMMAND_MAX_CHARS)
    with pytest.raises(ParseProblem) as raised:
        check_command("x" * (COMMAND_MAX_CHARS + 1))
    assert (raised.value.code, raised.value.details) == (
        "command_too_long",
        {"length": COMMAND_MAX_CHARS + 1, "limit": COMMAND_MAX_CHARS},
    )
    # Slack sends "&" as "&amp;": the bound counts what the user typed.
    assert command_problem("&amp;" * COMMAND_MAX_CHARS) is None


def test_a_command_names_its_first_control_character() -> None:
    refused = command_problem("settings hours 8-17\x00")
    assert refused is not None
    assert (refused.code, refused.details) == (
        "control_character",
        {"char": "U+0000", "position": 20},
    )
    assert command_problem("Acme call first line\r\nsecond line") is None


# --- names, after folding ---------------------------------------------------------------------


def test_no_character_folds_to_more_than_three_so_a_name_that_fits_has_a_key_that_fits() -> None:
    longest = max(
        len(chr(code).casefold())
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF
    )
    assert longest == 3
    assert NAME_KEY_MAX_CHARS == 3 * NAME_MAX_CHARS


@pytest.mark.parametrize(
    ("name", "fits"),
    [
        ("ß" * 101, True),  # folds to 202 characters
        ("ß" * NAME_MAX_CHARS, True),
        ("ﬃ" * NAME_MAX_CHARS, True),  # folds to 600, the key's whole room
        ("ß" * (NAME_MAX_CHARS + 1), False),
        ("x" * (NAME_MAX_CHARS + 1), False),
    ],
)
def test_a_name_fits_when_it_and_its_folded_key_fit_their_columns(name: str, fits: bool) -> None:
    assert name_fits(name) is fits
    if fits:
        assert len(name_key(name)) <= NAME_KEY_MAX_CHARS


def test_an_ownership_request_with_a_name_no_partner_can_have_is_refused() -> None:
    request = ownership_request("partner " + "x" * (NAME_MAX_CHARS + 1) + " owner <@U0BOB|bob>")
    assert request == OwnershipProblem("name_too_long", {"limit": str(NAME_MAX_CHARS)})
    organisation = "partner Acme (" + "ß" * (NAME_MAX_CHARS + 1) + ") owner <@U0BOB>"
    assert isinstance(ownership_request(organisation), OwnershipProblem)


# --- what Slack says about people -------------------------------------------------------------


def test_a_profile_is_fitted_to_the_columns_that_cache_it() -> None:
    person = person_from_slack(
        {
            "id": "U0ODD",
            "team_id": "T0PARTNER",
            "real_name": "  Anna\x00 \n Berger" + "x" * 500,
            "tz": "Mars/Olympus_Mons",
            "locale": "de-DE-" + "x" * 40,
            "profile": {"email": "a" * 400 + "@example.com"},
        }
    )
    assert person.name.startswith("Anna Berger")
    assert len(person.name) == NAME_MAX_CHARS
    assert (person.tz, person.locale, person.email) == (None, None, None)
    assert person.member_profile().keys() == {"name", "is_admin", "is_guest", "active"}


@pytest.mark.parametrize(
    ("field", "value", "kept"),
    [
        ("tz", "Europe/Berlin", "Europe/Berlin"),
        ("tz", "../../etc/passwd", None),
        ("tz", "Europe/Berlin\x00", None),
        ("tz", "A/" + "b" * 70, None),
        ("locale", "de-DE", "de-DE"),
        ("locale", "zh-Hant-TW", "zh-Hant-TW"),
        ("locale", "de\x00", None),
        ("locale", 42, None),
        ("email", "kenji@partner.example", "kenji@partner.example"),
        ("email", "no-at-sign", None),
        ("email", "two words@partner.example", None),
        ("email", "kenji\x00@partner.example", None),
    ],
)
def test_a_zone_locale_or_address_is_kept_only_when_it_is_one(
    field: str, value: object, kept: str | None
) -> None:
    user: dict = {"id": "U0ODD", "real_name": "Odd", "profile": {}}
    if field == "email":
        user["profile"]["email"] = value
    else:
        user[field] = value
    assert getattr(person_from_slack(user), field) == kept


def test_a_name_of_nothing_but_controls_falls_back_to_the_user_id() -> None:
    assert person_from_slack({"id": "U0ODD", "real_name": "\x00\x07"}).name == "U0ODD"


def test_an_unreadable_team_id_is_nobodys_workspace() -> None:
    person = person_from_slack({"id": "U0ODD", "team_id": "T0ACME\x00" + "X" * 40})
    assert person.team_id == UNREADABLE_TEAM
    assert person.team_id not in (None, "T0ACME")
    assert person_from_slack({"id": "U0ODD"}).team_id is None


def test_a_long_profile_name_leaves_room_in_the_forms_private_metadata() -> None:
    context = ModalContext(response_url="https://hooks.slack.com/actions/T0/1/x" + "y" * 60)
    person = person_from_slack(
        {
            "id": "U0KENJI",
            "team_id": "T0PARTNER",
            "real_name": "🎉" * 1000,
            "tz": "Asia/Tokyo",
            "profile": {"email": "k" * 300 + "@p.example"},
        }
    )
    context.suggest_partner(person)
    assert len(context.dump()) < 3000
    assert ModalContext.load(context.dump()).suggested_partner("🎉" * NAME_MAX_CHARS) == person


# --- a message taken in as a note -------------------------------------------------------------


def test_a_message_becomes_a_note_without_controls_and_with_its_lines() -> None:
    text = "Pilot figures\x00 &amp; deck\x07\r\nby Friday?\n\tthanks &copy;"
    assert message_note(text) == "Pilot figures & deck\nby Friday?\n\tthanks &copy;"
    assert len(message_note("x" * 5000)) == NOTE_MAX_CHARS


# --- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("17", 17),
        (17, 17),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("9" * 40, None),
        ("²", None),  # "²".isdigit() is True; int("²") raises
        ("0", None),
        ("-1", None),
        (" 7", None),
        ("", None),
        (None, None),
        (True, None),
        ([7], None),
    ],
)
def test_a_row_id_is_read_only_when_a_row_could_have_it(value: object, read: int | None) -> None:
    assert row_id(value) == read


@pytest.mark.parametrize(
    "block_id",
    [
        "nudge|b|promise|²",
        "nudge|b|promise|99999999999",
        "nudge|b\x00|promise|1",
        "nudge|" + "b" * 40 + "|promise|1",
    ],
)
def test_a_nudge_block_id_naming_no_row_is_not_read(block_id: str) -> None:
    assert parse_item_block_id(block_id) is None


# --- answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en-US", "de-DE"])
def test_a_refusal_quoting_a_long_promise_still_fits_one_section(lang: str) -> None:
    reply = problem(Reader(lang), "problem.promise_without_due", promise="<" * 2990)
    for block in reply.blocks:
        Block.parse(block.to_dict()).validate_json()
    assert "…" in reply.text
