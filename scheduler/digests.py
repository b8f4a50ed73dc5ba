"""Team-channel digests: one a channel a period, planned by the planner and posted once.

Planning (`plan_digests`, each planner tick): every active subscription whose latest post time
has passed since it was switched on gets its period's `digests` row, written once (ON CONFLICT
DO NOTHING on subscription and period). After downtime that is the latest period alone, never one
row per missed week, and what it lists is read when it is posted.

Dispatching (`DigestDispatcher.tick`, each delivery tick) leases ready digests in batches and,
for each:

1. asks Slack afresh about the channel (`conversations.info`, its members paged): a channel shared
   with another organisation, or with an invitation to share pending, or with a person of another
   organisation in it, suspends the subscription and its subscriber is told by DM (the digest
   would show partner data to people outside the company); a channel the bot cannot post in
   (archived, gone, the bot removed) gives the digest up and the subscription stays;
2. checks the members for workspace guests (Rapport's own members by their row, others through
   the directory's cached `users.info`): while there is one, that period has no digest;
3. marks it `sending`, renders it from the current state and keeps what it shows, in one
   transaction;
4. posts it with its id in the message metadata, and marks it `sent` with the ts.

Posts are paced as the nudge DMs are, from the same budget (`scheduler.pacing`): Slack's limit
on chat.postMessage is one for the workspace, whether a post goes to a DM or a channel.
Slack's refusals are read as the nudge DMs' are (`scheduler.dispatcher`): a 429 puts the digest
back for `Retry-After` (no attempt counted) and lowers the shared rate; a wait up to
`LONGEST_TICK_WAIT` pauses the tick, a longer one only puts back that workspace's digests for
the rest of it (the other workspaces' go on, as the DMs' do); a 5xx,
a timeout or an unclear answer leaves it `sending` until a `conversations.history` check a
minute on finds the message by its metadata (found: sent; not found: posted again), so neither
a crash nor a timeout posts twice; a broken token stops the tick; other refusals back off, and
the digest is given up after MAX_ATTEMPTS. A channel post is never held for anyone's working
hours or holidays.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.digest import DigestMessage
from bot.blocks.digest.subscription import suspended_notice
from bot.rules.clock import Clock
from bot.rules.digests.schedule import latest_period, next_post
from bot.slack.users import LookupFailed
from bot.texts.reader import reader_of
from bot.usecases.digests.buttons import DigestButtons
from bot.usecases.digests.content import render_digest, shown_to_json
from bot.usecases.digests.postable import EXT_SHARED, channel_verdict
from bot.usecases.slack_directory import SlackDirectory
from scheduler.dispatcher import (
    CLAIM_BATCH,
    HISTORY_INTERVAL,
    LEASE,
    LONGEST_TICK_WAIT,
    MAX_ATTEMPTS,
    RATE_LIMITED,
    RETRY_BASE,
    TOKEN,
    TOKEN_RETRY,
    UNSURE,
    HistoryUnread,
    StopTick,
    TickResult,
    drain,
    error_code,
    find_posted,
    new_owner,
    refusal_kind,
    retry_after_seconds,
)
from scheduler.pacing import Pacer
from storage.db import Database
from storage.models import Digest, DigestSubscription, Member, Workspace
from storage.queries.digests.outbox import (
    active_subscriptions,
    add_digests,
    claim_digests,
    digest_waits,
    held_digest,
)
from storage.queries.digests.subscriptions import suspend

log = logging.getLogger(__name__)

METADATA_EVENT = "rapport_digest"
# The channel is gone or the bot cannot post in it: retrying will not help, and the subscription
# stays (`digest status` shows why its last digest was not posted).
CHANNEL_GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# A lookup Slack did not answer (an outage, a missing scope) is asked again this much later.
LOOKUP_RETRY = timedelta(minutes=5)
# Why a digest was not posted, as `digests.error` keeps it.

# What draws a digest: the session, the subscription, the Slack ids of the channel's members at
# posting time, now, and the id of the digest being posted (its menus carry it). The default is
# `bot.usecases.digests.content.render_digest`.
Render = Callable[[Session, DigestSubscription, Sequence[str], datetime, str], DigestMessage]
ShownJson = Callable[[DigestMessage], str]


def render_for_post(
    session: Session,
    subscription: DigestSubscription,
    members: Sequence[str],
    now: datetime,
    digest_id: str,
) -> DigestMessage:
    """The digest as it is posted: selected anew from the current state."""
    return render_digest(session, subscription, members, now, digest_id=digest_id)


def digest_metadata(digest_id: str) -> dict[str, Any]:
    """The metadata a digest is posted with: how a history check recognises it."""
    return {"event_type": METADATA_EVENT, "event_payload": {"digest": digest_id}}


# --- planning -------------------------------------------------------------------------------------


def plan_digests(db: Database, now: datetime) -> int:
    """Write the due period's digest of each active subscription, once; how many are due.

    Two statements whatever the number of subscriptions: one select, one executemany.
    """
    with db.transaction() as session:
        due = [
            {
                "id": str(uuid.uuid4()),
                "workspace_id": subscription.workspace_id,
                "subscription_id": subscription.id,
                "period": period,  # `ready`, no attempt yet: the columns' defaults
                "channel_id": subscription.channel_id,
                "created_at": now,
            }
            for subscription in active_subscriptions(session)
            if (period := latest_period(subscription, now, subscription.updated_at)) is not None
        ]
        add_digests(session, due)
    return len(due)


def next_digest_due(db: Database, after: datetime, until: datetime) -> datetime | None:
    """The first instant in (after, until] at which a digest falls due or a digest's wait ends."""
    with db.reading() as session:
        instants = digest_waits(session, after, until)
        for subscription in active_subscriptions(session):
            # A post before the subscription was switched on is none of its posts.
            since = max(after, subscription.updated_at - timedelta(microseconds=1))
            posts = next_post(subscription, since)
            if posts <= until:
                instants.append(posts)
    return min(instants, default=None)


