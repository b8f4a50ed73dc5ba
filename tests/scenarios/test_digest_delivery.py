"""Team digests through the channel outbox: one a channel a period, posted once, never where
people outside the company or guests would read it.

The digest's content is drawn by a renderer of the test's own, which says how many members it was
given: these tests are about delivery, and assert on nothing a real renderer draws differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.blocks.digest import DigestMessage
from bot.blocks.replies import notice
from bot.rules.clock import ManualClock
from bot.rules.digests.schedule import monday_of
from bot.sandbox.standin import SlackStandIn
from scheduler.digests import DigestDispatcher, plan_digests
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import Jobs
from storage.models import Digest, DigestSubscription, Member, Workspace
from tests.support.app import RunningRapport, known
from tests.support.nudges import at_berlin, jobs_for, travel
from tests.support.racing import at_once
from tests.support.rows import only
from tests.support.world import BERLIN

# Monday 30 November 2026, 09:00 in Berlin: the first post of a weekly Monday 09:00 digest.
FIRST_POST = at_berlin(2026, 11, 30, 9, 0)


class Renderer:
    """Draws a digest as one line naming how many members it was given; `quiet` as set."""

    def __init__(self) -> None:
        self.quiet = False
        self.calls: list[tuple[int, list[str]]] = []

    def __call__(
        self,
        session: Session,
        subscription: DigestSubscription,
        members: Sequence[str],
        now: Any,
        digest_id: str,
    ) -> DigestMessage:
        self.calls.append((subscription.id, list(members)))
        text = "All looked after" if self.quiet else f"Digest for {len(members)} members"
        return DigestMessage(reply=notice(text), partner_ids=[7, 3], more=2, quiet=self.quiet)


def shown(message: DigestMessage) -> str:
    return json.dumps({"partner_ids": message.partner_ids, "more": message.more})


def dispatcher_for(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, render: Renderer, **kw: Any
) -> DigestDispatcher:
    client = jobs_for(rapport, clock, slack, timeout=kw.pop("timeout", 5)).dispatcher.client
    return DigestDispatcher(
        rapport.db,
        clock,
        client,
        render=render,
        shown_json=shown,
        pause=lambda seconds: clock.advance(timedelta(seconds=seconds)),
        **kw,
    )


@pytest.fixture
def render() -> Renderer:
    return Renderer()


@pytest.fixture
def digests(rapport, clock, slack, render) -> DigestDispatcher:
    return dispatcher_for(rapport, clock, slack, render)


@pytest.fixture
def jobs(rapport, clock, slack, digests) -> Jobs:
    nudges = Dispatcher(rapport.db, clock, digests.client, pause=digests.pause)
    return Jobs(rapport.db, clock, nudges, digests)


def subscribe(
    rapport: RunningRapport, channel: str = "C0TEAM", user: str = "U0ALICE", **settings: Any
) -> int:
    """A channel's subscription, as `digest on` there by `user` leaves it (weekly, Monday
    09:00 in Berlin unless `settings` say otherwise)."""
    known(rapport, user)
    with rapport.db.transaction() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == user)).one()
        return add_subscription(session, member, channel, rapport.clock.now(), **settings)


def add_subscription(
    session: Session, member: Member, channel: str, now: datetime, **settings: Any
) -> int:
    values: dict[str, Any] = {
        "every_weeks": 1,
        "weekday": 1,
        "minute": 9 * 60,
        "tz": "Europe/Berlin",
        "language": "en",
        "quiet": "line",
        "anchor_on": monday_of(now.astimezone(BERLIN).date()),
        "state": "active",
        **settings,
    }
    subscription = DigestSubscription(
        workspace_id=member.workspace_id,
        channel_id=channel,
        subscriber_id=member.id,
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(subscription)
    session.flush()
    return subscription.id


def posts(slack: SlackStandIn, channel: str = "C0TEAM") -> list[dict[str, Any]]:
    """The digests in `channel`, oldest first."""
    return [
        m
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "rapport_digest"
    ]


def posted_at(message: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(float(message["ts"]), BERLIN)


def subscription(rapport: RunningRapport, subscription_id: int) -> DigestSubscription:
    with rapport.db.transaction() as session:
        found = session.get_one(DigestSubscription, subscription_id)
        session.expunge(found)
        return found


def the_digest(rapport: RunningRapport) -> Digest:
    return only(rapport.db, Digest)  # type: ignore[return-value]


# --- one a channel a period ---------------------------------------------------------------------


def test_the_digest_posts_at_its_local_time_once_however_many_ticks_and_dispatchers(
    rapport, clock, slack, jobs, render
) -> None:
    subscribe(rapport)
    travel(clock, jobs, FIRST_POST - timedelta(minutes=1))
    assert posts(slack) == []

    clock.set(FIRST_POST + timedelta(minutes=3))
    at_once(3, lambda _: plan_digests(rapport.db, clock.now()))
    rivals = [digests_of(rapport, clock, slack, render) for _ in range(2)]
    at_once(2, lambda i: rivals[i].tick())
    jobs.run_once()
    jobs.run_once()

    [post] = posts(slack)
    assert post["metadata"]["event_payload"] == {"digest": the_digest(rapport).id}
    assert post["text"] == "Digest for 4 members"  # Alice, Jonas, Bob and the bot
    digest = the_digest(rapport)
    assert (digest.state, digest.ts, digest.period) == ("sent", post["ts"], FIRST_POST.date())
    assert json.loads(digest.shown or "") == {"partner_ids": [7, 3], "more": 2}
    assert [c.args.get("unfurl_links") for c in slack.calls_to("chat.postMessage")] == [False]


def digests_of(rapport, clock, slack, render) -> DigestDispatcher:
    return dispatcher_for(rapport, clock, slack, render)


def test_the_sandbox_clock_stops_at_the_post_and_a_second_run_that_period_posts_nothing(
    rapport, clock, slack, jobs
) -> None:
    subscribe(rapport)

    travel(clock, jobs, FIRST_POST + timedelta(hours=6))
    jobs.run_once()

    [post] = posts(slack)
    assert posted_at(post) == FIRST_POST  # not held until anyone's working hours begin
    travel(clock, jobs, FIRST_POST + timedelta(days=7, hours=1))
    assert [posted_at(p) for p in posts(slack)] == [FIRST_POST, FIRST_POST + timedelta(days=7)]
    assert [d.state for d in all_of_digests(rapport)] == ["sent", "sent"]


def all_of_digests(rapport: RunningRapport) -> list[Digest]:
    with rapport.db.transaction() as session:
        return list(session.scalars(select(Digest).order_by(Digest.period)))


def test_after_downtime_only_the_latest_period_posts_with_the_current_state(
    rapport, clock, slack, jobs, render
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST + timedelta(days=7 * 3, hours=5))  # three posts missed
    slack.update_channel("C0TEAM", leave=["U0BOB"])

    jobs.run_once()
    jobs.run_once()

    [post] = posts(slack)
    assert post["text"] == "Digest for 3 members"  # drawn now, Bob gone
    digest = the_digest(rapport)
    assert digest.period == (FIRST_POST + timedelta(days=21)).date()


def test_a_digest_left_ready_through_a_later_post_time_gives_way_to_the_later_one(
    rapport, clock, slack, jobs
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST + timedelta(minutes=1))
    plan_digests(rapport.db, clock.now())  # planned, then the dispatchers were down a week
    clock.set(FIRST_POST + timedelta(days=7, minutes=1))

    jobs.run_once()

    assert len(posts(slack)) == len(slack.calls_to("conversations.info")) == 1
    states = [(d.period, d.state, d.error) for d in all_of_digests(rapport)]
    assert states == [
        (FIRST_POST.date(), "skipped", "superseded"),
        ((FIRST_POST + timedelta(days=7)).date(), "sent", None),
    ]


def test_fortnightly_posts_every_other_week_from_its_anchor(rapport, clock, slack, jobs) -> None:
    # Tuesdays 08:30 in the weeks an even number of weeks after that of 30 November.
    subscribe(rapport, every_weeks=2, weekday=2, minute=8 * 60 + 30, anchor_on=FIRST_POST.date())

    travel(clock, jobs, FIRST_POST + timedelta(days=36))

    first = at_berlin(2026, 12, 1, 8, 30)
    expected = [first, first + timedelta(days=14), first + timedelta(days=28)]
    assert [posted_at(p) for p in posts(slack)] == expected


def test_a_subscription_switched_on_after_the_post_time_waits_for_the_next_one(
    rapport, clock, slack, jobs
) -> None:
    clock.set(FIRST_POST + timedelta(hours=1))
    subscribe(rapport)

    travel(clock, jobs, FIRST_POST + timedelta(days=6))
    assert posts(slack) == []
    travel(clock, jobs, FIRST_POST + timedelta(days=7, minutes=1))
    assert [posted_at(p) for p in posts(slack)] == [FIRST_POST + timedelta(days=7)]


# --- when Slack says no, or nothing ------------------------------------------------------------


def test_a_429_loses_nothing_and_posts_once(rapport, clock, slack, jobs) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    slack.fail_next("chat.postMessage", retry_after=30, times=2)

    jobs.run_once()

    [post] = posts(slack)
    assert posted_at(post) == FIRST_POST + timedelta(seconds=60)
    digest = the_digest(rapport)
    assert (digest.state, digest.attempts) == ("sent", 1)


@pytest.mark.parametrize("limited", ["chat.postMessage", "conversations.info"])
def test_a_long_retry_after_in_one_workspace_holds_only_its_digests(
    rapport, clock, slack, digests, limited
) -> None:
    """Slack asks one workspace to wait an hour: the other workspace's digest is posted in the
    same tick, at once, not an hour later; the first is posted once the hour is over."""
    subscribe(rapport)
    other_workspace_subscription(rapport, slack)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next(limited, retry_after=3600)

    result = digests.tick()

    assert (result.rate_limited, result.sent) == (1, 1)
    assert clock.now() < FIRST_POST + timedelta(minutes=1)
    [first] = posts(slack, "C0TEAM") + posts(slack, "C0OTHER")
    clock.advance(timedelta(minutes=30))
    assert digests.tick().sent == 0
    assert posts(slack, "C0TEAM") + posts(slack, "C0OTHER") == [first]
    clock.advance(timedelta(minutes=31))
    assert digests.tick().sent == 1
    assert len(posts(slack, "C0TEAM")) == 1 and len(posts(slack, "C0OTHER")) == 1


def test_a_429_on_the_channel_lookup_waits_and_posts_once(rapport, clock, slack, digests) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next("conversations.info", retry_after=20)

    result = digests.tick()

    assert (result.rate_limited, result.sent) == (1, 1)
    assert len(posts(slack)) == 1 and the_digest(rapport).attempts == 1


def test_a_500_after_slack_posted_is_found_in_the_history_and_not_posted_again(
    rapport, clock, slack, jobs, digests
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )

    jobs.run_once()
    assert the_digest(rapport).state == "sending" and len(posts(slack)) == 1
    jobs.run_once()  # the history check waits a minute
    assert slack.calls_to("conversations.history") == []
    clock.advance(timedelta(minutes=1))
    result = digests.tick()

    assert (result.recovered, result.sent) == (1, 0)
    [post] = posts(slack)
    digest = the_digest(rapport)
    assert (digest.state, digest.ts) == ("sent", post["ts"])


def test_a_timeout_after_slack_posted_is_recovered_from_the_history(
    rapport, clock, slack, render
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    impatient = dispatcher_for(rapport, clock, slack, render, timeout=0.3)
    slack.stall_next("chat.postMessage", 1.0)

    first = impatient.tick()
    clock.advance(timedelta(minutes=1))
    second = impatient.tick()

    assert (first.unsure, second.recovered) == (1, 1)
    [post] = posts(slack)
    assert (the_digest(rapport).state, the_digest(rapport).ts) == ("sent", post["ts"])


def test_an_unclear_answer_when_slack_did_not_post_posts_after_the_history_check(
    rapport, clock, slack, digests
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next("chat.postMessage", error="service_unavailable", status=503, retry_after=None)

    digests.tick()
    assert posts(slack) == []
    clock.advance(timedelta(minutes=1))
    digests.tick()

    [post] = posts(slack)
    assert the_digest(rapport).ts == post["ts"]


def test_a_broken_token_stops_the_tick_and_the_digest_waits(rapport, clock, slack, digests) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next("chat.postMessage", error="token_revoked", status=200, retry_after=None)

    result = digests.tick()

    assert result.stopped == "token_revoked" and posts(slack) == []
    digest = the_digest(rapport)
    assert (digest.state, digest.attempts, digest.error) == ("ready", 0, "token_revoked")


def test_other_refusals_back_off_and_give_up_after_the_last_attempt(
    rapport, clock, slack, digests
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next(
        "chat.postMessage", error="invalid_blocks", status=200, retry_after=None, times=9
    )

    for _ in range(9):
        digests.tick()
        clock.advance(timedelta(hours=6))

    digest = the_digest(rapport)
    assert (digest.state, digest.attempts, digest.error) == ("dead", 6, "invalid_blocks")
    assert posts(slack) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [({"is_archived": True}, "is_archived"), ({"bot_is_member": False}, "not_in_channel")],
)
def test_a_channel_the_bot_cannot_post_in_gives_the_digest_up_and_keeps_the_subscription(
    rapport, clock, slack, jobs, change, error
) -> None:
    subscription_id = subscribe(rapport)
    slack.update_channel("C0TEAM", **change)
    clock.set(FIRST_POST)

    jobs.run_once()

    digest = the_digest(rapport)
    assert (digest.state, digest.error) == ("dead", error)
    assert subscription(rapport, subscription_id).state == "active"
    assert posts(slack) == []


def test_a_channel_slack_no_longer_knows_gives_the_digest_up(rapport, clock, slack, jobs) -> None:
    subscribe(rapport, channel="C0GONE")
    clock.set(FIRST_POST)

    jobs.run_once()

    assert (the_digest(rapport).state, the_digest(rapport).error) == ("dead", "channel_not_found")


# --- never where outsiders or guests would read it ---------------------------------------------


@pytest.mark.parametrize(
    ("flag", "reason"),
    [("is_ext_shared", "ext_shared"), ("is_pending_ext_shared", "pending_ext_shared")],
)
def test_a_channel_shared_by_posting_time_suspends_and_the_subscriber_is_told(
    rapport, clock, slack, jobs, render, flag, reason
) -> None:
    subscription_id = subscribe(rapport)
    slack.update_channel("C0TEAM", **{flag: True})
    clock.set(FIRST_POST)

    jobs.run_once()
    jobs.run_once()

    assert posts(slack) == [] and render.calls == []
    suspended = subscription(rapport, subscription_id)
    assert (suspended.state, suspended.suspended_reason) == ("suspended", reason)
    digest = the_digest(rapport)
    assert (digest.state, digest.error) == ("skipped", "ext_shared")
    [dm] = slack.messages("U0ALICE")[-1:]
    assert "<#C0TEAM>" in dm["text"] and "another organisation" in dm["text"]
    assert len([m for m in slack.messages("U0ALICE") if "<#C0TEAM>" in m["text"]]) == 1
    travel(clock, jobs, FIRST_POST + timedelta(days=15))
    assert posts(slack) == [] and len(all_of_digests(rapport)) == 1


def test_the_suspension_is_told_in_the_subscribers_language(rapport, clock, slack, jobs) -> None:
    subscribe(rapport, user="U0JONAS")
    slack.update_channel("C0TEAM", is_ext_shared=True)
    clock.set(FIRST_POST)

    jobs.run_once()

    [dm] = [m for m in slack.messages("U0JONAS") if "<#C0TEAM>" in m["text"]]
    assert "anderen Organisation" in dm["text"]


def test_a_person_of_another_organisation_in_the_channel_counts_as_shared(
    rapport, clock, slack, jobs
) -> None:
    subscription_id = subscribe(rapport)
    slack.update_channel("C0TEAM", join=["U0KENJI"])  # of T0PARTNER; Slack has not flagged it yet
    clock.set(FIRST_POST)

    jobs.run_once()

    assert posts(slack) == []
    assert subscription(rapport, subscription_id).suspended_reason == "ext_shared"


def test_a_workspace_guest_among_the_members_means_no_digest_that_period(
    rapport, clock, slack, jobs
) -> None:
    subscription_id = subscribe(rapport)
    slack.add_user("U0GUEST", name="guest", real_name="Gina Gast", is_ultra_restricted=True)
    slack.update_channel("C0TEAM", join=["U0GUEST"])
    clock.set(FIRST_POST)

    jobs.run_once()

    assert posts(slack) == []
    digest = the_digest(rapport)
    assert (digest.state, digest.error) == ("skipped", "guests")
    assert subscription(rapport, subscription_id).state == "active"
    # The guest leaves: the next week's digest posts.
    slack.update_channel("C0TEAM", leave=["U0GUEST"])
    travel(clock, jobs, FIRST_POST + timedelta(days=7, minutes=1))
    assert [posted_at(p) for p in posts(slack)] == [FIRST_POST + timedelta(days=7)]


def test_a_member_rapport_knows_as_a_guest_is_a_guest_without_asking_slack(
    rapport, clock, slack, jobs
) -> None:
    subscribe(rapport)
    known(rapport, "U0BOB")
    with rapport.db.transaction() as session:
        bob = session.scalars(select(Member).where(Member.slack_user_id == "U0BOB")).one()
        bob.is_guest = True
    clock.set(FIRST_POST)

    jobs.run_once()

    assert posts(slack) == []
    assert the_digest(rapport).error == "guests"


# --- quiet periods and the subscription's state -------------------------------------------------


@pytest.mark.parametrize(("quiet", "expected"), [("line", 1), ("nothing", 0)])
def test_a_quiet_period_posts_the_line_or_nothing_as_the_channel_chose(
    rapport, clock, slack, jobs, render, quiet, expected
) -> None:
    subscribe(rapport, quiet=quiet)
    render.quiet = True
    clock.set(FIRST_POST)

    jobs.run_once()

    assert len(posts(slack)) == expected
    digest = the_digest(rapport)
    assert digest.state == ("sent" if expected else "skipped")


def test_a_subscription_switched_off_before_posting_posts_nothing(
    rapport, clock, slack, digests
) -> None:
    subscription_id = subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    with rapport.db.transaction() as session:
        session.get_one(DigestSubscription, subscription_id).state = "off"

    digests.tick()

    assert posts(slack) == [] and slack.calls_to("conversations.info") == []
    assert (the_digest(rapport).state, the_digest(rapport).error) == ("skipped", "off")


def test_another_workspaces_subscription_is_unaffected(rapport, clock, slack, jobs) -> None:
    ours = subscribe(rapport)
    theirs = other_workspace_subscription(rapport, slack)
    slack.update_channel("C0TEAM", is_ext_shared=True)
    clock.set(FIRST_POST)

    jobs.run_once()

    assert posts(slack, "C0TEAM") == []
    assert len(posts(slack, "C0OTHER")) == 1
    assert subscription(rapport, ours).state == "suspended"
    assert subscription(rapport, theirs).state == "active"


def other_workspace_subscription(rapport: RunningRapport, slack: SlackStandIn) -> int:
    """A subscription of workspace T0OTHER in its channel C0OTHER (its own members)."""
    slack.add_user("U0OTTO", team_id="T0OTHER", name="otto", real_name="Otto Other")
    slack.add_channel("C0OTHER", name="other-team", members=["U0OTTO"])
    now = rapport.clock.now()
    with rapport.db.transaction() as session:
        workspace = Workspace(team_id="T0OTHER", created_at=now)
        session.add(workspace)
        session.flush()
        otto = Member(
            workspace_id=workspace.id, slack_user_id="U0OTTO", name="Otto Other", refreshed_at=now
        )
        session.add(otto)
        session.flush()
        return add_subscription(session, otto, "C0OTHER", now)


def test_planning_takes_as_many_statements_for_thirty_channels_as_for_one(rapport, clock) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    one = statements_of(rapport, lambda: plan_digests(rapport.db, clock.now()))
    with rapport.db.transaction() as session:
        alice = session.scalars(select(Member).where(Member.slack_user_id == "U0ALICE")).one()
        for index in range(29):
            add_subscription(session, alice, f"C0MORE{index:02d}", clock.now() - timedelta(days=1))
    clock.advance(timedelta(days=7))

    thirty = statements_of(rapport, lambda: plan_digests(rapport.db, clock.now()))

    assert thirty == one
    assert len(all_of_digests(rapport)) == 1 + 30


def statements_of(rapport: RunningRapport, act: Callable[[], object]) -> int:
    """How many SQL statements `act` sends (an executemany counts once)."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    event.listen(rapport.db.engine, "before_cursor_execute", count)
    try:
        act()
    finally:
        event.remove(rapport.db.engine, "before_cursor_execute", count)
    return len(sent)


def test_a_dispatcher_that_died_while_sending_is_taken_over_after_its_lease_and_posts_once(
    rapport, clock, slack, digests
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    with rapport.db.transaction() as session:
        # As a dispatcher leaves it that was stopped between marking it and hearing from Slack.
        digest = session.scalars(select(Digest)).one()
        digest.state, digest.sending_since, digest.attempts = "sending", clock.now(), 1
        digest.claimed_by, digest.lease_until = "gone", clock.now() + timedelta(minutes=5)

    assert digests.tick().sent == 0  # still leased to the one that died
    clock.advance(timedelta(minutes=5))
    result = digests.tick()

    assert (result.sent, result.recovered) == (1, 0)
    assert len(slack.calls_to("conversations.history")) == 1
    [post] = posts(slack)
    assert (the_digest(rapport).state, the_digest(rapport).ts) == ("sent", post["ts"])
