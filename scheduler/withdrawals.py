"""Digest withdrawals Slack refused, made again by the delivery job until done or ended.

A channel noted in `digest_withdrawals` (by the event that may have made it unfit for partner
data, or by a withdrawal Slack refused: `bot.usecases.digests.withdrawals`) is leased to one
scheduler at a time (`claim_withdrawals`, FOR UPDATE SKIP LOCKED on PostgreSQL), so that two
schedulers never update the same message. Each try checks the channel afresh
(`DigestButtons.withdraw_channel`): a guest who left meanwhile, or a channel no longer shared,
means nothing is withdrawn and the note goes.

Slack refusing again puts the note back: for a 429's `Retry-After` (no attempt counted; the tick
waits it out, as the digests' does, at most `LIMITED_PER_TICK` times before leaving the rest
to the next tick, and a wait longer than `LONGEST_TICK_WAIT` not at all: the tick ends),
otherwise for `retry_wait(attempts)`. The note ends, logged, after `MAX_ATTEMPTS` refusals or
at once when no retry can help (the channel gone or archived, the app removed from it, its
token revoked); the digests then stay as posted, and the app being invited back into the
channel checks them again (`member_joined_channel`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.rules.clock import Clock
from bot.usecases.digests.buttons import DigestButtons
from bot.usecases.digests.withdrawals import LEASE, MAX_ATTEMPTS, Outcome, retry_wait
from bot.usecases.slack_directory import SlackDirectory
from scheduler.dispatcher import (
    CLAIM_BATCH,
    LONGEST_TICK_WAIT,
    StopTick,
    TickResult,
    drain,
    new_owner,
)
from storage.db import Database
from storage.queries.digests.withdrawal import (
    PendingWithdrawal,
    claim_withdrawals,
    finish_withdrawal,
    put_back_withdrawal,
    withdrawal_waits,
)

log = logging.getLogger(__name__)

# Rate limits waited out in place in one tick; after that the tick ends and the next one (a
# minute on) goes on, so that the other outboxes' ticks are not held back.
LIMITED_PER_TICK = 10


@dataclass
class WithdrawalRetries:
    """Makes the kept withdrawals that are due; several may run at once (each channel is
    leased to one)."""

    db: Database
    clock: Clock
    client: WebClient
    # Waits out a Retry-After; tests pass one that moves their clock instead of sleeping.
    pause: Callable[[float], None] = time.sleep
    directory: SlackDirectory | None = None
    owner: str = field(default_factory=new_owner)
    # Made once, so that every try shares one directory (its cached people) when none is given.
    _buttons: DigestButtons = field(init=False)

    def __post_init__(self) -> None:
        self._buttons = DigestButtons(self.db, self.clock, self.directory)

    def tick(self) -> TickResult:
        """Make every due withdrawal once (again after a rate limit waited out)."""
        limited = [0]

        def make(pending: PendingWithdrawal, result: TickResult) -> None:
            self._make(pending, result)
            if result.rate_limited > limited[0]:
                limited[0] = result.rate_limited
                if limited[0] >= LIMITED_PER_TICK:
                    raise StopTick("ratelimited")

        return drain(self._claim, make, TickResult())

    def _claim(self) -> list[PendingWithdrawal]:
        now = self.clock.now()
        with self.db.transaction() as session:
            return claim_withdrawals(session, self.owner, now, now + LEASE, CLAIM_BATCH)

    def _make(self, pending: PendingWithdrawal, result: TickResult) -> None:
        buttons = self._buttons
        outcome = buttons.withdraw_channel(self.client, pending.team_id, pending.channel_id)
        wait, ended = self._settle(pending, outcome, result)
        if wait > LONGEST_TICK_WAIT.total_seconds():
            # The note waits for it; the tick ends rather than holding the scheduler's thread
            # for as long (the rest of its batch stays leased, and is tried once the lease ends).
            raise StopTick("ratelimited")
        if wait:
            self.pause(wait)  # Slack's limit is the workspace's: the next call would be refused
        if ended is not None:
            # The operator's log line, and the subscriber told what it means and what to do.
            buttons.ended(self.client, pending.workspace_id, pending.channel_id, ended)

    def _settle(
        self, pending: PendingWithdrawal, outcome: Outcome, result: TickResult
    ) -> tuple[float, str | None]:
        """Finish, put back or end the withdrawal after a try: the seconds a 429 asked to wait
        (0 for any other outcome), and Slack's word for the refusal that ended it (None when it
        did not end, or ended done)."""
        refused = outcome.refused
        where = (pending.workspace_id, pending.channel_id, pending.mark)
        now = self.clock.now()
        with self.db.transaction() as session:
            if refused is None:
                finish_withdrawal(session, *where)
                result.sent += outcome.withdrawn
                result.skipped += outcome.withdrawn == 0
                return 0, None
            if refused.retry_after:
                later = now + timedelta(seconds=refused.retry_after)
                put_back_withdrawal(
                    session, *where, later, refused.error, attempts=pending.attempts
                )
                result.rate_limited += 1
                return refused.retry_after, None
            attempts = pending.attempts + 1
            if refused.final or attempts >= MAX_ATTEMPTS:
                # Noted again meanwhile (a new event): that note is tried on its own.
                ends = finish_withdrawal(session, *where)
                result.dead += ends
                return 0, refused.error if ends else None
            later = now + retry_wait(attempts)
            put_back_withdrawal(session, *where, later, refused.error, attempts=attempts)
            result.deferred += 1
            return 0, None


def next_withdrawal_due(db: Database, after: datetime, until: datetime) -> datetime | None:
    """The first instant in (after, until] at which a kept withdrawal falls due."""
    with db.reading() as session:
        return min(withdrawal_waits(session, after, until), default=None)
