"""Partner lists, cards, profiles and the registry as people first tried them, end to end over
signed HTTP on SQLite and PostgreSQL, in English and German: 12-hour and German business
hours, the default days in Edit profile, a card's paging value no card made, the name-key flags
a rename ends, plain counts, examples that fit the command typed, the promises a card leaves
out, and promise markers said with their subject.
"""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import select

from bot.blocks.partner_card import ACTION_PAGE, ACTION_PROMISES
from storage.models import Interaction, Member, Partner, Promise
from storage.vocabulary import name_key
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.rows import all_of

ALICE, JONAS = "U0ALICE", "U0JONAS"  # Alice writes English, Jonas German
RAPPORT = "/rapport"


# --- helpers -------------------------------------------------------------------------------------


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> dict[str, Any]:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]
    return reply


def said(rapport: RunningRapport, text: str, user: str = ALICE) -> str:
    """What `/rapport TEXT` answers `user`, checked against Slack's models."""
    return shown(rapport.command(text, user=user, command=RAPPORT).reply())


def shown(message: dict[str, Any]) -> str:
    assert len(message.get("blocks", [])) <= 50
    for block in message.get("blocks", []):
        Block.parse(block).validate_json()
    return (texts(message) + "\n" + message.get("text", "")).replace("\u202f", " ")


def partner(rapport: RunningRapport, name: str = "Acme") -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == name)


def hours_of(rapport: RunningRapport, name: str = "Acme") -> tuple[int | None, int | None]:
    found = partner(rapport, name)
    return found.business_start_minute, found.business_end_minute


def card(rapport: RunningRapport, name: str = "Acme", user: str = ALICE) -> dict[str, Any]:
    return rapport.command(f"partner {name}", user=user, command=RAPPORT).reply()


def press_on(rapport: RunningRapport, message: dict[str, Any], label: str, user: str = ALICE):
    button = buttons(message)[label]
    return rapport.click(button["action_id"], button.get("value"), user=user)


# --- 1. business hours in 12-hour and German forms -----------------------------------------------


@pytest.mark.parametrize(
    ("user", "typed", "hours"),
    [
        (ALICE, "hours 9am-5pm", (540, 1020)),
        (ALICE, "hours 9:30am–5:30pm days mon-fri", (570, 1050)),
        (ALICE, "hours 9 AM - 5 PM", (540, 1020)),
        (ALICE, "hours 12pm-8pm", (720, 1200)),
        (ALICE, "hours 9-5pm", (540, 1020)),
        (JONAS, "zeiten 9 bis 17 Uhr", (540, 1020)),
        (JONAS, "zeiten 9–17 Uhr tage mo-fr", (540, 1020)),
        (JONAS, "geschäftszeiten 9.30-17.30", (570, 1050)),
    ],
)
def test_the_profile_line_takes_twelve_hour_and_german_hours(
    rapport: RunningRapport, user: str, typed: str, hours: tuple[int, int]
) -> None:
    logged(rapport, "Acme call kickoff", user=user)

    reply = said(rapport, f"partner Acme set {typed}", user=user)

    assert (
        "Saved the profile of *Acme*" in reply or "Das Profil von *Acme* ist gespeichert" in reply
    )
    assert hours_of(rapport) == hours


@pytest.mark.parametrize(
    ("user", "typed", "expected"),
    [
        (ALICE, "hours 1-5pm", "“1-5pm” could mean 01:00–17:00 or 13:00–17:00, and I won't guess"),
        (
            JONAS,
            "zeiten 6-10pm",
            "„6-10pm“ kann 06:00–22:00 oder 18:00–22:00 heißen, und ich rate nicht",
        ),
    ],
)
def test_hours_that_read_two_ways_are_refused_naming_both_and_change_nothing(
    rapport: RunningRapport, user: str, typed: str, expected: str
) -> None:
    logged(rapport, "Acme call kickoff", user=user)
    said(rapport, "partner Acme set hours 8-16", user=user)

    reply = said(rapport, f"partner Acme set {typed} tz Asia/Tokyo", user=user)

    assert expected in reply
    assert "/rapport partner Acme set" in reply  # the example
    assert hours_of(rapport) == (480, 960) and partner(rapport).tz is None
    # Typed again as the reply wrote it, it is taken.
    said(rapport, f"partner Acme set {typed.split()[0]} 13:00–17:00", user=user)
    assert hours_of(rapport) == (780, 1020)


