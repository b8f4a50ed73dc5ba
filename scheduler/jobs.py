"""Rapport's scheduled work: the planner and the dispatcher, on APScheduler or on demand.

APScheduler keeps its jobs in memory: all durable state is in Rapport's own tables, so a restart
loses nothing and two schedulers share nothing but the database. Jobs run however late they are
(`misfire_grace_time=None`; APScheduler's default of 1 s would silently skip a tick after a pause)
and never overlap themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.rules.clock import Clock
from bot.rules.working_hours import WorkingHours
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
from storage.db import Database
from storage.models import Bundle, Member, Nudge, Partner, Promise

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(minutes=5)
DELIVER_EVERY = timedelta(minutes=1)


@dataclass
class Jobs:
    db: Database
    clock: Clock
    dispatcher: Dispatcher

    def plan(self) -> None:
        try:
            self.plan_once()
        except Exception:
            log.exception("planner tick failed; the next one tries again")

    def plan_once(self) -> PlanResult:
        """One planner tick, and the housekeeping that goes with it."""
        planned = plan(self.db, self.clock.now())
        forget_old_event_ids(self.db, self.clock.now())
        forget_unanswered_questions(self.db, self.clock.now())
        forget_old_after_hours(self.db, self.clock.now())
        forget_unused_slack_cache(self.db, self.clock.now())
        forget_expired_claims(self.db, self.clock.now())
        refresh_partner_profiles(self.db, self.dispatcher.client, self.clock.now())
        return planned

    def deliver(self) -> None:
        try:
            result = self.dispatcher.tick()
        except Exception:
            log.exception("dispatcher tick failed; the next one tries again")
            return
        if result.sent or result.dead or result.stopped:
            log.info("nudges: %s", result)

    def run_once(self) -> TickResult:
        """Plan, then deliver everything deliverable now (the sandbox's clock)."""
        self.plan_once()
        return self.dispatcher.tick()

    # --- for the sandbox's clock -------------------------------------------------------------

    def next_due(self, after: datetime, until: datetime) -> datetime | None:
        """The first instant in (after, until] at which a nudge can be planned or delivered.

        That is the opening of a working window of someone with something to be nudged about,
        or the end of a bundle's wait (a Retry-After, a history check). Planning happens by whole
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
    """Active members (not guests) who own a partner, made an open promise, or have nudges
    waiting."""
    owners = select(Partner.owner_id).where(Partner.status == "active")
    promisers = select(Promise.member_id).where(Promise.status == "open")
    waiting = select(Nudge.member_id).where(Nudge.state == "pending")
    return list(
        session.scalars(
            select(Member).where(
                Member.active.is_(True),
                Member.is_guest.is_(False),
                Member.id.in_(owners.union(promisers, waiting).scalar_subquery()),
            )
        )
    )
