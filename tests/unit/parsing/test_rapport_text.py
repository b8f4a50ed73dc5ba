"""Reading `/rapport TEXT` into a typed request, in English and German, and the values of its
paging buttons as they come back from the client."""

from __future__ import annotations

import pytest

from bot.parsing.ownership_text import HandOver, ListUnowned, OwnershipProblem
from bot.parsing.rapport_text import (
    SEARCH_MAX_CHARS,
    AllPartners,
    BadSearch,
    Help,
    MergePartners,
    MergeUsage,
    MyPartners,
    MyPromises,
    Page,
    SearchPartners,
    SetProfile,
    Settings,
    ShowPartner,
    Unknown,
    page_value,
    rapport_request,
    read_page_value,
    shared_request,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", Help()),
        ("   ", Help()),
        ("help", Help()),
        ("Hilfe", Help()),
        ("?", Help()),
        ("partners", MyPartners()),
        ("Partner", MyPartners()),
        ("partners:", MyPartners()),
        ("partners all", AllPartners()),
        ("partner alle", AllPartners()),
        ("PARTNERS ALL", AllPartners()),
        ("promises", MyPromises()),
        ("zusagen", MyPromises()),
        ("Versprechen", MyPromises()),
        ("partners search acme", SearchPartners("acme")),
        ("partners find ana@acme.example", SearchPartners("ana@acme.example")),
        ("partner suchen Müller", SearchPartners("Müller")),
        ("partner suche  Nordwind   GmbH", SearchPartners("Nordwind GmbH")),
        ("partners search &lt;b&gt;", SearchPartners("<b>")),
        ("settings", Settings("")),
        ("einstellungen arbeitszeit 8-17", Settings("arbeitszeit 8-17")),
        ("partners unowned", ListUnowned()),
        ("partner ohne zuständige", ListUnowned()),
        ("partner Acme owner <@U0BOB|bob>", HandOver("Acme", None, "U0BOB")),
        (
            "partner Jens Ohlsen (Nordwind GmbH) zuständig <@U0BOB>",
            HandOver("Jens Ohlsen", "Nordwind GmbH", "U0BOB"),
        ),
        ("partner owner", OwnershipProblem("usage")),
    ],
)
def test_each_subcommand_in_both_languages(typed: str, expected: object) -> None:
    assert rapport_request(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("partner Acme", ShowPartner("Acme", None)),
        ('partner "Jens Ohlsen" (Nordwind GmbH)', ShowPartner("Jens Ohlsen", "Nordwind GmbH")),
        ("partner Jens Ohlsen (Nordwind GmbH)", ShowPartner("Jens Ohlsen", "Nordwind GmbH")),
        # A quoted word of the command is a name.
        ('partner "Alle"', ShowPartner("Alle", None)),
        ('partners "search"', ShowPartner("search", None)),
        ("partner all of them", ShowPartner("all of them", None)),
        (
            "partner Acme set tz Asia/Tokyo hours 9-18",
            SetProfile("Acme", None, "tz Asia/Tokyo hours 9-18"),
        ),
        (
            "partner Jens Ohlsen (Nordwind GmbH) setze zeitzone Europe/Berlin",
            SetProfile("Jens Ohlsen", "Nordwind GmbH", "zeitzone Europe/Berlin"),
        ),
        ("partner Acme SETZEN rhythmus 60", SetProfile("Acme", None, "rhythmus 60")),
        # The first set word outside quotes and parentheses starts the values.
        ('partner "Set Point" set cadence 30', SetProfile("Set Point", None, "cadence 30")),
        ("partner Acme (Reset set) set lang en", SetProfile("Acme", "Reset set", "lang en")),
        ("partner Acme set note set up", SetProfile("Acme", None, "note set up")),
        ("partner Acme set", SetProfile("Acme", None, "")),
        # A partner called "Set" is a card, not a profile change.
        ("partner Set", ShowPartner("Set", None)),
    ],
)
def test_cards_and_profiles_are_typed_requests(typed: str, expected: object) -> None:
    assert rapport_request(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # `digest …` itself is routed before (`digest_command`); a slip of it is named.
        ("digestif", Unknown("digestif", "digest")),
        ("digset", Unknown("digset", "digest")),
        ("Übersicht heute", Unknown("Übersicht")),
        ("promises overdue", Unknown("overdue")),
        ("zusagen alle", Unknown("alle")),
        ("partners search", BadSearch(too_long=False)),
        ("partner suchen   ", BadSearch(too_long=False)),
        ("partners search " + "x" * (SEARCH_MAX_CHARS + 1), BadSearch(too_long=True)),
    ],
)
def test_what_cannot_be_read_is_named(typed: str, expected: object) -> None:
    assert rapport_request(typed) == expected


