"""When a line could be read more than one way, Rapport asks, stores nothing, and logs what the
person then chooses: here, a new partner named by a line that says nothing else, or by one of
Rapport's own command words. The text waits an hour for the answer, and only for its author."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.housekeeping import forget_unanswered_questions
from storage.models import PendingCommand
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.rows import Interaction, Partner, count, only


def ask(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> dict:
    known(rapport, user)
    return rapport.command(text, user=user).reply()


@pytest.mark.parametrize(
    ("text", "user", "question", "create"),
    [
        ("Globex", "U0ALICE", "is not one of your partners yet", "New partner Globex"),
        ("Globex", "U0JONAS", "ist noch keiner deiner Partner", "Neuer Partner Globex"),
        ("partners", "U0ALICE", "is one of Rapport's own words", "New partner partners"),
        (
            "zusagen",
            "U0JONAS",
            "eines von Rapports eigenen Wörtern",
            "Neuer Partner zusagen",
        ),
        (
            '"Jens Ohlsen" (Nordwind)',
            "U0ALICE",
            "is not one of your partners",
            "New partner Jens Ohlsen (Nordwind)",
        ),
    ],
)
def test_a_new_partner_from_a_bare_or_command_word_is_asked_about_and_nothing_stored(
    rapport: RunningRapport, text: str, user: str, question: str, create: str
) -> None:
    reply = ask(rapport, text, user)

    assert question in texts(reply)
    assert next(iter(buttons(reply))) == create
    assert count(rapport.db, Partner) == 0 and count(rapport.db, Interaction) == 0
    assert count(rapport.db, PendingCommand) == 1


def test_choosing_the_new_partner_logs_the_contact_in_place_of_the_question(
    rapport: RunningRapport,
) -> None:
    reply = ask(rapport, "partners")
    create = buttons(reply)["New partner partners"]

    pressed = rapport.click(create["action_id"], create["value"])
    answer = pressed.later()

    assert "Logged your contact with *partners*" in texts(answer)
    assert answer["replace_original"] is True
    assert only(rapport.db, Partner).name == "partners"
    assert count(rapport.db, Interaction) == 1
    assert count(rapport.db, PendingCommand) == 0


def test_cancel_logs_nothing_and_a_second_press_finds_the_question_gone(
    rapport: RunningRapport,
) -> None:
    reply = ask(rapport, "Globex")
    cancel, create = buttons(reply)["Cancel"], buttons(reply)["New partner Globex"]

    cancelled = rapport.click(cancel["action_id"], cancel["value"]).later()
    again = rapport.click(create["action_id"], create["value"]).later()

    assert "Nothing was logged" in texts(cancelled)
    assert "answered already or is more than an hour old" in texts(again)
    assert count(rapport.db, Partner) == 0 and count(rapport.db, PendingCommand) == 0


def test_a_question_older_than_an_hour_has_expired(rapport: RunningRapport, clock) -> None:
    reply = ask(rapport, "Globex")
    create = buttons(reply)["New partner Globex"]
    clock.advance(timedelta(minutes=61))

    answer = rapport.click(create["action_id"], create["value"]).later()

    assert "more than an hour old" in texts(answer)
    assert count(rapport.db, Partner) == 0


def test_another_members_press_or_a_forged_value_resumes_nothing(rapport: RunningRapport) -> None:
    reply = ask(rapport, "Globex")
    create = buttons(reply)["New partner Globex"]
    known(rapport, "U0BOB")

    bobs = rapport.click(create["action_id"], create["value"], user="U0BOB").later()
    forged = rapport.click(create["action_id"], "x|partner|new").later()

    assert "more than an hour old" in texts(bobs)
    assert "more than an hour old" in texts(forged)
    assert count(rapport.db, Partner) == 0 and count(rapport.db, PendingCommand) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Globex call",
        "Globex yesterday",
        "Globex talked about the rollout",
        "Globex promise: x by Friday",
    ],
)
def test_a_new_partner_with_anything_else_said_is_logged_without_a_question(
    rapport: RunningRapport, text: str
) -> None:
    reply = ask(rapport, text)
    assert "Logged your contact with *Globex*" in texts(reply)


def test_a_known_partner_alone_is_logged_without_a_question(rapport: RunningRapport) -> None:
    ask(rapport, "Globex call")
    reply = rapport.command("Globex").reply()
    assert "Logged your contact with *Globex*" in texts(reply)
    assert count(rapport.db, Interaction) == 2


def test_unanswered_questions_are_forgotten_after_two_hours(rapport: RunningRapport, clock) -> None:
    ask(rapport, "Globex")
    assert forget_unanswered_questions(rapport.db, clock.now() + timedelta(minutes=119)) == 0
    assert forget_unanswered_questions(rapport.db, clock.now() + timedelta(minutes=121)) == 1
    assert count(rapport.db, PendingCommand) == 0
