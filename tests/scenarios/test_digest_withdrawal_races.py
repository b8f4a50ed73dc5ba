"""Kept digest withdrawals against events that arrive while one is pending: people joining
between tries, the channel becoming shared, the app invited back, and workspaces that use the
same channel id. Over signed HTTP to the running app and the Slack stand-in, on SQLite and
PostgreSQL; time moves with the clock.

The digest is posted as in `test_digest_content` (its fixtures are reused).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.texts.reader import text
from bot.usecases.digests.withdrawals import MAX_ATTEMPTS
from scheduler.jobs import Jobs
from storage.models import Digest
from tests.scenarios.test_digest_content import CHANNEL, jobs, team_digest
from tests.scenarios.test_digest_menu import updates
from tests.scenarios.test_digest_withdrawal import (
    SHARED,
    guest_in_channel,
    joined,
    lists_partners,
    shown_of,
)
from tests.scenarios.test_digest_withdrawal_retries import (
    DOWN,
    GUEST,
    kept,
    minutes,
    speaks,
    told,
    withdrawn_in,
)
from tests.support.app import ALICE, RunningRapport
from tests.support.racing import at_once

__all__ = ["jobs", "team_digest"]  # the fixtures, used by name


def colleague(slack: SlackStandIn, user: str) -> None:
    """Someone of the team (no guest) joins the channel, as Slack sees it."""
    slack.add_user(user, name=user[2:].lower(), real_name=f"{user[2:].title()} Kollege")
    slack.update_channel(CHANNEL, join=[user])


def test_a_join_while_slack_is_down_counts_on_top_of_the_attempts_made(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """Slack answers 500 for hours while colleagues keep joining the channel the guest is in.
    Each join's own try is one more refusal, not a fresh start: the withdrawal still ends after
    `MAX_ATTEMPTS` refusals in all, so that a busy channel is not retried for ever."""
    guest_in_channel(slack)
    slack.fail_next("conversations.info", times=1000, **DOWN)  # type: ignore[arg-type]
    asked = len(slack.calls_to("conversations.info"))
    joined(rapport, "Ev-busy-0", GUEST)
    joins = 0
    while kept(rapport) and joins < 3 * MAX_ATTEMPTS:
        note = kept(rapport)[0]
        clock.set(note.not_before)
        jobs.withdrawals.tick()
        if kept(rapport):
            joins += 1
            colleague(slack, f"U0COL{joins:02d}")
            joined(rapport, f"Ev-busy-{joins}", f"U0COL{joins:02d}")
    assert kept(rapport) == []
    assert len(slack.calls_to("conversations.info")) - asked == MAX_ATTEMPTS
    assert len(told(slack)) == 1


def test_a_guest_leaving_and_another_joining_between_tries_withdraws_for_the_second(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """The first guest's withdrawal is refused; the guest leaves, then another guest joins
    before the retry: the retry (or the second join's own try) finds a guest in the channel and
    withdraws the digest once; nothing is kept after."""
    guest_in_channel(slack)
    slack.fail_next("chat.update", **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-swap-1", GUEST)
    assert len(kept(rapport)) == 1
    slack.update_channel(CHANNEL, leave=[GUEST])
    slack.add_user("U0GAST2", name="gert", real_name="Gert Gast", is_restricted=True)
    slack.update_channel(CHANNEL, join=["U0GAST2"])
    slack.fail_next("chat.update", **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-swap-2", "U0GAST2")
    assert lists_partners(slack, team_digest)
    before = updates(slack)
    minutes(clock, jobs, 3)
    withdrawn_in(slack, team_digest, "en", "digest.message.withdrawn_guests")
    assert updates(slack) == before + 1
    assert kept(rapport) == []
    minutes(clock, jobs, 10)
    assert updates(slack) == before + 1


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_channel_shared_while_a_guest_withdrawal_waits_is_withdrawn_as_shared(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
    language: str,
) -> None:
    """A guest's withdrawal waits for its retry; then the channel is shared with another
    organisation: the digest is withdrawn once, with the shared line (the stronger reason), in
    the channel's language; the subscriber is told of the suspension in theirs, once."""
    speaks(rapport, ALICE, language)
    guest_in_channel(slack)
    slack.fail_next("chat.update", **DOWN)  # type: ignore[arg-type]
    joined(rapport, "Ev-sh-1", GUEST)
    assert len(kept(rapport)) == 1
    slack.update_channel(CHANNEL, is_ext_shared=True)
    rapport.event("Ev-sh-2", {**SHARED, "event_ts": "3.3"})
    assert rapport.wait_until_idle()
    withdrawn_in(slack, team_digest, "en", "digest.message.withdrawn_shared")
    assert kept(rapport) == []
    before = updates(slack)
    minutes(clock, jobs, 10)
    assert updates(slack) == before
    assert shown_of(rapport, team_digest) is None


def test_the_ended_dm_goes_in_the_subscribers_language_not_the_channels(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
) -> None:
    """The channel's digests are in English, the subscriber reads German: the DM that a
    withdrawal ended (the app removed from the channel) is German."""
    speaks(rapport, ALICE, "de")
    guest_in_channel(slack)
    slack.update_channel(CHANNEL, bot_is_member=False)
    joined(rapport, "Ev-lang-1", GUEST)
    assert told(slack) == [text("de", "digest.withdrawal_ended.removed", channel=CHANNEL)]


@pytest.mark.parametrize("repeat", range(3))
def test_a_join_and_a_retry_at_once_withdraw_once_and_keep_nothing(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
    repeat: int,
) -> None:
    """The guest's withdrawal was refused; at the moment the job retries it, a colleague joins
    (an event noting the channel again, and trying it after the ack). The digest is withdrawn
    with one `chat.update`, and nothing is left kept or leased once both are done."""
    guest_in_channel(slack)
    slack.fail_next("chat.update", **DOWN)  # type: ignore[arg-type]
    joined(rapport, f"Ev-both-{repeat}-1", GUEST)
    assert len(kept(rapport)) == 1
    colleague(slack, "U0ZOE")
    clock.advance(timedelta(minutes=1))
    before = updates(slack)

    def act(i: int) -> object:
        if i == 0:
            return jobs.withdrawals.tick()
        joined(rapport, f"Ev-both-{repeat}-2", "U0ZOE")
        return None

    for outcome in at_once(2, act):
        assert not isinstance(outcome, BaseException), outcome
    withdrawn_in(slack, team_digest, "en", "digest.message.withdrawn_guests")
    assert updates(slack) == before + 1
    assert kept(rapport) == []
    minutes(clock, jobs, 10)
    assert updates(slack) == before + 1
