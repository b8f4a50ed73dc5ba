"""The dispatcher: the outbox to Slack, one DM per person per working day, each sent once.

A tick opens today's bundle for everyone with something due who is at work now (not in scheduled
Do Not Disturb), then claims bundles in batches and sends each:

1. mark it `sending` (with the time) and render it from current data, in one transaction;
2. post it to the member's user id, its bundle id in the message metadata;
3. mark it `sent` with the `ts` and the `D…` channel Slack answered.

Posts are paced to the workspace's posting rate, learned from Slack's answers and shared through
the database with every other scheduler process (`scheduler.pacing`, `bot.rules.pacing`): it
starts at one a second, doubles in a fraction of a second while Slack accepts, and falls just
under what was accepted when Slack answers 429. `pace` (RAPPORT_DM_PER_SECOND) is a ceiling.

A DM is prepared only when its workspace's next send slot is near (`LONGEST_SLOT_WAIT`): the
claimed DMs of a workspace whose slot is further off (a slow rate, a `Retry-After`) are set
aside, still leased to this dispatcher, and prepared when it comes, once each, while other
workspaces' DMs go meanwhile. A 429 puts the bundle back (Slack did not post) until
`Retry-After` is over; its workspace's other DMs wait as long, while other workspaces' go on
(the limit is each workspace's). A timeout, a 5xx or a crash between 2 and 3 leaves it
`sending`: Slack may have posted. Such a bundle is sent again only after the DM's history shows
no message carrying its bundle id. That check costs a `conversations.history` call, which Slack
allows once a minute to apps outside its Marketplace, so it is the rare path, never the normal
one.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.nudge_dm import METADATA_EVENT, nudge_dm, nudge_metadata
from bot.blocks.replies import Reply, partner_label
from bot.rules.clock import Clock
from bot.rules.working_hours import WorkingHours
from bot.rules.zones import ZONE_LEAD
from bot.slack.users import retry_after_of
from bot.texts.reader import reader_of
from bot.usecases.after_hours.figures import after_hours_to_tell
from bot.usecases.nudge_items import due_items, one_sided_to_tell
from scheduler.pacing import Pacer
from storage.db import Database
from storage.models import Bundle, Member
from storage.queries.outbox.bundles import (
    add_bundles,
    attach_waiting,
    claim_bundles,
    days_with_a_dm,
    drop_nudges,
    finish_bundle,
    finish_nudges,
    held_bundle,
    hold_bundles,
    mark_bundle_sent,
    nudges_in,
    release_nudges,
    waiting_recipients,
)
from storage.queries.partners import collisions_to_tell, mark_collisions_told

log = logging.getLogger(__name__)

Row = TypeVar("Row")

LEASE = timedelta(minutes=5)
# conversations.history: 1 call a minute for apps distributed outside the Marketplace.
HISTORY_INTERVAL = timedelta(minutes=1)
# Looking back this far before the send started finds the message whatever the clocks' skew.
HISTORY_SLACK = timedelta(minutes=2)
TOKEN_RETRY = timedelta(minutes=15)
RETRY_BASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6
CLAIM_BATCH = 25
# A send slot this close is waited for in place; one further off (a Retry-After, a slow rate)
# sets the workspace's DMs aside until it comes, so that other workspaces' DMs go meanwhile.
# A DM is prepared only once its slot is this close: prepared for a slot further off, it would
# have to be put back and prepared again, or shown a second or more after it was read.
LONGEST_SLOT_WAIT = timedelta(milliseconds=250)
# The longest a tick waits when every DM left waits for a slot: one further off ends the tick,
# and a later delivery run (one a minute) sends them when it comes. Waiting out a long
# Retry-After in the tick held back every other workspace's DMs that came due meanwhile (a
# colleague starting work), and the team digests' tick that runs after this one.
LONGEST_TICK_WAIT = timedelta(seconds=30)
DND_USERS_PER_CALL = 50

# The recipient is gone or cannot receive DMs from the app: retrying will not help.
RECIPIENT_GONE = frozenset(
    {
        "user_not_found",
        "channel_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "is_archived",
    }
)
# The app's own token no longer works: nothing can be sent to anyone until an operator acts.
TOKEN_BROKEN = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "team_access_not_granted"}
)
# Slack's own words for "this may or may not have happened".
OUTCOME_UNKNOWN = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
NO_DND_SCOPE = frozenset({"missing_scope", "not_allowed_token_type", "no_permission"})
# The history check reads this many messages a page (Slack's most for apps outside its
# Marketplace) and at most this many pages of its window.
HISTORY_PAGE = 15
HISTORY_PAGES = 5
# The longest Retry-After a page after the first waits out in place: Slack allows such apps one
# call a minute, so a minute's wait is the rule there; a longer one is raised, and the caller
# checks again later rather than hold its tick (and every other workspace's posts) for it.
HISTORY_LONGEST_WAIT = timedelta(minutes=2)


@dataclass
class TickResult:
    """What one dispatcher tick did, for logs, `rapport run-jobs` and tests."""

    sent: int = 0
    dead: int = 0
    skipped: int = 0
    deferred: int = 0
    recovered: int = 0
    rate_limited: int = 0
    unsure: int = 0
    stopped: str | None = None


class StopTick(Exception):
    """Nothing more can be sent this tick (the token is broken); carries Slack's error word."""


