"""`/rapport` end to end: signed commands and page buttons sent to the running app, on SQLite and
PostgreSQL, Slack played by the stand-in, in English and German."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from bot.blocks.partner_lists import ACTION_PAGE_NEXT, ACTION_PAGE_PREVIOUS
from storage.models import Partner as PartnerRow
from storage.queries.members import save_member, workspace_for
from storage.queries.partners import add_partner
from tests.security.guests import GUESTS, Guest, assert_refused, cached_guest, in_slack
from tests.support.app import Command, RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.rows import Member, Promise, all_of, owner_of
from tests.support.world import NOW

RAPPORT = "/rapport"


def rapport_says(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> Command:
    """`/rapport TEXT` typed by `user`."""
    return rapport.command(text, user=user, command=RAPPORT)


def shown(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> str:
    """What `/rapport TEXT` shows `user`, blocks and fallback text."""
    reply = rapport_says(rapport, text, user).reply()
    return f"{reply['text']}\n{texts(reply)}"


def logged(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def member_id(rapport: RunningRapport, user: str) -> int:
    return next(m.id for m in all_of(rapport.db, Member) if m.slack_user_id == user)


def many_partners(rapport: RunningRapport, user: str, count: int, prefix: str = "Partner") -> None:
    """`count` partners `user` looks after, named `{prefix} 001` on, without contacts."""
    owner = member_id(rapport, user)
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, "T0ACME", NOW)
        for i in range(1, count + 1):
            add_partner(
                session,
                workspace.id,
                name=f"{prefix} {i:03d}",
                organisation=None,
                owner_id=owner,
                now=NOW,
            )


def page_buttons(message: dict[str, Any]) -> dict[str, str]:
    """The paging buttons of a list, by action id, with their values."""
    return {
        b["action_id"]: b["value"]
        for b in buttons(message).values()
        if b["action_id"] in (ACTION_PAGE_NEXT, ACTION_PAGE_PREVIOUS)
    }


def press_page(
    rapport: RunningRapport, listing: Command, action_id: str, value: str, user: str = "U0ALICE"
) -> dict:
    """Press a page button on `listing`; the page that replaces it (the newest post to the
    list's response_url)."""
    assert rapport.wait_until_idle()
    before = len(rapport.slack.responses(listing.response_url))
    pressed = rapport.click(action_id, value, user=user, response_url=listing.response_url)
    assert pressed.answer.status == 200 and pressed.answer.body == ""
    return pressed.later(before + 1)


def turn(rapport: RunningRapport, listing: Command, action_id: str, user: str = "U0ALICE") -> dict:
    """Press Next or Previous on the first page `listing` showed."""
    value = page_buttons(listing.reply())[action_id]
    return press_page(rapport, listing, action_id, value, user)


def partner_rows(message: dict[str, Any]) -> list[str]:
    """The names of the partners a list shows, in order."""
    return [
        # "*Name (Organisation)* · :marker: health", then the row's details
        block["text"]["text"].split("\n")[0].split(" · ")[0].strip("*")
        for block in message["blocks"][1:]
        if block["type"] == "section" and "\n" in block["text"]["text"]
    ]


# --- help ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "help", "HELP", "?"])
def test_help_lists_what_rapport_does_with_examples(rapport, typed: str) -> None:
    known(rapport)
    said = shown(rapport, typed)
    assert "Rapport: partners, promises, settings" in said
    for example in (
        "/rapport partners all",
        "/rapport partners search mueller",
        "/rapport promises",
        "/rapport settings",
        "/rapport partner Acme owner @anna",
    ):
        assert example in said


def test_help_in_german(rapport) -> None:
    known(rapport, "U0JONAS")
    said = shown(rapport, "hilfe", user="U0JONAS")
    assert "Rapport: Partner, Zusagen, Einstellungen" in said
    assert "/rapport partner suchen müller" in said
    assert "/rapport zusagen" in said


def test_logcontact_help_points_to_rapport(rapport) -> None:
    assert "`/rapport help`" in texts(rapport.command("help").reply())
    assert "`/rapport hilfe`" in texts(rapport.command("hilfe", user="U0JONAS").reply())


@pytest.mark.parametrize(
    ("user", "typed", "expected"),
    [
        ("U0ALICE", "summary", "`/rapport` has no `summary`. `/rapport help` lists what it does."),
        ("U0ALICE", "digset on", "`/rapport` has no `digset`. Did you mean `/rapport digest`?"),
        ("U0JONAS", "übersicht", "`/rapport` kennt `übersicht` nicht. `/rapport hilfe` zeigt"),
        ("U0ALICE", "promises overdue", "`/rapport` has no `overdue`."),
        ("U0ALICE", "partnes", "`/rapport` has no `partnes`. Did you mean `/rapport partners`?"),
        ("U0JONAS", "zusage", "`/rapport` kennt `zusage` nicht. Meintest du `/rapport zusagen`?"),
    ],
)
def test_an_unknown_subcommand_is_named_and_help_pointed_to(
    rapport, user: str, typed: str, expected: str
) -> None:
    known(rapport, user)
    assert expected in shown(rapport, typed, user=user)


# --- my partners, with their health --------------------------------------------------------------


def test_my_partners_show_last_contact_next_check_in_and_promises_both_ways(rapport) -> None:
    logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    logged(rapport, "Acme email they promised: the signed contract by 2026-11-30")
    logged(rapport, "Globex check-in: all fine")
    known(rapport, "U0BOB")
    logged(rapport, "Globex meeting demo", user="U0BOB")

    said = shown(rapport, "partners")

    assert "*Your partners* · 2 partners" in said
    assert "*Acme* · :large_green_circle: fine\nlast contact today · check-in due" in said
    assert "we promised 1, they promised 1" in said
    # Bob met Globex last: it says so; its check-in is counted from Alice's check-in today.
    assert "*Globex* · :large_green_circle: fine\nlast contact today by <@U0BOB>" in said
    assert "no open promises" in said
    assert page_buttons(rapport_says(rapport, "partners").reply()) == {}


def test_overdue_check_ins_and_promises_are_marked(rapport, clock) -> None:
    logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    clock.advance(timedelta(days=120))

    said = shown(rapport, "partners")

    assert "last contact 120 days ago" in said
    assert ":warning: check-in overdue since" in said
    assert "we promised 1 (1 overdue :warning:)" in said


def test_a_paused_or_snoozed_check_in_shows_when_it_comes_back(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex call kickoff")
    with rapport.db.transaction() as session:
        session.execute(
            update(PartnerRow)
            .where(PartnerRow.name == "Acme")
            .values(paused_until=NOW.date() + timedelta(days=200))
        )
        session.execute(
            update(PartnerRow).where(PartnerRow.name == "Globex").values(status="paused")
        )

    said = shown(rapport, "partners")

    assert "paused until Sunday, June 13, 2027" in said
    assert "*Globex* · :large_green_circle: fine\nlast contact today · paused ·" in said


def test_german_lists_in_german(rapport) -> None:
    logged(rapport, "Acme Anruf Zusage: Angebot schicken bis Freitag", user="U0JONAS")

    said = shown(rapport, "partner", user="U0JONAS")

    assert "*Deine Partner* · 1 Partner" in said
    assert "letzter Kontakt heute · Check-in fällig" in said
    assert "wir haben 1 zugesagt" in said


def test_no_partners_says_how_to_get_some(rapport) -> None:
    known(rapport)
    assert "You look after no partners yet." in shown(rapport, "partners")
    known(rapport, "U0JONAS")
    assert "Du bist noch für keinen Partner zuständig." in shown(rapport, "partner", "U0JONAS")


# --- all partners, and searching -----------------------------------------------------------------


def test_all_partners_name_who_looks_after_each(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    logged(rapport, "Globex call kickoff", user="U0BOB")

    said = shown(rapport, "partners all")

    assert "*All partners* · 2 partners" in said
    # Alice asked: her own contact is not said to be hers.
    assert (
        "*Acme* · :large_green_circle: fine\n"
        "<@U0ALICE> looks after it · last contact today · check-in due"
    ) in said
    assert "*Globex* · :large_green_circle: fine\n<@U0BOB> looks after it" in said
    assert "*Your partners* · 1 partner" in shown(rapport, "partners")


def test_all_partners_in_german(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")
    said = shown(rapport, "partner alle", user="U0JONAS")
    assert "*Alle Partner* · 1 Partner" in said
    assert "<@U0ALICE> ist zuständig · letzter Kontakt heute von <@U0ALICE>" in said


def seed_for_search(rapport: RunningRapport) -> None:
    logged(rapport, '"Jens Müller" (Nordwind GmbH) call kickoff')
    logged(rapport, '"Petra Schulz" (Acme Logistics) call kickoff')
    logged(rapport, "Globex call kickoff")
    with rapport.db.transaction() as session:
        session.execute(
            update(PartnerRow)
            .where(PartnerRow.name == "Globex")
            .values(email="Lena.Roth@Globex.example")
        )


@pytest.mark.parametrize(
    ("user", "typed", "found"),
    [
        ("U0ALICE", "partners search mueller", ["Jens Müller (Nordwind GmbH)"]),
        ("U0ALICE", "partners search MÜLLER", ["Jens Müller (Nordwind GmbH)"]),
        # typed without the umlaut, as on a keyboard without one
        ("U0ALICE", "partners search muller", ["Jens Müller (Nordwind GmbH)"]),
        ("U0JONAS", "partner suche mul", ["Jens Müller (Nordwind GmbH)"]),
        ("U0ALICE", "partners search schul", ["Petra Schulz (Acme Logistics)"]),
        ("U0ALICE", "partners search nordwind", ["Jens Müller (Nordwind GmbH)"]),
        ("U0ALICE", "partners search logistics", ["Petra Schulz (Acme Logistics)"]),
        ("U0ALICE", "partners find lena.roth@globex", ["Globex"]),
        ("U0JONAS", "partner suchen GLOBEX.EXAMPLE", ["Globex"]),
        ("U0JONAS", "partner suche gmbh", ["Jens Müller (Nordwind GmbH)"]),
        (
            "U0ALICE",
            "partners search s",
            ["Jens Müller (Nordwind GmbH)", "Petra Schulz (Acme Logistics)"],
        ),
    ],
)
def test_search_finds_by_name_organisation_and_email(
    rapport, user: str, typed: str, found: list[str]
) -> None:
    seed_for_search(rapport)
    known(rapport, user)
    listing = rapport_says(rapport, typed, user=user).reply()
    assert partner_rows(listing) == found


def test_a_search_that_finds_nothing_says_so_and_wildcards_are_plain_text(rapport) -> None:
    seed_for_search(rapport)
    assert "No partner's name, organisation or e-mail contains “%”." in shown(
        rapport, "partners search %"
    )
    known(rapport, "U0JONAS")
    said = shown(rapport, "partner suchen _", user="U0JONAS")
    assert "Kein Partner hat „_“ im Namen" in said


def test_a_search_without_text_or_too_long_is_explained(rapport) -> None:
    known(rapport)
    assert "Search for what?" in shown(rapport, "partners search")
    assert "at most 200 characters" in shown(rapport, "partners search " + "x" * 201)
    known(rapport, "U0JONAS")
    assert "Wonach suchen?" in shown(rapport, "partner suchen", user="U0JONAS")


# --- promises ------------------------------------------------------------------------------------


def test_my_promises_both_ways_overdue_first(rapport, clock) -> None:
    logged(rapport, "Acme call promise: send the quote by 2026-12-10")
    logged(rapport, "Globex call they promised: the signed contract by 2026-11-27")
    logged(rapport, "Initech call promise: call back by 2026-11-26")
    known(rapport, "U0BOB")
    logged(rapport, "Umbrella call promise: not Alice's by 2026-11-26", user="U0BOB")
    clock.advance(timedelta(days=2))  # Friday 27 November: Initech's is overdue

    listing = rapport_says(rapport, "promises").reply()
    said = texts(listing)

    assert "*Your open promises* · 3 open promises · 1 overdue" in said
    rows = [b["text"]["text"] for b in listing["blocks"][1:]]
    assert rows[0].startswith("You promised *Initech*: call back\n:warning: overdue since")
    assert rows[1] == "*Globex* promised us: the signed contract\ndue today"
    assert rows[2].startswith("You promised *Acme*: send the quote\ndue Thursday, December 10")
    assert "Umbrella" not in said


def test_a_new_owner_sees_the_partners_promises_the_rows_count(rapport) -> None:
    logged(rapport, "Acme call they promised: the signed contract by 2026-12-10")
    logged(rapport, "Acme call promise: send the quote by 2026-12-11")
    known(rapport, "U0BOB")
    rapport_says(rapport, "partner Acme owner <@U0BOB|bob>").reply()

    bobs = shown(rapport, "promises", user="U0BOB")
    alices = shown(rapport, "promises")

    assert "*Acme* promised us: the signed contract" in bobs
    assert "send the quote" not in bobs, "Alice's own promise stays hers"
    assert "*Acme* promised us: the signed contract" in alices, "she logged it"
    assert "You promised *Acme*: send the quote" in alices


def test_promises_in_german_and_none(rapport) -> None:
    logged(rapport, "Acme Anruf sie sagen zu: unterschriebener Vertrag bis Freitag", "U0JONAS")
    said = shown(rapport, "zusagen", user="U0JONAS")
    assert "*Deine offenen Zusagen* · 1 offene Zusage" in said
    assert "*Acme* hat uns zugesagt: unterschriebener Vertrag\nfällig Freitag" in said
    known(rapport)
    assert "You have no open promises, either way." in shown(rapport, "promises")


# --- paging --------------------------------------------------------------------------------------


def test_a_long_list_pages_with_exact_counts_both_ways(rapport) -> None:
    known(rapport)
    many_partners(rapport, "U0ALICE", 45)
    listing = rapport_says(rapport, "partners")
    first = listing.reply()
    assert "*Your partners* · 1–20 of 45" in texts(first)
    assert partner_rows(first)[0] == "Partner 001"
    assert set(page_buttons(first)) == {ACTION_PAGE_NEXT}

    second = turn(rapport, listing, ACTION_PAGE_NEXT)
    assert second["replace_original"] is True
    assert "*Your partners* · 21–40 of 45" in texts(second)
    assert partner_rows(second) == [f"Partner {i:03d}" for i in range(21, 41)]
    assert set(page_buttons(second)) == {ACTION_PAGE_NEXT, ACTION_PAGE_PREVIOUS}

    value = page_buttons(second)[ACTION_PAGE_NEXT]
    third = press_page(rapport, listing, ACTION_PAGE_NEXT, value)
    assert "*Your partners* · 41–45 of 45" in texts(third)
    assert set(page_buttons(third)) == {ACTION_PAGE_PREVIOUS}

    back = page_buttons(third)[ACTION_PAGE_PREVIOUS]
    again = press_page(rapport, listing, ACTION_PAGE_PREVIOUS, back)
    assert "*Your partners* · 21–40 of 45" in texts(again)


def test_paging_a_search_and_all_partners_keeps_the_list_in_german(rapport) -> None:
    known(rapport)
    many_partners(rapport, "U0ALICE", 25, prefix="Müller")
    many_partners(rapport, "U0ALICE", 3, prefix="Schmidt")
    known(rapport, "U0JONAS")
    listing = rapport_says(rapport, "partner suchen mueller", user="U0JONAS")
    assert "*Partner zu „mueller“* · 1–20 von 25" in texts(listing.reply())
    second = turn(rapport, listing, ACTION_PAGE_NEXT, user="U0JONAS")
    assert "*Partner zu „mueller“* · 21–25 von 25" in texts(second)
    assert partner_rows(second) == [f"Müller {i:03d}" for i in range(21, 26)]

    everyone = rapport_says(rapport, "partner alle", user="U0JONAS")
    assert "*Alle Partner* · 1–20 von 28" in texts(everyone.reply())
    assert "21–28 von 28" in texts(turn(rapport, everyone, ACTION_PAGE_NEXT, user="U0JONAS"))


def test_a_list_that_shrank_past_the_page_shows_its_first_page(rapport) -> None:
    known(rapport)
    many_partners(rapport, "U0ALICE", 25)
    listing = rapport_says(rapport, "partners")
    value = page_buttons(listing.reply())[ACTION_PAGE_NEXT]
    with rapport.db.transaction() as session:
        session.execute(update(PartnerRow).values(owner_id=None))
    many_partners(rapport, "U0ALICE", 3, prefix="New")

    page = press_page(rapport, listing, ACTION_PAGE_NEXT, value)

    assert "This list has fewer entries now; its first page:" in texts(page)
    assert "*Your partners* · 3 partners" in texts(page)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "mine",
        "mine:x",
        "mine:-20",
        "mine:20:extra",
        "everyone:20",
        "search:20",
        "search:20:",
        "search:20:" + "x" * 201,
        "mine:" + "9" * 5000,
        "promises:99999999999",
    ],
)
def test_a_tampered_page_value_is_answered_with_how_to_ask_again(rapport, value: str) -> None:
    known(rapport)
    many_partners(rapport, "U0ALICE", 25)
    page = rapport.click(ACTION_PAGE_NEXT, value).later()
    assert "That button no longer leads anywhere." in texts(page)


# --- settings and ownership, as /logcontact takes them -------------------------------------------


def test_settings_answer_as_logcontact_settings_do(rapport) -> None:
    known(rapport)
    through_rapport = rapport_says(rapport, "settings hours 8-16").reply()
    assert "08:00" in texts(through_rapport) or "8:00" in texts(through_rapport)
    assert texts(through_rapport) == texts(rapport.command("settings hours 8-16").reply())
    known(rapport, "U0JONAS")
    german = rapport_says(rapport, "einstellungen", user="U0JONAS").reply()
    assert "Deine Einstellungen" in texts(german)
    assert texts(german) == texts(rapport.command("einstellungen", user="U0JONAS").reply())
    changed = rapport_says(rapport, "einstellungen sprache en", user="U0JONAS").reply()
    assert "Saved your settings." in texts(changed)
    jonas = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == "U0JONAS")
    assert jonas.language == "en"


def test_unowned_partners_and_handing_over_through_rapport(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    said = shown(rapport, "partner Acme owner <@U0BOB|bob>")
    assert "<@U0BOB> now looks after *Acme*" in said
    assert owner_of(rapport, "Acme") == "U0BOB"
    with rapport.db.transaction() as session:
        session.execute(update(PartnerRow).values(owner_id=None))
    assert "*Acme*" in shown(rapport, "partners unowned")
    known(rapport, "U0JONAS")
    assert "*Acme*" in shown(rapport, "partner ohne zuständige", user="U0JONAS")


def test_a_new_owner_slack_has_not_told_us_about_is_looked_up_after_the_ack(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    rapport.slack.reset()

    command = rapport_says(rapport, "partner Acme zuständig <@U0BOB|bob>")

    assert command.answer.body == ""
    assert "<@U0BOB> now looks after *Acme*" in texts(command.later())
    assert [c.args["user"] for c in rapport.slack.calls_to("users.info")] == ["U0BOB"]
    assert owner_of(rapport, "Acme") == "U0BOB"


def test_a_first_time_asker_is_looked_up_and_answered_through_the_response_url(rapport) -> None:
    command = rapport_says(rapport, "partners", user="U0JONAS")
    assert command.answer.body == ""
    assert "Du bist noch für keinen Partner zuständig." in texts(command.later())


# --- partner cards and profiles through the command (the card's own tests: test_partner_card) -----


def test_a_quoted_list_word_is_a_partners_card(rapport) -> None:
    logged(rapport, '"Alle" call kickoff')
    assert "Partner card: Alle" in shown(rapport, 'partner "Alle"')
    assert "Acme" not in shown(rapport, 'partner "Alle"')


@pytest.mark.parametrize("name", ["Data Set Ltd", "Owner Inc", "Setze Zeichen GmbH"])
def test_a_known_name_holding_a_command_word_is_its_card(rapport, name: str) -> None:
    logged(rapport, f'"{name}" call kickoff')
    assert f"Partner card: {name}" in shown(rapport, f"partner {name}")


def test_a_command_word_in_an_unknown_name_keeps_its_reading(rapport) -> None:
    logged(rapport, "Data call kickoff")
    said = shown(rapport, "partner Data set Ltd")
    assert "“Ltd” is not part of a profile" in said


def test_a_profile_set_through_the_command_is_stored_and_shown(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    said = shown(rapport, "partner Acme set tz Asia/Tokyo cadence 60")
    assert "Saved the profile of *Acme*" in said
    acme = next(p for p in all_of(rapport.db, PartnerRow) if p.name == "Acme")
    assert (acme.tz, acme.cadence_days) == ("Asia/Tokyo", 60)


def test_a_bad_profile_value_through_the_command_changes_nothing_in_german(rapport) -> None:
    logged(rapport, "Acme Anruf Auftakt", user="U0JONAS")
    said = shown(rapport, "partner Acme setze zeitzone Mars/Basis rhythmus 30", user="U0JONAS")
    assert "Es hat sich nichts geändert" in said and "Mars/Basis" in said
    acme = next(p for p in all_of(rapport.db, PartnerRow) if p.name == "Acme")
    assert (acme.tz, acme.cadence_days) == (None, 90)


# --- who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_is_refused_lists_and_page_buttons(rapport, guest: Guest) -> None:
    logged(rapport, "Acme call confidential pricing talk promise: send the price list by Friday")
    many_partners(rapport, "U0ALICE", 25)
    cached_guest(rapport, guest)

    for typed in ("partners all", "partners search acme", "promises", "partners"):
        assert_refused(rapport_says(rapport, typed, user=guest.user_id).reply(), guest.refused)
    pressed = rapport.click(ACTION_PAGE_NEXT, "all:20", user=guest.user_id)
    assert_refused(pressed.reply(), guest.refused)


def test_a_first_time_guest_is_refused_after_asking_slack(rapport) -> None:
    logged(rapport, "Acme call confidential pricing talk")
    guest = Guest("single-channel", "de")
    in_slack(rapport, guest)
    command = rapport_says(rapport, "partner alle", user=guest.user_id)
    assert command.answer.body == ""
    assert_refused(command.later(), guest.refused)


def test_someone_of_another_organisation_is_refused_a_page(rapport) -> None:
    logged(rapport, "Acme call confidential pricing talk")
    pressed = rapport.click(
        ACTION_PAGE_NEXT, "all:0", user="U0KENJI", user_team="T0PARTNER", channel="C0SHARED"
    )
    assert "Rapport is for this company's own members" in pressed.reply()["text"]


def test_another_workspaces_partners_never_appear(rapport) -> None:
    logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", NOW)
        stranger = save_member(session, other.id, "U0ALICE", NOW, name="alice elsewhere")
        add_partner(
            session,
            other.id,
            name="Acme Secret",
            organisation="Hidden Corp",
            owner_id=stranger.id,
            now=NOW,
            email="secret@hidden.example",
        )

    for typed in ("partners", "partners all", "partners search secret", "promises"):
        said = shown(rapport, typed)
        assert "Secret" not in said and "Hidden" not in said, typed
    assert "*All partners* · 1 partner" in shown(rapport, "partners all")
    assert "contains “hidden”" in shown(rapport, "partners search hidden")
    assert len(all_of(rapport.db, Promise)) == 1


def test_a_text_with_a_control_character_or_too_long_is_refused_before_reading_it(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    said = shown(rapport, "partners search Ac\x07me")
    assert "invisible control character" in said
    assert "*Acme*" not in said
    known(rapport, "U0JONAS")
    assert "Zeichen; ein Befehl fasst höchstens" in shown(
        rapport, "partner suchen " + "x" * 8001, user="U0JONAS"
    )
