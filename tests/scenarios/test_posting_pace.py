"""Nudge DMs paced to a posting rate learned from Slack's 429s, shared by every dispatcher.

The stand-in limits chat.postMessage workspace-wide, on the test's clock; the dispatchers wait
by moving that clock (their `pause`), never by sleeping. Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.rules import pacing
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.digests import DigestDispatcher, plan_digests
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import Jobs
from scheduler.pacing import Pacer
from storage.db import Database
from storage.models import Bundle, Partner, PostingPace, Promise, Workspace
from storage.queries.members import save_member
from storage.queries.outbox.pacing import locked_pace
from tests.scenarios.test_digest_delivery import FIRST_POST, Renderer, posts, subscribe
from tests.support.after_hours import workspace_id_of
from tests.support.app import RunningRapport
from tests.support.nudges import at_berlin, dms, jobs_for
from tests.support.rows import all_of

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
# Thursday 26 November 2026: the heads-up for a promise due on Friday, in working hours.
HEADS_UP_BERLIN = at_berlin(2026, 11, 26, 9, 30)
HEADS_UP_SAO_PAULO = datetime(2026, 11, 26, 9, 30, tzinfo=SAO_PAULO)
LIMIT = 5  # posts a second, workspace-wide: Slack's limit, scaled down
PROMISE = {
    "en-US": "Acme email promise: send the quote by Friday",
    "de-DE": "Acme Anruf Zusage: Angebot schicken bis Freitag",
}


def promisers(
    rapport: RunningRapport, slack: SlackStandIn, prefix: str, count: int, tz: str
) -> list[str]:
    """`count` colleagues in `tz`, half of them writing German, each with a promise due on
    Friday (so a heads-up DM on Thursday)."""
    users = [f"U0{prefix}{i:03d}" for i in range(count)]
    for i, user in enumerate(users):
        locale = "de-DE" if i % 2 else "en-US"
        slack.add_user(user, name=user.lower(), real_name=user, tz=tz, locale=locale)
        reply = rapport.command(PROMISE[locale], user=user).reply()
        assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]
    return users


def dispatcher_on(db: Database, clock: ManualClock, slack: SlackStandIn, **kw: float) -> Jobs:
    """Jobs whose dispatcher uses `db` (its own handle) and waits by moving `clock`."""
    client = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])
    dispatcher = Dispatcher(
        db, clock, client, pause=lambda s: clock.advance(timedelta(seconds=s)), **kw
    )
    return Jobs(db, clock, dispatcher)


def deliver_all(jobs: Jobs, clock: ManualClock) -> None:
    """Plan, then tick until no bundle is waiting (a put-back bundle waits out its 429)."""
    jobs.plan_once()
    for _ in range(30):
        jobs.dispatcher.tick()
        if not [b for b in all_of(jobs.db, Bundle) if b.state != "sent"]:
            return
        clock.advance(timedelta(seconds=1))
    raise AssertionError("bundles still waiting after 30 ticks")


def another_workspace_with_promisers(
    db: Database, slack: SlackStandIn, team: str, prefix: str, count: int
) -> list[str]:
    """A second workspace installed on the same app (an org-wide install: one token), with
    `count` members in Berlin, half of them German, each owing a partner a quote by Friday.
    Written to the database: the stand-in plays one workspace, whose commands these are not."""
    users = [f"U0{prefix}{i:03d}" for i in range(count)]
    now = HEADS_UP_BERLIN - timedelta(days=1)
    with db.transaction() as session:
        workspace = Workspace(team_id=team, created_at=now)
        session.add(workspace)
        session.flush()
        for i, user in enumerate(users):
            locale = "de-DE" if i % 2 else "en-US"
            slack.add_user(
                user, name=user.lower(), real_name=user, tz="Europe/Berlin", locale=locale
            )
            member = save_member(
                session, workspace.id, user, now, tz="Europe/Berlin", locale=locale
            )
            partner = Partner(
                workspace_id=workspace.id,
                name=f"Beta Partner {i}",
                name_key=f"beta partner {i}",
                owner_id=member.id,
                created_at=now,
            )
            session.add(partner)
            session.flush()
            session.add(
                Promise(
                    workspace_id=workspace.id,
                    partner_id=partner.id,
                    member_id=member.id,
                    text="send the quote",
                    due_on=date(2026, 11, 27),
                    status="open",
                    created_at=now,
                )
            )
    return users


def one_each(slack: SlackStandIn, users: list[str]) -> bool:
    return [len(dms(slack, user)) for user in users] == [1] * len(users)


def arrivals(slack: SlackStandIn, users: list[str]) -> list[float]:
    """When each user's DM arrived (the stand-in dates them by the test's clock), in order."""
    return sorted(float(message["ts"]) for user in users for _, message in dms(slack, user))


def most_in_a_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


@pytest.fixture
def second_handle(database_url: str) -> Iterator[Database]:
    """Another process's view of the same database: its own engine and connections."""
    other = Database(database_url)
    yield other
    other.dispose()


