"""A contact date that could mean several days is asked about over signed HTTP, nothing is
stored until the person picks a day, and the day picked is the one stored. On SQLite and
PostgreSQL; today is Wednesday 25 November 2026 in Berlin."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.models import PendingCommand
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.rows import Interaction, count, only


@pytest.mark.parametrize(
    ("text", "user", "question", "pick", "noon_utc"),
    [
        (
            "Acme call last Monday talked prices",
            "U0ALICE",
            "*last Monday* could mean more than one day",
            "Monday, November 16, 2026",
            datetime(2026, 11, 16, 11, tzinfo=UTC),
        ),
        (
            "Acme Anruf letzten Montag Preise besprochen",
            "U0JONAS",
            "*letzten Montag* kann mehr als einen Tag meinen",
            "Montag, 23. November 2026",
            datetime(2026, 11, 23, 11, tzinfo=UTC),
        ),
        (
            "Acme Treffen 27.11. Angebot",
            "U0JONAS",
            "*27.11.* liegt noch vor uns, und ein Kontakt wird erfasst, wenn er stattgefunden "
            "hat. Meintest du den davor, Donnerstag, 27. November 2025?",
            "Donnerstag, 27. November 2025",
            datetime(2025, 11, 27, 11, tzinfo=UTC),
        ),
        (
            "Acme call a few days ago talked prices",
            "U0ALICE",
            "*a few days ago* names no day. Which day was the contact?",
            "Sunday, November 22, 2026",
            datetime(2026, 11, 22, 11, tzinfo=UTC),
        ),
        (
            "Acme Anruf vor ein paar Tagen Preise besprochen",
            "U0JONAS",
            "*vor ein paar Tagen* nennt keinen Tag. An welchem Tag war der Kontakt?",
            "Montag, 23. November 2026",
            datetime(2026, 11, 23, 11, tzinfo=UTC),
        ),
    ],
)
def test_an_ambiguous_contact_date_is_asked_and_the_day_picked_is_stored(
    rapport: RunningRapport,
    text: str,
    user: str,
    question: str,
    pick: str,
    noon_utc: datetime,
) -> None:
    known(rapport, user)
    reply = rapport.command(text, user=user).reply()

    assert question in texts(reply)
    assert count(rapport.db, Interaction) == 0 and count(rapport.db, PendingCommand) == 1
    choice = buttons(reply)[pick]

    answer = rapport.click(choice["action_id"], choice["value"], user=user).later()

    assert "Logged" in texts(answer) or "erfasst" in texts(answer)
    assert only(rapport.db, Interaction).occurred_at == noon_utc
    assert count(rapport.db, PendingCommand) == 0


def test_a_clear_contact_date_is_taken_without_a_question(rapport: RunningRapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call Friday the 20th talked prices").reply()
    assert "Logged" in texts(reply)
    assert only(rapport.db, Interaction).occurred_at == datetime(2026, 11, 20, 11, tzinfo=UTC)


# --- read as people type them; today is Monday 30 November 2026 ---------------------------------

MONDAY_MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, 04:00 in New York


def utc(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "user", "occurred_utc", "note"),
    [
        # a weekday and an hour: last Friday at that hour, the hour not left in the note
        ("Acme Anruf Freitag 14 Uhr Preise", "U0JONAS", utc(11, 27, 13), "Preise"),
        ("Acme call Friday 2 pm prices", "U0BOB", utc(11, 27, 19), "prices"),
        # "heute" already says which Monday
        ("Acme Anruf heute Montag 9 Uhr Preise", "U0JONAS", utc(11, 30, 8), "Preise"),
        ("Acme Anruf vorletzten Montag Preise", "U0JONAS", utc(11, 16, 11), "Preise"),
        # month first for a member in the US, day first in Germany
        ("Globex call 11/23 talked prices", "U0BOB", utc(11, 23, 17), "talked prices"),
        ("Globex Anruf 23.11 Preise", "U0JONAS", utc(11, 23, 11), "Preise"),
    ],
)
def test_dates_as_people_type_them_are_stored_without_a_question(
    rapport: RunningRapport, text: str, user: str, occurred_utc: datetime, note: str
) -> None:
    rapport.clock.set(MONDAY_MORNING)
    known(rapport, user)
    reply = rapport.command(text, user=user).reply()

    assert "Logged" in texts(reply) or "erfasst" in texts(reply)
    stored = only(rapport.db, Interaction)
    assert (stored.occurred_at, stored.note) == (occurred_utc, note)


@pytest.mark.parametrize(
    ("text", "user", "question", "offered", "pick", "noon_utc"),
    [
        # 21.11.2026 is a Saturday: the date, or the Friday beside it; never 21.11.2025
        (
            "Acme Anruf Freitag, den 21.11. Preise",
            "U0JONAS",
            "*Freitag den 21.11.* kann mehr als einen Tag meinen",
            ["Freitag, 20. November 2026", "Samstag, 21. November 2026", "Abbrechen"],
            "Freitag, 20. November 2026",
            datetime(2026, 11, 20, 11, tzinfo=UTC),
        ),
        (
            "Acme call Friday the 21st prices",
            "U0BOB",
            "*Friday the 21st* could mean more than one day",
            [
                "Friday, August 21, 2026",
                "Friday, November 20, 2026",
                "Saturday, November 21, 2026",
                "Cancel",
            ],
            "Friday, August 21, 2026",
            datetime(2026, 8, 21, 16, tzinfo=UTC),
        ),
        # a single earlier reading is asked in its own words
        (
            "Acme Anruf 3.12. Preise",
            "U0JONAS",
            "*3.12.* liegt noch vor uns, und ein Kontakt wird erfasst, wenn er stattgefunden hat. "
            "Meintest du den davor, Mittwoch, 3. Dezember 2025?",
            ["Mittwoch, 3. Dezember 2025", "Abbrechen"],
            "Mittwoch, 3. Dezember 2025",
            datetime(2025, 12, 3, 11, tzinfo=UTC),
        ),
        # 12/2 is 2 December to a member in the US: ahead, so last year's is offered
        (
            "Globex: call on 12/2",
            "U0BOB",
            "*on 12/2* is still ahead, and a contact is logged once it has happened. Did you "
            "mean the one before, Tuesday, December 2, 2025?",
            ["Tuesday, December 2, 2025", "Cancel"],
            "Tuesday, December 2, 2025",
            datetime(2025, 12, 2, 17, tzinfo=UTC),
        ),
        (
            "Globex call on 5/12 prices",
            "U0BOB",
            "*on 5/12* could mean more than one day",
            ["Friday, December 5, 2025", "Tuesday, May 12, 2026", "Cancel"],
            "Tuesday, May 12, 2026",
            datetime(2026, 5, 12, 16, tzinfo=UTC),
        ),
    ],
)
def test_a_doubtful_date_is_asked_with_the_readings_that_fit(
    rapport: RunningRapport,
    text: str,
    user: str,
    question: str,
    offered: list[str],
    pick: str,
    noon_utc: datetime,
) -> None:
    rapport.clock.set(MONDAY_MORNING)
    known(rapport, user)
    reply = rapport.command(text, user=user).reply()

    assert question in texts(reply)
    assert list(buttons(reply)) == offered
    assert count(rapport.db, Interaction) == 0
    choice = buttons(reply)[pick]

    answer = rapport.click(choice["action_id"], choice["value"], user=user).later()

    assert "Logged" in texts(answer) or "erfasst" in texts(answer)
    assert only(rapport.db, Interaction).occurred_at == noon_utc


@pytest.mark.parametrize(
    ("text", "user", "shown"),
    [
        (
            "Acme call the Monday after the launch",
            "U0ALICE",
            "“the Monday” looks like the day of the contact",
        ),
        ("Acme Anruf 1.5 Stunden Workshop", "U0JONAS", "„1.5“ sieht nach dem Tag des Kontakts aus"),
    ],
)
def test_a_date_like_start_of_the_note_that_cannot_be_read_is_refused(
    rapport: RunningRapport, text: str, user: str, shown: str
) -> None:
    rapport.clock.set(MONDAY_MORNING)
    known(rapport, user)
    reply = rapport.command(text, user=user).reply()

    assert shown in texts(reply)
    assert count(rapport.db, Interaction) == 0
