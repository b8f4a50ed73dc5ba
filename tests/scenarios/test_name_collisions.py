"""Partners whose names came to share a key (migration 0007) are kept apart, and their owner is
told once: a line in their next nudge DM that is sent, in their language, never again after."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Member, Partner, Promise
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, current, dms, jobs_for, log, press, travel


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def collide(rapport: RunningRapport, user: str, name: str, twin: str) -> None:
    """What migration 0007 leaves when `twin` is another spelling of the partner `name`: both
    flagged, the later one's key suffixed."""
    with rapport.db.transaction() as session:
        partner = session.scalars(select(Partner).where(Partner.name == name)).one()
        owner = session.scalars(select(Member).where(Member.slack_user_id == user)).one()
        partner.key_collision = True
        session.add(
            Partner(
                workspace_id=partner.workspace_id,
                name=twin,
                name_key=f"{partner.name_key} #2",
                organisation_key="",
                owner_id=owner.id,
                key_collision=True,
                created_at=partner.created_at,
            )
        )


@pytest.mark.parametrize(
    ("user", "line"),
    [
        ("U0ALICE", "some of your partners share a name: Müller, Mu\u0308ller"),
        ("U0JONAS", "haben einige deiner Partner denselben Namen: Müller, Mu\u0308ller"),
    ],
)
def test_the_owner_is_told_once_in_the_next_nudge_dm(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, jobs: Jobs, user, line
) -> None:
    log(rapport, "Müller email promise: send the quote by Friday", user=user)
    collide(rapport, user, "Müller", "Mu\u0308ller")

    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))  # the heads-up, the day before it is due
    [(_, first)] = dms(slack, user)
    assert line in texts(first)
    assert "nothing was merged" in texts(first) or "nichts wurde zusammengeführt" in texts(first)

    travel(clock, jobs, at_berlin(2026, 12, 5, 17, 0))  # the due day, the overdue reminder
    later = [message for _, message in dms(slack, user)[1:]]
    assert later and all("Müller" in texts(m) and line not in texts(m) for m in later)
    with rapport.db.reading() as session:
        assert all(p.collision_told_in for p in session.scalars(select(Partner)))


def test_an_answered_dm_still_says_it(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, jobs: Jobs
) -> None:
    log(rapport, "Müller email promise: send the quote by Friday")
    collide(rapport, "U0ALICE", "Müller", "MÜLLER")
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))
    [(_, message)] = dms(slack)
    with rapport.db.reading() as session:
        promise_id = session.scalars(select(Promise.id)).one()

    press(rapport, message, "promise", promise_id, "nudge_kept")

    updated = current(slack, message)
    assert "Kept" in texts(updated) or "kept" in texts(updated)
    assert "share a name: Müller, MÜLLER" in texts(updated)


def test_partners_of_others_and_without_a_collision_are_not_mentioned(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, jobs: Jobs
) -> None:
    log(rapport, "Müller email promise: send the quote by Friday")
    log(rapport, "Acme email promise: send the deck by Friday", user="U0JONAS")
    collide(rapport, "U0JONAS", "Acme", "ACME")

    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    [(_, message)] = dms(slack)
    assert "share a name" not in texts(message)
