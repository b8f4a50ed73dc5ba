"""`rapport shell` with the partner card's forms, and `:advance` by months.

Edit profile has a number input (cadence) and a multi-select (days); Hand over a user select.
The shell fills them in as a person would in Slack's modal, refuses what Slack's browser would
refuse in one line, and submits the state in the shapes Slack sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox.shell import Shell
from bot.sandbox.signing import Answer
from bot.sandbox.workspace import Sandbox
from storage.models import Member, Partner
from tests.support.rows import only
from tests.support.shell import START, console, db, play

CARD = ("/logcontact Acme call kickoff", "/rapport partner Acme")


def submitted(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The `view.state.values` of each form the shell sends from now on."""
    sent: list[dict[str, Any]] = []
    submit = sandbox.rapport.submit

    def recorded(view: dict[str, Any], values: dict[str, Any], **kwargs: Any) -> Answer:
        sent.append(values)
        return submit(view, values, **kwargs)

    monkeypatch.setattr(sandbox.rapport, "submit", recorded)
    return sent


def owner_of(sandbox: Sandbox) -> str | None:
    with db(sandbox).transaction() as session:
        partner = session.scalars(select(Partner)).one()
        member = session.get(Member, partner.owner_id) if partner.owner_id else None
        return member.slack_user_id if member else None


# --- Edit profile: a number input and a multi-select -------------------------------------------


def test_edit_profile_saves_cadence_and_days_and_shows_the_saved_card(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = submitted(sandbox, monkeypatch)
    play(shell, *CARD)

    form = play(shell, ":click 2")
    filled = play(shell, "cadence: 60", "days: Mon, tu, 5")
    saved = play(shell, ":submit")
    again = play(shell, ":click 2")

    # The number input shows its initial value (the partner's cadence) and what it takes.
    # (Compared with single spaces: the columns widen with the longest label of the form.)
    assert "cadence Check-in every … days 90 a whole number from 7 to 365" in " ".join(form.split())
    assert "any of: Mon, Tue, Wed, Thu, Fri, Sat, Sun" in form
    assert filled.splitlines()[1] == "cadence = 60"
    assert filled.splitlines()[3] == "days = Mon, Tue, Fri"
    assert "Sent the form 'Partner profile'; Slack closed it." in saved
    assert "✅ Saved the profile of Acme." in saved
    assert "every 60 days" in saved and "Mon, Tue, Fri, 09:00–18:00" in saved
    assert shell.problems == 0
    partner = only(db(sandbox), Partner)
    assert (partner.cadence_days, partner.business_days) == (60, "125")
    [values] = sent
    assert values["cadence"] == {"cadence_input": {"type": "number_input", "value": "60"}}
    days = values["days"]["days_select"]
    assert days["type"] == "multi_static_select"
    assert [o["value"] for o in days["selected_options"]] == ["1", "2", "5"]
    assert [o["text"]["text"] for o in days["selected_options"]] == ["Mon", "Tue", "Fri"]
    # Opened again, the form starts from the saved values (initial_value, initial_options).
    shown_again = " ".join(again.split())
    assert "cadence Check-in every … days 60 a whole number" in shown_again
    assert "days Business days (optional) Mon, Tue, Fri" in shown_again


def test_in_german_days_are_chosen_by_their_german_names_and_an_empty_list_clears_them(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = submitted(sandbox, monkeypatch)
    play(shell, ":lang de", *CARD, ":click 2", "days: Mo, Mi, Fr", "cadence: 14", ":submit")
    partner = only(db(sandbox), Partner)
    assert (partner.cadence_days, partner.business_days) == (14, "135")

    play(shell, "/rapport partner Acme", ":click 2")
    cleared = play(shell, "days:")
    saved = play(shell, ":submit")

    assert cleared.splitlines()[1] == "days = —"
    assert "Mo, Mi, Fr" not in saved
    assert shell.problems == 0
    assert only(db(sandbox), Partner).business_days is None
    assert sent[-1]["days"] == {
        "days_select": {"type": "multi_static_select", "selected_options": []}
    }
    assert sent[-1]["cadence"]["cadence_input"]["value"] == "14"


@pytest.fixture(scope="module")
def profile_form() -> Iterator[Shell]:
    """A shell with Acme's Edit profile form open, for values the form refuses."""
    with Sandbox(start=START) as running:
        _, shown = console()
        shell = Shell(running, shown)
        play(shell, *CARD, ":click 2")
        yield shell


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        ("cadence: 6", "✗ Check-in every … days takes a whole number from 7 to 365, not 6"),
        ("cadence: 366", "✗ Check-in every … days takes a whole number from 7 to 365, not 366"),
        ("cadence: -30", "✗ Check-in every … days takes a whole number from 7 to 365, not -30"),
        ("cadence: 60.5", "✗ Check-in every … days takes a whole number from 7 to 365, not '60.5'"),
        (
            "cadence: sixty",
            "✗ Check-in every … days takes a whole number from 7 to 365, not 'sixty'",
        ),
        ("days: Mon, Xmas", "✗ Business days has no choice 'Xmas'; it takes one of: Mon, Tue,"),
        ("days: Mon, 8", "✗ Business days has no choice '8'; it takes one of: Mon, Tue,"),
        ("days: t", "✗ 't' fits several choices of Business days: Tue, Thu; say which"),
        ("channel: fax", "✗ Preferred channel has no choice 'fax'; it takes one of: not set,"),
    ],
)
def test_a_value_the_profile_form_cannot_take_gets_one_line_and_changes_nothing(
    profile_form: Shell, line: str, explained: str
) -> None:
    form = profile_form.form
    assert form is not None
    before = form.values()

    shown = play(profile_form, line).splitlines()

    assert len(shown) == 2, shown
    assert shown[1].startswith(explained)
    assert form.values() == before
    assert before["cadence"]["cadence_input"]["value"] == "90"


