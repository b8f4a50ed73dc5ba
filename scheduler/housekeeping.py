"""Forgetting what no longer needs remembering, on the planner's schedule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.usecases.slack_directory import refresh_partners
from storage.db import Database
from storage.queries.after_hours.figures import forget_after_hours_before, forget_hints_before
from storage.queries.outbox.claims import forget_expired_claims as forget_claims_before
from storage.queries.pending import forget_pending_before
from storage.queries.received import forget_events_before
from storage.queries.slack_cache import forget_channels_before, forget_people_before
from storage.vocabulary import AFTER_HOURS_KEEP_DAYS

# Slack retries an event for about five minutes at most (at once, after 1 and after 5 minutes);
# a day leaves room for clocks and outages without keeping ids forever.
KEEP_EVENT_IDS = timedelta(days=1)
# A question about what someone typed waits an hour (`bot.usecases.log_contact.PENDING_FOR`);
# the text it holds is the person's note, kept no longer than that and a margin.
KEEP_PENDING = timedelta(hours=2)
# Slack Connect partners whose profile is asked about again per planner tick (every five
# minutes): 50 a tick is 14,400 a day, well within `users.info`'s rate limit.
REFRESH_PER_TICK = 50
# After-hours records are private figures, kept `AFTER_HOURS_KEEP_DAYS` days; the hints shown
# only decide "one a day", so a few days cover any sender's zone. Deleted in batches, each its
# own short transaction, and at most `FORGET_BATCHES` of them a tick: a backlog (a scheduler
# stopped for weeks) drains over a few ticks without holding locks on a busy table.
KEEP_AFTER_HOURS = timedelta(days=AFTER_HOURS_KEEP_DAYS)
KEEP_HINT_DAYS = timedelta(days=3)
FORGET_BATCH = 500
FORGET_BATCHES = 20
# What Slack said of people and channels seen in shared channels is read again after a day when
# they are seen again; a row nobody has needed for a month goes (names and zones of people of
# other organisations are not kept for nothing).
KEEP_SLACK_CACHE = timedelta(days=30)


def forget_old_event_ids(db: Database, now: datetime) -> int:
    """Delete Events API ids received more than `KEEP_EVENT_IDS` before `now`; how many went."""
    with db.transaction() as session:
        return forget_events_before(session, now - KEEP_EVENT_IDS)


def forget_unanswered_questions(db: Database, now: datetime) -> int:
    """Delete texts that waited longer than `KEEP_PENDING` for an answer; how many went."""
    with db.transaction() as session:
        return forget_pending_before(session, now - KEEP_PENDING)


def refresh_partner_profiles(db: Database, client: WebClient, now: datetime) -> int:
    """Read again the Slack profiles of partners last read more than a day ago (their zone,
    unless one was typed); how many Slack was asked about."""
    return refresh_partners(db, client, now, REFRESH_PER_TICK)


def forget_old_after_hours(db: Database, now: datetime) -> int:
    """Delete after-hours records older than `KEEP_AFTER_HOURS` and hints shown more than
    `KEEP_HINT_DAYS` ago, in batches; how many rows went."""
    gone = _in_batches(
        db, lambda session: forget_after_hours_before(session, now - KEEP_AFTER_HOURS, FORGET_BATCH)
    )
    # A hint's day is the sender's local day: a day more than UTC's covers every zone.
    hint_day = (now.astimezone(UTC) - KEEP_HINT_DAYS).date() - timedelta(days=1)
    gone += _in_batches(db, lambda session: forget_hints_before(session, hint_day, FORGET_BATCH))
    return gone


def forget_expired_claims(db: Database, now: datetime) -> int:
    """Delete claims ("I'll reach out" on a team digest) that ended by `now`, in batches; how
    many went. An ended claim already moves no nudge (`check_in_recipient` reads `until`);
    this only keeps the table to the claims that live."""
    return _in_batches(db, lambda session: forget_claims_before(session, now, FORGET_BATCH))


def forget_unused_slack_cache(db: Database, now: datetime) -> int:
    """Delete people and channels not read from Slack for `KEEP_SLACK_CACHE`, in batches; how
    many rows went."""
    before = now - KEEP_SLACK_CACHE
    gone = _in_batches(db, lambda session: forget_people_before(session, before, FORGET_BATCH))
    return gone + _in_batches(
        db, lambda session: forget_channels_before(session, before, FORGET_BATCH)
    )


def _in_batches(db: Database, forget: Callable[[Session], int]) -> int:
    """Run `forget` (deleting at most `FORGET_BATCH` rows) in its own transactions until it
    deletes fewer, at most `FORGET_BATCHES` times; how many rows went."""
    gone = 0
    for _ in range(FORGET_BATCHES):
        with db.transaction() as session:
            deleted = forget(session)
        gone += deleted
        if deleted < FORGET_BATCH:
            break
    return gone
