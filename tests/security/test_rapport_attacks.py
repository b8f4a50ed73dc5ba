"""`/rapport`'s lists and the partner card, attacked as a careless or hostile client would:
button values and form values Rapport never made, and two people changing one thing at once.
Each is answered in the person's language and nothing is changed, and no request ends in an
error the app logs (`no_errors_logged`). Signed HTTP against the running app, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.blocks.partner_card import ACTION_PAGE, ACTION_PROMISES
from bot.blocks.partner_lists import ACTION_PAGE_NEXT
from bot.parsing import checks
from storage.models import Partner
from storage.queries.partners import rename_partner
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.racing import at_once
from tests.support.rows import all_of, owner_of

RAPPORT = "/rapport"
ALICE, JONAS = "U0ALICE", "U0JONAS"  # Jonas's Slack is in German


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def card(rapport: RunningRapport, name: str, user: str = ALICE) -> dict[str, Any]:
    return rapport.command(f"partner {name}", user=user, command=RAPPORT).reply()


def profile_form(rapport: RunningRapport, name: str, user: str = ALICE) -> dict[str, Any]:
    """The Edit profile form of the partner called `name`, opened from its card by `user`."""
    edit = buttons(card(rapport, name, user))
    pressed = next(b for label, b in edit.items() if label in ("Edit profile", "Profil bearbeiten"))
    rapport.click(pressed["action_id"], pressed["value"], user=user)
    assert rapport.wait_until_idle()
    return rapport.slack.views()[-1]


def card_url(view: dict[str, Any]) -> str:
    """The response_url of the card a form was opened from, which its submission replaces."""
    url = json.loads(view["private_metadata"])["r"]
    assert isinstance(url, str)
    return url


def acme(rapport: RunningRapport) -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == "Acme")


# --- digits str.isdigit() takes and int() does not -----------------------------------------------


@pytest.mark.parametrize("action", [ACTION_PAGE, ACTION_PROMISES])
@pytest.mark.parametrize("page", ["²", "①", "٣", "１", "-1", "1.5", " 1", "9999999"])
def test_a_page_of_older_contacts_only_ascii_digits_name(
    rapport: RunningRapport, no_errors_logged: None, page: str, action: str
) -> None:
    """ "²".isdigit() is true and int("²") raises: the press ended in an unexpected failure and
    the card stayed as it was, with nothing said. Such a value is one no card made: it is
    answered as the lists answer a stale one, with how to page again."""
    logged(rapport, "Acme call kickoff")

    pressed = rapport.click(action, f"{acme(rapport).id}:{page}")

    assert pressed.answer.status == 200
    said = texts(pressed.later())
    assert "That button no longer leads anywhere; nothing changed." in said
    assert "`/rapport partner Acme` again" in said


# --- a search text in a paging button ------------------------------------------------------------


@pytest.mark.parametrize("typed", ["\x00", "Ac\x00me", "\ud800", "Acme\x1b", "\x7f"])
def test_a_search_page_with_a_character_no_command_may_hold_is_stale(
    rapport: RunningRapport, no_errors_logged: None, typed: str
) -> None:
    """The command refuses these before reading its text; the paging button's value carried
    them to the query (PostgreSQL refuses NUL, no driver encodes a lone surrogate)."""
    logged(rapport, "Acme call kickoff")
    rapport.sent.add(typed)

    english = rapport.click(ACTION_PAGE_NEXT, f"search:0:{typed}").later()
    known(rapport, JONAS)
    german = rapport.click(ACTION_PAGE_NEXT, f"search:20:{typed}", user=JONAS).later()

    assert "That button no longer leads anywhere." in texts(english)
    assert "Diese Schaltfläche führt nirgends mehr hin." in texts(german)
    assert "Acme" not in texts(english) + texts(german)


@pytest.mark.parametrize("typed", ["%", "_", "\\", "/", "%%", "'--"])
def test_a_search_page_for_wildcards_finds_nothing_else(
    rapport: RunningRapport, no_errors_logged: None, typed: str
) -> None:
    logged(rapport, "Acme call kickoff")

    page = rapport.click(ACTION_PAGE_NEXT, f"search:0:{typed}").later()

    assert "Acme" not in texts(page) and "contains" in texts(page)


# --- the Edit profile form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("organisation", "Acme\x00Evil"),
        ("organisation", "\ud800"),
        ("email", "ana\x00@acme.example"),
        ("tz", "Asia/Tokyo\x00"),
        ("hours", "9\x07-17"),
        ("cadence", "60\x00"),
    ],
)
def test_a_profile_form_value_with_a_control_character_is_refused_under_its_field(
    rapport: RunningRapport, no_errors_logged: None, field: str, typed: str
) -> None:
    """A client sends what it likes: an organisation with NUL reached PostgreSQL's UPDATE (and
    a surrogate the driver), and the person was told the database failed."""
    logged(rapport, "Acme call kickoff")
    before = acme(rapport).organisation, acme(rapport).email, acme(rapport).tz
    for user, said in ((ALICE, "invisible control character"), (JONAS, "Steuerzeichen")):
        view = profile_form(rapport, "Acme", user)
        state = state_from(view)
        state[field][next(iter(state[field]))]["value"] = typed
        rapport.sent.add_values(state)

        answer = rapport.submit(view, state, user=user)

        assert answer.status == 200
        assert answer.json()["response_action"] == "errors"
        assert said in answer.json()["errors"][field]
    assert (acme(rapport).organisation, acme(rapport).email, acme(rapport).tz) == before


# --- two people changing one thing at once -------------------------------------------------------


def test_two_partners_given_one_organisation_at_once_one_is_told_it_is_taken(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    """Ana at Alpha and Ana at Beta both moved to Zeta at the same moment: each request checked
    the name was free before the other wrote it, and on PostgreSQL the second UPDATE met the
    unique constraint and the person was told the database failed."""
    logged(rapport, '"Ana" (Alpha) call kickoff')
    logged(rapport, '"Ana" (Beta) call kickoff')
    for round_ in range(6):
        views = [profile_form(rapport, f"Ana ({org})") for org in ("Alpha", "Beta")]
        target = f"Zeta {round_}"

        answers = at_once(
            2,
            lambda i, views=views, target=target: rapport.submit(
                views[i], state_from(views[i], organisation=target)
            ),
        )

        assert [a.status for a in answers] == [200, 200]
        assert rapport.wait_until_idle()
        said = [texts(rapport.slack.responses(card_url(view))[-1]) for view in views]
        assert sum("Saved the profile of *Ana (Zeta" in s for s in said) == 1, said
        assert sum("Another partner is already called *Ana (Zeta" in s for s in said) == 1, said
        organisations = sorted(str(p.organisation) for p in all_of(rapport.db, Partner))
        assert target in organisations and len(set(organisations)) == 2, organisations
        with rapport.db.transaction() as session:
            first, second = session.query(Partner).order_by(Partner.id).all()
            assert rename_partner(session, first, "Ana", "Alpha")
            assert rename_partner(session, second, "Ana", "Beta")


# --- zones that name no place --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["localtime", "Factory", "posixrules", "right/UTC", "posix/Asia/Tokyo", "../../etc/passwd"],
)
def test_a_zone_file_that_names_no_place_is_not_a_partners_zone(
    rapport: RunningRapport, no_errors_logged: None, typed: str
) -> None:
    """ "localtime" is in the zone database of most machines: the partner's zone became whatever
    the server was set to, shown as "localtime"; "Factory" means no zone at all."""
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex Anruf Start", user=JONAS)

    english = texts(rapport.command(f"partner Acme set tz {typed}", command=RAPPORT).reply())
    german = rapport.command(f"partner Globex setze zeitzone {typed}", user=JONAS, command=RAPPORT)

    assert "is not a time zone I know" in english
    assert "keine Zeitzone, die ich kenne" in texts(german.reply())
    assert all(p.tz is None for p in all_of(rapport.db, Partner))


def test_a_slack_profile_zone_that_names_no_place_is_not_kept() -> None:
    assert checks.time_zone("localtime") is None
    assert checks.time_zone("right/Europe/Berlin") is None
    assert checks.time_zone("Europe/Berlin") == "Europe/Berlin"


# --- the days menu -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("picked", "stored"),
    [
        (["1", "1", "3", "3", "3", "3", "3", "3"], "13"),
        (["1234567", "1"], "1"),
        (["12", "67"], None),
        (["", "8", "mon", "5"], "5"),
    ],
)
def test_the_days_a_profile_form_sends_are_read_one_weekday_each(
    rapport: RunningRapport, no_errors_logged: None, picked: list[str], stored: str | None
) -> None:
    """Option values Rapport never offered, or one offered several times: "12" in "1234567" is
    a substring, so "1234567" and "1" were stored as "12345671", which PostgreSQL's
    VARCHAR(7) refuses (the person was told the database failed) and SQLite kept."""
    logged(rapport, "Acme call kickoff")
    view = profile_form(rapport, "Acme")
    state = state_from(view)
    state["days"]["days_select"]["selected_options"] = [{"value": v} for v in picked]

    answer = rapport.submit(view, state)

    assert answer.status == 200 and answer.body in ("", b"")
    assert rapport.wait_until_idle()
    assert acme(rapport).business_days == stored
    assert "Saved the profile of *Acme*" in texts(rapport.slack.responses(card_url(view))[-1])


# --- the Hand over form --------------------------------------------------------------------------


@pytest.mark.parametrize("picked", ["u0bob" * 1000, "U0BOB\x00", "<@U0BOB>", "", 42])
def test_a_hand_over_form_naming_no_slack_user_changes_nothing(
    rapport: RunningRapport, no_errors_logged: None, picked: object
) -> None:
    """The user picked is the client's to send: a long text ended the look-up after the ack
    in a logged failure and nobody was answered; NUL reached PostgreSQL's query."""
    logged(rapport, "Acme call kickoff")
    hand_over = buttons(card(rapport, "Acme"))["Hand over"]
    rapport.click(hand_over["action_id"], hand_over["value"])
    assert rapport.wait_until_idle()
    view = rapport.slack.views()[-1]
    owner = {"owner": {"owner_select": {"type": "users_select", "selected_user": picked}}}

    answer = rapport.submit(view, owner)

    assert answer.status == 200
    assert rapport.wait_until_idle()
    said = texts(rapport.slack.responses(card_url(view))[-1])
    assert "Something went wrong on our side and nothing was saved" in said
    assert owner_of(rapport, "Acme") == ALICE


