"""A claim ("I'll reach out" on a team digest) moves a partner's check-in nudges to the claimer
while it lives: the claimer's DM says whose partner it is and its answers work for them; the
owner is not nudged twice, and gets the nudges again when the claim ends. Promise nudges stay
with whoever made the promise.

Claims are written straight into `partner_claims`, as the digest's button does. Commands and
buttons go to the running app over signed HTTP; time moves with the test's clock; DMs are read
back from the Slack stand-in. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.blocks.nudge_dm import ACTION_SNOOZE, SNOOZE_WEEK
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Nudge, PartnerClaim
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import (
    acme,
    at_berlin,
    current,
    dms,
    items_in,
    jobs_for,
    log,
    press,
    travel,
)
from tests.support.rows import Member, all_of, count

JONAS = "U0JONAS"  # Berlin, German
ACME_DUE = "Acme call 2026-08-26 talked about the rollout"  # check-in due Tuesday 24 November


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def claim(rapport: RunningRapport, user: str, until: datetime) -> None:
    """`user` claims Acme until `until`, as the digest's "I'll reach out" writes it."""
    known(rapport, user)
    partner = acme(rapport)
    with rapport.db.transaction() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == user)).one()
        session.add(
            PartnerClaim(
                partner_id=partner.id,
                workspace_id=partner.workspace_id,
                member_id=member.id,
                claimed_at=until - timedelta(days=14),
                until=until,
            )
        )


def notes(slack: SlackStandIn, message: dict) -> list[str]:
    return [n["text"] for n in slack.ephemerals(message["channel"])]


def test_the_claimer_gets_the_check_in_with_whose_partner_it_is_and_can_answer_it(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    claim(rapport, JONAS, clock.now() + timedelta(days=14))

    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))

    assert dms(slack) == []  # Alice, the owner, is not nudged while the claim lives
    [(arrived, message)] = dms(slack, JONAS)
    assert arrived.date() == date(2026, 11, 26)
    partner_id = acme(rapport).id
    assert items_in(message) == [("check_in", partner_id)]
    assert "Partner von <@U0ALICE>; du wolltest dich melden." in texts(message)

    press(rapport, message, "check_in", partner_id, ACTION_SNOOZE, user=JONAS, option=SNOOZE_WEEK)

    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 3)
    assert "Von <@U0JONAS> verschoben bis" in texts(current(slack, message))
    assert notes(slack, message) == []


def test_when_the_claim_ends_the_owner_gets_the_check_ins_again(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    claim(rapport, JONAS, at_berlin(2026, 11, 27, 12, 0))

    travel(clock, jobs, at_berlin(2026, 12, 2, 17, 0))

    # Jonas heard of it on Thursday; his weekly reminder would be after the claim ended.
    assert [at.date() for at, _ in dms(slack, JONAS)] == [date(2026, 11, 26)]
    [(arrived, message)] = dms(slack)
    # The sandbox's clock stops at working mornings: Monday's is the first after it ended.
    assert arrived.date() == date(2026, 11, 30)
    assert items_in(message) == [("check_in", acme(rapport).id)]
    assert "you said you'd reach out" not in texts(message)
    assert count(rapport.db, PartnerClaim) == 0  # housekeeping dropped the ended claim


def test_a_nudge_planned_for_the_owner_before_the_claim_is_sent_to_the_claimer_alone(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    clock.set(at_berlin(2026, 11, 26, 7, 30))  # before anyone's working day
    jobs.run_once()
    [planned] = all_of(rapport.db, Nudge)
    assert planned.state == "pending"
    claim(rapport, JONAS, clock.now() + timedelta(days=14))

    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    assert dms(slack) == []
    assert len(dms(slack, JONAS)) == 1
    # The owner's row went unsent (deleted, so the day can be planned for her again once the
    # claim ends); the claimer's is sent.
    rows = all_of(rapport.db, Nudge)
    assert [(n.member_id, n.state) for n in rows] == [(jonas_id(rapport), "sent")]


def test_promise_nudges_stay_with_whoever_made_the_promise(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme email promise: send the quote by Friday")
    claim(rapport, JONAS, clock.now() + timedelta(days=14))

    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))

    assert dms(slack, JONAS) == []
    [(_, message)] = dms(slack)
    assert [kind for kind, _ in items_in(message)] == ["promise"]


def test_the_owner_keeps_their_answers_and_the_claimers_end_with_the_claim(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))
    [(_, alices)] = dms(slack)
    partner_id = acme(rapport).id
    claim(rapport, JONAS, at_berlin(2026, 12, 1, 12, 0))
    clock.set(at_berlin(2026, 12, 1, 8, 0))  # Alice's weekly reminder is due Thursday 3rd
    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))
    [(_, jonas)] = dms(slack, JONAS)

    travel(clock, jobs, at_berlin(2026, 12, 1, 13, 0))  # the claim has ended
    press(rapport, jonas, "check_in", partner_id, ACTION_SNOOZE, user=JONAS, option=SNOOZE_WEEK)

    assert acme(rapport).check_in_snoozed_until is None
    [note] = notes(slack, jonas)
    assert "Um Acme kümmert sich jetzt <@U0ALICE>; es wurde nichts geändert." in note

    press(
        rapport, current(slack, alices), "check_in", partner_id, ACTION_SNOOZE, option=SNOOZE_WEEK
    )

    assert acme(rapport).check_in_snoozed_until == date(2026, 12, 8)


def test_a_claimer_who_left_gives_the_check_ins_back_to_the_owner(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    claim(rapport, JONAS, clock.now() + timedelta(days=14))
    with rapport.db.transaction() as session:
        session.scalars(select(Member).where(Member.slack_user_id == JONAS)).one().active = False

    travel(clock, jobs, at_berlin(2026, 11, 26, 11, 0))

    assert dms(slack, JONAS) == []
    [(_, message)] = dms(slack)
    assert items_in(message) == [("check_in", acme(rapport).id)]


def jonas_id(rapport: RunningRapport) -> int:
    return next(m.id for m in all_of(rapport.db, Member) if m.slack_user_id == JONAS)


def test_a_claim_on_a_partner_whose_owner_left_nudges_the_claimer_and_says_it_is_nobodys(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, ACME_DUE)
    claim(rapport, JONAS, clock.now() + timedelta(days=14))
    with rapport.db.transaction() as session:
        session.scalars(
            select(Member).where(Member.slack_user_id == "U0ALICE")
        ).one().active = False

    # The jobs run when the claimer's working day has begun (the sandbox's clock stops only
    # where someone who owns a partner, made a promise or has a nudge waiting starts work).
    clock.set(at_berlin(2026, 11, 26, 9, 30))
    jobs.run_once()

    [(_, message)] = dms(slack, JONAS)
    assert items_in(message) == [("check_in", acme(rapport).id)]
    assert "Um diesen Partner kümmert sich niemand; du wolltest dich melden." in texts(message)