def test_the_dispatcher_slows_to_slacks_limit_and_delivers_every_dm_exactly_once(
    rapport, clock, slack
) -> None:
    users = promisers(rapport, slack, "PEER", 30, "Europe/Berlin")
    slack.limit_rate("chat.postMessage", LIMIT, 1.0)
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack)

    deliver_all(jobs, clock)

    assert one_each(slack, users)
    assert {b.state for b in all_of(rapport.db, Bundle)} == {"sent"}
    # Slow start found the limit with a 429 or two, then kept under it: not one per burst.
    assert 1 <= slack.rate_limited_count("chat.postMessage") <= 2
    learned = jobs.dispatcher.pacer.rate(workspace_id_of(rapport.db))
    assert learned is not None and LIMIT * pacing.BACKOFF * 0.9 <= learned <= LIMIT
    with rapport.db.reading() as session:
        assert session.get_one(PostingPace, workspace_id_of(rapport.db)).limited_at is not None


def test_a_second_dispatcher_on_its_own_handle_starts_from_the_learned_rate(
    rapport, clock, slack, second_handle
) -> None:
    berlin = promisers(rapport, slack, "BER", 16, "Europe/Berlin")
    sao_paulo = promisers(rapport, slack, "SAO", 16, "America/Sao_Paulo")
    slack.limit_rate("chat.postMessage", LIMIT, 1.0)
    clock.set(HEADS_UP_BERLIN)
    first = dispatcher_on(rapport.db, clock, slack)
    deliver_all(first, clock)
    assert one_each(slack, berlin) and not any(dms(slack, user) for user in sao_paulo)
    workspace = workspace_id_of(rapport.db)
    learned = first.dispatcher.pacer.rate(workspace)
    assert learned is not None and learned <= LIMIT
    limited_before = slack.rate_limited_count("chat.postMessage")

    # Four hours on, São Paulo's working day begins; another process delivers its DMs.
    clock.set(HEADS_UP_SAO_PAULO)
    second = dispatcher_on(second_handle, clock, slack)
    deliver_all(second, clock)

    assert [len(dms(slack, user)) for user in sao_paulo] == [1] * len(sao_paulo)
    # It paced to the shared rate from its first post: no slow start, so no 429 to find it.
    assert slack.rate_limited_count("chat.postMessage") == limited_before
    times = arrivals(slack, sao_paulo)
    spread = times[-1] - times[0]
    assert spread == pytest.approx((len(times) - 1) / learned, rel=0.1)
    assert second.dispatcher.pacer.rate(workspace) == pytest.approx(learned, rel=0.05)


def test_two_dispatchers_at_once_share_one_budget_between_them(
    rapport, clock, slack, db, second_handle
) -> None:
    """Two processes posting in turn get slots from one budget, never each the full rate."""
    promisers(rapport, slack, "TWO", 1, "Europe/Berlin")  # the workspace is installed
    workspace = workspace_id_of(db)
    rate = 10.0
    minute_ago = clock.now() - timedelta(minutes=1)
    with db.transaction() as session:
        # The budget as a 429 left it a minute ago: 10 posts a second, probing.
        locked_pace(
            session,
            workspace,
            {
                "rate_milli": int(rate * 1000),
                "limited_at": minute_ago,
                "next_slot": minute_ago,
                "window_start": minute_ago,
                "window_posts": 0,
                "last_window_rate_milli": None,
                "updated_at": minute_ago,
            },
        )
    one = Pacer(db, clock, lambda s: clock.advance(timedelta(seconds=s)))
    other = Pacer(second_handle, clock, lambda s: clock.advance(timedelta(seconds=s)))

    posted: list[tuple[str, datetime]] = []
    for _ in range(20):
        for name, pacer in (("one", one), ("other", other)):
            pacer.turn(workspace, wanted=25)
            pacer.accepted(workspace)
            posted.append((name, clock.now()))

    times = [at.timestamp() for _, at in posted]
    assert Counter(name for name, _ in posted) == {"one": 20, "other": 20}
    # Forty posts at the one shared rate take about four seconds; two budgets would take two.
    # (A sender a moment late for its slot catches up on its next post.)
    assert times[-1] - times[0] >= (len(times) - 3) / (rate * 1.01)
    assert most_in_a_second(times) <= rate + 2  # a catching-up post each
    shared = one.rate(workspace)
    assert shared is not None and rate < shared < rate * 1.01  # probing, from both reports


