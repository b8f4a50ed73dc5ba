"""A partner's health where people look today: the rows of `/rapport partners` and the partner
card, over signed HTTP to the running app, on SQLite and PostgreSQL, in English and German.

Both read one row and one rule (`bot.rules.relationships.health`), so every case here checks
the list and the card alike. Time moves with the test's clock; nudges are sent by the jobs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import update

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Member, Partner, Promise
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, dms, jobs_for, travel
from tests.support.rows import all_of
from tests.support.world import NOW

ALICE, BOB, JONAS = "U0ALICE", "U0BOB", "U0JONAS"
RAPPORT = "/rapport"
CADENCE = 90  # the default: a check-in is due 90 days after the last one

FINE = ":large_green_circle: fine"
DUE_SOON = ":large_yellow_circle: check-in due soon"
NEGLECTED_AND_OVERDUE = ":red_circle: neglected and check-in overdue"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def valid(reply: dict[str, Any]) -> dict[str, Any]:
    assert len(reply["blocks"]) <= 50
    for block in reply["blocks"]:
        Block.parse(block).validate_json()
    return reply


def row_of(rapport: RunningRapport, name: str, listing: str = "partners", user: str = ALICE) -> str:
    """The first line of `name`'s row in the list `/rapport LISTING` shows `user`: its name,
    then its health."""
    reply = valid(rapport.command(listing, user=user, command=RAPPORT).reply())
    rows = [
        block["text"]["text"].split("\n")[0]
        for block in reply["blocks"]
        if block["type"] == "section" and block["text"]["text"].startswith(f"*{name}* · ")
    ]
    assert len(rows) == 1, texts(reply)
    # The plain-text fallback says the same.
    assert rows[0] in reply["text"]
    return rows[0]


def health_on_list(rapport: RunningRapport, name: str = "Acme", **kw: Any) -> str:
    return row_of(rapport, name, **kw).split(" · ", 1)[1]


def health_on_card(
    rapport: RunningRapport, name: str = "Acme", user: str = ALICE, word: str = "Health"
) -> str:
    """The card's health line ("Health: …" / "Zustand: …"), without its label; the card's
    plain text says it too."""
    reply = valid(rapport.command(f"partner {name}", user=user, command=RAPPORT).reply())
    lines = [line for line in texts(reply).split("\n") if line.startswith(f"{word}: ")]
    assert len(lines) == 1, texts(reply)
    assert lines[0] in reply["text"]
    return lines[0].removeprefix(f"{word}: ")


def both(rapport: RunningRapport, name: str = "Acme") -> tuple[str, str]:
    return health_on_list(rapport, name, listing="partners all"), health_on_card(rapport, name)


def test_fine_then_due_soon_from_14_days_ahead_then_overdue_and_neglected(
    rapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme check-in kickoff")
    assert both(rapport) == (FINE, FINE)

    clock.advance(timedelta(days=CADENCE - 15))  # the check-in is 15 days ahead
    assert both(rapport) == (FINE, FINE)
    clock.advance(timedelta(days=1))  # 14 days ahead
    assert both(rapport) == (DUE_SOON, DUE_SOON)
    clock.advance(timedelta(days=14))  # due today: not overdue yet
    assert both(rapport) == (DUE_SOON, DUE_SOON)
    clock.advance(timedelta(days=1))  # a day past, and no contact of any kind since
    assert both(rapport) == (NEGLECTED_AND_OVERDUE, NEGLECTED_AND_OVERDUE)


def test_other_contact_keeps_an_overdue_check_in_from_being_neglect(
    rapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme check-in kickoff")
    clock.advance(timedelta(days=60))
    logged(rapport, "Acme email sent the deck")
    clock.advance(timedelta(days=CADENCE - 60 + 1))

    overdue = ":large_orange_circle: check-in overdue"
    assert both(rapport) == (overdue, overdue)
    # The e-mail's own cadence runs out too: nothing at all for 90 days.
    clock.advance(timedelta(days=60))
    assert both(rapport) == (NEGLECTED_AND_OVERDUE, NEGLECTED_AND_OVERDUE)


def test_a_partner_added_without_contact_is_neglected_a_cadence_later(
    rapport, clock: ManualClock
) -> None:
    known(rapport)
    alice = next(m.id for m in all_of(rapport.db, Member) if m.slack_user_id == ALICE)
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, "T0ACME", NOW)
        add_partner(
            session, workspace.id, name="Initech", organisation=None, owner_id=alice, now=NOW
        )
    clock.advance(timedelta(days=CADENCE))
    assert both(rapport, "Initech") == (FINE, FINE)
    clock.advance(timedelta(days=1))
    assert both(rapport, "Initech") == (":red_circle: neglected", ":red_circle: neglected")


def test_a_paused_partner_is_neither_overdue_nor_neglected_while_paused_in_german(
    rapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme Anruf Auftakt", user=JONAS)
    logged(rapport, "Globex Anruf Auftakt", user=JONAS)
    with rapport.db.transaction() as session:
        session.execute(update(Partner).where(Partner.name == "Acme").values(status="paused"))
        session.execute(
            update(Partner)
            .where(Partner.name == "Globex")
            .values(paused_until=NOW.date() + timedelta(days=200))
        )
    clock.advance(timedelta(days=150))

    fine = ":large_green_circle: in Ordnung"
    for name in ("Acme", "Globex"):
        assert health_on_list(rapport, name, user=JONAS) == fine
        assert health_on_card(rapport, name, user=JONAS, word="Zustand") == fine

    # The dated pause ends: the check-in is due that day, and the neglect is back.
    clock.advance(timedelta(days=50))
    back = ":red_circle: vernachlässigt und Check-in bald fällig"
    assert health_on_list(rapport, "Globex", user=JONAS) == back
    assert health_on_card(rapport, "Globex", user=JONAS, word="Zustand") == back


def test_a_snoozed_check_in_waits_but_the_neglect_does_not(rapport, clock: ManualClock) -> None:
    logged(rapport, "Acme check-in kickoff")
    clock.advance(timedelta(days=CADENCE + 5))
    today = NOW.date() + timedelta(days=CADENCE + 5)
    with rapport.db.transaction() as session:
        session.execute(update(Partner).values(check_in_snoozed_until=today + timedelta(days=3)))
    soon = ":red_circle: neglected and check-in due soon"
    assert both(rapport) == (soon, soon)

    logged(rapport, "Acme email sent the deck")  # a contact: no neglect; the snooze holds
    assert both(rapport) == (DUE_SOON, DUE_SOON)


def test_a_partner_whose_owner_left_is_unowned_on_list_and_card(
    rapport, slack: SlackStandIn
) -> None:
    known(rapport, BOB)
    logged(rapport, "Acme call kickoff", user=BOB)
    logged(rapport, "Globex call kickoff")
    assert both(rapport) == (FINE, FINE)

    with rapport.db.transaction() as session:
        session.execute(update(Member).where(Member.slack_user_id == BOB).values(active=False))

    assert both(rapport) == (":red_circle: unowned", ":red_circle: unowned")
    assert both(rapport, "Globex") == (FINE, FINE)
    # An owner who became a workspace guest sees no partner data: nobody looks after it either.
    slack.add_user("U0CAROL", name="carol", real_name="Carol Lenz", tz="Europe/Berlin")
    logged(rapport, "Initech call kickoff", user="U0CAROL")
    assert both(rapport, "Initech") == (FINE, FINE)
    with rapport.db.transaction() as session:
        session.execute(
            update(Member).where(Member.slack_user_id == "U0CAROL").values(is_guest=True)
        )
    assert both(rapport, "Initech") == (":red_circle: unowned", ":red_circle: unowned")
    with rapport.db.transaction() as session:
        session.execute(update(Partner).where(Partner.name == "Globex").values(owner_id=None))
    known(rapport, JONAS)
    german = ":red_circle: ohne Zuständigen"
    assert health_on_list(rapport, "Globex", listing="partner alle", user=JONAS) == german
    assert health_on_card(rapport, "Globex", user=JONAS, word="Zustand") == german


def test_a_promise_is_overdue_past_its_reminders_once_the_third_was_sent(
    rapport, clock: ManualClock, slack: SlackStandIn, jobs: Jobs
) -> None:
    logged(rapport, "Acme email promise: send the revised quote by Friday")  # 27 November
    logged(rapport, "Globex email promise: send the deck by 2026-12-30")

    # Overdue since Friday, reminded on 30 November and 7 December: one reminder to go.
    travel(clock, jobs, at_berlin(2026, 12, 10, 17, 0))
    assert both(rapport) == (FINE, FINE)

    travel(clock, jobs, at_berlin(2026, 12, 14, 17, 0))  # the third reminder went out today
    days = [at.date() for at, _ in dms(slack)]
    assert days[-3:] == [date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    past = ":red_circle: promises overdue past reminders"
    assert both(rapport) == (past, past)
    # Another partner's promise, not yet due, changes nothing of its own health.
    assert both(rapport, "Globex") == (FINE, FINE)
    known(rapport, JONAS)
    german = ":red_circle: Zusagen überfällig trotz Erinnerungen"
    assert health_on_list(rapport, "Acme", listing="partner alle", user=JONAS) == german
    assert health_on_card(rapport, "Acme", user=JONAS, word="Zustand") == german

    # Renegotiated to a day already past (as Need more time would move it): a new overdue
    # episode, with its own three reminders to come, so not past them any more.
    with rapport.db.transaction() as session:
        session.execute(
            update(Promise).where(Promise.text.contains("quote")).values(due_on=date(2026, 12, 4))
        )
    assert both(rapport) == (FINE, FINE)
    with rapport.db.transaction() as session:
        session.execute(
            update(Promise).where(Promise.text.contains("quote")).values(due_on=date(2026, 11, 27))
        )
    assert both(rapport) == (past, past)

    # Kept at last: the promise is no longer open, and the partner is fine again.
    with rapport.db.transaction() as session:
        session.execute(update(Promise).values(status="kept"))
    assert both(rapport) == (FINE, FINE)