def test_member_settings_take_twelve_hour_hours_too(rapport: RunningRapport) -> None:
    known(rapport, ALICE)
    reply = said(rapport, "settings hours 8:30am-5pm")
    assert "08:30–17:00" in reply
    with rapport.db.reading() as session:
        alice = session.scalars(select(Member).where(Member.slack_user_id == ALICE)).one()
        assert (alice.work_start_minute, alice.work_end_minute) == (510, 1020)


@pytest.mark.parametrize(
    ("user", "typed", "hours", "error"),
    [
        (ALICE, "9am-5pm", (540, 1020), None),
        (JONAS, "9 bis 17 Uhr", (540, 1020), None),
        (ALICE, "1-5pm", None, "could mean 01:00–17:00 or 13:00–17:00"),
        (JONAS, "13pm-5pm", None, "„13pm“ ist keine Uhrzeit"),
    ],
)
def test_the_edit_profile_form_reads_the_same_hours(
    rapport: RunningRapport,
    user: str,
    typed: str,
    hours: tuple[int, int] | None,
    error: str | None,
) -> None:
    logged(rapport, "Acme call kickoff", user=user)
    press_on(
        rapport,
        card(rapport, user=user),
        "Edit profile" if user == ALICE else "Profil bearbeiten",
        user=user,
    )
    [view] = rapport.slack.views()

    answer = rapport.submit(view, state_from(view, hours=typed), user=user)

    if error is None:
        assert answer.status == 200 and answer.body in ("", b"")
        assert rapport.wait_until_idle()
        assert hours_of(rapport) == hours
    else:
        assert answer.json()["response_action"] == "errors"
        assert error in answer.json()["errors"]["hours"]
        assert hours_of(rapport) == (None, None)


# --- 2. the default days in Edit profile ---------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "label", "placeholder", "hint"),
    [
        (ALICE, "Edit profile", "Mon–Fri (the default)", "None picked: Mon–Fri applies."),
        (JONAS, "Profil bearbeiten", "Mo–Fr (Standard)", "Keine gewählt: es gilt Mo–Fr."),
    ],
)
def test_the_form_says_monday_to_friday_applies_and_an_unchanged_save_keeps_it_untyped(
    rapport: RunningRapport, user: str, label: str, placeholder: str, hint: str
) -> None:
    logged(rapport, "Acme call kickoff", user=user)
    press_on(rapport, card(rapport, user=user), label, user=user)
    [view] = rapport.slack.views()
    [days] = [b for b in view["blocks"] if b["block_id"] == "days"]
    assert days["element"]["placeholder"]["text"] == placeholder
    assert days["hint"]["text"].startswith(hint)

    state = state_from(view)
    state["days"]["days_select"]["selected_options"] = []  # as Slack sends an untouched menu
    answer = rapport.submit(view, state, user=user)

    assert answer.status == 200 and rapport.wait_until_idle()
    assert partner(rapport).business_days is None  # still the default, not typed Mon–Fri


# --- 3. a tampered paging value on the card ------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (ALICE, "That button no longer leads anywhere; nothing changed. Type `/rapport partner "),
        (JONAS, "Diese Schaltfläche führt nirgends mehr hin; nichts geändert. Gib `/rapport "),
    ],
)
@pytest.mark.parametrize("action", [ACTION_PAGE, ACTION_PROMISES])
@pytest.mark.parametrize("page", ["x", "", "1:2", "9999999", "-1"])
def test_a_paging_value_no_card_made_says_how_to_page_again(
    rapport: RunningRapport, user: str, expected: str, action: str, page: str
) -> None:
    logged(rapport, "Acme call kickoff", user=user)
    before = [(p.id, p.name) for p in all_of(rapport.db, Partner)]

    reply = shown(rapport.click(action, f"{partner(rapport).id}:{page}", user=user).later())

    assert expected in reply and "Acme" in reply
    assert "Something went wrong" not in reply and "schiefgegangen" not in reply
    assert [(p.id, p.name) for p in all_of(rapport.db, Partner)] == before


