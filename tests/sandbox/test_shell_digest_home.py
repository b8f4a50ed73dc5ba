"""The shell with team digests and the Home tab: a command typed in a channel (`:in`), the digest
posted when the clock passes its Monday 09:00 and drawn like a DM, its ⋯ menu pressed as Slack
sends an overflow's choice, and `:home` opening the Home tab, whose buttons are pressed as Slack
sends a press on a view (Previous/Next, Edit settings and its form), in English and German."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.sandbox.shell import Shell
from bot.sandbox.signing import Answer
from bot.sandbox.workspace import TEAM_ID, YOU, Sandbox
from storage.models import Member
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.sandbox.test_shell import flat
from tests.support.rows import all_of
from tests.support.shell import db, play


def recorded(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The interaction payloads and event envelopes the shell sends from now on, as sent."""
    interactions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    sender = sandbox.rapport.sender

    def keep(into: list[dict[str, Any]], send: Callable[..., Answer]) -> Callable[..., Answer]:
        def sending(payload: dict[str, Any], **kwargs: Any) -> Answer:
            into.append(json.loads(json.dumps(payload)))
            return send(payload, **kwargs)

        return sending

    monkeypatch.setattr(sender, "interaction", keep(interactions, sender.interaction))
    monkeypatch.setattr(sender, "event", keep(events, sender.event))
    return interactions, events


def digest_posted(shell: Shell) -> tuple[str, str]:
    """Acme and Globex neglected for a quarter, #partners-team subscribed on a Monday after
    09:00, Bob known to Rapport, and the clock moved to the next Monday 09:00: what the
    subscription and the move showed."""
    play(
        shell,
        "/logcontact Acme call kickoff promise: send the quote by Friday",
        "/logcontact Globex email sent the deck",
        ":at 2027-03-01 10:00",
    )
    subscribed = play(shell, ":in #partners-team /rapport digest on")
    play(shell, ":as bob", "/logcontact Initech call intro", ":as you")
    return subscribed, play(shell, ":at 2027-03-08 09:00")


# --- the digest and its menu ---------------------------------------------------------------------


def test_the_digest_posted_on_the_way_is_drawn_with_its_menus(shell: Shell) -> None:
    subscribed, moved = digest_posted(shell)

    assert "Rapport · only visible to you in #partners-team" in subscribed
    assert "This channel now gets Rapport's digest" in subscribed
    assert "Next digest: Monday, March 8, 2027, 09:00" in subscribed
    assert "Rapport · in #partners-team · Mon 01 Mar 10:00" in subscribed
    assert "Mon 08 Mar 2027 09:00 (Europe/Berlin)" in moved
    assert "Rapport · in #partners-team · Mon 08 Mar 09:00" in moved
    shown = flat(moved.split("Rapport · in #partners-team · Mon 08 Mar 09:00", 1)[1])
    assert shown.startswith("Partners who need attention You")
    assert "Acme · 🔴 promises overdue past reminders, neglected" in shown
    assert "[1] ⋯ (I'll reach out | Log contact)" in shown
    assert "Globex · 🔴 neglected" in shown
    assert "Initech" not in shown  # Bob's partner was logged a week ago: fine
    listed = play(shell, ":messages #partners-team")
    assert "Partners who need attention: 2 partners, 1 owner" in listed
    assert ":click 2.1 ⋯ Acme, 2.2 ⋯ Globex" in listed
    assert shell.problems == 0


def test_a_colleague_chooses_ill_reach_out_sent_as_an_overflow_and_everyone_sees_it(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest_posted(shell)
    play(shell, ":messages #partners-team")
    interactions, _ = recorded(sandbox, monkeypatch)

    claimed = play(shell, ":as bob", ":click 2.2 reach")

    (payload,) = interactions
    (action,) = payload["actions"]
    menu = sandbox.standin.messages("C0TEAM")[1]
    offered = menu["blocks"][-1]["accessory"]["options"]
    assert action["type"] == "overflow"
    assert action["action_id"] == "rapport_digest"
    assert action["selected_option"] == offered[0]  # the option exactly as the message has it
    assert "value" not in action
    assert payload["container"] == {
        "type": "message",
        "channel_id": "C0TEAM",
        "is_ephemeral": False,
        "message_ts": menu["ts"],
    }
    assert "Rapport · only visible to you in #partners-team · via response_url" in claimed
    assert "you get Globex's check-in nudges instead of You" in flat(claimed)
    assert "Rapport updated its message · in #partners-team" in claimed
    assert "🙋 @Bob Miller is on it until Mon, Mar 22" in claimed
    # Everyone sees it: the channel's one message says so; its owner, pressing while Bob's
    # claim lives, is told who is on it until when.
    redrawn = sandbox.standin.messages("C0TEAM")[1]
    assert "@Bob Miller is on it" in json.dumps(redrawn["blocks"])
    own = play(shell, ":as you", ":messages #partners-team", ":click 2.2 reach")
    assert "@Bob Miller is already on Globex until" in flat(own)
    assert shell.problems == 0


def test_log_contact_from_the_digest_menu_opens_the_form_about_the_partner(shell: Shell) -> None:
    digest_posted(shell)

    opened = play(shell, ":messages #partners-team", ":click 2.1 log")

    form = flat(opened.split("· form", 1)[1])
    assert form.startswith("partner Partner (optional) Acme ")
    assert shell.form is not None and shell.form.user == YOU
    assert shell.problems == 0


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        (":click 2.1", "⋯ is a menu: :click 1 CHOICE, CHOICE one of 1 I'll reach out, 2 Log"),
        (":click 2.1 take", "⋯ has no single choice 'take'; choose one of: 1 I'll reach out"),
        (":click 2.1 3", "⋯ has choices 1 to 2, not 3"),
    ],
)
def test_a_digest_menu_pressed_without_a_choice_it_offers_explains_itself(
    shell: Shell, line: str, explained: str
) -> None:
    digest_posted(shell)
    play(shell, ":messages #partners-team")

    shown = play(shell, line)

    assert shell.problems == 1
    assert explained in flat(shown)


