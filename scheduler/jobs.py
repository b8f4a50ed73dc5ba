"""Rapport's scheduled work: the planner and the dispatcher, on APScheduler or on demand.

APScheduler keeps its jobs in memory: all durable state is in Rapport's own tables, so a restart
loses nothing and two schedulers share nothing but the database. Jobs run however late they are
(`misfire_grace_time=None`; APScheduler's default of 1 s would silently skip a tick after a pause)
and never overlap themselves.
"""

from __future__ import annotations

import logging
from dataclasses import InitVar, dataclass, field
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.rules.clock import Clock
from bot.rules.working_hours import WorkingHours
from scheduler.digests import DigestDispatcher, next_digest_due, plan_digests
from scheduler.dispatcher import Dispatcher, TickResult
from scheduler.housekeeping import (
    forget_expired_claims,
    forget_old_after_hours,
    forget_old_event_ids,
    forget_unanswered_questions,
    forget_unused_slack_cache,
    refresh_partner_profiles,
)
from scheduler.planner import PlanResult, plan
from scheduler.withdrawals import WithdrawalRetries, next_withdrawal_due
from storage.db import Database
from storage.models import Bundle, Member, Nudge, Partner, PartnerClaim, Promise

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(minutes=5)
DELIVER_EVERY = timedelta(minutes=1)


@dataclass
class Jobs:
    """The planner, the nudge DMs' dispatcher and the channel outbox's (`digests`): unless given
    one, the channel outbox posts with the DMs' client and waits out a Retry-After as they do."""

    db: Database
    clock: Clock
    dispatcher: Dispatcher
    digest_dispatcher: InitVar[DigestDispatcher | None] = None
    digests: DigestDispatcher = field(init=False)
    withdrawals: WithdrawalRetries = field(init=False)

    def __post_init__(self, digest_dispatcher: DigestDispatcher | None) -> None:
        self.digests = digest_dispatcher or DigestDispatcher(
            self.db,
            self.clock,
            self.dispatcher.client,
            pause=self.dispatcher.pause,
            pacer=self.dispatcher.pacer,
        )
        # Digest withdrawals Slack refused, made again with the channel outbox's client.
        self.withdrawals = WithdrawalRetries(
            self.db,
            self.clock,
            self.digests.client,
            pause=self.digests.pause,
            directory=self.digests.directory,
        )

    def plan(self) -> None:
        try:
            self.plan_once()
        except Exception:
            log.exception("planner tick failed; the next one tries again")

    def plan_once(self) -> PlanResult:
        """One planner tick, and the housekeeping that goes with it."""
        planned = plan(self.db, self.clock.now())
        plan_digests(self.db, self.clock.now())
        forget_old_event_ids(self.db, self.clock.now())
        forget_unanswered_questions(self.db, self.clock.now())
        forget_old_after_hours(self.db, self.clock.now())
        forget_unused_slack_cache(self.db, self.clock.now())
        forget_expired_claims(self.db, self.clock.now())
        refresh_partner_profiles(self.db, self.dispatcher.client, self.clock.now())
        return planned

    def deliver(self) -> None:
        """One tick of each outbox (the nudge DMs, the digests, the digest withdrawals Slack
        refused); a failing one does not keep the others from their tick."""
        ticks = (
            ("nudges", self.dispatcher.tick),
            ("digests", self.digests.tick),
            ("digest withdrawals", self.withdrawals.tick),
        )
        for name, tick in ticks:
            try:
                result = tick()
            except Exception:
                log.exception("%s dispatcher tick failed; the next one tries again", name)
                continue
            if result.sent or result.dead or result.stopped:
                log.info("%s: %s", name, result)

    def run_once(self) -> TickResult:
        """Plan, then deliver everything deliverable now (the sandbox's clock); what the nudge
        DMs' tick did."""
        self.plan_once()
        result = self.dispatcher.tick()
        self.digests.tick()
        self.withdrawals.tick()
        return result

    # --- for the sandbox's clock -------------------------------------------------------------

    def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The first instant in (after, until] at which a nudge or a digest can be planned or
        delivered.

        That is the opening of a working window of someone with something to be nudged about,
        a channel's next digest post, or the end of a bundle's, a digest's or a digest
        withdrawal's wait (a Retry-After, a history check, a retry). Planning happens by whole
        days, so stopping at each window's opening is enough to see every nudge arrive. A member
        who is away gets nothing before the day they are back, so their openings until then are
        no stops.
        """
        with self.db.reading() as session:
            members = _members_with_work(session)
            waits = session.scalars(
                select(Bundle.not_before).where(
                    Bundle.state.in_(("ready", "sending")),
                    Bundle.not_before > after,
                    Bundle.not_before <= until,
                )
            ).all()
        instants = [wait for wait in waits if wait is not None]  # none is: not_before > after
        for member in members:
            opens = _next_opening(member, after)
            if opens is not None and opens <= until:
                instants.append(opens)
        for due in (
            next_digest_due(self.db, after, until),
            next_withdrawal_due(self.db, after, until),
        ):
            if due is not None:
                instants.append(due)
        return min(instants, default=None)

    def run(self, at: datetime) -> None:
        self.run_once()


def start_scheduler(jobs: Jobs, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    """Plan every 5 minutes and deliver every minute, starting now, in background threads."""
    scheduler = scheduler or BackgroundScheduler(timezone=UTC)
    now = datetime.now(UTC)
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(
        jobs.plan,
        IntervalTrigger(seconds=PLAN_EVERY.total_seconds()),
        id="plan",
        next_run_time=now,
        **defaults,
    )
    scheduler.add_job(
        jobs.deliver,
        IntervalTrigger(seconds=DELIVER_EVERY.total_seconds()),
        id="deliver",
        next_run_time=now + timedelta(seconds=5),
        **defaults,
    )
    scheduler.start()
    return scheduler


def _next_opening(member: Member, after: datetime) -> datetime | None:
    """`member`'s first window opening after `after` on a day they are not away."""
    hours = WorkingHours.of(member)
    opens = hours.next_opening(after)
    if opens is None or member.away_until is None or hours.today(opens) >= member.away_until:
        return opens
    return hours.next_window(datetime.combine(member.away_until, time(), tzinfo=hours.zone))


def _members_with_work(session: Session) -> list[Member]:
    """Active members (not guests) who own a partner, made an open promise, have nudges
    waiting, or said "I'll reach out" for a partner (a claim gets them its check-ins)."""
    owners = select(Partner.owner_id).where(Partner.status == "active")
    claimers = select(PartnerClaim.member_id)
    promisers = select(Promise.member_id).where(Promise.status == "open")
    waiting = select(Nudge.member_id).where(Nudge.state == "pending")
    return list(
        session.scalars(
            select(Member).where(
                Member.active.is_(True),
                Member.is_guest.is_(False),
                Member.id.in_(owners.union(promisers, waiting, claimers).scalar_subquery()),
            )
        )
    )
