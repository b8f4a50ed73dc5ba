"""Presses of one question's buttons at the same moment are answered once: the press that claims
the waiting text logs it (or cancels it), every other press is told the question was answered
already, and a Cancel racing an answer never says "Nothing was logged" while the contact is
logged. Signed HTTP from threads to the running app, on SQLite and on PostgreSQL."""

from __future__ import annotations

from storage.models import PendingCommand
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.racing import at_once
from tests.support.rows import Interaction, count

PRESSES = 6
# Several rounds: in one the presses may happen not to overlap where it matters.
ROUNDS = 4
LOGGED = "Logged your contact with"
GONE = "answered already or is more than an hour old"
CANCELLED = "Nothing was logged"


def question(rapport: RunningRapport, name: str) -> dict[str, dict[str, str]]:
    found = buttons(rapport.command(name).reply())
    assert "Cancel" in found, found
    return found


def test_the_same_answer_pressed_at_once_logs_the_contact_once(rapport: RunningRapport) -> None:
    known(rapport, "U0ALICE")
    for round_ in range(ROUNDS):
        create = question(rapport, f"Zorblax{round_}")[f"New partner Zorblax{round_}"]
        before = count(rapport.db, Interaction)

        replies = at_once(
            PRESSES,
            lambda _, create=create: texts(
                rapport.click(create["action_id"], create["value"]).later()
            ),
        )

        assert count(rapport.db, Interaction) - before == 1, replies
        assert sum(LOGGED in reply for reply in replies) == 1, replies
        assert all(LOGGED in reply or GONE in reply for reply in replies), replies
    assert count(rapport.db, PendingCommand) == 0


def test_a_cancel_racing_an_answer_either_logs_or_cancels_never_both(
    rapport: RunningRapport,
) -> None:
    known(rapport, "U0ALICE")
    for round_ in range(ROUNDS):
        found = question(rapport, f"Quexbar{round_}")
        pressed = [found["Cancel"], found[f"New partner Quexbar{round_}"]]
        before = count(rapport.db, Interaction)

        cancel, answer = at_once(
            2,
            lambda i, pressed=pressed: texts(
                rapport.click(pressed[i]["action_id"], pressed[i]["value"]).later()
            ),
        )

        logged = count(rapport.db, Interaction) - before
        if logged:
            assert LOGGED in answer and GONE in cancel, (cancel, answer)
        else:
            assert CANCELLED in cancel and GONE in answer, (cancel, answer)
        assert CANCELLED not in cancel or logged == 0