def test_a_made_up_promise_menu_value_says_how_to_get_a_new_card(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    reply = shown(rapport.click("partner_card_their_promise", "received:oops").later())
    assert "That menu no longer leads anywhere; nothing changed." in reply


# --- 4. a rename ends a name-key collision ------------------------------------------------------


def collide(rapport: RunningRapport, name: str, twin: str) -> None:
    """What migration 0007 leaves when `twin` is another spelling of `name`: both flagged, the
    later one's key suffixed."""
    with rapport.db.transaction() as session:
        first = session.scalars(select(Partner).where(Partner.name == name)).one()
        first.key_collision = True
        twin_row = Partner(
            workspace_id=first.workspace_id,
            name=twin,
            name_key="placeholder",
            organisation_key="",
            owner_id=first.owner_id,
            key_collision=True,
            created_at=first.created_at,
        )
        session.add(twin_row)
        session.flush()
        twin_row.name_key = f"{first.name_key} #{twin_row.id}"


def flags(rapport: RunningRapport) -> dict[str, tuple[bool, str]]:
    return {p.name: (p.key_collision, p.name_key) for p in all_of(rapport.db, Partner)}


@pytest.mark.parametrize(
    ("user", "rename"),
    [(ALICE, "partner Müller rename Schmidt"), (JONAS, "partner Müller umbenennen Schmidt")],
)
def test_renaming_the_first_of_a_pair_clears_both_flags(
    rapport: RunningRapport, user: str, rename: str
) -> None:
    logged(rapport, "Müller call kickoff", user=user)
    collide(rapport, "Müller", "Mu\u0308ller")

    said(rapport, rename, user=user)

    assert flags(rapport) == {
        "Schmidt": (False, "schmidt"),
        "Mu\u0308ller": (False, name_key("Müller")),
    }
    # The one left under the name is found by it again, as the only one.
    assert "*Mu\u0308ller*" in said(rapport, "partner Müller", user=user)


@pytest.mark.parametrize(
    ("user", "typed"),
    [(ALICE, 'partner Müller set org "Müller AG"'), (JONAS, "partner Müller set firma Nordwind")],
)
def test_a_new_organisation_ends_the_collision_as_a_new_name_does(
    rapport: RunningRapport, user: str, typed: str
) -> None:
    logged(rapport, "Müller call kickoff", user=user)
    collide(rapport, "Müller", "Mu\u0308ller")

    said(rapport, typed, user=user)

    found = flags(rapport)
    assert found["Müller"][0] is False
    assert found["Mu\u0308ller"] == (False, name_key("Müller"))


def test_a_rename_that_leaves_two_under_a_name_keeps_them_flagged(rapport: RunningRapport) -> None:
    logged(rapport, "Müller call kickoff")
    collide(rapport, "Müller", "Mu\u0308ller")
    collide(rapport, "Müller", "MÜLLER")

    said(rapport, "partner Müller rename Schmidt")

    found = flags(rapport)
    assert found["Schmidt"] == (False, "schmidt")
    assert found["Mu\u0308ller"][0] and found["MÜLLER"][0]  # still two under the name
    # The first of them holds the plain key again, so the name finds one of them.
    assert found["Mu\u0308ller"][1] == name_key("Müller")
    assert found["MÜLLER"][1].startswith(name_key("Müller") + " #")


def test_a_rename_settles_its_own_pair_only(rapport: RunningRapport) -> None:
    logged(rapport, "Müller call kickoff")
    logged(rapport, "Globex call kickoff")
    collide(rapport, "Müller", "Mu\u0308ller")
    collide(rapport, "Globex", "GLOBEX")

    said(rapport, "partner Globex rename Globex Two")

    found = flags(rapport)
    assert found["Müller"][0] and found["Mu\u0308ller"][0]  # untouched pair stays flagged
    assert found["Globex Two"] == (False, "globex two") and found["GLOBEX"] == (False, "globex")


@pytest.mark.parametrize(
    ("user", "typed", "label"),
    [(ALICE, "forget Müller", "Forget Müller"), (JONAS, "vergessen Müller", "Müller vergessen")],
)
def test_forgetting_one_of_a_pair_unflags_the_other(
    rapport: RunningRapport, user: str, typed: str, label: str
) -> None:
    logged(rapport, "Müller call kickoff", user=user)
    collide(rapport, "Müller", "Mu\u0308ller")
    question = rapport.command(typed, user=user, command=RAPPORT).reply()

    press_on(rapport, question, label, user=user).later()

    assert flags(rapport) == {"Mu\u0308ller": (False, name_key("Müller"))}


# --- 5. plain counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "text", "count", "range_"),
    [
        (ALICE, "partners", "*Your partners* · 1 partner", "1–1 of 1"),
        (ALICE, "partners all", "*All partners* · 3 partners", "1–3 of 3"),
        (JONAS, "partner", "*Deine Partner* · 1 Partner", "1–1 von 1"),
        (JONAS, "partner alle", "*Alle Partner* · 3 Partner", "1–3 von 3"),
        (ALICE, "promises", "*Your open promises* · 1 open promise", "1–1 of 1"),
        (JONAS, "zusagen", "*Deine offenen Zusagen* · 2 offene Zusagen", "1–2 von 2"),
    ],
)
def test_a_list_on_one_page_counts_plainly(
    rapport: RunningRapport, user: str, text: str, count: str, range_: str
) -> None:
    # Alice looks after Acme (one promise of hers); Jonas after Initech (a promise each way);
    # Globex is nobody's.
    logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    logged(rapport, "Globex call kickoff", user=JONAS)
    with rapport.db.transaction() as session:
        session.scalars(select(Partner).where(Partner.name == "Globex")).one().owner_id = None
    logged(rapport, "Initech Anruf Zusage: Angebot bis Freitag", user=JONAS)
    logged(rapport, "Initech E-Mail sie sagen zu: Vertrag bis Freitag", user=JONAS)

    reply = said(rapport, text, user=user)

    assert count in reply and range_ not in reply


