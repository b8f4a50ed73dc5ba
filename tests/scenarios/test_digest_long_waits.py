"""A long Retry-After met elsewhere than in the digest tick's own post: another scheduler's, or
the nudge DMs', on the workspace's shared posting budget. The digest tick must hold only that
workspace's digests, as it does for a 429 it met itself, never sleep the wait, and post each
digest once. Over the Slack stand-in, on SQLite and PostgreSQL; time moves with the clock.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.digests import DigestDispatcher, plan_digests
from scheduler.pacing import Pacer
from storage.models import Digest
from tests.scenarios.test_digest_delivery import (
    FIRST_POST,
    all_of_digests,
    digests,
    other_workspace_subscription,
    posts,
    render,
    subscribe,
)
from tests.support.app import RunningRapport

__all__ = ["digests", "render"]  # the fixtures, used by name


def team_workspace(rapport: RunningRapport) -> int:
    [digest] = [d for d in all_of_digests(rapport) if d.channel_id == "C0TEAM"]
    return digest.workspace_id


def test_a_long_wait_another_sender_met_holds_only_that_workspaces_digests(
    rapport: RunningRapport,
    clock: ManualClock,
    slack: SlackStandIn,
    digests: DigestDispatcher,
) -> None:
    """A nudge DM (or another scheduler's digest) to the team's workspace was answered 429
    with an hour's Retry-After, so the shared budget's next slot is an hour off. The digest
    tick that runs next must not sleep that hour: the other workspace's digest posts at once,
    the team's once the hour is over, each once."""
    subscribe(rapport)
    other_workspace_subscription(rapport, slack)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slept: list[float] = []

    def pause(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    assert digests.pacer is not None
    digests.pause = digests.pacer.pause = pause
    # What the nudge dispatcher (or another process) does on its 429, on the shared budget.
    Pacer(rapport.db, clock, digests.pause).limited(team_workspace(rapport), 3600)

    digests.tick()

    assert all(seconds <= 30 for seconds in slept), slept
    assert clock.now() < FIRST_POST + timedelta(minutes=1)
    assert len(posts(slack, "C0OTHER")) == 1
    assert posts(slack, "C0TEAM") == []
    [held] = [d for d in all_of_digests(rapport) if d.channel_id == "C0TEAM"]
    assert (held.state, held.attempts) == ("ready", 0)  # not posted, no attempt spent
    clock.advance(timedelta(minutes=61))
    digests.tick()
    assert len(posts(slack, "C0TEAM")) == 1 and len(posts(slack, "C0OTHER")) == 1


def test_a_sending_digest_of_a_waiting_workspace_is_checked_then_waits_and_posts_once(
    rapport: RunningRapport,
    clock: ManualClock,
    slack: SlackStandIn,
    digests: DigestDispatcher,
) -> None:
    """The team's digest was left `sending` by a dispatcher that died before Slack answered,
    and its workspace's budget holds an hour's wait. The history check finds it not posted;
    it then waits for the hour (not slept), while the other workspace's digest posts; after
    the hour it is posted once."""
    subscribe(rapport)
    other_workspace_subscription(rapport, slack)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    with rapport.db.transaction() as session:
        digest = session.scalars(select(Digest).where(Digest.channel_id == "C0TEAM")).one()
        digest.state, digest.sending_since, digest.attempts = "sending", clock.now(), 1
        digest.claimed_by, digest.lease_until = "gone", clock.now()
    clock.advance(timedelta(minutes=2))
    slept: list[float] = []

    def pause(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    assert digests.pacer is not None
    digests.pause = digests.pacer.pause = pause
    Pacer(rapport.db, clock, pause).limited(team_workspace(rapport), 3600)

    digests.tick()

    assert all(seconds <= 30 for seconds in slept), slept
    assert len(slack.calls_to("conversations.history")) == 1
    assert len(posts(slack, "C0OTHER")) == 1 and posts(slack, "C0TEAM") == []
    [held] = [d for d in all_of_digests(rapport) if d.channel_id == "C0TEAM"]
    assert held.state == "ready"
    clock.advance(timedelta(minutes=61))
    digests.tick()
    clock.advance(timedelta(minutes=10))
    digests.tick()
    assert len(posts(slack, "C0TEAM")) == 1 and len(posts(slack, "C0OTHER")) == 1
    [done] = [d for d in all_of_digests(rapport) if d.channel_id == "C0TEAM"]
    assert done.state == "sent"
