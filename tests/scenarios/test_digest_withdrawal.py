"""A posted digest stops showing partners as soon as Slack says its channel may no longer read
them: `channel_shared` (another organisation) or `member_joined_channel` of a workspace guest,
without waiting for anyone to press its menu. A colleague joining changes nothing. Over signed
HTTP to the running app and the Slack stand-in, on SQLite and PostgreSQL.

The digest is posted as in `test_digest_content` (its fixtures are reused).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.blocks.digest.message import CLAIM, TAKE_OVER
from bot.rules.clock import ManualClock
from bot.sandbox.signing import event_callback
from bot.sandbox.standin import SlackStandIn
from bot.texts.reader import text
from scheduler.digests import DigestDispatcher, plan_digests
from scheduler.jobs import Jobs
from storage.models import Digest, DigestSubscription
from tests.scenarios.test_digest_content import (
    CHANNEL,
    JONAS,
    claims,
    in_channel,
    jobs,
    neglected_world,
    partner_id,
    post,
    press,
    rows_of,
    subscribe,
    team_digest,
)
from tests.scenarios.test_digest_menu import updates, withdrawn
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, jobs_for
from tests.support.racing import at_once

__all__ = ["jobs", "team_digest"]  # the fixtures, used by name

SHARED = {"type": "channel_shared", "channel": CHANNEL, "connected_team_id": "T0PARTNER"}


def joined(rapport: RunningRapport, event_id: str, user: str) -> None:
    event = {"type": "member_joined_channel", "channel": CHANNEL, "user": user}
    rapport.event(event_id, {**event, "event_ts": "2.2"})
    assert rapport.wait_until_idle()


def shown_of(rapport: RunningRapport, digest: Digest) -> str | None:
    with rapport.db.reading() as session:
        stored = session.get(Digest, digest.id)
        assert stored is not None
        return stored.shown


def test_channel_shared_withdraws_every_digest_posted_there_once(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    clock.advance(timedelta(days=7))
    later = post(rapport, slack, clock, team_digest.subscription_id)
    slack.update_channel(CHANNEL, is_ext_shared=True)
    before = updates(slack)
    rapport.event("Ev-shared-1", {**SHARED, "event_ts": "1.1"})
    assert rapport.wait_until_idle()
    for digest in (team_digest, later):
        withdrawn(slack, digest, "digest.message.withdrawn_shared")
        assert shown_of(rapport, digest) is None
    assert updates(slack) == before + 2
    # Slack delivering the event again, or a colleague joining: nothing more to withdraw.
    rapport.event("Ev-shared-1", {**SHARED, "event_ts": "1.1"})
    assert rapport.wait_until_idle()
    joined(rapport, "Ev-joined-1", JONAS)
    assert updates(slack) == before + 2


def test_a_guest_joining_withdraws_the_digest_and_its_menu_changes_nothing(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    slack.add_user("U0GUEST", name="gina", real_name="Gina Gast", is_restricted=True)
    slack.update_channel(CHANNEL, join=["U0GUEST"])
    joined(rapport, "Ev-guest-1", "U0GUEST")
    withdrawn(slack, team_digest, "digest.message.withdrawn_guests")
    assert shown_of(rapport, team_digest) is None
    # The old menu, pressed from a client that has not refreshed: refused, nothing saved.
    answer = press(rapport, team_digest, CLAIM, partner_id(rapport, "Acme"), user=JONAS)
    assert text("de", "digest.claim.unknown_digest") in texts(answer)


def test_a_colleague_joining_leaves_the_digest_as_it_is(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    slack.add_user("U0NEW", name="nora", real_name="Nora Neu")
    slack.update_channel(CHANNEL, join=["U0NEW"])
    before = updates(slack)
    joined(rapport, "Ev-colleague-1", "U0NEW")
    assert updates(slack) == before
    assert len(rows_of(in_channel(slack, team_digest))) == 3
    assert shown_of(rapport, team_digest) is not None


def guest_in_channel(slack: SlackStandIn) -> None:
    slack.add_user("U0GUEST", name="gina", real_name="Gina Gast", is_restricted=True)
    slack.update_channel(CHANNEL, join=["U0GUEST"])


def lists_partners(slack: SlackStandIn, digest: Digest) -> bool:
    return bool(rows_of(in_channel(slack, digest)))


def test_a_digest_a_press_withdrew_stays_withdrawn_once_the_guest_left(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """A guest joined with no event seen (Slack did not deliver it): the first press finds the
    guest and withdraws the digest. The guest leaves again; an old menu pressed from a client
    not yet refreshed must not put the partners back into a message the guest may have read,
    as a digest the event withdrew does not (its `shown` is gone)."""
    guest_in_channel(slack)
    answer = press(rapport, team_digest, CLAIM, partner_id(rapport, "Acme"), user=JONAS)
    assert text("de", "digest.redraw.guests") in texts(answer)
    withdrawn(slack, team_digest, "digest.message.withdrawn_guests")
    slack.update_channel(CHANNEL, leave=["U0GUEST"])
    before = claims(rapport)
    answer = press(rapport, team_digest, TAKE_OVER, partner_id(rapport, "Umbrella"), user=JONAS)
    assert text("de", "digest.claim.unknown_digest") in texts(answer)
    withdrawn(slack, team_digest, "digest.message.withdrawn_guests")
    assert shown_of(rapport, team_digest) is None
    assert claims(rapport) == before


@pytest.mark.parametrize("refused", ["chat.update", "conversations.info"])
def test_a_withdrawal_slack_refuses_is_made_again_later(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    team_digest: Digest,
    refused: str,
) -> None:
    """A guest joins and Slack refuses the withdrawal's call (rate limited past the client's
    own retries): the digest shows partners to the guest for now, but the scheduled jobs
    withdraw it within minutes, without waiting for a press or another join."""
    guest_in_channel(slack)
    slack.fail_next(refused, times=10)
    joined(rapport, "Ev-guest-2", "U0GUEST")
    assert lists_partners(slack, team_digest)
    for _ in range(5):
        clock.advance(timedelta(minutes=1))
        jobs.run_once()
    assert rapport.wait_until_idle()
    assert not lists_partners(slack, team_digest)


def test_events_that_may_not_withdraw_change_nothing(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """Another workspace's channel with the same id shared or joined by a guest, a channel
    never subscribed shared, the bot joining: the digest keeps its partners and Slack is not
    asked to change any message."""
    guest_in_channel(slack)
    before = updates(slack)
    for number, event in enumerate(
        (
            {"type": "member_joined_channel", "channel": CHANNEL, "user": "U0GUEST"},
            {**SHARED, "event_ts": "3.3"},
        )
    ):
        envelope = event_callback(team_id="T0OTHER", event_id=f"Ev-other-{number}", event=event)
        rapport.sender.event(envelope)
    assert rapport.wait_until_idle()
    slack.update_channel(CHANNEL, leave=["U0GUEST"])
    rapport.event("Ev-never-1", {**SHARED, "channel": "C0NEVER", "event_ts": "4.4"})
    assert rapport.wait_until_idle()
    joined(rapport, "Ev-bot-1", slack.bot_user_id)
    assert updates(slack) == before
    assert lists_partners(slack, team_digest)
    assert shown_of(rapport, team_digest) is not None


def test_a_guest_joining_a_channel_whose_subscription_is_off_withdraws_all_the_same(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    with rapport.db.transaction() as session:
        subscription = session.get(DigestSubscription, team_digest.subscription_id)
        assert subscription is not None
        subscription.state = "off"
    guest_in_channel(slack)
    joined(rapport, "Ev-guest-3", "U0GUEST")
    withdrawn(slack, team_digest, "digest.message.withdrawn_guests")
    assert shown_of(rapport, team_digest) is None


def test_someone_of_another_organisation_joining_withdraws_it_as_shared(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """A Slack Connect user (another team's id) joining before any `channel_shared` arrived."""
    slack.add_user("U0EXT", team_id="T0PARTNER", name="ext", real_name="Erik Extern")
    slack.update_channel(CHANNEL, join=["U0EXT"])
    joined(rapport, "Ev-ext-1", "U0EXT")
    withdrawn(slack, team_digest, "digest.message.withdrawn_shared")
    assert shown_of(rapport, team_digest) is None


def test_a_guest_joining_while_a_press_redraws_leaves_no_partner_shown(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """The press and the event arrive together, in either order of their work: the last
    `chat.update` shows no partner, and the digest keeps no `shown`."""
    guest_in_channel(slack)
    acme = partner_id(rapport, "Acme")
    exchange = rapport.click(
        "rapport_digest",
        None,
        user=JONAS,
        selected_option={
            "text": {"type": "plain_text", "text": CLAIM},
            "value": f"rapport_digest_claim|{team_digest.id}:{acme}",
        },
        channel=CHANNEL,
        message_ts=team_digest.ts,
        is_ephemeral=False,
    )
    joined(rapport, "Ev-guest-4", "U0GUEST")
    exchange.later()
    assert rapport.wait_until_idle()
    withdrawn(slack, team_digest, "digest.message.withdrawn_guests")
    assert shown_of(rapport, team_digest) is None


def test_a_guest_joining_withdraws_every_digest_however_many_were_posted(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """105 digests posted in the channel (a daily rhythm's few months, or two years and a week
    of a weekly one): the guest's one join withdraws all of them."""
    posted = [team_digest]
    for _ in range(104):
        clock.advance(timedelta(days=7))
        posted.append(post(rapport, slack, clock, team_digest.subscription_id))
    guest_in_channel(slack)
    joined(rapport, "Ev-guest-5", "U0GUEST")
    assert lists_partners(slack, posted[1]) is False
    assert [d.period for d in posted if lists_partners(slack, d)] == []


def test_a_guest_joining_before_a_posted_digest_is_recovered_still_gets_no_partners(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock
) -> None:
    """Slack posts the digest but its answer comes too late (the dispatcher times out): the
    digest's `ts` is unknown until the next tick finds the message in the channel's history.
    A guest joining in between finds no digest to withdraw; once found, the digest must be
    withdrawn all the same."""
    neglected_world(rapport, slack, clock)
    subscribe(rapport)
    clock.set(at_berlin(2027, 3, 1, 9, 0))
    plan_digests(rapport.db, clock.now())
    client = jobs_for(rapport, clock, slack, timeout=0.3).dispatcher.client
    impatient = DigestDispatcher(
        rapport.db, clock, client, pause=lambda s: clock.advance(timedelta(seconds=s))
    )
    slack.stall_next("chat.postMessage", 1.0)
    assert impatient.tick().unsure == 1
    [message] = slack.messages(CHANNEL)
    assert rows_of(message)  # posted, listing partners
    guest_in_channel(slack)
    joined(rapport, "Ev-guest-6", "U0GUEST")
    clock.advance(timedelta(minutes=1))
    assert impatient.tick().recovered == 1
    assert rapport.wait_until_idle()
    [message] = slack.messages(CHANNEL)
    assert rows_of(message) == []


def test_guests_and_a_share_arriving_at_once_withdraw_each_digest_once(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """Two guests join, one of them twice (three events, each withdrawal on its own thread),
    all delivered at the same moment: the digest ends withdrawn, with no partner, and Slack is
    asked to change its message once."""
    slack.add_user("U0GUEST", name="gina", real_name="Gina Gast", is_restricted=True)
    slack.add_user("U0GAST", name="gustav", real_name="Gustav Gast", is_restricted=True)
    slack.update_channel(CHANNEL, join=["U0GUEST", "U0GAST"])
    before = updates(slack)
    events = [
        {"type": "member_joined_channel", "channel": CHANNEL, "user": "U0GUEST"},
        {"type": "member_joined_channel", "channel": CHANNEL, "user": "U0GAST"},
        {"type": "member_joined_channel", "channel": CHANNEL, "user": "U0GUEST"},
    ]
    at_once(3, lambda i: rapport.event(f"Ev-many-{i}", {**events[i], "event_ts": f"5.{i}"}))
    assert rapport.wait_until_idle()
    withdrawn(slack, team_digest, "digest.message.withdrawn_guests")
    assert shown_of(rapport, team_digest) is None
    assert updates(slack) == before + 1