# --- 6. examples that fit the command typed -----------------------------------------------------


@pytest.mark.parametrize(
    ("user", "text", "example"),
    [
        (ALICE, 'forget "Jens Ohlsen"', "`/rapport forget Jens Ohlsen (Nordwind GmbH)`"),
        (JONAS, 'vergessen "Jens Ohlsen"', "`/rapport vergessen Jens Ohlsen (Nordwind GmbH)`"),
        (
            ALICE,
            'partner "Jens Ohlsen" rename Jens O.',
            "`/rapport partner Jens Ohlsen (Nordwind GmbH) rename Jens O.`",
        ),
        (
            JONAS,
            'partner "Jens Ohlsen" umbenennen Jens O. (Ostwind KG)',
            "`/rapport partner Jens Ohlsen (Nordwind GmbH) umbenennen Jens O. (Ostwind KG)`",
        ),
        (
            ALICE,
            'partner "Jens Ohlsen" set tz Europe/Berlin',
            "`/rapport partner Jens Ohlsen (Nordwind GmbH) set tz Europe/Berlin`",
        ),
        (ALICE, 'partner "Jens Ohlsen"', "`/rapport partner Jens Ohlsen (Nordwind GmbH)`"),
    ],
)
def test_several_partners_of_a_name_get_an_example_of_the_command_typed(
    rapport: RunningRapport, user: str, text: str, example: str
) -> None:
    logged(rapport, '"Jens Ohlsen" (Nordwind GmbH) Treffen', user=JONAS)
    logged(rapport, '"Jens Ohlsen" (Südwind AG) Anruf', user=JONAS)
    known(rapport, ALICE)
    before = sorted((p.name, p.organisation) for p in all_of(rapport.db, Partner))

    reply = said(rapport, text, user=user)

    assert "Several partners are called" in reply or "Mehrere Partner heißen" in reply
    assert example in reply
    assert sorted((p.name, p.organisation) for p in all_of(rapport.db, Partner)) == before