def test_the_ceiling_is_kept_when_slack_would_allow_more(rapport, clock, slack) -> None:
    users = promisers(rapport, slack, "CAP", 14, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=2.0)

    deliver_all(jobs, clock)

    assert one_each(slack, users)
    assert slack.rate_limited_count("chat.postMessage") == 0
    times = arrivals(slack, users)
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.5 - 1e-3
    assert jobs.dispatcher.pacer.rate(workspace_id_of(rapport.db)) == 2.0


def test_a_429_on_a_team_digest_lowers_the_rate_the_nudge_dms_are_paced_to(
    rapport, clock, slack
) -> None:
    """Slack's limit on chat.postMessage is the workspace's, channel posts and DMs alike."""
    # A digest dispatcher of its own, as `rapport serve` assembles it: one budget all the same.
    jobs = jobs_for(rapport, clock, slack)
    digests = DigestDispatcher(
        rapport.db, clock, jobs.dispatcher.client, render=Renderer(), pause=jobs.dispatcher.pause
    )
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next("chat.postMessage", retry_after=3)

    result = digests.tick()

    assert (result.rate_limited, result.sent, len(posts(slack))) == (1, 1, 1)
    workspace = workspace_id_of(rapport.db)
    with rapport.db.reading() as session:
        assert session.get_one(PostingPace, workspace).limited_at == FIRST_POST
    lowered = jobs.dispatcher.pacer.rate(workspace)
    assert lowered is not None and lowered < pacing.START_RATE
    # Jobs built without a digest dispatcher give theirs the nudge DMs' pacer itself.
    assert jobs.digests.pacer is jobs.dispatcher.pacer


def test_a_429_in_one_workspace_holds_back_only_that_workspaces_dms(rapport, clock, slack) -> None:
    """Slack's limit is per workspace: while one waits out a Retry-After, another's DMs go."""
    acme = promisers(rapport, slack, "ACM", 6, "Europe/Berlin")
    beta = another_workspace_with_promisers(rapport.db, slack, "T0BETA", "BET", 6)
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack)
    # Whichever workspace's DM goes first is told to wait half a minute.
    slack.fail_next("chat.postMessage", retry_after=30)

    jobs.plan_once()
    result = jobs.dispatcher.tick()

    assert result.rate_limited == 1 and result.sent == 12
    assert one_each(slack, acme) and one_each(slack, beta)
    start = HEADS_UP_BERLIN.timestamp()
    waited, went = sorted((arrivals(slack, acme), arrivals(slack, beta)), key=lambda t: t[0])[::-1]
    # The workspace told to wait posted nothing before the wait was over...
    assert min(waited) >= start + 30
    # ...and the other's DMs went meanwhile, paced from the start (a few seconds), not after it.
    assert max(went) < start + 10


def test_a_slot_further_off_than_the_sender_would_wait_is_named_not_taken(
    rapport, clock, slack, db
) -> None:
    """After a 429 with Retry-After 30 a sender asking for a slot within a quarter second is
    told when the next one is, without waiting; the slot is still there when that time comes."""
    promisers(rapport, slack, "WIT", 1, "Europe/Berlin")  # the workspace is installed
    workspace = workspace_id_of(db)
    pacer = Pacer(db, clock, lambda s: clock.advance(timedelta(seconds=s)))
    pacer.turn(workspace)
    pacer.accepted(workspace)
    limited_at = clock.now()
    pacer.limited(workspace, 30)

    first = pacer.turn_within(workspace, 0.25)
    again = pacer.turn_within(workspace, 0.25)

    resume = limited_at + timedelta(seconds=30)
    assert first == again == resume
    assert clock.now() == limited_at  # nothing was waited for
    clock.set(resume)
    assert pacer.turn_within(workspace, 0.25) is None
    assert clock.now() == resume  # the slot was there, and taken without waiting


