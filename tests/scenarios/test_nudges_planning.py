"""The planner leaves an item alone until its moment comes (its next day, or a change to what it
was decided from), through the running app: a claim made on a partner whose nudge went out
reaches the claimer the next morning, in German; a member back from leaving is nudged the next
morning; a contact logged on a partner left alone moves its next nudge to the new due day; and
nothing is nudged twice meanwhile. Commands go over signed HTTP, time moves with the test's
clock, DMs are read back from the Slack stand-in; every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Member, Nudge, PartnerClaim
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import acme, at_berlin, dms, items_in, jobs_for, log, travel
from tests.support.rows import all_of

JONAS = "U0JONAS"  # Berlin, German
ACME_DUE = "Acme call 2026-08-26 talked about the rollout"  # check-in due Tuesday 24 November


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def _check_ins(rapport: RunningRapport) -> list[tuple[str, date, date]]:
    """The outbox's check-in rows: (whose Slack id, due day, period), in the order written."""
    with rapport.db.reading() as session:
        rows = session.execute(
            select(Member.slack_user_id, Nudge.due_on, Nudge.period)
            .join(Member, Member.id == Nudge.member_id)
            .where(Nudge.kind == "check_in")
            .order_by(Nudge.id)
        ).all()
    return [tuple(row) for row in rows]


def test_a_claim_on_a_partner_left_alone_reaches_the_claimer_the_next_morning_in_german(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))
    assert len(dms(slack)) == 1  # Alice's nudge went out; her next is a week after it
    known(rapport, JONAS)
    partner = acme(rapport)
    with rapport.db.transaction() as session:
        jonas = session.scalars(select(Member).where(Member.slack_user_id == JONAS)).one()
        session.add(
            PartnerClaim(
                partner_id=partner.id,
                workspace_id=partner.workspace_id,
                member_id=jonas.id,
                claimed_at=clock.now(),
                until=clock.now() + timedelta(days=14),
            )
        )

    travel(clock, jobs, at_berlin(2026, 11, 27, 11, 0))

    [(arrived, message)] = dms(slack, JONAS)
    assert arrived.date() == date(2026, 11, 27)
    assert items_in(message) == [("check_in", partner.id)]
    assert "Für heute: 1 Check-in fällig." in texts(message) and "*Acme*" in texts(message)
    assert len(dms(slack)) == 1  # Alice is not nudged again meanwhile
    assert [who for who, _due, _period in _check_ins(rapport)] == ["U0ALICE", JONAS]


def test_a_member_back_from_leaving_is_nudged_the_next_morning(rapport, clock, slack, jobs) -> None:
    log(rapport, ACME_DUE)
    with rapport.db.transaction() as session:
        session.execute(
            update(Member).where(Member.slack_user_id == "U0ALICE").values(active=False)
        )
    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))
    assert dms(slack) == [] and _check_ins(rapport) == []

    with rapport.db.transaction() as session:
        session.execute(update(Member).where(Member.slack_user_id == "U0ALICE").values(active=True))
    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))

    [(arrived, message)] = dms(slack)
    assert arrived.date() == date(2026, 11, 27)
    assert items_in(message) == [("check_in", acme(rapport).id)]


def test_a_contact_logged_on_a_partner_left_alone_moves_its_next_nudge(
    rapport, clock, slack, jobs
) -> None:
    """Nudged on Thursday; a check-in logged on Friday (dated the Monday before, 23 November)
    makes the next due day 21 February: no weekly repeat comes, and the new episode's nudge
    does, on its day (a Monday), once."""
    log(rapport, ACME_DUE)
    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))
    assert len(dms(slack)) == 1
    travel(clock, jobs, at_berlin(2026, 11, 27, 10, 0))
    log(rapport, "Acme check-in 2026-11-23 caught up on the rollout")

    travel(clock, jobs, at_berlin(2027, 2, 23, 11, 0))

    arrivals = [arrived.date() for arrived, _message in dms(slack)]
    assert arrivals == [date(2026, 11, 26), date(2027, 2, 22)]
    assert [(due, period) for _who, due, period in _check_ins(rapport)] == [
        (date(2026, 11, 24), date(2026, 11, 24)),
        (date(2027, 2, 21), date(2027, 2, 21)),
    ]
    assert len(all_of(rapport.db, Nudge)) == 2
