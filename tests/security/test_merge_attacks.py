"""`/rapport merge NAME into OTHER` attacked: forged and stale button values, presses racing
each other and the requests that touch either partner, guests and people of another
organisation, names that look like markup or hold the into word. Signed HTTP against the running
app, on SQLite and PostgreSQL, in English and German; a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.blocks.nudge_dm import ACTION_KEPT, ACTION_SNOOZE
from bot.blocks.partner_card import ACTION_MERGE, ACTION_MERGE_CANCEL
from bot.blocks.replies import ACTION_UNDO as ACTION_LOG_UNDO
from bot.blocks.replies import undo_value
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from storage.models import AuditEntry
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.scenarios.test_partner_merge import ask, logged
from tests.scenarios.test_partner_registry import (
    ALICE,
    BOB,
    JONAS,
    everything,
    names,
    partner_named,
    said,
    shown,
)
from tests.security.guests import GUESTS, Guest, cached_guest
from tests.security.test_registry_attacks import nothing_left_of
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.nudges import at_berlin, dms, items_in, jobs_for, log, promise_dm
from tests.support.nudges import press as press_nudge
from tests.support.racing import at_once
from tests.support.rows import Interaction, Member, Partner, Promise, all_of
from tests.support.world import NOW

ROUNDS = 4
KENJI, PARTNER_TEAM = "U0KENJI", "T0PARTNER"


def merge_button(question: dict[str, Any]) -> dict[str, str]:
    [label] = [b for b in buttons(question) if b not in ("Cancel", "Abbrechen")]
    return buttons(question)[label]


def pressed(rapport: RunningRapport, button: dict[str, str], user: str = ALICE) -> str:
    return shown(rapport.click(button["action_id"], button["value"], user=user).later())


# --- stale questions after SQLite gave the freed id to a new partner ----------------------------


@pytest.mark.parametrize(
    ("user", "merge", "into", "gone"),
    [
        (ALICE, "merge Acme Ltd into Acme", "Merged", "no longer in Rapport"),
        (
            JONAS,
            "zusammenführen Acme Ltd in Acme",
            "zusammengeführt",
            "gibt es in Rapport nicht mehr",
        ),
    ],
)
def test_a_stale_merge_question_does_not_merge_a_partner_that_took_the_freed_id(
    rapport: RunningRapport, clock: ManualClock, user: str, merge: str, into: str, gone: str
) -> None:
    """Two questions about one pair; the first press merges, the partner that went frees the
    largest id, a new partner logged a minute later takes it (SQLite does), and the second
    question's button named that id: it merged the new partner, never asked about."""
    logged(rapport, "Acme call kickoff", user=user)
    logged(rapport, '"Acme Ltd" call kickoff', user=user)
    first, second = ask(rapport, merge, user), ask(rapport, merge, user)
    assert into in pressed(rapport, merge_button(first), user)
    clock.advance(timedelta(minutes=1))
    logged(rapport, "Globex call kickoff with the secret roadmap", user=user)
    before = everything(rapport.db)

    again = pressed(rapport, merge_button(second), user)

    assert gone in again, again
    assert "Globex" in [name for name, _ in names(rapport)]
    assert everything(rapport.db) == before