def new_owner() -> str:
    """Who holds a lease: this host, process and dispatcher."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def drain(
    claim: Callable[[], Sequence[Row]],
    deliver: Callable[[Row, TickResult], None],
    result: TickResult,
) -> TickResult:
    """Deliver what `claim` leases, batch after batch, until it leases nothing or a delivery
    finds the token broken (`StopTick`)."""
    try:
        while batch := claim():
            for row in batch:
                deliver(row, result)
    except StopTick as stop:
        result.stopped = str(stop)
    return result


@dataclass
class Dispatcher:
    db: Database
    clock: Clock
    client: WebClient
    # Waits out a Retry-After; tests pass one that moves their clock instead of sleeping.
    pause: Callable[[float], None] = time.sleep
    # The ceiling on the learned posting rate, posts a second (RAPPORT_DM_PER_SECOND); None:
    # none, the rate is whatever Slack's answers allow.
    pace: float | None = None
    owner: str = field(default_factory=new_owner)
    dnd_readable: bool = True
    _history_free_at: datetime | None = None
    pacer: Pacer = field(init=False)
    # Bundles of the claimed batch not yet delivered, per workspace: how many slots to ask for.
    _batch_left: Counter[int] = field(default_factory=Counter)
    # The claimed batch's bundles not yet reached, by id, in the batch's order.
    _unreached: dict[str, Bundle] = field(default_factory=dict)
    # Workspaces that may not post before a time (a 429's Retry-After, a slot further off than
    # LONGEST_SLOT_WAIT): their DMs are neither claimed nor sent until then.
    _waiting: dict[int, datetime] = field(default_factory=dict)
    # Claimed DMs of waiting workspaces, not yet prepared, leased to this dispatcher: the first
    # batch handed out once their workspace's wait is over, back to the outbox when the tick
    # ends first.
    _aside: list[Bundle] = field(default_factory=list)
    # Posts go out on a thread of their own during a tick, one at a time, while the next DM is
    # rendered; the DM being posted, with its bundle and member, until its answer is recorded.
    _poster: ThreadPoolExecutor | None = None
    _in_flight: tuple[Bundle, Member, Future[Any]] | None = None

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.db, self.clock, self.pause, self.pace)

    # --- a tick --------------------------------------------------------------------------------

    def tick(self) -> TickResult:
        """Open today's DMs for whoever is due and at work, then send every claimable one.

        A workspace waiting for its next send slot (a 429's Retry-After, a slow learned rate)
        holds up only its own DMs: they are set aside until the slot and the other workspaces'
        DMs go meanwhile. The tick waits only when every DM left is waiting so, until the first
        slot among them if it comes within LONGEST_TICK_WAIT, and then goes on; a slot further
        off ends the tick, its DMs go back to the outbox until then, and the ticks after it
        send them when it has come.
        """
        self.open_bundles(self.clock.now())
        result = TickResult()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-post") as poster:
            self._poster = poster
            try:
                return self._send_all(result)
            finally:
                self._poster = None
                self._give_back()

    def _send_all(self, result: TickResult) -> TickResult:
        while True:
            drain(self._claim, self._deliver, result)
            if result.stopped is None:
                try:
                    self._settle(result)
                except StopTick as stop:
                    result.stopped = str(stop)
            if result.stopped is not None or not self._waiting:
                return result
            until = min(self._waiting.values())
            if until - self.clock.now() > LONGEST_TICK_WAIT:
                return result  # the waiting workspaces are skipped until then (`_claim`)
            self.pause(max(0.0, (until - self.clock.now()).total_seconds()))
            self._forget_waits(self.clock.now())

    def open_bundles(self, now: datetime) -> None:
        """Today's DM for each member with something due who is at work at `now`.

        A member away until a day gets none before that day: their nudges stay pending and all
        come in the DM of the day they are back.
        """
        with self.db.reading() as session:
            waiting = waiting_recipients(session)
            # Those who had today's DM wait for tomorrow's; Slack need not be asked about them.
            had_dm = days_with_a_dm(session, (now - ZONE_LEAD).date())
        ready = []
        for member in waiting:
            hours = WorkingHours.of(member)
            today = hours.today(now)
            due = member.first_period <= today and (member.id, today) not in had_dm
            away = member.away_until is not None and today < member.away_until
            if due and not away and hours.is_at_work(now):
                ready.append((member, today))
        in_dnd = self._in_dnd([member.slack_user_id for member, _ in ready], now)
        bundles = [
            {
                "id": str(uuid.uuid4()),
                "workspace_id": member.workspace_id,
                "member_id": member.id,
                "local_day": today,
                "state": "ready",
                "attempts": 0,
                "created_at": now,
            }
            for member, today in ready
            if member.slack_user_id not in in_dnd
        ]
        with self.db.transaction() as session:
            add_bundles(session, bundles)

    def _claim(self) -> list[Bundle]:
        """The next batch: the DMs set aside whose workspace's wait is over, or else one claimed
        from the outbox without the DMs of workspaces waiting for a slot."""
        now = self.clock.now()
        self._forget_waits(now)
        batch = [bundle for bundle in self._aside if bundle.workspace_id not in self._waiting]
        if batch:
            self._aside = [bundle for bundle in self._aside if bundle.workspace_id in self._waiting]
        else:
            with self.db.transaction() as session:
                batch = claim_bundles(
                    session, self.owner, now, now + LEASE, CLAIM_BATCH, set(self._waiting)
                )
        self._batch_left = Counter(bundle.workspace_id for bundle in batch)
        self._unreached = {bundle.id: bundle for bundle in batch}
        return batch

    def _forget_waits(self, now: datetime) -> None:
        self._waiting = {ws: until for ws, until in self._waiting.items() if until > now}

    def _hold_workspace(self, workspace_id: int, until: datetime) -> None:
        """`workspace_id` posts nothing before `until`: its DMs are not claimed meanwhile, and
        those of the claimed batch not yet reached are set aside until then, with no write."""
        self._waiting[workspace_id] = max(until, self._waiting.get(workspace_id, until))
        for bundle in [b for b in self._unreached.values() if b.workspace_id == workspace_id]:
            del self._unreached[bundle.id]
            self._aside.append(bundle)

    def _give_back(self) -> None:
        """The tick ends: the DMs set aside go back to the outbox, claimable by any dispatcher
        once their workspace's wait is over, in one UPDATE per wait.

        One whose lease ran out while it was set aside (a slow rate, a long tick) is claimable
        already, perhaps claimed by another dispatcher: it is left as it is. (Handed out again
        within the tick, such a DM is found not held when it is prepared, and claimed afresh.)
        """
        now = self.clock.now()
        back: dict[datetime, list[str]] = {}
        for bundle in self._aside:
            if bundle.lease_until is not None and bundle.lease_until > now:
                until = max(now, self._waiting.get(bundle.workspace_id, now))
                back.setdefault(until, []).append(bundle.id)
        self._aside = []
        if back:
            with self.db.transaction() as session:
                for until, ids in back.items():
                    hold_bundles(session, ids, until)

    # --- one DM --------------------------------------------------------------------------------

    def _deliver(self, claimed: Bundle, result: TickResult) -> None:
        """Prepare the DM (marked `sending`, rendered) while the one before is being posted, then
        settle that one and post this one in its turn.

        Rendering overlaps the round trip to Slack, which is most of the time a post takes
        beside it; posts still go one at a time, in their slots. A crash while the DM before is
        being posted leaves two bundles `sending` instead of one: each is checked in its DM's
        history before being sent again, so neither is lost or doubled.

        The slot is asked for first: when it is further off than LONGEST_SLOT_WAIT (a slow
        rate, a Retry-After), the DM is set aside unprepared with its workspace's others and
        prepared once, when the slot is near. So whatever the pace, a prepared DM waits for its
        slot no longer than the post before's round trip or LONGEST_SLOT_WAIT, and shows its
        items as they were a moment before it is posted. Only a 429 learnt after preparing (on
        the post before) puts a prepared DM back, to be prepared again after the wait.
        """
        workspace = claimed.workspace_id
        wanted = max(1, self._batch_left[workspace])
        self._batch_left[workspace] -= 1
        if self._unreached.pop(claimed.id, None) is None:
            return  # set aside with its workspace's other DMs, which wait for a slot
        slot = self.pacer.next_turn(workspace, LONGEST_SLOT_WAIT.total_seconds(), wanted)
        if slot - self.clock.now() > LONGEST_SLOT_WAIT:
            self._aside.append(claimed)
            self._hold_workspace(workspace, slot)
            return
        if claimed.state == "sending" and not self._recover(claimed, result):
            return
        prepared = self._prepare(claimed.id, result)
        try:
            self._settle(result)
        except StopTick:
            if prepared is not None:
                self._unprepare(prepared[0].id, self.clock.now() + TOKEN_RETRY)
            raise
        if prepared is None:
            return
        bundle, member, reply = prepared
        now = self.clock.now()
        # The slot named near has moved off only when a 429 came meanwhile (on the post before,
        # or on another sender's sharing the pacer) or such a sender took it: this DM then goes
        # back unposted until the slot it would get.
        later = self._waiting.get(workspace)  # the DM before met a 429
        if later is None or later <= now:
            later = self.pacer.turn_within(workspace, LONGEST_SLOT_WAIT.total_seconds(), wanted)
        if later is not None:
            self._unprepare(bundle.id, later)
            self._hold_workspace(workspace, later)
            return
        blocks = [block.to_dict() for block in reply.blocks]
        assert self._poster is not None, "a tick is running"
        posting = self._poster.submit(
            self.client.chat_postMessage,
            channel=member.slack_user_id,
            text=reply.text,
            blocks=blocks,
            metadata=nudge_metadata(bundle.id),
            unfurl_links=False,
        )
        self._in_flight = (bundle, member, posting)

    def _settle(self, result: TickResult) -> None:
        """Wait for the DM being posted, if any, and record what Slack answered."""
        if self._in_flight is None:
            return
        bundle, member, posting = self._in_flight
        self._in_flight = None
        try:
            answer = posting.result()
        except SlackApiError as error:
            self._refused(bundle, member, error, result)
            return
        except OSError as error:  # a timeout or a dropped connection: Slack may have posted
            log.warning("nudge DM %s: no answer from Slack (%s); will check", bundle.id, error)
            self._unsure(bundle.id, result)
            return
        self.pacer.accepted(bundle.workspace_id)
        self._mark_sent(bundle, answer["channel"], answer["ts"])
        result.sent += 1

    def _unprepare(self, bundle_id: str, until: datetime) -> None:
        """A DM prepared and never posted (its workspace must wait, or the token broke) is
        `ready` again from `until` on: no attempt counted, no history check needed."""
        with self.db.transaction() as session:
            bundle = session.get_one(Bundle, bundle_id)
            bundle.state, bundle.sending_since = "ready", None
            bundle.not_before, bundle.lease_until = until, None
            bundle.attempts -= 1

    def _prepare(self, bundle_id: str, result: TickResult) -> tuple[Bundle, Member, Reply] | None:
        """Mark the bundle `sending` and render it, or settle it if there is nothing to send."""
        now = self.clock.now()
        with self.db.transaction() as session:
            bundle = held_bundle(session, bundle_id, self.owner, now)
            if bundle is None:
                return None  # the lease ran out and another dispatcher has it
            member = session.get_one(Member, bundle.member_id)
            hours = WorkingHours.of(member)
            if not member.active or member.is_guest:
                # Left, or now a guest (who sees no partner data): the nudges wait, unsent.
                release_nudges(session, bundle.id)
                session.delete(bundle)
                return None
            if bundle.state == "ready" and hours.today(now) != bundle.local_day:
                # Waited past its day (a long outage): today's bundle takes its nudges.
                release_nudges(session, bundle.id)
                session.delete(bundle)
                return None
            if bundle.state == "ready" and not hours.is_at_work(now):
                bundle.not_before, bundle.lease_until = hours.next_window(now), None
                result.deferred += 1
                return None
            attach_waiting(session, bundle)
            reply = self._render(session, bundle, member, now)
            if reply is None:
                release_nudges(session, bundle.id)
                session.delete(bundle)
                result.skipped += 1
                return None
            bundle.state, bundle.sending_since = "sending", now
            bundle.attempts += 1
            bundle.lease_until = now + LEASE
            session.flush()  # before expunging, or the marks would never reach the database
            session.expunge(member)
            session.expunge(bundle)
            return bundle, member, reply

    def _render(
        self, session: Session, bundle: Bundle, member: Member, now: datetime
    ) -> Reply | None:
        """The DM as of `now`; nudges whose item was dealt with meanwhile are marked skipped,
        those whose partner is now someone else's to be nudged about are deleted, and those not
        shown with buttons (listed in a compact line, or only counted) wait for the next day's
        DM, where they go first."""
        nudges = nudges_in(session, bundle.id)
        due = due_items(session, member, nudges, now)
        # Someone else's now (a claim began or ended): never sent, gone rather than skipped.
        drop_nudges(session, due.moved)
        stale = [n.id for n in nudges if n.id not in due.current and n.id not in due.moved]
        finish_nudges(session, stale, "skipped", now, reason="dealt with before sending")
        if not due.check_ins and not due.promises and not due.hand_overs:
            return None
        # Partners that now share a name with another are told of once, in a DM that is sent.
        collisions = collisions_to_tell(session, member.workspace_id, member.id, bundle.id)
        mark_collisions_told(session, collisions, bundle.id)
        # Likewise partners whose contacts all went one way: once per stretch, in a DM sent
        # anyway (never a DM of its own).
        one_sided = one_sided_to_tell(session, member, bundle.id, now)
        # Last week's after-hours figures: the member's own, in their first DM of the week.
        after_hours = after_hours_to_tell(session, member, bundle, now)
        dm = nudge_dm(
            reader_of(member),
            bundle.id,
            due.check_ins,
            due.promises,
            now,
            collisions=[partner_label(p.name, p.organisation) for p in collisions],
            hand_overs=due.hand_overs,
            one_sided=one_sided,
            after_hours=after_hours,
        )
        later = {(item.kind, item.subject_id) for item in dm.left_out}
        release_nudges(
            session, bundle.id, [n.id for n in nudges if (n.kind, n.subject_id) in later]
        )
        return dm.reply

    def _mark_sent(self, bundle: Bundle, channel: str, ts: str) -> None:
        with self.db.transaction() as session:
            mark_bundle_sent(session, bundle.id, bundle.member_id, channel, ts, self.clock.now())

    # --- when Slack says no, or says nothing ---------------------------------------------------

    def _refused(
        self, bundle: Bundle, member: Member, error: SlackApiError, result: TickResult
    ) -> None:
        code, kind = error_code(error), refusal_kind(error)
        if kind == RATE_LIMITED:
            retry_after = retry_after_seconds(error)
            wait = timedelta(seconds=retry_after)
            self._put_back(bundle.id, wait, code, count_attempt=False)
            result.rate_limited += 1
            self.pacer.limited(bundle.workspace_id, retry_after)
            # The limit is the workspace's: its DMs wait, other workspaces' go on.
            self._hold_workspace(bundle.workspace_id, self.clock.now() + wait)
        elif kind == UNSURE:
            self._unsure(bundle.id, result)
        elif kind == TOKEN or (code == "account_inactive" and self._token_broken()):
            self._put_back(bundle.id, TOKEN_RETRY, code, count_attempt=False)
            log.error("Slack refused Rapport's token (%s): no nudges until it is fixed", code)
            raise StopTick(code)
        elif code in RECIPIENT_GONE:
            self._dead(bundle.id, code, deactivate=True)
            result.dead += 1
        elif bundle.attempts >= MAX_ATTEMPTS:
            self._dead(bundle.id, code, deactivate=False)
            result.dead += 1
        else:
            log.error("nudge DM %s refused: %s", bundle.id, code)
            backoff = RETRY_BASE * 2 ** (bundle.attempts - 1)
            self._put_back(bundle.id, backoff, code)
            result.deferred += 1

    def _token_broken(self) -> bool:
        """`account_inactive` means a deleted user or workspace behind the token, per Slack; a
        deactivated recipient gets the same word. Ask who the token is to tell them apart."""
        try:
            self.client.auth_test()
        except SlackApiError as error:
            return str(error.response.get("error", "")) in TOKEN_BROKEN | {"account_inactive"}
        except OSError:
            return True
        return False

    def _put_back(
        self, bundle_id: str, wait: timedelta, error: str, *, count_attempt: bool = True
    ) -> None:
        """Slack did not post: the bundle is `ready` again, after `wait`."""
        now = self.clock.now()
        with self.db.transaction() as session:
            bundle = session.get_one(Bundle, bundle_id)
            bundle.state, bundle.sending_since = "ready", None
            bundle.not_before, bundle.lease_until, bundle.error = now + wait, None, error
            if not count_attempt:
                bundle.attempts -= 1

    def _unsure(self, bundle_id: str, result: TickResult) -> None:
        """Slack may have posted: leave the bundle `sending` for a history check a minute on."""
        now = self.clock.now()
        with self.db.transaction() as session:
            bundle = session.get_one(Bundle, bundle_id)
            bundle.not_before, bundle.lease_until = now + HISTORY_INTERVAL, None
            bundle.error = "no clear answer from Slack"
        result.unsure += 1

    def _dead(self, bundle_id: str, reason: str, *, deactivate: bool) -> None:
        now = self.clock.now()
        with self.db.transaction() as session:
            bundle = session.get_one(Bundle, bundle_id)
            bundle.state, bundle.error, bundle.done_at, bundle.lease_until = (
                "dead",
                reason,
                now,
                None,
            )
            finish_bundle(session, bundle_id, "dead", now, reason=reason)
            if deactivate:
                member = session.get_one(Member, bundle.member_id)
                member.active = False
                log.warning(
                    "member %s cannot receive DMs (%s): marked inactive",
                    member.slack_user_id,
                    reason,
                )

    # --- the rare path: did Slack post it after all? --------------------------------------------

    def _recover(self, bundle: Bundle, result: TickResult) -> bool:
        """True when the bundle must be sent (again); False when it was found or must wait."""
        now = self.clock.now()
        if self._history_free_at is not None and now < self._history_free_at:
            self._wait_for(bundle.id, self._history_free_at)
            return False
        with self.db.transaction() as session:
            if held_bundle(session, bundle.id, self.owner, now) is None:
                # Its lease ran out while it waited (set aside for a far slot): another
                # dispatcher holds it now and checks it; a second check could rewrite its row.
                return False
            member = session.get_one(Member, bundle.member_id)
            user, channel = member.slack_user_id, member.dm_channel_id
        try:
            channel = channel or self._open_dm(user)
            found = self._find_in_history(channel, bundle)
        except SlackApiError as error:
            if str(error.response.get("error", "")) == "channel_not_found":
                return True  # no DM with this person exists, so nothing was posted
            wait = (
                timedelta(seconds=retry_after_seconds(error))
                if error.response.status_code == 429
                else HISTORY_INTERVAL
            )
            self._wait_for(bundle.id, now + wait)
            return False
        except (OSError, HistoryUnread):
            self._wait_for(bundle.id, now + HISTORY_INTERVAL)
            return False
        if found is None:
            with self.db.transaction() as session:
                # Not posted after all: an ordinary bundle again, still held by this dispatcher.
                unsent = session.get_one(Bundle, bundle.id)
                unsent.state, unsent.sending_since = "ready", None
            return True
        self._mark_sent(bundle, channel, found)
        result.recovered += 1
        return False

    def _open_dm(self, user: str) -> str:
        return str(self.client.conversations_open(users=user)["channel"]["id"])

    def _find_in_history(self, channel: str, bundle: Bundle) -> str | None:
        self._history_free_at = self.clock.now() + HISTORY_INTERVAL
        since = bundle.sending_since or bundle.created_at
        mark = (METADATA_EVENT, "bundle", bundle.id)
        return find_posted(self.client, channel, since, mark, pause=self.pause)

    def _wait_for(self, bundle_id: str, until: datetime) -> None:
        """The bundle is claimable again from `until` on, by any dispatcher."""
        with self.db.transaction() as session:
            hold_bundles(session, [bundle_id], until)

    # --- Do Not Disturb ---------------------------------------------------------------

    def _in_dnd(self, users: list[str], now: datetime) -> set[str]:
        """Users in scheduled Do Not Disturb at `now`; all of them when Slack cannot say."""
        if not users or not self.dnd_readable:
            return set()
        resting: set[str] = set()
        for start in range(0, len(users), DND_USERS_PER_CALL):
            chunk = users[start : start + DND_USERS_PER_CALL]
            try:
                answer = self.client.dnd_teamInfo(users=",".join(chunk))
            except SlackApiError as error:
                if str(error.response.get("error", "")) in NO_DND_SCOPE:
                    log.info("dnd:read not granted: Do Not Disturb schedules are not visible")
                    self.dnd_readable = False
                    return set()
                resting.update(users[start:])  # unknown: wait for the next tick rather than risk it
                return resting
            except OSError:
                resting.update(users[start:])
                return resting
            resting.update(_resting(answer.get("users", {}), now))
        return resting


def _resting(statuses: dict[str, Any], now: datetime) -> set[str]:
    at = now.timestamp()
    return {
        user
        for user, status in statuses.items()
        if status.get("dnd_enabled")
        and status.get("next_dnd_start_ts", 0) <= at < status.get("next_dnd_end_ts", 0)
    }


# What a refusal of a post means for whoever sends: Slack did not post and asks to wait; Slack
# may or may not have posted; nothing can be sent with this token; or something else (`OTHER`:
# the caller reads Slack's error code).
RATE_LIMITED, UNSURE, TOKEN, OTHER = "rate_limited", "unsure", "token", "other"


def find_posted(
    client: WebClient,
    channel: str,
    since: datetime,
    mark: tuple[str, str, str],
    *,
    pause: Callable[[float], None],
) -> str | None:
    """The ts of the message in `channel` whose metadata carries `mark` (event type, payload
    key, value), posted by a send that started at `since`; None when there is none.

    Slack can only have posted it between the send's start and the end of its request (the
    client's timeout), so the history is read within that window, widened by HISTORY_SLACK for
    the clocks' skew, and paged with the cursor: a busy channel's chatter after the send does
    not push the message out of the first page. A page after the first that Slack rate limits
    is waited for (`pause`, Retry-After) and asked again, at most HISTORY_PAGES times, without
    counting as a page read, unless it asks more than HISTORY_LONGEST_WAIT; a rate limit on
    the first page, or a longer one, and every other refusal, is raised for the caller to wait.
    At most HISTORY_PAGES pages are read (HISTORY_PAGES * HISTORY_PAGE messages within a few
    minutes): a window with more raises `HistoryUnread`, and the caller checks again later
    rather than take the message as not posted (which could post it twice).
    """
    oldest = since - HISTORY_SLACK
    latest = since + timedelta(seconds=client.timeout) + HISTORY_SLACK
    cursor: str | None = None
    pages = waits = 0
    while pages < HISTORY_PAGES:
        try:
            answer = client.conversations_history(
                channel=channel,
                oldest=f"{oldest.timestamp():.6f}",
                latest=f"{latest.timestamp():.6f}",
                inclusive=True,
                include_all_metadata=True,
                limit=HISTORY_PAGE,
                cursor=cursor,
            )
        except SlackApiError as error:
            if pages == 0 or refusal_kind(error) != RATE_LIMITED or waits >= HISTORY_PAGES:
                raise
            wait = retry_after_seconds(error)
            if wait > HISTORY_LONGEST_WAIT.total_seconds():
                raise
            waits += 1
            pause(wait)
            continue
        pages += 1
        found = marked_ts(answer.get("messages", []), mark)
        if found is not None:
            return found
        cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
        if not answer.get("has_more") or cursor is None:
            return None
    log.warning("history check of %s: more than %d pages in its window", channel, HISTORY_PAGES)
    raise HistoryUnread(channel)


class HistoryUnread(Exception):
    """The history window holds more than a check reads: whether the message was posted is
    still unknown (the caller checks again later)."""


def marked_ts(messages: list[dict[str, Any]], mark: tuple[str, str, str]) -> str | None:
    """The ts of the message among `messages` whose metadata carries `mark`."""
    event_type, key, value = mark
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == event_type and payload.get(key) == value:
            return str(message["ts"])
    return None


def error_code(error: SlackApiError) -> str:
    """Slack's error word ("" when it named none)."""
    return str(error.response.get("error", ""))


def refusal_kind(error: SlackApiError) -> str:
    """RATE_LIMITED, UNSURE, TOKEN or OTHER, from the status and Slack's error word."""
    code, status = error_code(error), error.response.status_code
    if status == 429:
        return RATE_LIMITED
    if status >= 500 or code in OUTCOME_UNKNOWN:
        return UNSURE
    return TOKEN if code in TOKEN_BROKEN else OTHER


def retry_after_seconds(error: SlackApiError) -> int:
    """Whole seconds a 429 asks to wait (its Retry-After, read as every Slack caller reads it),
    at least 1."""
    return max(1, int(retry_after_of(error) or 1))