# --- 7. the promises a card leaves out ----------------------------------------------------------


def test_all_promises_pages_through_what_the_card_leaves_out(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    for n in range(8):
        logged(rapport, f"Acme email item {n} promise: send part {n} by 2026-12-{n + 10}")
    for n in range(4):
        logged(rapport, f"Acme email item {n} they promised: part {n} back by 2026-12-{n + 10}")

    message = card(rapport)
    text = shown(message)
    assert "…and 3 more: *All promises* below lists them." in text

    first = shown_later = press_on(rapport, message, "All promises").later()
    page = shown(shown_later)
    assert "*Open promises with Acme*: 1–10 of 12, ours first" in page
    assert "send part 7" in page and "*Their open promises to us* (4)" in page
    assert "part 1 back" in page and "part 2 back" not in page
    second = shown(press_on(rapport, first, "More promises").later())
    assert "11–12 of 12" in second and "part 3 back" in second
    assert set(buttons(press_on(rapport, first, "More promises").later())) == {
        "Previous promises",
        "Back to the card",
    }


def test_alle_zusagen_in_german_and_received_from_the_page(rapport: RunningRapport) -> None:
    logged(rapport, "Acme Anruf Start", user=JONAS)
    for n in range(6):
        logged(rapport, f"Acme E-Mail sie sagen zu: Teil {n} bis 2026-12-{n + 10}", user=JONAS)

    message = card(rapport, user=JONAS)
    assert "…und 1 weitere: *Alle Zusagen* unten listet sie auf." in shown(message)
    page = press_on(rapport, message, "Alle Zusagen", user=JONAS).later()
    assert "*Offene Zusagen mit Acme* (6), unsere zuerst" in shown(page)

    [menu] = [
        b["accessory"]
        for b in page["blocks"]
        if b.get("accessory") and "Teil 5" in b["text"]["text"]
    ]
    received = next(o for o in menu["options"] if o["value"].startswith("received:"))
    rapport.click(menu["action_id"], received["value"], user=JONAS).later()
    with rapport.db.reading() as session:
        statuses = {p.text: p.status for p in session.scalars(select(Promise))}
    assert statuses["Teil 5"] == "kept"


# --- 8. promise markers said with their subject -------------------------------------------------


@pytest.mark.parametrize(
    ("user", "typed", "note", "promise", "by"),
    [
        (ALICE, "Acme call I promised: send the deck by Friday", "", "send the deck", "us"),
        (
            ALICE,
            "Acme call good talk, we've promised: pricing by Friday",
            "good talk",
            "pricing",
            "us",
        ),
        (
            JONAS,
            "Acme Anruf Ich habe versprochen: Angebot schicken bis Freitag",
            "",
            "Angebot schicken",
            "us",
        ),
        (JONAS, "Acme Treffen gut, wir haben zugesagt: Muster bis Freitag", "gut", "Muster", "us"),
        (ALICE, "Acme call she promised: the contract by Friday", "", "the contract", "partner"),
        (JONAS, "Acme Anruf Sie haben versprochen: Vertrag bis Freitag", "", "Vertrag", "partner"),
    ],
)
def test_a_marker_with_its_subject_leaves_nothing_in_the_note(
    rapport: RunningRapport, user: str, typed: str, note: str, promise: str, by: str
) -> None:
    logged(rapport, typed, user=user)

    with rapport.db.reading() as session:
        [contact] = session.scalars(select(Interaction)).all()
        [kept] = session.scalars(select(Promise)).all()
        assert (contact.note, kept.text, kept.promised_by) == (note, promise, by)