def test_a_stale_forget_question_does_not_forget_a_partner_that_took_the_freed_id(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    first = ask(rapport, "forget Acme")
    second = ask(rapport, "forget Acme")
    assert "forgotten" in pressed(rapport, merge_button(first))
    clock.advance(timedelta(minutes=1))
    logged(rapport, "Globex call kickoff")
    before = everything(rapport.db)

    again = pressed(rapport, merge_button(second))

    assert "Globex" not in again
    assert names(rapport) == [("Globex", None)]
    assert everything(rapport.db) == before


# --- forged values ------------------------------------------------------------------------------


def test_forged_merge_values_naming_another_workspaces_partner_change_nothing(
    rapport: RunningRapport,
) -> None:
    logged(rapport, '"Acme Ltd" call kickoff')
    logged(rapport, "Acme call kickoff")
    question = ask(rapport, "merge Acme Ltd into Acme")
    ids, member_id, asked = merge_button(question)["value"].split(":")
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", NOW)
        stranger = add_partner(
            session, other.id, name="Secret Ltd", organisation=None, owner_id=None, now=NOW
        )
        assert stranger is not None
        session.flush()
        secret = stranger.id
    before = everything(rapport.db)
    absorbed, kept = ids.split("+")
    huge = str(2**63)
    for value in (
        f"{secret}+{kept}:{member_id}:{asked}",
        f"{absorbed}+{secret}:{member_id}:{asked}",
        f"{absorbed}+999999:{member_id}:{asked}",
        f"{huge}+{kept}:{member_id}:{asked}",
        f"{absorbed}+{kept}:{huge}:{asked}",
        f"{absorbed}+{kept}:{member_id}:99999999999",
        f"{absorbed}+{kept}:{member_id}:-1",
        f"{absorbed}+{absorbed}:{member_id}:{asked}",
        f"-{absorbed}+{kept}:{member_id}:{asked}",
        f"{absorbed}+{kept}:{member_id}:{asked}:x",
        "\u0661+\u0662:1:1",
        "x" * 2000,
    ):
        answer = rapport.click(ACTION_MERGE, value)
        assert answer.answer.status == 200, value
        text = shown(answer.later())
        assert "Something went wrong" not in text, (value, text)
        assert "Merged" not in text and "Secret" not in text, (value, text)
    assert everything(rapport.db) == before


# --- presses at once --------------------------------------------------------------------------


def test_two_presses_of_one_merge_at_once_merge_once(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    for round_ in range(ROUNDS):
        logged(rapport, f'"Acme{round_} Ltd" call kickoff promise: send the quote by Friday')
        logged(rapport, f"Acme{round_} call kickoff")
        gone = partner_named(rapport, f"Acme{round_} Ltd").id
        button = merge_button(ask(rapport, f"merge Acme{round_} Ltd into Acme{round_}"))

        answers = at_once(2, lambda i, b=button: pressed(rapport, b))

        assert sum("Merged" in a for a in answers) == 1, answers
        assert not any("Something went wrong" in a for a in answers), answers
        nothing_left_of(rapport, gone)
    assert len(all_of(rapport.db, AuditEntry)) == ROUNDS


def test_crossed_merges_at_once_leave_one_partner_with_everything(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    """A into B and B into A pressed at the same moment: one merges, the other finds a partner
    gone; no contact is lost and no row names a partner that is not there."""
    for round_ in range(ROUNDS):
        a, b = f"Acme{round_} Ltd", f"Acme{round_}"
        logged(rapport, f'"{a}" call kickoff promise: send the quote by Friday')
        logged(rapport, f"{b} call kickoff they promised: the contract by Friday")
        ids = partner_named(rapport, a).id, partner_named(rapport, b).id
        contacts = len(all_of(rapport.db, Interaction))
        one = merge_button(ask(rapport, f'merge "{a}" into {b}'))
        other = merge_button(ask(rapport, f'merge {b} into "{a}"'))

        answers = at_once(2, lambda i, pair=(one, other): pressed(rapport, pair[i]))

        assert sum("Merged" in t for t in answers) == 1, answers
        assert not any("Something went wrong" in t for t in answers), answers
        left = [p.id for p in all_of(rapport.db, Partner) if p.id in ids]
        assert len(left) == 1, left
        assert len(all_of(rapport.db, Interaction)) == contacts
        for partner_id in ids:
            nothing_left_of(rapport, partner_id)


def test_a_merge_racing_a_contact_logged_for_the_partner_that_goes_loses_nothing(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    for round_ in range(ROUNDS):
        a, b = f"Acme{round_} Ltd", f"Acme{round_}"
        logged(rapport, f'"{a}" call kickoff')
        logged(rapport, f"{b} call kickoff")
        gone = partner_named(rapport, a).id
        button = merge_button(ask(rapport, f'merge "{a}" into {b}'))

        def act(i: int, name: str = a, button: dict[str, str] = button) -> str:
            if i == 0:
                return pressed(rapport, button)
            return shown(rapport.command(f'"{name}" call follow-up {name}-race').reply())

        merged, log = at_once(2, act)

        assert "Merged" in merged, merged
        assert "Something went wrong" not in log, log
        nothing_left_of(rapport, gone)
        # The log comes first and its contact moves; or it finds the partner gone and says so,
        # or comes after the merge and asks whether the name is the one that remains.
        if "no longer in this workspace" in log or "Did you mean" in log:
            continue
        assert "Logged" in log, log
        assert [i for i in all_of(rapport.db, Interaction) if f"{a}-race" in (i.note or "")], log


def test_a_merge_racing_a_forget_of_either_partner_leaves_nothing_behind(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    for round_ in range(ROUNDS):
        a, b = f"Acme{round_} Ltd", f"Acme{round_}"
        logged(rapport, f'"{a}" call kickoff promise: send the quote by Friday')
        logged(rapport, f"{b} call kickoff")
        ids = partner_named(rapport, a).id, partner_named(rapport, b).id
        merge = merge_button(ask(rapport, f'merge "{a}" into {b}'))
        forget = merge_button(ask(rapport, f"forget {(a, b)[round_ % 2]}"))

        answers = at_once(2, lambda i, pair=(merge, forget): pressed(rapport, pair[i]))

        assert not any("Something went wrong" in t for t in answers), answers
        for partner_id in ids:
            nothing_left_of(rapport, partner_id)


# --- who may press ------------------------------------------------------------------------------


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_can_neither_ask_to_merge_nor_press_a_merge(
    rapport: RunningRapport, guest: Guest
) -> None:
    logged(rapport, '"Acme Ltd" call kickoff')
    logged(rapport, "Acme call kickoff")
    question = ask(rapport, "merge Acme Ltd into Acme")
    cached_guest(rapport, guest)
    before = everything(rapport.db)
    gerda = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == guest.user_id)
    ids, _, asked = merge_button(question)["value"].split(":")

    asked_by_guest = rapport.command(
        "merge Acme Ltd into Acme", user=guest.user_id, command="/rapport"
    )
    for text in (shown(asked_by_guest.reply()),):
        assert guest.refused in text and "Acme" not in text, text
    for value in (merge_button(question)["value"], f"{ids}:{gerda.id}:{asked}"):
        for action in (ACTION_MERGE, ACTION_MERGE_CANCEL):
            text = shown(rapport.click(action, value, user=guest.user_id).later())
            assert guest.refused in text and "Acme" not in text, text
    assert everything(rapport.db) == before


def test_someone_of_another_organisation_cannot_press_a_merge(rapport: RunningRapport) -> None:
    logged(rapport, '"Acme Ltd" call kickoff')
    logged(rapport, "Acme call kickoff")
    question = ask(rapport, "merge Acme Ltd into Acme")
    before = everything(rapport.db)

    answer = rapport.click(
        ACTION_MERGE,
        merge_button(question)["value"],
        user=KENJI,
        user_team=PARTNER_TEAM,
        channel="C0SHARED",
    )

    text = shown(answer.later())
    assert "Rapport is for this company's own members" in text and "Acme" not in text, text
    assert everything(rapport.db) == before


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("absorbed", "kept"),
    [
        ('"*Acme* <!channel>"', '"_Acme_ & <b>"'),
        ('"Made into Berlin"', '"Into the Woods"'),
        ('"O\'Brien (Dublin)"', '"O\'Brien"'),
        ('"Acme `x` ~y~"', '"<https://evil.example|Acme>"'),
    ],
)
def test_names_that_look_like_markup_or_hold_the_into_word_merge_as_named(
    rapport: RunningRapport, absorbed: str, kept: str
) -> None:
    logged(rapport, f"{absorbed} call kickoff")
    logged(rapport, f"{kept} call kickoff")
    question = ask(rapport, f"merge {absorbed} into {kept}")
    text = shown(question)
    assert "<!channel>" not in text and "<https://evil" not in text, text
    assert "Something went wrong" not in text, text
    if ACTION_MERGE in str(question):
        done = pressed(rapport, merge_button(question))
        assert "<!channel>" not in done and "<https://evil" not in done, done
        assert len(all_of(rapport.db, Partner)) == 1


def test_a_merge_asked_by_bob_of_alices_partners_in_german_changes_nothing(
    rapport: RunningRapport,
) -> None:
    logged(rapport, '"Acme Ltd" call kickoff')
    logged(rapport, "Acme call kickoff")
    known(rapport, BOB)
    before = everything(rapport.db)
    assert "Only whoever looks after both" in said(rapport, "merge Acme Ltd into Acme", BOB)
    assert everything(rapport.db) == before


@pytest.mark.parametrize(
    ("user", "merge", "pause", "gone"),
    [
        (ALICE, "merge Acme Ltd into Acme", "Pause", "no longer in this workspace's list"),
        (JONAS, "zusammenführen Acme Ltd in Acme", "Pausieren", "in diesem Workspace nicht mehr"),
    ],
)
def test_a_card_shown_before_a_merge_does_not_act_on_a_partner_that_took_its_id(
    rapport: RunningRapport, clock: ManualClock, user: str, merge: str, pause: str, gone: str
) -> None:
    """Acme Ltd's card is open; Acme Ltd is merged away and Globex, logged next, is given its
    id on SQLite: Pause on the old card paused Globex, a partner the card never showed."""
    logged(rapport, "Acme call kickoff", user=user)
    logged(rapport, '"Acme Ltd" call kickoff', user=user)
    old_card = ask(rapport, 'partner "Acme Ltd"', user)
    pressed(rapport, merge_button(ask(rapport, merge, user)), user)
    clock.advance(timedelta(minutes=1))
    logged(rapport, "Globex call kickoff with the secret roadmap", user=user)
    before = everything(rapport.db)

    button = buttons(old_card)[pause]
    text = pressed(rapport, button, user)

    assert gone in text and "Globex" not in text, text
    assert everything(rapport.db) == before


# --- a merge while the dispatcher sends a DM about either partner -----------------------------


@pytest.mark.parametrize("attempt", range(4))
def test_a_merge_racing_the_dispatcher_leaves_a_dm_whose_buttons_answer(
    rapport: RunningRapport,
    clock: ManualClock,
    slack: SlackStandIn,
    no_errors_logged: None,
    attempt: int,
) -> None:
    """Both partners' check-ins are planned into one DM; Merge is pressed while the dispatcher
    renders and sends it. Either may come first: nothing fails, no row names the partner that
    went, and a button of the DM Slack shows is answered."""
    jobs = jobs_for(rapport, clock, slack)
    logged(rapport, '"Acme Ltd" call 2026-08-26 talked about the rollout')
    logged(rapport, "Acme call 2026-08-26 talked about the rollout")
    gone = partner_named(rapport, "Acme Ltd").id
    clock.set(at_berlin(2026, 11, 26, 10, 0))
    jobs.plan_once()
    button = merge_button(ask(rapport, "merge Acme Ltd into Acme"))

    def act(i: int) -> str:
        if i == 0:
            return pressed(rapport, button)
        return str(jobs.dispatcher.tick())

    merged, _ = at_once(2, act)

    assert "Something went wrong" not in merged, merged
    if "Merged" in merged:
        nothing_left_of(rapport, gone)
    for _, message in dms(slack):
        for kind, subject in items_in(message):
            press_nudge(rapport, message, kind, subject, ACTION_SNOOZE, option="week")
    assert rapport.wait_until_idle()


@pytest.mark.parametrize(
    ("user", "commands", "unknown"),
    [
        (
            ALICE,
            ["merge {} into Acme", "merge Acme into {}", "partner {}", "forget {}"],
            "I don't know a partner called",
        ),
        (
            JONAS,
            ["zusammenführen {} in Acme", "partner {}", "vergessen {}"],
            "kenne ich nicht",
        ),
    ],
)
def test_a_name_pasted_thousands_of_characters_long_is_answered(
    rapport: RunningRapport, user: str, commands: list[str], unknown: str
) -> None:
    """Each reply repeated the whole name typed, past the 3,000 characters a section holds:
    building the reply failed and the user read "Something went wrong"."""
    logged(rapport, "Acme call kickoff", user=user)
    before = everything(rapport.db)
    for name in ("x" * 5000, "&<>" * 1500, '"' + "Acme & Co " * 400 + '" (' + "&" * 3000 + ")"):
        for command in commands:
            text = said(rapport, command.format(name), user)
            assert unknown in text and "Something went wrong" not in text, text[:300]
    assert everything(rapport.db) == before


# --- a contact or promise undone: its id is never given to a new one ----------------------------


def test_a_dm_about_a_promise_whose_log_was_undone_never_answers_a_new_promise(
    rapport, clock, slack
) -> None:
    jobs = jobs_for(rapport, clock, slack)
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    [contact] = all_of(rapport.db, Interaction)
    undone = rapport.click(ACTION_LOG_UNDO, undo_value(contact.id, None)).later()
    # The promise was missed (due Friday, undone on Tuesday): the miss outlives the Undo, kept
    # as dropped late for its promiser's reliability figure, detached from any contact.
    [missed] = all_of(rapport.db, Promise)
    assert (missed.id, missed.status, missed.interaction_id) == (promise_id, "dropped", None), (
        texts(undone)
    )

    log(rapport, "Globex call promise: call back on Friday")
    [newer] = [p for p in all_of(rapport.db, Promise) if p.id != promise_id]
    [logged] = all_of(rapport.db, Interaction)

    assert logged.id != contact.id, "ids are never given twice"
    press_nudge(rapport, message, "promise", promise_id, ACTION_KEPT)
    statuses = {p.id: p.status for p in all_of(rapport.db, Promise)}
    assert statuses == {promise_id: "dropped", newer.id: "open"}, "the DM's Kept reached a promise"
