"""A promise whose due date could mean two days is asked about, over signed HTTP: nothing is
stored until the member presses a button, and the day pressed is the day stored.

Today is Wednesday 25 November 2026 in Berlin. Alice's Slack locale is en-US (month first),
Jonas's de-DE.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks.questions import ACTION_ANSWER
from storage.models import PendingCommand
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.rows import Interaction, Partner, Promise, all_of, count, only

ALICE, JONAS = "U0ALICE", "U0JONAS"


def ask(rapport: RunningRapport, text: str, user: str = ALICE) -> dict:
    known(rapport, user)
    return rapport.command(text, user=user).reply()


def press(rapport: RunningRapport, reply: dict, label: str, user: str = ALICE) -> dict:
    button = buttons(reply)[label]
    return rapport.click(button["action_id"], button["value"], user=user).later()


def asks(reply: dict) -> bool:
    return any(b["action_id"].startswith(ACTION_ANSWER) for b in buttons(reply).values())


def nothing_stored(rapport: RunningRapport) -> bool:
    return count(rapport.db, Interaction) == 0 and count(rapport.db, Promise) == 0


def stored_due(rapport: RunningRapport) -> date:
    promise = only(rapport.db, Promise)
    assert isinstance(promise, Promise)
    return promise.due_on


@pytest.mark.parametrize(
    ("text", "user", "question", "choice", "due"),
    [
        # a weekday and a date that disagree: 1 December 2026 is a Tuesday
        (
            "Acme call promise: send the offer by Monday, 1 December",
            ALICE,
            "the weekday and the date do not agree",
            "Monday, November 30, 2026",
            date(2026, 11, 30),
        ),
        (
            "Acme Anruf Zusage: Angebot bis Montag, den 1.12.",
            JONAS,
            "passen Wochentag und Datum nicht zusammen",
            "Dienstag, 1. Dezember 2026",
            date(2026, 12, 1),
        ),
    ],
)
def test_a_weekday_and_a_date_that_disagree_are_asked_and_the_pressed_day_stored(
    rapport: RunningRapport, text: str, user: str, question: str, choice: str, due: date
) -> None:
    reply = ask(rapport, text, user)

    assert question in texts(reply)
    assert asks(reply) and len(buttons(reply)) == 3  # the two days and Cancel
    assert nothing_stored(rapport) and count(rapport.db, PendingCommand) == 1

    answer = press(rapport, reply, choice, user)

    assert answer["replace_original"] is True
    assert stored_due(rapport) == due
    assert count(rapport.db, PendingCommand) == 0


def test_two_day_phrases_are_asked_about_with_both_days(rapport: RunningRapport) -> None:
    reply = ask(rapport, "Acme call promise: call back tomorrow about the Friday delivery")

    assert "names more than one day" in texts(reply)
    assert set(buttons(reply)) == {
        "Thursday, November 26, 2026",
        "Friday, November 27, 2026",
        "Cancel",
    }
    assert nothing_stored(rapport)

    press(rapport, reply, "Friday, November 27, 2026")

    assert stored_due(rapport) == date(2026, 11, 27)


def test_a_date_valid_both_ways_is_asked_of_a_month_first_member_only(
    rapport: RunningRapport,
) -> None:
    reply = ask(rapport, "Acme call promise: send the deck by 2/3", ALICE)

    assert "day first or month first" in texts(reply)
    assert set(buttons(reply)) == {
        "Wednesday, February 3, 2027",
        "Tuesday, March 2, 2027",
        "Cancel",
    }
    press(rapport, reply, "Wednesday, February 3, 2027")
    assert stored_due(rapport) == date(2027, 2, 3)

    german = ask(rapport, "Nordwind Anruf Zusage: Muster bis 2/3 schicken", JONAS)

    assert not asks(german) and "Dein Kontakt mit *Nordwind*" in texts(german)
    assert {p.due_on for p in all_of(rapport.db, Promise)} == {date(2027, 2, 3), date(2027, 3, 2)}


def test_asap_offers_quick_choices_and_stores_the_one_pressed(rapport: RunningRapport) -> None:
    reply = ask(rapport, "Acme call promise: send the NDA ASAP")

    assert "names no day" in texts(reply)
    assert list(buttons(reply)) == [
        "Wednesday, November 25, 2026",
        "Thursday, November 26, 2026",
        "Friday, November 27, 2026",
        "Cancel",
    ]
    assert nothing_stored(rapport)

    press(rapport, reply, "Thursday, November 26, 2026")

    assert stored_due(rapport) == date(2026, 11, 26)


def test_asap_is_asked_in_german_too(rapport: RunningRapport) -> None:
    reply = ask(rapport, "Acme Anruf Zusage: NDA so schnell wie möglich schicken", JONAS)

    assert "nennt keinen Tag" in texts(reply)
    assert "Freitag, 27. November 2026" in buttons(reply)


def test_clear_due_dates_are_logged_without_a_question(rapport: RunningRapport) -> None:
    reply = ask(rapport, "Acme Anruf Zusage: Angebot schicken 19.7", JONAS)

    assert not asks(reply)
    assert stored_due(rapport) == date(2027, 7, 19)


@pytest.mark.parametrize(
    ("text", "user", "buttons_shown", "choice", "due"),
    [
        # 26 November 2026 is a Thursday: a slip for it, that week's Friday, or 26 February 2027
        (
            "Acme call promise: send the offer by Fri 26th",
            ALICE,
            4,
            "Friday, February 26, 2027",
            date(2027, 2, 26),
        ),
        (
            "Acme Anruf Zusage: Angebot bis Freitag, den 26.",
            JONAS,
            4,
            "Donnerstag, 26. November 2026",
            date(2026, 11, 26),
        ),
        # "next Friday" is still this week: two months after this week's Friday or next week's
        (
            "Acme call promise: renew the contract two months after next Friday",
            ALICE,
            3,
            "Thursday, February 4, 2027",
            date(2027, 2, 4),
        ),
        (
            "Acme Anruf Zusage: Vertrag verlängern zwei Monate nach nächstem Freitag",
            JONAS,
            3,
            "Mittwoch, 27. Januar 2027",
            date(2027, 1, 27),
        ),
    ],
)
def test_a_weekday_beside_a_day_number_or_a_distance_from_an_asked_day_is_asked(
    rapport: RunningRapport, text: str, user: str, buttons_shown: int, choice: str, due: date
) -> None:
    reply = ask(rapport, text, user)

    assert asks(reply) and len(buttons(reply)) == buttons_shown  # the days and Cancel
    assert nothing_stored(rapport)

    press(rapport, reply, choice, user)

    assert stored_due(rapport) == due


@pytest.mark.parametrize(
    ("text", "user", "question", "cancel", "cancelled"),
    [
        (
            "Acme call promise: call back tomorrow about the Friday delivery",
            ALICE,
            "names more than one day",
            "Cancel",
            ":ok_hand: Nothing was logged.",
        ),
        (
            "Acme Anruf Zusage: Angebot bis Montag, den 1.12.",
            JONAS,
            "passen Wochentag und Datum nicht zusammen",
            "Abbrechen",
            ":ok_hand: Es wurde nichts erfasst.",
        ),
        (
            "Acme call promise: send the NDA ASAP",
            ALICE,
            "names no day",
            "Cancel",
            ":ok_hand: Nothing was logged.",
        ),
    ],
)
def test_a_due_question_offers_cancel_which_logs_nothing_as_the_other_questions_do(
    rapport: RunningRapport, text: str, user: str, question: str, cancel: str, cancelled: str
) -> None:
    """Cancel, last, as under a question about the partner or the contact's day: pressed, the
    question is replaced by "Nothing was logged" in the presser's language, no contact, promise
    or partner is stored, and the waiting text is gone (a day pressed after it is told so)."""
    reply = ask(rapport, text, user)

    assert question in texts(reply)
    assert list(buttons(reply))[-1] == cancel, list(buttons(reply))
    day = next(label for label in buttons(reply) if label != cancel)

    answer = press(rapport, reply, cancel, user)

    assert answer["replace_original"] is True
    assert cancelled in texts(answer), texts(answer)
    assert nothing_stored(rapport) and count(rapport.db, Partner) == 0
    assert count(rapport.db, PendingCommand) == 0
    late = press(rapport, reply, day, user)
    assert "answered already" in texts(late) or "schon beantwortet" in texts(late), texts(late)
    assert nothing_stored(rapport)