def test_the_next_slot_is_named_without_being_taken_and_taken_by_the_next_turn(
    rapport, clock, slack, db
) -> None:
    """A sender asks when its next slot is before it prepares a post: asking twice names the
    same slot and waits for nothing, a slot further off than the sender would wait is named
    without a grant (the budget's row is not written), and the turn after takes that very
    slot."""
    promisers(rapport, slack, "NXT", 1, "Europe/Berlin")  # the workspace is installed
    workspace = workspace_id_of(db)
    pacer = Pacer(db, clock, lambda s: clock.advance(timedelta(seconds=s)), ceiling=0.5)
    pacer.turn(workspace)
    pacer.accepted(workspace)
    start = clock.now()
    with db.reading() as session:
        written = session.get_one(PostingPace, workspace).updated_at
    clock.advance(timedelta(seconds=0.5))

    named = pacer.next_turn(workspace, 0.25)

    assert named == pacer.next_turn(workspace, 0.25) == start + timedelta(seconds=2)
    assert clock.now() == start + timedelta(seconds=0.5)
    with db.reading() as session:
        assert session.get_one(PostingPace, workspace).updated_at == written
    pacer.turn(workspace)
    assert clock.now() == named
    assert pacer.next_turn(workspace, 0.25) == named + timedelta(seconds=2)
    # Near enough to be prepared for, the slot is granted and held: the turn takes it.
    clock.advance(timedelta(seconds=1.9))
    assert pacer.next_turn(workspace, 0.25) == named + timedelta(seconds=2)
    pacer.turn(workspace)
    assert clock.now() == named + timedelta(seconds=2)


def test_a_429_gives_the_slots_held_back_unless_someone_was_granted_slots_after_them(
    rapport, clock, slack, db, second_handle
) -> None:
    """At one post every two seconds a sender holds the slot it is about to prepare a post for
    when Slack refuses the post before: the 429 gives it back, so the next slot is the wait's
    end, not a spacing after the slot held. When another process was granted the slot after
    it meanwhile, nothing is given back: that slot is the other's, and the next is after it."""
    promisers(rapport, slack, "GIV", 1, "Europe/Berlin")  # the workspace is installed
    workspace = workspace_id_of(db)
    second = timedelta(seconds=1)

    def pacer_on(handle: Database) -> Pacer:
        return Pacer(handle, clock, lambda s: clock.advance(timedelta(seconds=s)), ceiling=0.5)

    alone = pacer_on(db)
    alone.turn(workspace)
    start = clock.now()
    clock.advance(1.9 * second)
    assert alone.next_turn(workspace, 0.25) == start + 2 * second  # granted, held
    alone.limited(workspace, 1)
    assert alone.next_turn(workspace, 0.25) == start + 2.9 * second  # the wait's end

    clock.advance(timedelta(minutes=1))
    one, other = pacer_on(db), pacer_on(second_handle)
    one.turn(workspace)
    start = clock.now()
    clock.advance(1.9 * second)
    assert one.next_turn(workspace, 0.25) == start + 2 * second
    assert other.next_turn(workspace, 0.25) == start + 4 * second
    one.limited(workspace, 1)
    assert one.next_turn(workspace, 0.25) == start + 6 * second


def test_a_revoked_token_leaves_the_dm_rendered_behind_it_ready_with_no_attempt_counted(
    rapport, clock, slack
) -> None:
    """The next DM is rendered while one is being posted: when that post finds the token
    revoked, the rendered one was never posted and goes back as it was, with no history check."""
    users = promisers(rapport, slack, "TOK", 3, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack)
    jobs.plan_once()
    slack.fail_next("chat.postMessage", error="token_revoked", status=200, retry_after=None)

    result = jobs.dispatcher.tick()

    assert result.stopped == "token_revoked" and not any(dms(slack, user) for user in users)
    assert len(slack.calls_to("chat.postMessage")) == 1
    bundles = all_of(rapport.db, Bundle)
    assert {(b.state, b.attempts, b.sending_since) for b in bundles} == {("ready", 0, None)}
    clock.advance(timedelta(minutes=15))
    deliver_all(jobs, clock)
    assert one_each(slack, users)
    assert not slack.calls_to("conversations.history")
