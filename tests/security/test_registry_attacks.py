"""Forgetting a partner, attacked through what other rows still remember of it: the Undo of an
Edit keeps, on the contact, what it was before the edit (`interactions.before_edit`), partner
and note included. A contact moved away from a partner that is later forgotten must not keep
that partner's note, nor let Undo bring the contact back to a partner of the same id (SQLite
gives a new row the largest id again once it is free). Signed HTTP against the running app, on
SQLite and PostgreSQL, in English and German."""

from __future__ import annotations

import pytest

from bot.blocks.partner_card import ACTION_THEIR_PROMISE as THEIRS
from bot.blocks.replies import ACTION_EDIT
from bot.sandbox.standin import SlackStandIn
from storage.models import AuditEntry, Interaction, Nudge, Partner, Promise
from storage.vocabulary import EDITS_KEPT
from tests.scenarios.test_partner_registry import SECRETS, ask_to_forget, press, texts_holding
from tests.scenarios.test_undo_edit import button, edited, logged, undo
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.racing import at_once
from tests.support.rows import all_of

ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"  # Jonas's Slack is in German


def partner_named(rapport: RunningRapport, name: str) -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == name)


def forget(rapport: RunningRapport, name: str, user: str) -> None:
    question = ask_to_forget(rapport, f"forget {name}", user)
    [label] = [b for b in buttons(question) if b not in ("Cancel", "Abbrechen")]
    assert name in texts(press(rapport, question, label, user))


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_a_contact_moved_away_from_a_forgotten_partner_keeps_nothing_of_it(
    rapport: RunningRapport, user: str
) -> None:
    """The contact's edit history kept the forgotten partner's id, its note and its promise's
    words; Undo then moved the contact to whichever partner took that id next."""
    logged(rapport, "Globex call kickoff", user)
    summary = logged(
        rapport, "Quorvexo call the Zyxwv rollout promise: send the quote by Friday", user
    )
    globex = partner_named(rapport, "Globex")
    after_edit = edited(rapport, summary, user, partner_id=globex.id, note="pricing")
    forgotten = partner_named(rapport, "Quorvexo")

    forget(rapport, "Quorvexo", user)

    assert texts_holding(rapport.db, SECRETS) == []
    # A new partner may take the freed id (SQLite does); Undo must not move the contact to it.
    logged(rapport, "Initech call kickoff", user)
    initech = partner_named(rapport, "Initech")
    moved = max(all_of(rapport.db, Interaction), key=lambda i: i.id if i.note == "pricing" else 0)
    undo(rapport, after_edit, user)
    contact = next(i for i in all_of(rapport.db, Interaction) if i.id == moved.id)
    assert contact.partner_id == globex.id, (forgotten.id, initech.id)
    assert contact.note == "pricing"


# --- races with a Forget press ---------------------------------------------------------------

ROUNDS = 4


def forget_question(rapport: RunningRapport, name: str, user: str = ALICE) -> dict[str, str]:
    """The Forget button of the question about `name`, not yet pressed."""
    question = ask_to_forget(rapport, f"forget {name}", user)
    [label] = [b for b in buttons(question) if b not in ("Cancel", "Abbrechen")]
    return buttons(question)[label]


def nothing_left_of(rapport: RunningRapport, partner_id: int) -> None:
    """No row names a partner that is not there."""
    partners = {p.id for p in all_of(rapport.db, Partner)}
    if partner_id in partners:
        return
    assert [i.id for i in all_of(rapport.db, Interaction) if i.partner_id == partner_id] == []
    assert [p.id for p in all_of(rapport.db, Promise) if p.partner_id == partner_id] == []
    assert [
        n.id
        for n in all_of(rapport.db, Nudge)
        if n.kind != "promise" and n.subject_id == partner_id
    ] == []


