"""The history check after an unclear answer from Slack (`scheduler.dispatcher.find_posted`),
shared by the channel digests and the nudge DMs: it reads the window in which Slack could have
posted, paged with the cursor, so that a busy conversation never hides the message and it is
never posted twice. Slack's limits for apps outside its Marketplace apply: 15 messages a call
and one call a minute. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.digests import DigestDispatcher, plan_digests
from storage.models import Bundle
from tests.scenarios.test_digest_delivery import (
    FIRST_POST,
    digests,
    jobs,
    posts,
    render,
    subscribe,
    the_digest,
)
from tests.support.app import RunningRapport
from tests.support.nudges import at_berlin, dms, jobs_for, log
from tests.support.rows import Member, only

__all__ = ["digests", "jobs", "render"]  # fixtures, used by name


def chatter(slack: SlackStandIn, clock: ManualClock, channel: str, count: int) -> None:
    """`count` messages by people, a second apart."""
    for number in range(count):
        clock.advance(timedelta(seconds=1))
        slack.add_message(channel, user="U0BOB", text=f"chat {number}")


def history_as_slack_allows(slack: SlackStandIn) -> None:
    slack.limit_rate("conversations.history", 1, 60)


def test_a_digest_posted_before_a_busy_minute_is_found_and_not_posted_again(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, digests: DigestDispatcher
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    history_as_slack_allows(slack)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )
    assert digests.tick().unsure == 1
    # The team talks on: 40 messages after the digest, within the minute before the check.
    chatter(slack, clock, "C0TEAM", 40)
    clock.advance(timedelta(seconds=30))

    result = digests.tick()

    assert (result.recovered, result.sent) == (1, 0)
    assert len(posts(slack)) == 1
    assert the_digest(rapport).ts == posts(slack)[0]["ts"]
    calls = slack.calls_to("conversations.history")
    # Newest first, 15 a page: the digest is on the third page; each page after the first
    # waited out Slack's minute.
    assert len([c for c in calls if c.args.get("latest")]) >= 3
    assert all(int(c.args["limit"]) <= 15 for c in calls)
    assert slack.rate_limited_count("conversations.history") >= 1


def test_chatter_after_the_window_is_not_read_and_a_digest_not_posted_is_posted_once(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, digests: DigestDispatcher
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next("chat.postMessage", error="service_unavailable", status=503, retry_after=None)
    assert digests.tick().unsure == 1
    # Ten minutes on (past the window), the channel is busy: none of it is read.
    clock.advance(timedelta(minutes=10))
    chatter(slack, clock, "C0TEAM", 60)

    result = digests.tick()

    assert result.sent == 1
    assert len(posts(slack)) == 1
    [check] = slack.calls_to("conversations.history")
    sending_since = FIRST_POST.timestamp()
    assert float(check.args["oldest"]) < sending_since < float(check.args["latest"])
    assert float(check.args["latest"]) < sending_since + 5 * 60


def test_a_dm_sent_before_a_busy_conversation_is_found_and_not_sent_again(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    jobs = jobs_for(rapport, clock, slack)
    log(rapport, "Acme email promise: send the quote by Friday")
    clock.set(at_berlin(2026, 11, 26, 9, 0))
    with rapport.db.transaction() as session:
        session.query(Member).filter_by(slack_user_id="U0ALICE").update(
            {"dm_channel_id": slack.dm_channel("U0ALICE")}
        )
    history_as_slack_allows(slack)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )
    assert jobs.run_once().unsure == 1
    # Alice writes to Rapport in the DM: 20 messages after the nudge.
    chatter(slack, clock, "U0ALICE", 20)
    clock.advance(timedelta(seconds=60))

    second = jobs.run_once()

    assert second.recovered == 1 and second.sent == 0
    assert len(dms(slack)) == 1
    assert only(rapport.db, Bundle).state == "sent"


def test_a_window_busier_than_a_check_reads_is_checked_again_never_posted_twice(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, digests: DigestDispatcher
) -> None:
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    history_as_slack_allows(slack)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )
    assert digests.tick().unsure == 1
    # 80 messages after the digest within its window: more than the 5 pages of 15 a check
    # reads, and Slack rate limits every page after the first.
    chatter(slack, clock, "C0TEAM", 80)
    clock.advance(timedelta(seconds=30))

    result = digests.tick()

    # Unknown whether it was posted: it stays `sending` for a later check, not posted again.
    assert (result.sent, result.recovered) == (0, 0)
    assert len(posts(slack)) == 1
    assert the_digest(rapport).state == "sending"
    pages = [c for c in slack.calls_to("conversations.history") if c.ok]
    assert len(pages) == 5


def test_an_hours_wait_on_a_later_page_is_not_slept_in_the_tick(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, digests: DigestDispatcher
) -> None:
    """Slack asks the check's second page to wait an hour: the tick does not sleep it (every
    other workspace's posts would wait as long); the digest stays `sending`, unknown, and a
    check after the hour finds it, never posting it twice."""
    subscribe(rapport)
    clock.set(FIRST_POST)
    plan_digests(rapport.db, clock.now())
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )
    assert digests.tick().unsure == 1
    chatter(slack, clock, "C0TEAM", 40)
    clock.advance(timedelta(seconds=30))
    checked = len(slack.calls_to("conversations.history"))
    # One call an hour: the first page is read, the second is asked to wait an hour.
    slack.limit_rate("conversations.history", 1, 3600)
    started = clock.now()

    result = digests.tick()

    assert clock.now() - started < timedelta(minutes=5)
    assert (result.sent, result.recovered) == (0, 0)
    assert the_digest(rapport).state == "sending" and len(posts(slack)) == 1
    calls = slack.calls_to("conversations.history")[checked:]
    assert [c.ok for c in calls] == [True, False]
    slack.clear_rate_limits()
    history_as_slack_allows(slack)
    clock.advance(timedelta(hours=1, minutes=1))
    assert digests.tick().recovered == 1
    assert len(posts(slack)) == 1 and the_digest(rapport).ts == posts(slack)[0]["ts"]