# --- Hand over: a user select ------------------------------------------------------------------


def test_hand_over_via_the_form_to_bob(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = submitted(sandbox, monkeypatch)
    play(shell, *CARD)

    form = play(shell, ":click 3")
    refused = play(shell, "owner: nobody")
    chosen = play(shell, "owner: bob")
    handed = play(shell, ":submit")

    # The user select shows its initial_user (the owner now) by name, as Slack does.
    assert "owner  Who looks after Acme from now on?  You" in form
    assert refused.splitlines()[1] == (
        "✗ nobody here is called 'nobody': Who looks after Acme from now on? takes one of "
        "you, bob, kenji, emma, lena, rui"
    )
    assert chosen.splitlines()[1] == "owner = Bob Miller"
    assert "@Bob Miller now looks after Acme" in handed
    assert owner_of(sandbox) == "U0BOB"
    assert sent == [{"owner": {"owner_select": {"type": "users_select", "selected_user": "U0BOB"}}}]


@pytest.mark.parametrize("typed", ["@bob", "<@U0BOB>", "<@U0BOB|bob>", "Bob Miller", "U0BOB"])
def test_a_user_select_takes_a_mention_a_name_or_an_id(
    shell: Shell, sandbox: Sandbox, typed: str
) -> None:
    play(shell, ":lang de", *CARD, ":click 3")

    chosen = play(shell, f"owner: {typed}")
    handed = play(shell, ":submit")

    assert chosen.splitlines()[1] == "owner = Bob Miller"
    assert "Acme" in handed and shell.problems == 0
    assert owner_of(sandbox) == "U0BOB"


# --- :advance by months --------------------------------------------------------------------------


def test_advance_by_a_month_keeps_the_day_and_local_time_in_the_users_zone(shell: Shell) -> None:
    shown = play(
        shell,
        ":advance 1mo",
        ":at 2027-01-31 10:00",
        ":advance 1mo",
        ":advance 1mo 2d",
        ":as bob",
        ":at 2027-05-31 20:00",
        ":advance 1mo",
    )

    moves = [line for line in shown.splitlines() if line.startswith("Clock: ")]
    assert moves[0] == (
        "Clock: Wed 25 Nov 2026 10:00 → Fri 25 Dec 2026 10:00 (Europe/Berlin), 30 days later."
    )
    # 31 January + 1 month is the last day of February.
    assert moves[2] == (
        "Clock: Sun 31 Jan 2027 10:00 → Sun 28 Feb 2027 10:00 (Europe/Berlin), 28 days later."
    )
    # Summer time begins on 28 March: the wall clock stays at 10:00, an hour less goes by.
    assert moves[3] == (
        "Clock: Sun 28 Feb 2027 10:00 → Tue 30 Mar 2027 10:00 (Europe/Berlin), 29 days 23 h later."
    )
    # Bob's month is New York's: 31 May 20:00 there is already 1 June in Berlin, whose month
    # would end on 1 July.
    assert moves[5] == (
        "Clock: Mon 31 May 2027 20:00 → Wed 30 Jun 2027 20:00 (America/New_York), 30 days later."
    )
    assert shell.problems == 0


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        (":advance 1month", "✗ '1month' is not a duration: use for example 3d, 12h, 90m, 2w, 1mo"),
        (":advance mo", "✗ 'mo' is not a duration: use for example"),
        (":advance 0mo", "✗ advance by more than nothing, for example 1d"),
        (":advance 999999mo", "✗ '999999mo' is too far to move the clock"),
    ],
)
def test_a_month_the_clock_cannot_move_gets_one_line(
    profile_form: Shell, line: str, explained: str
) -> None:
    before = profile_form.sandbox.clock.now()

    shown = play(profile_form, line).splitlines()

    assert len(shown) == 2, shown
    assert shown[1].startswith(explained)
    assert profile_form.sandbox.clock.now() == before