# --- dispatching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Channel:
    """What Slack said about a digest's channel just before posting."""

    members: list[str] | None = None  # the members, when the digest may be posted
    finish: str | None = None  # "dead" or "skipped" when it may not
    error: str | None = None  # why not
    shared: str | None = None  # "ext_shared" or "pending_ext_shared": suspend the subscription


@dataclass
class DigestDispatcher:
    """The channel outbox to Slack; several may run at once (each digest is leased to one)."""

    db: Database
    clock: Clock
    client: WebClient
    render: Render = render_for_post
    shown_json: ShownJson = shown_to_json
    # Waits out a Retry-After; tests pass one that moves their clock instead of sleeping.
    pause: Callable[[float], None] = time.sleep
    directory: SlackDirectory | None = None
    owner: str = field(default_factory=new_owner)
    # The workspace's posting budget; one of its own when none is given (the budget itself is
    # shared through the database all the same).
    pacer: Pacer | None = None
    _history_free_at: datetime | None = None
    # Workspaces Slack asked to wait longer than LONGEST_TICK_WAIT, until when: their digests
    # are put back until then instead of the tick sleeping for all workspaces.
    _waiting: dict[int, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.directory is None:
            self.directory = SlackDirectory(self.db, self.clock)
        if self.pacer is None:
            self.pacer = Pacer(self.db, self.clock, self.pause)

    def tick(self) -> TickResult:
        """Post every digest that is due and may be posted."""
        return drain(self._claim, self._deliver, TickResult())

    def _claim(self) -> list[Digest]:
        now = self.clock.now()
        with self.db.transaction() as session:
            claimed = claim_digests(session, self.owner, now, now + LEASE, CLAIM_BATCH)
            session.expunge_all()
            return claimed

    def _deliver(self, claimed: Digest, result: TickResult) -> None:
        if self._waiting_for_slack(claimed, result):
            return
        if claimed.state == "sending" and not self._recover(claimed, result):
            return
        if self._not_to_post(claimed.id, result):
            return
        channel = self._look(claimed, result)
        if channel is None:
            return
        if channel.shared is not None:
            self._suspend(claimed, channel.shared, result)
            return
        if channel.members is None:
            self._finish(claimed.id, channel.finish or "dead", channel.error, result)
            return
        prepared = self._prepare(claimed.id, channel.members, result)
        if prepared is None:
            return
        digest, message = prepared
        if self._slot_far_off(digest, result):
            return
        try:
            answer = self.client.chat_postMessage(
                channel=digest.channel_id,
                text=message.reply.text,
                blocks=[block.to_dict() for block in message.reply.blocks],
                metadata=digest_metadata(digest.id),
                unfurl_links=False,
            )
        except SlackApiError as error:
            self._refused(digest, error, result)
            return
        except OSError as error:  # a timeout or a dropped connection: Slack may have posted
            log.warning("digest %s: no answer from Slack (%s); will check", digest.id, error)
            self._unsure(digest.id, result)
            return
        assert self.pacer is not None  # __post_init__ made one
        self.pacer.accepted(digest.workspace_id)
        self._update(digest.id, state="sent", ts=str(answer["ts"]), done_at=self.clock.now())
        result.sent += 1

    def _waiting_for_slack(self, claimed: Digest, result: TickResult) -> bool:
        """Put a ready digest back until its workspace's long wait is over (`_wait_out`)."""
        until = self._waiting.get(claimed.workspace_id)
        now = self.clock.now()
        if until is None or until <= now or claimed.state != "ready":
            return False
        self._put_back(claimed, until - now, "ratelimited")
        result.deferred += 1
        return True

    def _slot_far_off(self, digest: Digest, result: TickResult) -> bool:
        """Wait for the workspace's next send slot, unless it is further off than
        LONGEST_TICK_WAIT: the shared budget may hold a long Retry-After that another sender met
        (a nudge DM, another scheduler), which this tick must not sleep. Then the digest, not
        posted, is put back until the slot (its attempt not counted, as after a 429) and the
        workspace's other digests wait with it. True when put back."""
        assert self.pacer is not None  # __post_init__ made one
        at = self.pacer.turn_within(digest.workspace_id, LONGEST_TICK_WAIT.total_seconds())
        if at is None:
            return False
        self._waiting[digest.workspace_id] = at
        self._put_back(digest, at - self.clock.now(), "ratelimited", attempts=-1)
        result.deferred += 1
        return True

    def _wait_out(self, workspace_id: int, seconds: float) -> None:
        """Slack's limit is the workspace's: its next call would be refused until `seconds`
        pass. A short wait is slept in the tick; a longer one holds only that workspace's
        digests (`_waiting_for_slack`), not every other workspace's for as long."""
        if seconds <= LONGEST_TICK_WAIT.total_seconds():
            self.pause(seconds)
            return
        self._waiting[workspace_id] = self.clock.now() + timedelta(seconds=seconds)

    def _not_to_post(self, digest_id: str, result: TickResult) -> bool:
        """Settle a digest that is not to be posted at all (its subscription switched off or
        suspended, or a later period due) before Slack is asked anything about its channel."""
        now = self.clock.now()
        with self.db.transaction() as session:
            held = self._held(session, digest_id, now)
            skip = None if held is None else _why_not_now(held[1], held[0], now)
            if held is None or skip is None:
                return held is None
            _settle(held[0], "skipped", skip, now)
        result.skipped += 1
        return True

    # --- the channel, as Slack says it is now ---------------------------------------------------

    def _look(self, digest: Digest, result: TickResult) -> _Channel | None:
        """The channel's facts and members, or None when Slack did not answer (the digest
        waits). The check is the one a redraw makes too (`channel_verdict`)."""
        assert self.directory is not None
        try:
            verdict = channel_verdict(
                self.db, self.client, self.directory, digest.workspace_id, digest.channel_id
            )
        except LookupFailed as failed:
            self._not_answered(digest, failed, result)
            return None
        if verdict.shared:
            return _Channel(shared=verdict.error)
        if verdict.members is None:
            return _Channel(finish="dead" if verdict.gone else "skipped", error=verdict.error)
        return _Channel(members=verdict.members)

    def _not_answered(self, digest: Digest, failed: LookupFailed, result: TickResult) -> None:
        """Slack did not answer about the channel or its people: the digest waits, as long as a
        429 asks (no attempt counted) or LOOKUP_RETRY, and is given up after MAX_ATTEMPTS."""
        retry_after = failed.retry_after
        if retry_after:
            self._put_back(digest, timedelta(seconds=retry_after), failed.error, attempts=0)
            result.rate_limited += 1
            self._wait_out(digest.workspace_id, retry_after)
        elif digest.attempts + 1 >= MAX_ATTEMPTS:
            self._finish(digest.id, "dead", failed.error, result)
        else:
            self._put_back(digest, LOOKUP_RETRY, failed.error, attempts=1)
            result.deferred += 1

    # --- the digest, drawn from the current state ------------------------------------------------

    def _prepare(
        self, digest_id: str, members: list[str], result: TickResult
    ) -> tuple[Digest, DigestMessage] | None:
        """Mark the digest `sending` and render it, or settle it if nothing is to be posted."""
        now = self.clock.now()
        with self.db.transaction() as session:
            held = self._held(session, digest_id, now)
            if held is None:
                return None
            digest, subscription = held
            skip = _why_not_now(subscription, digest, now)
            message = None if skip else self.render(session, subscription, members, now, digest.id)
            if message is not None and message.quiet and subscription.quiet == "nothing":
                skip = "quiet"
            if skip or message is None:
                _settle(digest, "skipped", skip, now)
                result.skipped += 1
                return None
            digest.state, digest.sending_since = "sending", now
            digest.attempts += 1
            digest.lease_until = now + LEASE
            digest.shown = self.shown_json(message)
            session.flush()
            session.expunge(digest)
            return digest, message

    def _held(
        self, session: Session, digest_id: str, now: datetime
    ) -> tuple[Digest, DigestSubscription] | None:
        """The digest and its subscription, or None when the lease ran out and another
        dispatcher has the digest."""
        digest = held_digest(session, digest_id, self.owner, now)
        if digest is None:
            return None
        return digest, session.get_one(DigestSubscription, digest.subscription_id)

    # --- when Slack says no, or says nothing ----------------------------------------------------

    def _refused(self, digest: Digest, error: SlackApiError, result: TickResult) -> None:
        code, kind = error_code(error), refusal_kind(error)
        if kind == RATE_LIMITED:
            retry_after = retry_after_seconds(error)
            # Slack did not post: not an attempt (the one counted when sending is taken back).
            self._put_back(digest, timedelta(seconds=retry_after), code, attempts=-1)
            result.rate_limited += 1
            assert self.pacer is not None  # __post_init__ made one
            self.pacer.limited(digest.workspace_id, retry_after)
            self._wait_out(digest.workspace_id, retry_after)
        elif kind == UNSURE:
            self._unsure(digest.id, result)
        elif kind == TOKEN:
            self._put_back(digest, TOKEN_RETRY, code, attempts=-1)
            log.error("Slack refused Rapport's token (%s): no digests until it is fixed", code)
            raise StopTick(code)
        elif code in CHANNEL_GONE or digest.attempts >= MAX_ATTEMPTS:
            self._finish(digest.id, "dead", code, result)
        else:
            log.error("digest %s refused: %s", digest.id, code)
            self._put_back(digest, RETRY_BASE * 2 ** (digest.attempts - 1), code)
            result.deferred += 1

    def _put_back(self, digest: Digest, wait: timedelta, error: str, *, attempts: int = 0) -> None:
        """Not posted: the digest is `ready` again after `wait`, its attempts moved by
        `attempts`."""
        self._update(
            digest.id,
            state="ready",
            sending_since=None,
            not_before=self.clock.now() + wait,
            error=error,
            attempts=digest.attempts + attempts,
        )

    def _unsure(self, digest_id: str, result: TickResult) -> None:
        """Slack may have posted: the digest stays `sending` for a history check a minute on."""
        until = self.clock.now() + HISTORY_INTERVAL
        self._update(digest_id, not_before=until, error="no clear answer from Slack")
        result.unsure += 1

    def _finish(self, digest_id: str, state: str, error: str | None, result: TickResult) -> None:
        self._update(digest_id, state=state, error=error, done_at=self.clock.now())
        if state == "dead":
            result.dead += 1
        else:
            result.skipped += 1

    def _update(self, digest_id: str, **values: Any) -> None:
        """Set a digest's columns, and let go of its lease (its next step is another tick's)."""
        with self.db.transaction() as session:
            digest = session.get_one(Digest, digest_id)
            digest.lease_until = None
            if values.get("state") == "sent":
                digest.error = None
            for name, value in values.items():
                setattr(digest, name, value)

    # --- a shared channel ------------------------------------------------------------------------

    def _suspend(self, digest: Digest, reason: str, result: TickResult) -> None:
        """Suspend the subscription, skip the digest, and tell the subscriber (once: only the
        digest that found the channel shared suspends it)."""
        now = self.clock.now()
        with self.db.transaction() as session:
            found = self._held(session, digest.id, now)
            if found is None:
                return
            held, subscription = found
            suspended = suspend(session, subscription, reason, now)
            _settle(held, "skipped", EXT_SHARED, now)
            subscriber = session.get(Member, subscription.subscriber_id)
            told = suspended and subscriber is not None and subscriber.active
            user = subscriber.slack_user_id if subscriber is not None else ""
            dm = suspended_notice(reader_of(subscriber), held.channel_id, reason) if told else None
        result.skipped += 1
        if dm is None:
            return
        try:
            self.client.chat_postMessage(
                channel=user, text=dm.text, blocks=[block.to_dict() for block in dm.blocks]
            )
        except (SlackApiError, OSError) as error:
            # The subscription is suspended either way; `digest status` says why.
            log.warning(
                "digest %s: the subscriber was not told of the suspension (%s)", digest.id, error
            )

    # --- the rare path: did Slack post it after all? ----------------------------------------------

    def _recover(self, digest: Digest, result: TickResult) -> bool:
        """True when the digest must be posted (again); False when it was found or must wait."""
        now = self.clock.now()
        if self._history_free_at is not None and now < self._history_free_at:
            self._update(digest.id, not_before=self._history_free_at)
            return False
        self._history_free_at = now + HISTORY_INTERVAL
        since = digest.sending_since or digest.created_at
        mark = (METADATA_EVENT, "digest", digest.id)
        try:
            ts = find_posted(self.client, digest.channel_id, since, mark, pause=self.pause)
        except SlackApiError as error:
            if error_code(error) in CHANNEL_GONE:
                self._finish(digest.id, "dead", error_code(error), result)
                return False
            limited = refusal_kind(error) == RATE_LIMITED
            wait = timedelta(seconds=retry_after_seconds(error)) if limited else HISTORY_INTERVAL
            self._update(digest.id, not_before=now + wait)
            return False
        except (OSError, HistoryUnread):
            self._update(digest.id, not_before=now + HISTORY_INTERVAL)
            return False
        if ts is None:
            # Not posted after all: an ordinary ready digest again, still held by this dispatcher.
            with self.db.transaction() as session:
                session.get_one(Digest, digest.id).state = "ready"
            return True
        self._update(digest.id, state="sent", ts=ts, done_at=now)
        result.recovered += 1
        self._withdraw_if_refused(digest)
        return False

    def _withdraw_if_refused(self, digest: Digest) -> None:
        """A digest found posted only now: if its channel became shared or a guest joined
        meanwhile, no event could withdraw it then (its message was not known); it is
        withdrawn now as such an event would (`DigestButtons.withdraw_where_refused`)."""
        with self.db.reading() as session:
            team_id = session.get_one(Workspace, digest.workspace_id).team_id
        buttons = DigestButtons(self.db, self.clock, self.directory)
        buttons.withdraw_where_refused(self.client, team_id, digest.channel_id)


def _why_not_now(subscription: DigestSubscription, digest: Digest, now: datetime) -> str | None:
    """Why a ready digest is not to be posted at all: its subscription is no longer active, or a
    later period is due (after downtime, only the latest is posted)."""
    if subscription.state != "active":
        return subscription.state
    latest = latest_period(subscription, now, subscription.updated_at)
    if digest.state == "ready" and latest is not None and latest > digest.period:
        return "superseded"
    return None


def _settle(digest: Digest, state: str, error: str | None, now: datetime) -> None:
    digest.state, digest.error, digest.done_at, digest.lease_until = state, error, now, None