def test_two_forget_presses_at_once_erase_once(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    for round_ in range(ROUNDS):
        logged(rapport, f"Acme{round_} call kickoff promise: send the quote by Friday")
        acme = partner_named(rapport, f"Acme{round_}")
        button = forget_question(rapport, f"Acme{round_}")

        answers = at_once(
            2,
            lambda i, pressed=button: rapport.click(pressed["action_id"], pressed["value"]).later(),
        )

        said = sorted(texts(a) for a in answers)
        assert sum("has forgotten" in s for s in said) == 1, said
        nothing_left_of(rapport, acme.id)
    assert len(all_of(rapport.db, AuditEntry)) == ROUNDS


def test_a_forget_racing_a_contact_logged_for_the_partner_leaves_nothing_behind(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    for round_ in range(ROUNDS):
        logged(rapport, f"Acme{round_} call kickoff")
        acme = partner_named(rapport, f"Acme{round_}")
        button = forget_question(rapport, f"Acme{round_}")

        def act(i: int, name: str = f"Acme{round_}", pressed: dict[str, str] = button) -> str:
            if i == 0:
                return texts(rapport.click(pressed["action_id"], pressed["value"]).later())
            return texts(
                rapport.command(f"{name} call follow-up promise: send it by Friday").reply()
            )

        forgot, log = at_once(2, act)

        assert "has forgotten" in forgot, forgot
        assert "Something went wrong" not in log, log
        nothing_left_of(rapport, acme.id)


def test_a_forget_racing_a_hand_over_leaves_no_announcement_behind(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport, BOB)
    for round_ in range(ROUNDS):
        logged(rapport, f"Acme{round_} call kickoff")
        acme = partner_named(rapport, f"Acme{round_}")
        button = forget_question(rapport, f"Acme{round_}")

        def act(i: int, name: str = f"Acme{round_}", pressed: dict[str, str] = button) -> str:
            if i == 0:
                return texts(rapport.click(pressed["action_id"], pressed["value"]).later())
            command = f"partner {name} owner <@{BOB}|bob>"
            return texts(rapport.command(command, command="/rapport").reply())

        forgot, handed = at_once(2, act)

        assert "Something went wrong" not in forgot + handed, (forgot, handed)
        nothing_left_of(rapport, acme.id)


# --- the contact form's state, tampered ---------------------------------------------------------

TAMPERED = [
    ("partner", {"selected_option": {"value": "99999999999"}}),
    ("partner", {"selected_option": {"value": 5}}),
    ("partner", {"selected_option": None}),
    ("partner", {}),
    ("when", {"selected_date": "2026-02-30"}),
    ("when", {"selected_date": 20261125}),
    ("at", {"selected_time": "25:61"}),
    ("at", {"selected_time": ["10:00"]}),
    ("due", {"selected_date": "9999-12-31"}),
    ("medium", {"selected_option": {"value": ["call"]}}),
    ("kind", {"selected_option": {"value": {"x": 1}}}),
    ("note", {"value": 7}),
    ("note", {"value": None}),
    ("promise", {"value": ["a"]}),
]


@pytest.mark.parametrize(("block", "element"), TAMPERED)
def test_a_tampered_edit_form_is_answered_without_a_failure(
    rapport: RunningRapport, no_errors_logged: None, block: str, element: dict[str, object]
) -> None:
    """Slack sends each field in one shape; a signed body with another is refused (400) or
    read as the field left empty, and the edit is answered either way."""
    summary = logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    edit = button(summary, ACTION_EDIT)
    rapport.click(edit["action_id"], edit["value"])
    view = rapport.slack.views()[-1]
    values = state_from(view)
    if block in values:
        [action] = values[block]
        values[block][action] = {**values[block][action], **element}
    answer = rapport.submit(view, values)

    assert answer.status in (200, 400), answer.body
    assert rapport.wait_until_idle()


def test_an_undo_racing_the_forgetting_of_the_partner_it_restores_is_answered(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    """Undo after an Edit puts the contact back on its partner before the edit; a Forget of that
    partner at the same moment erases it, and the Undo says it is gone or comes first and its
    contact goes with the partner."""
    logged(rapport, "Globex call kickoff")
    globex = partner_named(rapport, "Globex")
    for round_ in range(ROUNDS):
        summary = logged(rapport, f"Quorvexo{round_} call the rollout")
        after_edit = edited(rapport, summary, partner_id=globex.id, note=f"moved {round_}")
        forgotten = partner_named(rapport, f"Quorvexo{round_}")
        pressed = forget_question(rapport, f"Quorvexo{round_}")

        def act(i: int, edit: dict = after_edit, button: dict[str, str] = pressed) -> str:
            if i == 0:
                return texts(rapport.click(button["action_id"], button["value"]).later())
            return texts(undo(rapport, edit))

        forgot, undone = at_once(2, act)

        assert "Something went wrong" not in forgot + undone, (forgot, undone)
        assert "has forgotten" in forgot, forgot
        nothing_left_of(rapport, forgotten.id)


# --- hand-overs at once ---------------------------------------------------------------------------


def test_two_hand_overs_of_one_partner_at_once_leave_one_owner_told_once(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    """Alice (the owner) hands Acme to Bob while Jonas (an admin) hands it to himself: one of
    them wins, and the announcements waiting say where it ended, each recipient once a day."""
    slack.add_user(JONAS, name="jonas", real_name="Jonas Weber", locale="de-DE", is_admin=True)
    known(rapport, BOB)
    known(rapport, JONAS)
    for round_ in range(ROUNDS):
        logged(rapport, f"Acme{round_} call kickoff")
        acme = partner_named(rapport, f"Acme{round_}")

        def act(i: int, name: str = f"Acme{round_}") -> str:
            user, to = (ALICE, BOB) if i == 0 else (JONAS, JONAS)
            command = f"partner {name} owner <@{to}|x>"
            return texts(rapport.command(command, user=user, command="/rapport").reply())

        answers = at_once(2, act)

        assert all("Something went wrong" not in a for a in answers), answers
        owner = partner_named(rapport, f"Acme{round_}").owner_id
        pending = [
            (n.member_id, n.kind)
            for n in all_of(rapport.db, Nudge)
            if n.subject_id == acme.id and n.kind != "promise" and n.state == "pending"
        ]
        assert len(pending) == len(set(pending)), pending
        told_over = [m for m, kind in pending if kind == "handed_over"]
        assert all(m == owner for m in told_over), (pending, owner)


# --- Received and Drop on a partner's promise ------------------------------------------------


def test_their_promise_values_rapport_never_made_change_nothing(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    """Our own promise, another partner's, an unknown id, a made-up choice: nothing changes; of
    Received and Drop pressed at once, one settles the promise."""
    logged(rapport, "Acme call kickoff they promised: the signed contract by Thursday")
    logged(rapport, "Acme call pricing promise: send the quote by Friday")
    logged(rapport, "Globex call kickoff")
    acme, globex = partner_named(rapport, "Acme"), partner_named(rapport, "Globex")
    theirs = next(p for p in all_of(rapport.db, Promise) if p.promised_by == "partner")
    ours = next(p for p in all_of(rapport.db, Promise) if p.promised_by != "partner")
    before = sorted((p.id, p.status) for p in all_of(rapport.db, Promise))

    for value in (
        f"received:{acme.id}:{ours.id}",
        f"dropped:{acme.id}:{ours.id}",
        f"received:{globex.id}:{theirs.id}",
        f"received:{acme.id}:99999",
        f"kept:{acme.id}:{theirs.id}",
        f"received:{acme.id}:{theirs.id}:1",
        f"received:{acme.id}:-{theirs.id}",
    ):
        rapport.click(THEIRS, value).later()
    assert sorted((p.id, p.status) for p in all_of(rapport.db, Promise)) == before

    choices = [f"{c}:{acme.id}:{theirs.id}" for c in ("received", "drop")]
    answers = at_once(2, lambda i: texts(rapport.click(THEIRS, choices[i]).later()))

    [settled] = [p.status for p in all_of(rapport.db, Promise) if p.id == theirs.id]
    assert settled in ("kept", "dropped"), answers
    assert all("Something went wrong" not in a for a in answers), answers


# --- the edits kept for Undo ---------------------------------------------------------------


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_undo_of_an_edit_past_the_ones_kept_says_why_not_that_it_was_undone(
    rapport: RunningRapport, user: str
) -> None:
    """Only the last EDITS_KEPT edits are kept; Undo on an older one's summary said it had been
    undone already, which nobody did."""
    summaries = [logged(rapport, "Acme call kickoff", user)]
    for number in range(EDITS_KEPT + 1):
        summaries.append(edited(rapport, summaries[-1], user, note=f"note {number}"))
    contact = max(all_of(rapport.db, Interaction), key=lambda i: i.id)

    answer = texts(undo(rapport, summaries[1], user))

    assert str(EDITS_KEPT) in answer, answer
    assert next(i for i in all_of(rapport.db, Interaction) if i.id == contact.id).note == (
        f"note {EDITS_KEPT}"
    )
    assert "note 0" in texts(undo(rapport, summaries[2], user))