def test_a_search_of_the_longest_length_is_read() -> None:
    typed = "x" * SEARCH_MAX_CHARS
    assert rapport_request(f"partners search {typed}") == SearchPartners(typed)


def test_logcontact_and_rapport_share_settings_and_ownership_and_nothing_else() -> None:
    assert shared_request("settings hours 8-17") == Settings("hours 8-17")
    assert shared_request("partners unowned") == ListUnowned()
    assert shared_request("partners") is None
    assert shared_request("partner Acme") is None
    assert shared_request("Acme call kickoff") is None


@pytest.mark.parametrize(
    "request_",
    [MyPartners(), AllPartners(), MyPromises(), SearchPartners("Müller: GmbH:x")],
)
@pytest.mark.parametrize("offset", [0, 20, 4980])
def test_a_page_value_reads_back_as_it_was_made(request_: object, offset: int) -> None:
    value = page_value(request_, offset)  # type: ignore[arg-type]
    assert read_page_value(value) == Page(request_, offset)  # type: ignore[arg-type]
    assert len(value) < 2000  # Slack's limit for a button value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "mine",
        "mine:",
        "mine:x",
        "mine:-1",
        "mine:+1",
        "mine:１２",  # full-width digits
        "mine:20:extra",
        "mine:20:",
        "all:99999999",
        "all:" + "9" * 5000,
        "owner:20",
        "search:20",
        "search:20:",
        "search:20:   ",
        "search:20:" + "x" * (SEARCH_MAX_CHARS + 1),
        "promises:0:x",
    ],
)
def test_a_page_value_rapport_did_not_make_is_refused(value: str | None) -> None:
    assert read_page_value(value) is None


@pytest.mark.parametrize(
    ("typed", "near"),
    [
        ("partnes", "partners"),
        ("promise", "promises"),
        ("zusage", "zusagen"),
        ("einstelungen", "einstellungen"),
        ("setings", "settings"),
        ("xyz", None),
        ("export", None),
    ],
)
def test_an_unknown_subcommand_names_the_one_it_is_a_slip_of(typed: str, near: str | None) -> None:
    assert rapport_request(typed) == Unknown(typed, near)


# --- merge ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "absorbed", "kept"),
    [
        ("merge Acme Ltd into Acme", ("Acme Ltd", None), ("Acme", None)),
        ("zusammenführen Acme GmbH in Acme", ("Acme GmbH", None), ("Acme", None)),
        ("vereinen Acme GmbH -> Acme (Acme AG)", ("Acme GmbH", None), ("Acme", "Acme AG")),
        ("merge partner Acme Ltd into partner Acme", ("Acme Ltd", None), ("Acme", None)),
        ('merge "Into the Blue" into Blue', ("Into the Blue", None), ("Blue", None)),
        ("merge Acme (In Holding) into Acme", ("Acme", "In Holding"), ("Acme", None)),
        ("MERGE: Acme Ltd INTO Acme", ("Acme Ltd", None), ("Acme", None)),
        # Slack sends command text escaped: a typed `->` arrives as `-&gt;`.
        ("merge Acme Ltd -&gt; Acme", ("Acme Ltd", None), ("Acme", None)),
        (
            "zusammenführen Acme Ltd → Acme (Acme Holding)",
            ("Acme Ltd", None),
            ("Acme", "Acme Holding"),
        ),
    ],
)
def test_a_merge_names_the_partner_that_goes_and_the_one_that_remains(
    typed: str, absorbed: tuple[str, str | None], kept: tuple[str, str | None]
) -> None:
    request = rapport_request(typed)

    assert isinstance(request, MergePartners)
    assert (request.name, request.organisation) == absorbed
    assert (request.into_name, request.into_organisation) == kept


def test_a_name_holding_an_into_word_keeps_every_split_strongest_first() -> None:
    request = rapport_request("merge Made in Berlin GmbH into Made in Berlin")

    assert isinstance(request, MergePartners)
    splits = [(r.name, r.into_name) for r in (request, *request.others)]
    assert splits[0] == ("Made in Berlin GmbH", "Made in Berlin")
    assert ("Made", "Berlin GmbH into Made in Berlin") in splits


def test_a_merge_by_mention_carries_the_slack_users() -> None:
    request = rapport_request("merge <@U0KENJI|kenji> into <@U0MIKA|mika>")

    assert isinstance(request, MergePartners)
    assert (request.slack_user_id, request.into_slack_user_id) == ("U0KENJI", "U0MIKA")


@pytest.mark.parametrize(
    "typed", ["merge", "merge Acme", "merge Acme into", "zusammenführen into Acme", "merge in"]
)
def test_a_merge_without_two_names_is_answered_with_how_it_is_written(typed: str) -> None:
    assert rapport_request(typed) == MergeUsage()
