"""A digest withdrawal Slack refuses is kept and made again by the delivery job, checking the
channel afresh each time, until it is done, the channel is found fit, or it ends (the channel
gone, the app removed, its token revoked, or Slack refusing for too long). Over signed HTTP to
the running app and the Slack stand-in, on SQLite and PostgreSQL; time moves with the clock.

The digest is posted as in `test_digest_content` (its fixtures are reused).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.texts.reader import text
from bot.usecases.digests.withdrawals import MAX_ATTEMPTS, RETRY_LONGEST
from bot.usecases.slack_directory import SlackDirectory
from scheduler.jobs import Jobs
from storage.models import Digest, DigestSubscription, DigestWithdrawal, Member
from tests.scenarios.test_digest_content import (
    CHANNEL,
    in_channel,
    jobs,
    post,
    rows_of,
    team_digest,
)
from tests.scenarios.test_digest_menu import updates
from tests.scenarios.test_digest_withdrawal import (
    guest_in_channel,
    joined,
    lists_partners,
    shown_of,
)
from tests.support.app import ALICE, RunningRapport
from tests.support.blocks import texts
from tests.support.nudges import jobs_for
from tests.support.racing import at_once
from tests.support.world import TEAM

__all__ = ["jobs", "team_digest"]  # the fixtures, used by name

GUEST = "U0GUEST"
# A 5xx: Slack may be down for a while; not a rate limit, so each one counts as an attempt.
DOWN = {"error": "internal_error", "status": 500, "retry_after": None}


def kept(rapport: RunningRapport) -> list[DigestWithdrawal]:
    """The withdrawals still to be made."""
    with rapport.db.reading() as session:
        rows = list(session.scalars(select(DigestWithdrawal)))
        session.expunge_all()
        return rows


def in_language(rapport: RunningRapport, digest: Digest, language: str) -> None:
    with rapport.db.transaction() as session:
        subscription = session.get(DigestSubscription, digest.subscription_id)
        assert subscription is not None
        subscription.language = language


def withdrawn_in(slack: SlackStandIn, digest: Digest, language: str, key: str) -> None:
    """The digest's message is its one withdrawn line in the channel's language."""
    message = in_channel(slack, digest)
    assert text(language, key) in texts(message)
    assert rows_of(message) == []
    for name in ("Acme", "Globex", "Umbrella"):
        assert name not in texts(message)


def told(slack: SlackStandIn, user: str = ALICE) -> list[str]:
    """The texts of the DMs `user` got about withdrawals Rapport stopped trying."""
    return [m["text"] for m in slack.messages(user) if "<#" in m["text"] and CHANNEL in m["text"]]


def speaks(rapport: RunningRapport, user: str, language: str) -> None:
    with rapport.db.transaction() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == user)).one()
        member.language = language


def minutes(clock: ManualClock, jobs: Jobs, count: int) -> None:
    """`count` runs of the delivery job's withdrawals, one a minute, as the scheduler makes
    them (the channel outbox's own tick, which asks Slack about the channel too before a post,
    is left out so that every call counted here is a withdrawal's)."""
    for _ in range(count):
        clock.advance(timedelta(minutes=1))
        jobs.withdrawals.tick()


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("refused", ["chat.update", "conversations.info"])
def test_slack_refusing_twice_then_accepting_withdraws_once(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
    refused: str,
    language: str,
) -> None:
    """Slack is down for the event's try and the first retry a minute on; the second retry,
    two minutes after that (the wait doubles), withdraws the digest, in the channel's language,
    with one `chat.update` that Slack took."""
    in_language(rapport, team_digest, language)
    guest_in_channel(slack)
    slack.fail_next(refused, times=2, **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-down-1", GUEST)
    assert lists_partners(slack, team_digest)
    [note] = kept(rapport)
    assert (note.channel_id, note.attempts, note.error) == (CHANNEL, 1, "internal_error")
    minutes(clock, jobs, 1)  # refused again
    assert lists_partners(slack, team_digest)
    assert kept(rapport)[0].attempts == 2
    minutes(clock, jobs, 1)  # still waiting: two minutes after the second refusal
    assert lists_partners(slack, team_digest)
    before = updates(slack)
    minutes(clock, jobs, 1)
    withdrawn_in(slack, team_digest, language, "digest.message.withdrawn_guests")
    assert shown_of(rapport, team_digest) is None
    assert kept(rapport) == []
    assert updates(slack) == before + 1
    assert len([call for call in slack.calls_to("chat.update") if call.ok]) == 1
    minutes(clock, jobs, 10)  # nothing more to do
    assert updates(slack) == before + 1


def test_a_long_retry_after_ends_the_tick_instead_of_waiting_it_out(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """Slack asks for an hour's wait: the job's tick does not sleep it (the scheduler's thread
    would be held for an hour); the note waits, counting no attempt, and the first run after
    the hour withdraws the digest."""
    guest_in_channel(slack)
    slack.fail_next("chat.update", times=1, **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-long-1", GUEST)
    assert kept(rapport)[0].attempts == 1
    slack.fail_next("chat.update", error="ratelimited", status=429, retry_after=3600)
    waited: list[float] = []
    jobs.withdrawals.pause = waited.append
    minutes(clock, jobs, 1)
    assert waited == [] and lists_partners(slack, team_digest)
    [note] = kept(rapport)
    assert note.attempts == 1
    minutes(clock, jobs, 58)
    assert lists_partners(slack, team_digest)
    minutes(clock, jobs, 2)
    withdrawn_in(slack, team_digest, "en", "digest.message.withdrawn_guests")
    assert kept(rapport) == [] and waited == []


def test_a_guest_leaving_before_the_retry_gets_nothing_withdrawn(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """The retry asks Slack about the channel again: the guest is gone, the team alone reads
    it, so the digest stays as posted and the note goes."""
    guest_in_channel(slack)
    slack.fail_next("chat.update", **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-left-1", GUEST)
    assert len(kept(rapport)) == 1
    slack.update_channel(CHANNEL, leave=[GUEST])
    before, asked = updates(slack), len(slack.calls_to("conversations.info"))
    minutes(clock, jobs, 1)
    assert len(slack.calls_to("conversations.info")) == asked + 1
    assert updates(slack) == before
    assert lists_partners(slack, team_digest)
    assert shown_of(rapport, team_digest) is not None
    assert kept(rapport) == []


def test_two_retry_runs_at_once_update_each_digest_once(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
) -> None:
    """Two schedulers (each its own lease owner) run their delivery tick at the same moment:
    one takes the channel, asks Slack about it once and withdraws each of its two digests with
    one `chat.update`; the other finds nothing to do."""
    clock.advance(timedelta(days=7))
    later = post(rapport, slack, clock, team_digest.subscription_id)
    guest_in_channel(slack)
    slack.fail_next("conversations.info", **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-race-1", GUEST)
    assert lists_partners(slack, team_digest) and lists_partners(slack, later)
    runners = [jobs_for(rapport, clock, slack), jobs_for(rapport, clock, slack)]
    clock.advance(timedelta(minutes=1))
    before, asked = updates(slack), len(slack.calls_to("conversations.info"))
    results = at_once(2, lambda i: runners[i].withdrawals.tick())
    assert sorted(result.sent for result in results) == [0, 2]
    assert len(slack.calls_to("conversations.info")) == asked + 1
    assert updates(slack) == before + 2
    for digest in (team_digest, later):
        withdrawn_in(slack, digest, "en", "digest.message.withdrawn_guests")
    assert kept(rapport) == []


@pytest.mark.parametrize(
    "unreachable",
    ["bot removed", "archived", "token revoked"],
)
def test_a_channel_the_app_cannot_reach_any_more_ends_the_retries(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
    unreachable: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After the first refusal the app is removed from the channel, the channel archived, or
    the app's token revoked: the next try ends the withdrawal (logged with Slack's word, no
    partner), and no later run asks Slack again."""
    caplog.set_level(logging.ERROR)
    guest_in_channel(slack)
    slack.fail_next("conversations.info", **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-gone-1", GUEST)
    assert len(kept(rapport)) == 1
    if unreachable == "bot removed":
        slack.update_channel(CHANNEL, bot_is_member=False)
    elif unreachable == "archived":
        slack.update_channel(CHANNEL, is_archived=True)
    else:
        slack.fail_next("conversations.info", error="token_revoked", status=200, retry_after=None)
    asked = len(slack.calls_to("conversations.info"))
    minutes(clock, jobs, 1)
    assert kept(rapport) == []
    assert len(slack.calls_to("conversations.info")) == asked + 1
    ended = [r.getMessage() for r in caplog.records if "given up" in r.getMessage()]
    assert len(ended) == 1 and CHANNEL in ended[0]
    assert "Acme" not in ended[0]
    # The subscriber is told what it means and what to do; with the token revoked, no DM can go.
    key = {
        "bot removed": "digest.withdrawal_ended.removed",
        "archived": "digest.withdrawal_ended.archived",
    }.get(unreachable)
    assert told(slack) == ([] if key is None else [text("en", key, channel=CHANNEL)])
    minutes(clock, jobs, 30)
    assert len(slack.calls_to("conversations.info")) == asked + 1
    assert len(told(slack)) == (0 if key is None else 1)


def test_a_channel_slack_never_answers_about_ends_after_the_last_attempt(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """Slack answers 500 for hours: the withdrawal is tried `MAX_ATTEMPTS` times in all, the
    waits doubling up to `RETRY_LONGEST`, and then ends; nothing loops."""
    speaks(rapport, ALICE, "de")
    guest_in_channel(slack)
    slack.fail_next("conversations.info", times=100, **DOWN)  # type: ignore[arg-type]
    asked = len(slack.calls_to("conversations.info"))
    joined(rapport, "Ev-down-2", GUEST)
    waits = []
    while kept(rapport):
        note = kept(rapport)[0]
        waits.append(note.not_before - clock.now())
        clock.set(note.not_before)
        jobs.withdrawals.tick()
    assert len(slack.calls_to("conversations.info")) == asked + MAX_ATTEMPTS
    assert waits == [min(timedelta(minutes=2**n), RETRY_LONGEST) for n in range(MAX_ATTEMPTS - 1)]
    assert lists_partners(slack, team_digest)  # as posted: Slack never let it be changed
    ended = text("de", "digest.withdrawal_ended.refused", channel=CHANNEL, error="internal_error")
    assert told(slack) == [ended]
    minutes(clock, jobs, 6 * 60)
    assert len(slack.calls_to("conversations.info")) == asked + MAX_ATTEMPTS


def test_a_withdrawal_noted_before_a_crash_is_made_by_the_job(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """The event's transaction noted the channel, then the process died before its after-ack
    work ran (here: the event's change made alone, as the handler makes it): the job makes the
    withdrawal once the note's wait is over, and not before."""
    guest_in_channel(slack)
    directory = SlackDirectory(rapport.db, clock)
    directory.member_joined(TEAM, "Ev-crash-1", CHANNEL, GUEST, bot_user_id=slack.bot_user_id)
    assert len(kept(rapport)) == 1
    minutes(clock, jobs, 4)
    assert lists_partners(slack, team_digest)
    minutes(clock, jobs, 1)
    withdrawn_in(slack, team_digest, "en", "digest.message.withdrawn_guests")
    assert kept(rapport) == []


def test_an_event_that_finds_the_channel_fit_keeps_nothing(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
) -> None:
    """A colleague joins: the channel is checked after the ack, found fit, and the event's note
    goes with it; a channel with no digest showing partners is never noted."""
    slack.add_user("U0NEW", name="nora", real_name="Nora Neu")
    slack.update_channel(CHANNEL, join=["U0NEW"])
    joined(rapport, "Ev-fit-1", "U0NEW")
    assert kept(rapport) == []
    assert lists_partners(slack, team_digest)
    slack.add_user(GUEST, name="gina", real_name="Gina Gast", is_restricted=True)
    slack.add_channel("C0QUIET", name="quiet", members=["U0ALICE", GUEST])
    asked = len(slack.calls_to("conversations.info"))
    event = {"type": "member_joined_channel", "channel": "C0QUIET", "user": GUEST}
    rapport.event("Ev-quiet-1", {**event, "event_ts": "6.6"})
    assert rapport.wait_until_idle()
    assert kept(rapport) == []
    assert len(slack.calls_to("conversations.info")) == asked


def test_the_app_invited_back_withdraws_what_it_could_not(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """The app was removed from the channel when a guest joined, so the withdrawal ended; once
    invited back (`member_joined_channel` of the bot), it checks the channel and withdraws."""
    guest_in_channel(slack)
    slack.update_channel(CHANNEL, bot_is_member=False)
    joined(rapport, "Ev-out-1", GUEST)
    assert kept(rapport) == []
    assert lists_partners(slack, team_digest)
    assert told(slack) == [text("en", "digest.withdrawal_ended.removed", channel=CHANNEL)]
    slack.update_channel(CHANNEL, bot_is_member=True)
    joined(rapport, "Ev-back-1", slack.bot_user_id)
    withdrawn_in(slack, team_digest, "en", "digest.message.withdrawn_guests")
    assert kept(rapport) == []


def test_a_digest_message_deleted_counts_as_withdrawn(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """Someone deleted the digest's message (Slack answers `message_not_found`): it shows
    nobody anything, so it counts as withdrawn, nothing is kept to retry and nobody is told."""
    guest_in_channel(slack)
    slack.fail_next("chat.update", error="message_not_found", status=200, retry_after=None)
    joined(rapport, "Ev-deleted-1", GUEST)
    assert shown_of(rapport, team_digest) is None
    assert kept(rapport) == []
    before = updates(slack)
    minutes(clock, jobs, 10)
    assert updates(slack) == before
    assert told(slack) == []


@pytest.mark.parametrize("frozen", ["cant_update_message", "edit_window_closed"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_message_slack_will_not_let_change_ends_the_withdrawal_at_once(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
    frozen: str,
    language: str,
) -> None:
    """Slack answers that the digest's message cannot be changed: no retry can mend that, so
    the withdrawal ends on that answer, and the subscriber is told, in their language, to have
    an admin delete it, rather than after two hours of asking."""
    speaks(rapport, ALICE, language)
    guest_in_channel(slack)
    slack.fail_next("chat.update", error=frozen, status=200, retry_after=None)
    joined(rapport, "Ev-frozen-1", GUEST)
    assert kept(rapport) == []
    assert lists_partners(slack, team_digest)
    expected = text(language, "digest.withdrawal_ended.frozen", channel=CHANNEL, error=frozen)
    assert told(slack) == [expected]
    before = updates(slack)
    minutes(clock, jobs, 30)
    assert updates(slack) == before