def test_the_digest_in_german_takes_a_german_choice(shell: Shell) -> None:
    play(shell, ":lang de")
    digest_posted(shell)

    claimed = play(shell, ":messages #partners-team", ":as bob", ":click 2.1 melde")

    assert "Ich melde mich | Kontakt erfassen" in claimed
    assert "🙋 @Bob Miller kümmert sich bis Mo., 22. März" in claimed
    assert shell.problems == 0


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        (":in partners-team /rapport digest on", "say where and which command: :in #channel"),
        (":in #partners-team digest on", "say where and which command: :in #channel"),
        (":in #nowhere /rapport digest on", "which channel to type in? #nowhere is none of"),
        (":in #partners-team /giphy cats", "/giphy is not a command of Rapport's"),
    ],
)
def test_a_command_in_a_channel_needs_a_channel_and_a_command(
    shell: Shell, line: str, explained: str
) -> None:
    shown = play(shell, line)

    assert shell.problems == 1
    assert explained in shown


def test_a_command_in_a_channel_is_typed_there_and_answered_there(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(shell, "/logcontact Acme call kickoff")
    sent: list[dict[str, str]] = []
    form = sandbox.rapport.sender.form

    def keep(fields: dict[str, str], **kwargs: Any) -> Answer:
        sent.append(dict(fields))
        return form(fields, **kwargs)

    monkeypatch.setattr(sandbox.rapport.sender, "form", keep)

    refused = play(shell, ":in #acme-partners /rapport digest on")
    outsider = play(shell, ":as kenji", ":in #acme-partners /rapport digest on")

    assert sent[0]["channel_id"] == "C0SHARED" and sent[0]["command"] == "/rapport"
    assert "only visible to you in #acme-partners" in refused
    assert "shared" in flat(refused)
    assert sandbox.standin.messages("C0SHARED")[-1]["user"] != sandbox.standin.bot_user_id
    assert "Kenji Sato is an external partner from another organisation" in outsider
    assert "Lena Wolf is not in #partners-team" in play(
        shell, ":as lena", ":in #partners-team /rapport digest status"
    )


# --- the Home tab --------------------------------------------------------------------------------


def many_partners(sandbox: Sandbox, count: int) -> None:
    """`count` partners of yours beside the ones you logged, added straight to the database."""
    database = db(sandbox)
    you = next(m.id for m in all_of(database, Member) if m.slack_user_id == YOU)
    now = sandbox.clock.now()
    with database.transaction() as session:
        workspace = workspace_for(session, TEAM_ID, now)
        for i in range(count):
            add_partner(
                session,
                workspace.id,
                name=f"Partner {i:02}",
                organisation=None,
                owner_id=you,
                now=now,
            )


def test_home_opens_the_tab_as_slack_does_and_draws_the_view_published(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(shell, "/logcontact Acme call kickoff promise: send the quote by Friday")
    _, events = recorded(sandbox, monkeypatch)

    first = play(shell, ":home")
    play(shell, ":advance 1m")
    again = play(shell, ":home")

    opened, reopened = (envelope["event"] for envelope in events)
    published = sandbox.standin.home_views(YOU)
    assert opened["type"] == "app_home_opened" and opened["tab"] == "home"
    assert opened["user"] == YOU and opened["channel"] == sandbox.standin.dm_channel(YOU)
    assert "view" not in opened  # Slack holds no Home for you yet
    assert reopened["view"]["id"] == published[0]["id"]
    assert reopened["view"]["hash"] == published[0]["hash"]
    assert len(published) == 2
    assert "Rapport · your Home tab ─" in first
    shown = flat(first)
    assert "My partners Acme · 🟢 fine" in shown
    assert "You promised Acme: send the quote" in shown
    assert "[1] Edit settings" in shown
    assert "Rapport · your Home tab · drawn again" in again
    assert shell.problems == 0


def test_home_opened_again_within_seconds_after_a_change_shows_the_change(
    shell: Shell, sandbox: Sandbox
) -> None:
    # The clock stands still in the sandbox: an opening within Rapport's 5 s window still
    # publishes when what the Home shows has changed, so nobody looks at a stale Home.
    play(shell, "/logcontact Acme call kickoff", ":home")

    play(shell, "/logcontact Globex call kickoff")
    again = play(shell, ":home")

    assert "Rapport · your Home tab · drawn again" in again
    assert "Globex" in again
    assert "the change waiting shows once the clock moves" not in flat(again)
    assert shell.problems == 0


def test_a_change_while_the_home_is_not_shown_is_one_line(shell: Shell) -> None:
    play(shell, "/logcontact Acme call kickoff", ":home", ":advance 1m")

    logged = play(shell, "/rapport partners", "/logcontact Globex call kickoff")

    assert "Rapport drew your Home tab again; :home shows it." in logged
    assert "My partners" not in logged


def test_previous_and_next_are_pressed_on_the_home_as_a_view(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(shell, "/logcontact Acme call kickoff")
    many_partners(sandbox, 60)
    play(shell, ":home")
    interactions, _ = recorded(sandbox, monkeypatch)
    shown_view = sandbox.standin.home_views(YOU)[-1]

    turned = play(shell, ":click 1")
    back = play(shell, ":click 1")

    payload = interactions[0]
    assert payload["type"] == "block_actions"
    assert payload["container"] == {"type": "view", "view_id": shown_view["id"]}
    assert payload["view"]["id"] == shown_view["id"]
    assert payload["view"]["hash"] == shown_view["hash"]
    assert "response_url" not in payload and "channel" not in payload
    assert "message" not in payload
    assert payload["actions"][0]["action_id"] == "rapport_home_page_next"
    assert interactions[1]["actions"][0]["action_id"] == "rapport_home_page_previous"
    assert "Partners 51–61 of 61" in turned
    assert "Rapport · your Home tab · drawn again" in turned
    assert "[1] Previous" in turned
    assert "Partners 1–50 of 61" in back
    assert shell.problems == 0


def test_edit_settings_opens_the_form_and_the_saved_settings_show_on_the_home(
    shell: Shell, sandbox: Sandbox
) -> None:
    play(shell, "/logcontact Acme call kickoff", ":home")

    opened = play(shell, ":click 1")
    saved = play(shell, "hours: 8:30-16", "days: Mon, Tue", "holidays: DE-BY", ":submit")
    moved = play(shell, ":advance 1m")

    assert "My settings · form" in opened
    assert "09:00-18:00" in opened
    assert "Sent the form 'My settings'; Slack closed it." in saved
    assert "the change waiting shows once the clock moves" in flat(saved)
    assert "Rapport · your Home tab · drawn again" in moved
    assert "Rapport will nudge you Mon, Tue, 08:30–16:00 (Europe/Berlin)." in flat(moved)
    assert "DE-BY" in moved
    you = next(m for m in all_of(db(sandbox), Member) if m.slack_user_id == YOU)
    assert (you.work_start_minute, you.work_end_minute, you.work_days) == (510, 960, "12")
    assert shell.problems == 0


def test_bad_settings_stay_in_the_form_with_rapports_words_in_german(shell: Shell) -> None:
    play(shell, ":lang de", "/logcontact Acme Anruf Auftakt", ":home")

    kept = play(shell, ":click 1", "hours: 17-8", "holidays: XX", ":submit")
    fixed = play(shell, "hours: 8 bis 17 Uhr", "holidays: keine", ":submit", ":advance 1m")

    assert "Rapport kept the form open: 2 field(s) to fix" in kept
    assert "Die Arbeitszeit muss am selben Tag" in flat(kept)
    assert "„XX“" in kept
    assert "Rapport · your Home tab · drawn again" in fixed
    assert "08:00–17:00" in flat(fixed)
    assert "Meine Einstellungen" in fixed
    assert shell.problems == 0


def test_someone_of_another_organisation_gets_no_home(shell: Shell, sandbox: Sandbox) -> None:
    shown = play(shell, ":as kenji", ":home")

    assert "Rapport published no Home tab for Kenji Sato" in shown
    assert sandbox.standin.home_views("U0KENJI") == []
    assert "has no buttons" in play(shell, ":click 1")


def test_only_its_owner_presses_on_a_home(shell: Shell) -> None:
    play(shell, "/logcontact Acme call kickoff", ":home")

    shown = play(shell, ":as bob", ":click 1")

    assert "only You sees the Home tab shown last: :as you" in shown


def test_home_takes_nothing_after_it(shell: Shell) -> None:
    assert ":home takes nothing" in play(shell, ":home bob")
    assert shell.problems == 1


def test_help_lists_the_new_commands(shell: Shell) -> None:
    shown = play(shell, ":help")

    assert ":in #channel /rapport TEXT" in shown
    assert ":home " in shown
    assert "⋯ overflow menu" in shown


def test_the_clock_waits_for_nothing_when_no_home_was_opened(shell: Shell) -> None:
    play(shell, "/logcontact Acme call kickoff")

    moved = play(shell, ":advance 1m")

    assert "Nothing arrived on the way" in moved
    assert "Home tab" not in moved
