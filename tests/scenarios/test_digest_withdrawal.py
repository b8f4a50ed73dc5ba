"""A posted digest stops showing partners as soon as Slack says its channel may no longer read
them: `channel_shared` (another organisation) or `member_joined_channel` of a workspace guest,
without waiting for anyone to press its menu. A colleague joining changes nothing. Over signed
HTTP to the running app and the Slack stand-in, on SQLite and PostgreSQL.

The digest is posted as in `test_digest_content` (its fixtures are reused).
"""

from __future__ import annotations

from datetime import timedelta

from bot.blocks.digest.message import CLAIM
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.texts.reader import text
from storage.models import Digest
from tests.scenarios.test_digest_content import (
    CHANNEL,
    JONAS,
    in_channel,
    partner_id,
    post,
    press,
    rows_of,
    team_digest,
)
from tests.scenarios.test_digest_menu import updates, withdrawn
from tests.support.app import RunningRapport
from tests.support.blocks import texts

__all__ = ["team_digest"]  # the fixture, used by name

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