# --- a partner removed while someone changes it --------------------------------------------------

ROUNDS = 10


def test_a_profile_saved_while_its_partner_is_undone_is_told_it_is_gone(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    """Undo of the contact that created a partner removes the partner. A profile saved at that
    moment found the partner, waited for its lock, and then wrote to the row removed meanwhile:
    on PostgreSQL the UPDATE matched nothing and the person was told the database did not
    answer. Either the save comes first (and Undo then removes the partner), or it is told the
    partner is gone."""
    known(rapport)
    for round_ in range(ROUNDS):
        created = rapport.command(f"Zorg{round_} call kickoff").reply()
        undo = buttons(created)["Undo"]
        view = profile_form(rapport, f"Zorg{round_}")
        state = state_from(view, tz="Asia/Tokyo")

        def act(i: int, undo=undo, view=view, state=state) -> Any:
            if i == 0:
                return rapport.click(undo["action_id"], undo["value"])
            return rapport.submit(view, state)

        undone, saved = at_once(2, act)

        assert "Undone" in texts(undone.later())
        assert saved.status == 200
        assert rapport.wait_until_idle()
        said = texts(rapport.slack.responses(card_url(view))[-1])
        assert "Saved the profile" in said or "no longer in this workspace's list" in said, said
    assert all_of(rapport.db, Partner) == []


def test_a_pause_pressed_while_its_partner_is_undone_is_told_it_is_gone(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)
    for round_ in range(ROUNDS):
        created = rapport.command(f"Zorg{round_} call kickoff").reply()
        undo, pause = buttons(created)["Undo"], buttons(card(rapport, f"Zorg{round_}"))["Pause"]

        def act(i: int, undo=undo, pause=pause) -> Any:
            pressed = undo if i == 0 else pause
            return rapport.click(pressed["action_id"], pressed["value"])

        undone, paused = at_once(2, act)

        assert "Undone" in texts(undone.later())
        said = texts(paused.later())
        assert "is paused" in said or "no longer in this workspace's list" in said, said
    assert all_of(rapport.db, Partner) == []
